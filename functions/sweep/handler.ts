/**
 * `sweep`: on the schedule, reviews the management account, then one SQS message per other
 * in-scope account (see shared/use-cases/enqueue-accounts.ts). Logs one summary that is also
 * an EMF document (AccountsEnqueued, AccountsNotEnqueued).
 */

import { SQSClient } from "@aws-sdk/client-sqs";
import middy from "@middy/core";
import type { ScheduledEvent } from "aws-lambda";
import type { CallerIdentity, ClientFactory } from "../../shared/adapters/aws/client-factory.ts";
import { productionFactory } from "../../shared/adapters/aws/production-factory.ts";
import type { Settings } from "../../shared/config/settings.ts";
import { runModeOf } from "../../shared/core/run-mode.ts";
import { enqueueAccounts } from "../../shared/use-cases/enqueue-accounts.ts";
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
  readonly sqs: Pick<SQSClient, "send">;
  readonly queueUrl: string;
  readonly organizationId?: string;
  readonly now: () => Date;
  readonly write: LogWriter;
}

/** Thrown after the summary is logged when some accounts could not be enqueued. */
export class AccountsNotEnqueuedError extends Error {
  constructor(readonly accountIds: readonly string[]) {
    super(`${accountIds.length} account(s) could not be enqueued: ${accountIds.slice(0, 10).join(", ")}`);
    this.name = "AccountsNotEnqueuedError";
  }
}

export function createSweepHandler(deps: () => SweepDeps) {
  return middy<ScheduledEvent, { enqueued: number }>()
    .use(logErrors("sweep", () => deps().write))
    .handler(async (event, context) => {
      const d = deps();
      const started = d.now();
      const summary = await enqueueAccounts({
        settings: d.settings,
        mode: runModeOf("fix", d.settings.dryRun),
        factory: d.factory(callerFromContext(context, d.settings.prefix, "sweep")),
        sqs: d.sqs,
        queueUrl: d.queueUrl,
        organizationId: d.organizationId,
        sweepId: event.id,
        now: d.now,
      });
      logSummary(d.write, {
        namespace: METRICS_NAMESPACE,
        dimensions: { Function: "sweep" },
        metrics: [
          { name: "AccountsEnqueued", unit: "Count", value: summary.enqueued },
          { name: "AccountsNotEnqueued", unit: "Count", value: summary.failed.length },
        ],
        properties: {
          level: summary.failed.length > 0 ? "ERROR" : "INFO",
          message: "sweep summary",
          sweepId: event.id,
          organizationId: summary.organizationId,
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
          durationMs: d.now().getTime() - started.getTime(),
        },
        timestamp: d.now(),
      });
      if (summary.failed.length > 0) throw new AccountsNotEnqueuedError(summary.failed.map((f) => f.accountId));
      return { enqueued: summary.enqueued };
    });
}

let production: SweepDeps | undefined;

/** Built on the first invocation and kept for the container's life. */
function productionDeps(): SweepDeps {
  if (!production) {
    const env = process.env;
    const settings = settingsFromEnvironment(env);
    production = {
      settings,
      factory: (caller) => productionFactory(settings, "sweep", caller),
      sqs: new SQSClient({ maxAttempts: settings.maxAttempts }),
      queueUrl: requiredVariable(env, "TRIPWIRE_QUEUE_URL"),
      organizationId: optionalVariable(env, "TRIPWIRE_ORGANIZATION_ID"),
      now: () => new Date(),
      write: stdoutWriter,
    };
  }
  return production;
}

export const handler = createSweepHandler(productionDeps);
