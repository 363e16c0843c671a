/**
 * Smoke test of `npm run bench:prove` at a tiny size (3 accounts, no modelled latency): it
 * proves every account, with a chain each or through one organization trail, and produces the
 * figures it prints. Behaviour only: no timing is asserted beyond what the simulated clock
 * models (CloudTrail's delivery is in every proof).
 */
import { describe, expect, it } from "vitest";
import {
  type ProveBenchOptions,
  renderProveBaseline,
  renderProveBench,
  runProveBaseline,
  runProveBench,
} from "../../bench/prove.ts";

const tiny: ProveBenchOptions = { accounts: 3, latencyMs: 0, concurrency: 3, shared: false };

describe("the prove benchmark", () => {
  it("proves every account of a chain each", async () => {
    const figures = await runProveBench(tiny);

    expect(figures.statuses).toEqual({ PROVEN: 3 });
  });

  it("proves every account through one organization trail with --shared", async () => {
    const figures = await runProveBench({ ...tiny, shared: true });

    expect(figures.statuses).toEqual({ PROVEN: 3 });
  });

  it("counts CloudTrail's modelled delivery in the slowest proof, on the simulated clock", async () => {
    const figures = await runProveBench(tiny);

    expect(figures.slowestProofMs).toBeGreaterThanOrEqual(300_000);
  });

  it("counts one canary role check per proven account among the calls", async () => {
    const figures = await runProveBench(tiny);

    expect(figures.byApi["iam:GetRole"]).toBe(1);
  });

  it("prints the ratio of wall time over the slowest proof, and against one account alone", async () => {
    const figures = await runProveBench(tiny);
    const baseline = await runProveBaseline(tiny, figures);

    expect(`${renderProveBench(figures)}\n${renderProveBaseline(figures, baseline)}`).toMatch(
      /ratio wall \/ slowest: \d+\.\d\d[\s\S]*3 accounts at once \/ one alone: wall \d+\.\d\dx/,
    );
  });
});
