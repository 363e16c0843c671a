/**
 * What the two steps of the deployed proof share (functions/prove-fire, functions/prove-check):
 * their dependencies, the run state kept in the records bucket between steps, the step's
 * output the state machine's Choice reads, and the summary line each step logs.
 */
import { NoSuchKey, S3Client } from "@aws-sdk/client-s3";
import type { Context } from "aws-lambda";
import type { CallerIdentity, ClientFactory } from "../../shared/adapters/aws/client-factory.ts";
import { productionFactory } from "../../shared/adapters/aws/production-factory.ts";
import { readProofRun, writeProofRecord, writeProofRun } from "../../shared/adapters/records/proof-record-writer.ts";
import type { Settings } from "../../shared/config/settings.ts";
import type { Clock } from "../../shared/core/clock.ts";
import { DURATION_FORM, parseDuration } from "../../shared/core/duration.ts";
import { isRunning, type ProofRun } from "../../shared/core/proof-run.ts";
import {
  DEFAULT_PROVE_TIMEOUT_MS,
  type ProofRecordSink,
  type ProveDeps,
  recordEnded,
} from "../../shared/use-cases/prove.ts";
import { callerFromContext } from "./client-factory.ts";
import { METRICS_NAMESPACE, optionalVariable, requiredVariable, settingsFromEnvironment } from "./environment.ts";
import { type LogWriter, logSummary, stdoutWriter } from "./log.ts";

/** Seconds the state machine waits between two checks (its Wait state reads it from the output). */
export const CHECK_INTERVAL_SECONDS = 60;

export interface ProveStepDeps {
  readonly settings: Settings;
  readonly factory: (caller?: CallerIdentity) => ClientFactory;
  /** The run's state between the steps; `read` answers undefined for a run never stored. */
  readonly runs: { read(runId: string): Promise<ProofRun | undefined>; write(run: ProofRun): Promise<void> };
  readonly records: ProofRecordSink;
  readonly timeoutMs: number;
  readonly now: () => Date;
  readonly write: LogWriter;
}

/** What a step returns to the state machine. */
export interface ProveStepOutput {
  readonly runId: string;
  /** Every proof has ended: the state machine stops. */
  readonly done: boolean;
  readonly waitSeconds: number;
  readonly running: number;
}

/** The input a step takes: the run's id (the state machine's execution name). */
export interface ProveStepInput {
  readonly runId?: string;
}

const RUN_ID = /^[\w.-]{1,80}$/;

export function runIdOf(event: ProveStepInput | undefined, fallback: string | undefined): string {
  if (event?.runId !== undefined && RUN_ID.test(event.runId)) return event.runId;
  if (event?.runId !== undefined)
    throw new Error(`runId ${JSON.stringify(event.runId).slice(0, 90)} is not 1 to 80 of [A-Za-z0-9_.-]`);
  if (fallback && RUN_ID.test(fallback)) return fallback;
  return `local-${Date.now()}`;
}

/** A step's clock: the time, and no sleep at all (the state machine's Wait state does the waiting). */
export function stepClock(now: () => Date): Clock {
  return {
    now,
    sleep: () => Promise.reject(new Error("a deployed proof step never sleeps: the state machine waits")),
  };
}

/** What the prove use case needs in a step: the settings, a factory of the function's own identity, the step clock. */
export function proveDepsOf(d: ProveStepDeps, context: Partial<Context>): ProveDeps {
  return {
    settings: d.settings,
    factory: d.factory(callerFromContext(context, d.settings.prefix, "prove")),
    clock: stepClock(d.now),
  };
}

export function stepOutput(run: ProofRun): ProveStepOutput {
  const running = run.accounts.filter(isRunning).length;
  return { runId: run.runId, done: running === 0, waitSeconds: CHECK_INTERVAL_SECONDS, running };
}

/**
 * How both steps end: the records of the proofs that ended written, the run's state stored,
 * the summary logged; then the first record that failed to be written fails the step (the state
 * machine retries it), or the output says whether to wait and check again.
 */
export async function endStep(d: ProveStepDeps, step: ProveStep, advanced: ProofRun): Promise<ProveStepOutput> {
  const { run, error } = await recordEnded(advanced, d.records, d.settings.concurrency);
  await d.runs.write(run);
  logStep(d.write, step, run, d.now());
  if (error !== undefined) throw error;
  return stepOutput(run);
}

type ProveStep = "prove-fire" | "prove-check";

function logStep(write: LogWriter, step: ProveStep, run: ProofRun, now: Date) {
  const count = (status: string) => run.accounts.filter((a) => a.status === status).length;
  logSummary(write, {
    namespace: METRICS_NAMESPACE,
    dimensions: { Function: step },
    metrics: [
      { name: "AccountsProven", unit: "Count", value: count("PROVEN") },
      { name: "AccountsNotProven", unit: "Count", value: count("FAILED") + count("ERROR") },
    ],
    properties: {
      level: "INFO",
      message: `${step} summary`,
      runId: run.runId,
      deadline: run.deadline,
      running: count("RUNNING"),
      failed: run.accounts
        .filter((a) => a.status === "FAILED" || a.status === "ERROR")
        .map((a) => ({ accountId: a.accountId, status: a.status, failedHop: a.failedHop, reason: a.reason })),
      skipped: count("SKIPPED"),
    },
    timestamp: now,
  });
}

let production: ProveStepDeps | undefined;

/** Built on the first invocation and kept for the container's life. */
export function productionProveDeps(): ProveStepDeps {
  if (!production) {
    const env = process.env;
    const settings = settingsFromEnvironment(env);
    const s3 = productionFactory(settings, "prove").caller(S3Client);
    const bucket = requiredVariable(env, "TRIPWIRE_RECORDS_BUCKET");
    const timeoutText = optionalVariable(env, "TRIPWIRE_PROVE_TIMEOUT");
    const timeoutMs = timeoutText === undefined ? DEFAULT_PROVE_TIMEOUT_MS : parseDuration(timeoutText);
    if (timeoutMs === undefined)
      throw new Error(`TRIPWIRE_PROVE_TIMEOUT ${JSON.stringify(timeoutText)} is not ${DURATION_FORM}`);
    production = {
      settings,
      factory: (caller) => productionFactory(settings, "prove", caller),
      runs: {
        read: async (runId) => {
          try {
            return await readProofRun(s3, bucket, runId);
          } catch (error) {
            if (error instanceof NoSuchKey || (error as Error).name === "NoSuchKey") return undefined;
            throw error;
          }
        },
        write: (run) => writeProofRun(s3, bucket, run),
      },
      records: (record) => writeProofRecord(s3, bucket, "", record),
      timeoutMs,
      now: () => new Date(),
      write: stdoutWriter,
    };
  }
  return production;
}
