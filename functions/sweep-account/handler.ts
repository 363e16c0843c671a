/**
 * `sweep-account`: consumes the account queue; checks that each message is the sweep's and
 * its account in scope (shared/use-cases/review-batch.ts), fixes each account of the batch
 * once, in all its regions, and reports the failed records (SQS partial batch response), so
 * only those are retried and, after maxReceiveCount receives, dead-lettered. Dropped records
 * (not the sweep's, or out of scope) are logged and deleted. One summary line per batch, also
 * an EMF document: AccountsSwept, AccountsCompliant, AccountsFixed, AccountsErrored,
 * MessagesDropped, MessagesFromUnknownSenders.
 */
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { CallerIdentity, ClientFactory } from "../../shared/adapters/aws/client-factory.ts";
import { ClientPool } from "../../shared/adapters/aws/client-pool.ts";
import { productionFactory } from "../../shared/adapters/aws/production-factory.ts";
import type { Settings } from "../../shared/config/settings.ts";
import { SharedChainCache } from "../../shared/use-cases/review/shared-chains.ts";
import { reviewBatch, wasFixed } from "../../shared/use-cases/review-batch.ts";
import { callerFromContext } from "../runtime/client-factory.ts";
import { METRICS_NAMESPACE, requiredVariable, settingsFromEnvironment } from "../runtime/environment.ts";
import { type LogWriter, logSummary, stdoutWriter } from "../runtime/log.ts";
import { logErrors } from "../runtime/log-errors.ts";

export interface SweepAccountDeps {
  readonly settings: Settings;
  /**
   * A factory per batch: credentials are cached per run, and a run is one batch. Closed after
   * the batch; its clients go back to the container's pool (productionDeps), if it has one.
   */
  readonly factory: (caller?: CallerIdentity) => ClientFactory;
  /** Organization-trail chains kept by the container across batches (a short time to live). */
  readonly sharedChains?: SharedChainCache;
  /** Unique id of the sweep's role (TRIPWIRE_SWEEP_ROLE_ID): only its sessions' messages are reviewed. */
  readonly sweepRoleId: string;
  readonly now: () => Date;
  readonly write: LogWriter;
}

export function createSweepAccountHandler(deps: () => SweepAccountDeps) {
  return middy<SQSEvent, SQSBatchResponse>()
    .use(logErrors("sweep-account", () => deps().write))
    .handler(async (event, context) => {
      const d = deps();
      const caller = callerFromContext(context, d.settings.prefix, "sweep-account");
      const started = d.now();
      const factory = d.factory(caller);
      const outcomes = await reviewBatch(event.Records, {
        settings: d.settings,
        factory,
        ...(d.sharedChains ? { sharedChains: d.sharedChains } : {}),
        sweepRoleId: d.sweepRoleId,
        now: d.now,
      })
        // The batch is over: its clients go back to the container's pool for the next one.
        .finally(() => factory.close());
      // One result per account reviewed: the records that shared a review count once.
      const results = outcomes.flatMap((o) => (o.result && !o.duplicateOf ? [o.result] : []));
      const failures = outcomes.filter((o) => o.failed);
      const dropped = outcomes.filter((o) => o.dropped);
      logSummary(d.write, {
        namespace: METRICS_NAMESPACE,
        dimensions: { Function: "sweep-account" },
        metrics: [
          { name: "AccountsSwept", unit: "Count", value: results.length },
          { name: "AccountsCompliant", unit: "Count", value: results.filter((r) => r.status === "COMPLIANT").length },
          { name: "AccountsFixed", unit: "Count", value: results.filter(wasFixed).length },
          { name: "AccountsErrored", unit: "Count", value: failures.length },
          { name: "MessagesDropped", unit: "Count", value: dropped.length },
          {
            name: "MessagesFromUnknownSenders",
            unit: "Count",
            value: dropped.filter((o) => o.dropped?.kind === "sender").length,
          },
        ],
        properties: {
          level: failures.length > 0 || dropped.length > 0 ? "WARN" : "INFO",
          message: "sweep-account summary",
          dryRun: d.settings.dryRun,
          durationMs: d.now().getTime() - started.getTime(),
          accounts: outcomes.map((o) => ({
            messageId: o.messageId,
            receiveCount: o.receiveCount,
            accountId: o.accountId,
            status: o.result?.status ?? (o.dropped ? "DROPPED" : o.accountId ? "ERROR" : "MALFORMED_MESSAGE"),
            findings: o.result?.findings.map((f) => f.code) ?? [],
            applied: o.duplicateOf ? 0 : (o.result?.actions.filter((a) => a.applied).length ?? 0),
            // What satisfied the control (or the part of the chain that holds), and an exemption.
            ...(o.result && !o.duplicateOf ? { evidence: o.result.evidence } : {}),
            ...(o.result?.exemption ? { exemption: o.result.exemption } : {}),
            ...(o.duplicateOf ? { duplicateOf: o.duplicateOf } : {}),
            ...(o.dropped ? { dropped: o.dropped } : {}),
            ...(o.error ? { error: o.error } : {}),
          })),
        },
        timestamp: d.now(),
      });
      return { batchItemFailures: failures.map((f) => ({ itemIdentifier: f.messageId })) };
    });
}

/**
 * How long a container trusts an organization trail's chain read by an earlier batch: every
 * member of a sweep follows that one chain, and re-reading it per batch of 5 would spend the
 * management account's API quota (the scale benchmark showed thousands of calls and
 * throttling). The management account's own batch always reads it fresh, and the sweep sends
 * members a minute after it.
 */
export const SHARED_CHAIN_TTL_MS = 5 * 60_000;

let production: SweepAccountDeps | undefined;

function productionDeps(): SweepAccountDeps {
  if (!production) {
    const settings = settingsFromEnvironment(process.env);
    // The container's SDK clients, handed from one batch's accounts to the next (client-pool.ts).
    const clientPool = new ClientPool();
    production = {
      settings,
      factory: (caller) => productionFactory(settings, "sweep", caller, clientPool),
      sharedChains: new SharedChainCache(SHARED_CHAIN_TTL_MS),
      sweepRoleId: requiredVariable(process.env, "TRIPWIRE_SWEEP_ROLE_ID"),
      now: () => new Date(),
      write: stdoutWriter,
    };
  }
  return production;
}

export const handler = createSweepAccountHandler(productionDeps);
