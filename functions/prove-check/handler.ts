/**
 * `proveCheck`, the state machine's looping step: one round of checks over every running proof
 * of the run (shared/use-cases/prove.ts), then the records of the proofs that ended, and the
 * run's state stored again. Its output says whether the state machine waits and checks again.
 */
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { checkProofs } from "../../shared/use-cases/prove.ts";
import { logErrors } from "../runtime/log-errors.ts";
import {
  endStep,
  type ProveStepDeps,
  type ProveStepInput,
  type ProveStepOutput,
  productionProveDeps,
  proveDepsOf,
  runIdOf,
} from "../runtime/prove-step.ts";

export function createProveCheckHandler(deps: () => ProveStepDeps) {
  return middy<ProveStepInput, ProveStepOutput>()
    .use(logErrors("prove-check", () => deps().write))
    .handler(async (event, context: Partial<Context>) => {
      const d = deps();
      const runId = runIdOf(event, undefined);
      const stored = await d.runs.read(runId);
      if (!stored) throw new Error(`no proof run ${runId} in the records bucket (proveFire stores it first)`);
      const prove = proveDepsOf(d, context);
      const checked = await checkProofs(prove, stored);
      return endStep(d, "prove-check", checked);
    });
}

export const handler = createProveCheckHandler(productionProveDeps);
