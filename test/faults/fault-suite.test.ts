/**
 * The fault suite: seeded, randomized fault injection over the simulated organization.
 *
 * Each run draws a small organization from the shared scenarios (bare accounts, compliant
 * ones, customer chains with broken alarms, customer resources with tripwire's names, an
 * organization trail, suspended accounts, a role that cannot be assumed...) and a fault plan
 * (throttling, 5xx, hung calls under a short call timeout, access denied, a write failing in
 * the middle of a fix, listing failures), runs `fix` (or `scan`, or a dry run) under those
 * faults, then checks the invariants of invariants.ts; then it reruns `fix` with no fault,
 * which must end where a clean fix from the start ends, and a third `fix`, which must write
 * nothing (exercise.ts).
 *
 * The seed is fixed, so CI runs the same plans every time; fast-check prints the seed and the
 * shrunk plan of a failure. FAULT_SUITE_SEED and FAULT_SUITE_RUNS explore further.
 *
 * One file on purpose: on CI's two cores vitest runs one worker (cores - 1), so splitting the
 * runs over files would not run them side by side.
 */
import fc from "fast-check";
import { afterAll, describe, it } from "vitest";
import { exercise, summary } from "./exercise.ts";
import { runPlan } from "./generators.ts";

const SEED = Number(process.env.FAULT_SUITE_SEED ?? 20_250_304);
const RUNS = Number(process.env.FAULT_SUITE_RUNS ?? 300);

describe("the fault suite", () => {
  const startedAt = performance.now();
  const cpuAtStart = process.cpuUsage();
  afterAll(() => {
    const cpu = process.cpuUsage(cpuAtStart);
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    const took = `${seconds(performance.now() - startedAt)} s, ${seconds((cpu.user + cpu.system) / 1000)} s CPU`;
    console.log(`${summary(SEED)}; ${took}`);
  });

  it(
    `keeps tripwire's promises over ${RUNS} seeded runs of random faults`,
    async () => {
      await fc.assert(fc.asyncProperty(runPlan, exercise), { seed: SEED, numRuns: RUNS });
    },
    10 * 60_000,
  );
});
