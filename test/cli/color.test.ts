import { describe, expect, it } from "vitest";
import { colorEnabled, colorFor } from "../../shared/cli/color.ts";
import type { CliIo } from "../../shared/cli/io.ts";

describe("colour: the stream decides, then NO_COLOR and FORCE_COLOR", () => {
  it("colours a terminal", () => {
    expect(colorEnabled({}, true)).toBe(true);
  });

  it("does not colour a pipe or a file", () => {
    expect(colorEnabled({}, false)).toBe(false);
  });

  it("does not colour a terminal when NO_COLOR is set", () => {
    expect(colorEnabled({ NO_COLOR: "1" }, true)).toBe(false);
  });

  it("ignores an empty NO_COLOR, as no-color.org says", () => {
    expect(colorEnabled({ NO_COLOR: "" }, true)).toBe(true);
  });

  it("does not colour a dumb terminal", () => {
    expect(colorEnabled({ TERM: "dumb" }, true)).toBe(false);
  });

  it("does not colour a terminal when NODE_DISABLE_COLORS is set", () => {
    expect(colorEnabled({ NODE_DISABLE_COLORS: "1" }, true)).toBe(false);
  });

  it.each(["", "1", "2", "3", "true"])("colours a pipe when FORCE_COLOR=%j", (value) => {
    expect(colorEnabled({ FORCE_COLOR: value }, false)).toBe(true);
  });

  it.each(["0", "false", "no"])("does not colour a terminal when FORCE_COLOR=%j", (value) => {
    expect(colorEnabled({ FORCE_COLOR: value }, true)).toBe(false);
  });

  it("lets FORCE_COLOR win over NO_COLOR, as Node does", () => {
    expect(colorEnabled({ FORCE_COLOR: "1", NO_COLOR: "1" }, false)).toBe(true);
  });
});

describe("colorFor", () => {
  const io = (tty: { stdout: boolean; stderr: boolean }): CliIo => ({
    stdout: () => undefined,
    stderr: () => undefined,
    env: {},
    isTty: tty.stderr,
    stdoutIsTty: tty.stdout,
  });

  it("colours stdout by stdout's terminal, whatever stderr is", () => {
    expect(colorFor(io({ stdout: false, stderr: true }), "stdout")).toBe(false);
  });

  it("colours stderr by stderr's terminal, whatever stdout is", () => {
    expect(colorFor(io({ stdout: true, stderr: false }), "stderr")).toBe(false);
  });

  it("colours stdout when stdout is a terminal", () => {
    expect(colorFor(io({ stdout: true, stderr: false }), "stdout")).toBe(true);
  });
});
