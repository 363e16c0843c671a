/**
 * `sweep`: on the schedule, reviews the management account, then one SQS message per other
 * in-scope account (see shared/use-cases/enqueue-accounts.ts), keeping a progress record in
 * the records bucket so that Lambda's retries of a failed sweep send only what is left. Logs
 * one summary that is also an EMF document (AccountsEnqueued, AccountsNotEnqueued), then fails
 * when the sweep stopped early or some accounts could not be enqueued: Lambda retries it
 * (maximumRetryAttempts), then sends the event to the sweep's failure destination.
 */

import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import middy from "@middy/core";
import type { Context, ScheduledEvent } from "aws-lambda";
import type { CallerIdentity, ClientFactory } from "../../shared/adapters/aws/client-factory.ts";
import { productionFactory } from "../../shared/adapters/aws/production-factory.ts";
import { sendAccountMessages } from "../../shared/adapters/queue/account-queue-writer.ts";
import { readSweepProgress } from "../../shared/adapters/records/sweep-progress-reader.ts";
import { writeSweepProgress } from "../../shared/adapters/records/sweep-progress-writer.ts";
import type { Settings } from "../../shared/config/settings.ts";
import { runModeOf } from "../../shared/core/run-mode.ts";
import { isSweepId, type SweepProgressStore } from "../../shared/core/sweep-progress.ts";
import { type AccountQueue, enqueueAccounts } from "../../shared/use-cases/enqueue-accounts.ts";
import { callerFromContext } from "../runtime/client-factory.ts";
import {
  METRICS_NAMESPACE,
  optionalVariable,
  requiredVariable,
  settingsFromEnvironment,
} from "../runtime/environment.ts";
import { type LogWriter, logSummary, stdoutWriter } from "../runtime/log.ts";
import { logErrors } from "../runtime/log-errors.ts";

export interface SweepDeps {
  readonly settings: Settings;
  /** The engine's client factory (Organizations, and the management account's review). */
  readonly factory: (caller?: CallerIdentity) => ClientFactory;
  readonly queue: AccountQueue;
  readonly progress: SweepProgressStore;
  readonly organizationId?: string;
  readonly now: () => Date;
  readonly write: LogWriter;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Thrown after the summary is logged when some accounts could not be enqueued. */
export class AccountsNotEnqueuedError extends Error {
  constructor(readonly accountIds: readonly string[]) {
    super(`${accountIds.length} account(s) could not be enqueued: ${accountIds.slice(0, 10).join(", ")}`);
    this.name = "AccountsNotEnqueuedError";
  }
}

/** Thrown after the summary is logged when the sweep stopped before the end of the listing. */
export class SweepStoppedError extends Error {
  constructor(reason: string, error?: string) {
    super(
      `the sweep stopped early (${reason}${error ? `: ${error}` : ""}); a retry continues from its progress record`,
    );
    this.name = "SweepStoppedError";
  }
}

export function createSweepHandler(deps: () => SweepDeps) {
  return middy<ScheduledEvent, { enqueued: number }>()
    .use(logErrors("sweep", () => deps().write))
    .handler(async (event, context) => {
      const d = deps();
      const started = d.now();
      const sweepId = sweepIdOf(event, context);
      const summary = await enqueueAccounts({
        settings: d.settings,
        mode: runModeOf("fix", d.settings.dryRun),
        factory: d.factory(callerFromContext(context, d.settings.prefix, "sweep")),
        queue: d.queue,
        progress: d.progress,
        organizationId: d.organizationId,
        sweepId,
        now: d.now,
        ...(typeof context?.getRemainingTimeInMillis === "function"
          ? { remainingMs: () => context.getRemainingTimeInMillis() }
          : {}),
        ...(d.sleep ? { sleep: d.sleep } : {}),
      });
      const trouble = summary.failed.length > 0 || summary.stopped !== undefined || summary.progressError;
      logSummary(d.write, {
        namespace: METRICS_NAMESPACE,
        dimensions: { Function: "sweep" },
        metrics: [
          { name: "AccountsEnqueued", unit: "Count", value: summary.enqueued },
          { name: "AccountsNotEnqueued", unit: "Count", value: summary.failed.length },
        ],
        properties: {
          level: trouble ? "ERROR" : "INFO",
          message: "sweep summary",
          sweepId,
          attempt: summary.attempt,
          complete: summary.complete,
          ...(summary.stopped ? { stopped: summary.stopped } : {}),
          ...(summary.organizationId ? { organizationId: summary.organizationId } : {}),
          alreadySent: summary.alreadySent,
          skippedAccounts: summary.skipped,
          ...(summary.owner
            ? {
                management: {
                  accountId: summary.owner.accountId,
                  status: summary.owner.status,
                  findings: summary.owner.findings.map((f) => f.code),
                },
              }
            : {}),
          failed: summary.failed,
          ...(summary.progressError ? { progressError: summary.progressError } : {}),
          durationMs: d.now().getTime() - started.getTime(),
        },
        timestamp: d.now(),
      });
      if (summary.stopped) throw new SweepStoppedError(summary.stopped.reason, summary.stopped.error);
      if (summary.failed.length > 0) throw new AccountsNotEnqueuedError(summary.failed.map((f) => f.accountId));
      return { enqueued: summary.enqueued };
    });
}

/**
 * The scheduled event's id, which Lambda's retries of the event keep; a hand-made invocation
 * without one gets its request id (also kept by Lambda's retries).
 */
function sweepIdOf(event: Partial<ScheduledEvent> | undefined, context: Partial<Context> | undefined): string {
  if (isSweepId(event?.id)) return event.id;
  if (isSweepId(context?.awsRequestId)) return context.awsRequestId;
  return `local-${Date.now()}`;
}

let production: SweepDeps | undefined;

/** Built on the first invocation and kept for the container's life. */
function productionDeps(): SweepDeps {
  if (!production) {
    const env = process.env;
    const settings = settingsFromEnvironment(env);
    // Through the engine's factory: the same call timeouts, retries and call naming.
    const own = productionFactory(settings, "sweep");
    const sqs = own.caller(SQSClient);
    const s3 = own.caller(S3Client);
    const queueUrl = requiredVariable(env, "TRIPWIRE_QUEUE_URL");
    const bucket = requiredVariable(env, "TRIPWIRE_RECORDS_BUCKET");
    production = {
      settings,
      factory: (caller) => productionFactory(settings, "sweep", caller),
      queue: (messages) => sendAccountMessages(sqs, queueUrl, messages),
      progress: {
        read: (sweepId) => readSweepProgress(s3, bucket, sweepId),
        write: (progress) => writeSweepProgress(s3, bucket, progress),
      },
      organizationId: optionalVariable(env, "TRIPWIRE_ORGANIZATION_ID"),
      now: () => new Date(),
      write: stdoutWriter,
    };
  }
  return production;
}

export const handler = createSweepHandler(productionDeps);
