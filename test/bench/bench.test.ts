/**
 * Smoke test of the benchmark harness at a tiny size (5 accounts × 2 regions, 1 ms per call):
 * it produces every figure the bench prints, and a compliant account stays within the scan
 * budget of 8 API calls. Behaviour only: no timing is asserted.
 */
import { describe, expect, it } from "vitest";
import { type RunFigures, runOnce } from "../../bench/run-size.ts";
import { judgeTargets } from "../../bench/sweep.ts";

const tiny = {
  accounts: 5,
  regions: 2,
  concurrency: 5,
  latencyMs: 1,
  only: ["compliant", "bare", "org-trail", "compliant", "denied"],
} as const;

function expectFigures(figures: RunFigures): void {
  expect(figures.wallMs).toBeGreaterThan(0);
  expect(figures.calls).toBeGreaterThan(0);
  expect(figures.throttled).toBeGreaterThanOrEqual(0);
  expect(figures.callsPerAccount).toBeGreaterThan(0);
  expect(Object.keys(figures.byApi)).toContain("sts:AssumeRole");
  expect(figures.byKind.compliant?.accounts).toBeGreaterThan(0);
  expect(figures.peakRssMb).toBeGreaterThan(0);
  expect(figures.bound.boundMs).toBeGreaterThan(0);
  expect(figures.bound.formula).toMatch(/^bound = max/);
  expect(figures.ratio).toBeGreaterThan(0);
}

describe("bench harness", () => {
  it("reports every figure for a scan through runSweep, with a compliant account within 8 calls", async () => {
    const figures = await runOnce({ ...tiny, mode: "scan", path: "cli" });

    expectFigures(figures);
    expect(figures.compliantMaxCalls).toBeGreaterThan(0);
    expect(figures.compliantMaxCalls).toBeLessThanOrEqual(8);
  });

  it("reports every figure for a fix through the sweep and sweep-account handlers", async () => {
    const figures = await runOnce({ ...tiny, mode: "fix", path: "lambda" });

    expectFigures(figures);
    expect(figures.statuses.MISSING).toBeUndefined();
  });

  it("keeps a compliant account within 8 calls when the deployed handlers scan (dry run)", async () => {
    const figures = await runOnce({ ...tiny, mode: "scan", path: "lambda" });

    expect(figures.compliantMaxCalls).toBeGreaterThan(0);
    expect(figures.compliantMaxCalls).toBeLessThanOrEqual(8);
  });

  it("judges the scan budget per size from the figures", async () => {
    const figures = await runOnce({ ...tiny, mode: "scan", path: "cli" });

    const verdicts = judgeTargets([figures]);

    expect(verdicts).toEqual([expect.objectContaining({ met: true, detail: `max ${figures.compliantMaxCalls}` })]);
  });
});
