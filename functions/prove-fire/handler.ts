/**
 * `proveFire`, the state machine's first step: scans the accounts in scope, fires one canary per
 * COMPLIANT account, writes the records of the accounts that ended already (skipped, error, a
 * canary that was not denied) and stores the run's state for the checks. Invoked again for the
 * same run (a retry), it fires nothing: a proof pages people, and pages them once.
 */
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { fireCanaries, prepareProof } from "../../shared/use-cases/prove.ts";
import { logErrors } from "../runtime/log-errors.ts";
import {
  endStep,
  type ProveStepDeps,
  type ProveStepInput,
  type ProveStepOutput,
  productionProveDeps,
  proveDepsOf,
  runIdOf,
  stepOutput,
} from "../runtime/prove-step.ts";

export function createProveFireHandler(deps: () => ProveStepDeps) {
  return middy<ProveStepInput, ProveStepOutput>()
    .use(logErrors("prove-fire", () => deps().write))
    .handler(async (event, context: Partial<Context>) => {
      const d = deps();
      const runId = runIdOf(event, context?.awsRequestId);
      const stored = await d.runs.read(runId);
      if (stored) return stepOutput(stored);
      const prove = proveDepsOf(d, context);
      const fired = await fireCanaries(prove, await prepareProof(prove, runId), d.timeoutMs);
      return endStep(d, "prove-fire", fired);
    });
}

export const handler = createProveFireHandler(productionProveDeps);
