/**
 * The benchmark's Lambda projection (bench/lambda-projection.ts) on inputs worked out by hand:
 * each of the run's own batches charged its deepest review's latency and its accounts' engine
 * CPU at 512 MB's share of a vCPU, the larger of the two (low) or both (high).
 */
import { describe, expect, it } from "vitest";
import { projectOnLambda } from "../../bench/lambda-projection.ts";
import type { RunFigures } from "../../bench/run-size.ts";

const VCPU = 512 / 1769;

/** A deployed-path run: 2 containers (C = 4, batches of 2), L = 10 ms, 1 ms of engine CPU per account. */
function run(batches: RunFigures["batches"]): RunFigures {
  return {
    path: "lambda",
    batchSize: 2,
    concurrency: 4,
    batches,
    cpu: { engineMs: 4, reviewed: 4 },
    bound: { callMs: 10, startMs: 20, listingMs: 0, quotaMs: 0 },
  } as unknown as RunFigures;
}

describe("Lambda projection", () => {
  it("charges each of the run's batches its deepest review's latency or its CPU at 0.289 vCPU, whichever is longer", () => {
    // Batch 1: 5 calls (50 ms) against 2 × 1 ms / 0.289 = 6.9 ms; batch 2: 1 call (10 ms) against 6.9 ms.
    const projection = projectOnLambda(
      run([
        { accounts: 2, deepest: 5 },
        { accounts: 2, deepest: 1 },
      ]),
    );

    expect(projection?.lowMs).toBeCloseTo(20 + 10 + (50 + 10) / 2, 6);
  });

  it("charges both, added, at the high end", () => {
    const projection = projectOnLambda(
      run([
        { accounts: 2, deepest: 5 },
        { accounts: 2, deepest: 1 },
      ]),
    );

    expect(projection?.highMs).toBeCloseTo(20 + 10 + (50 + 10 + (2 * 2) / VCPU) / 2, 6);
  });

  it("projects nothing without the run's batches", () => {
    expect(projectOnLambda(run(undefined))).toBeUndefined();
  });
});
