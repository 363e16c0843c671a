/** Progress of explain's and replay's long reads of log events, on stderr. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { eventProgress } from "../../shared/cli/commands/event-progress.ts";
import type { CliIo } from "../../shared/cli/io.ts";

let err: string[];
const io = (isTty: boolean): CliIo => ({ stdout: () => undefined, stderr: (t) => void err.push(t), env: {}, isTty });

beforeEach(() => {
  err = [];
  vi.useFakeTimers({ now: new Date("2025-01-01T00:00:00Z") });
});
afterEach(() => vi.useRealTimers());

describe("eventProgress", () => {
  it("prints nothing for a read that ends within the first second", () => {
    const progress = eventProgress(io(false), "explain");
    vi.advanceTimersByTime(900);
    progress.update({ kept: 900, leftOut: 0, pages: 1 });
    progress.stop();
    expect(err).toEqual([]);
  });

  it("prints the events and pages read once the read lasts longer", () => {
    const progress = eventProgress(io(false), "explain");
    vi.advanceTimersByTime(1500);
    progress.update({ kept: 12_000, leftOut: 0, pages: 14 });
    expect(err).toEqual(["explain: 12,000 events read (14 pages)\n"]);
  });

  it("names the events counted past the cap", () => {
    const progress = eventProgress(io(false), "replay");
    vi.advanceTimersByTime(1500);
    progress.update({ kept: 10_000, leftOut: 2_500, pages: 15 });
    expect(err).toEqual(["replay: 10,000 events read (15 pages), 2,500 more counted past the cap\n"]);
  });

  it("prints at most one line per half second", () => {
    const progress = eventProgress(io(false), "explain");
    vi.advanceTimersByTime(1500);
    progress.update({ kept: 900, leftOut: 0, pages: 1 });
    vi.advanceTimersByTime(100);
    progress.update({ kept: 1_800, leftOut: 0, pages: 2 });
    expect(err).toHaveLength(1);
  });

  it("rewrites the line in place on a terminal, and ends it when the read stops", () => {
    const progress = eventProgress(io(true), "explain");
    vi.advanceTimersByTime(1500);
    progress.update({ kept: 900, leftOut: 0, pages: 1 });
    progress.stop();
    expect(err).toEqual(["\rexplain: 900 events read (1 page)", "\n"]);
  });
});
