/**
 * Smoke test of the benchmark harness at a tiny size (5 accounts × 2 regions, 1 ms per call):
 * it produces every figure the bench prints, and a compliant account stays within the scan
 * budget of 8 API calls. Behaviour only: no timing is asserted.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { MixOptions } from "../../bench/organization-mix.ts";
import { type RunFigures, runOnce } from "../../bench/run-size.ts";
import { functionNodeOptions, judgeTargets } from "../../bench/sweep.ts";
import type { SimulatedOrganization } from "../../shared/simulation/index.ts";

/**
 * Every organization the bench builds, with what the simulation itself saw of its calls: the
 * figures are counted in the latency model's hook, and must agree with the simulation's own
 * count and with the attempts the hook actually refused.
 */
interface Built {
  readonly accounts: number;
  org?: SimulatedOrganization;
  refused: number;
}
const built = vi.hoisted(() => [] as Built[]);

vi.mock("../../bench/organization-mix.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../bench/organization-mix.ts")>();
  return {
    ...original,
    buildMixedOrganization: (options: MixOptions) => {
      const entry: Built = { accounts: options.accounts, refused: 0 };
      const hook = options.beforeCall;
      const mix = original.buildMixedOrganization(
        hook
          ? {
              ...options,
              beforeCall: async (call) => {
                try {
                  await hook(call);
                } catch (error) {
                  entry.refused++;
                  throw error;
                }
              },
            }
          : options,
      );
      entry.org = mix.org;
      built.push(entry);
      return mix;
    },
  };
});

beforeEach(() => {
  built.length = 0;
});

const tiny = {
  accounts: 5,
  regions: 2,
  concurrency: 5,
  latencyMs: 1,
  only: ["compliant", "bare", "org-trail", "compliant", "denied"],
} as const;

/** The organization the run swept (the lower bound builds one-account organizations of its own). */
function sweptOrganization(): Built {
  const swept = built.filter((b) => b.accounts === tiny.accounts);
  expect(swept).toHaveLength(1);
  return swept[0] as Built;
}

function expectFigures(figures: RunFigures): void {
  const swept = sweptOrganization();
  expect(figures.wallMs).toBeGreaterThan(0);
  expect(figures.calls).toBeGreaterThan(0);
  expect(figures.calls).toBe(swept.org?.calls.total);
  expect(figures.throttled).toBe(swept.refused);
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

describe("the benchmark's node options", () => {
  it("are the functions' NODE_OPTIONS in serverless.yml", () => {
    const template = "provider:\n  environment:\n    NODE_OPTIONS: --max-old-space-size=256 --max-semi-space-size=8\n";

    expect(functionNodeOptions(template)).toEqual(["--max-old-space-size=256", "--max-semi-space-size=8"]);
  });

  it("refuse a template without NODE_OPTIONS", () => {
    expect(() => functionNodeOptions("provider:\n  environment: {}\n")).toThrow(/NODE_OPTIONS/);
  });
});
