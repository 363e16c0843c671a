/**
 * `sweep`: on the schedule, one SQS message per in-scope account (see enqueue-accounts.ts).
 * Logs one summary that is also an EMF document (AccountsEnqueued, AccountsNotEnqueued).
 */
import middy from "@middy/core";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { ScheduledEvent } from "aws-lambda";
import type { Settings } from "../../shared/config/settings.ts";
import { METRICS_NAMESPACE, optionalVariable, requiredVariable, settingsFromEnvironment } from "../runtime/environment.ts";
import { logErrors } from "../runtime/log-errors.ts";
import { logSummary, stdoutWriter, type LogWriter } from "../runtime/log.ts";
import { enqueueAccounts } from "../../shared/use-cases/enqueue-accounts.ts";

export interface SweepDeps {
  readonly settings: Settings;
  readonly organizations: OrganizationsClient;
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
    .handler(async (event) => {
      const d = deps();
      const started = d.now();
      const summary = await enqueueAccounts({
        settings: d.settings,
        organizations: d.organizations,
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
      organizations: new OrganizationsClient({ region: settings.homeRegion, maxAttempts: settings.maxAttempts }),
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
