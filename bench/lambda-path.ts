/**
 * The deployed sweep, in process: the real `sweep` handler (DescribeOrganization, the account
 * listing, SendMessageBatch of 10) into an in-memory queue, and the real `sweep-account`
 * handler consuming it in SQS batches, C accounts in flight (C / batch size handlers at once).
 *  - The queue stands in for SQS: SendMessageBatch costs no modelled latency (it is not one of
 *    the control's APIs) and messages are visible at once. The sweep's progress record is kept
 *    in memory, at no modelled latency either.
 *  - The sweep reviews the management account itself, then enqueues the members.
 *  - Each batch gets a fresh ClientFactory and ControlRun, as the handler builds them; each
 *    consumer is one container, with its own organization-trail chain cache and client pool.
 * Scan is the handler in dry-run (TRIPWIRE_DRY_RUN): it plans and writes nothing.
 */
import type { SendMessageBatchRequestEntry } from "@aws-sdk/client-sqs";
import type { Context, ScheduledEvent, SQSEvent, SQSRecord } from "aws-lambda";
import { createSweepHandler } from "../functions/sweep/handler.ts";
import { createSweepAccountHandler, SHARED_CHAIN_TTL_MS } from "../functions/sweep-account/handler.ts";
import type { CallerIdentity, ClientFactory } from "../shared/adapters/aws/client-factory.ts";
import { ClientPool } from "../shared/adapters/aws/client-pool.ts";
import type { Settings } from "../shared/config/settings.ts";
import type { AccountMessage } from "../shared/core/account-message.ts";
import type { SweepProgress } from "../shared/core/sweep-progress.ts";
import { SharedChainCache } from "../shared/use-cases/review/shared-chains.ts";

export interface LambdaPathOptions {
  readonly settings: Settings;
  /**
   * A fresh factory (one per batch, one for the sweep); `caller` as the handler reads it from
   * its ARN; `clientPool` the container's, as the deployed handler keeps one.
   */
  readonly factory: (caller?: CallerIdentity, clientPool?: ClientPool) => ClientFactory;
  /** Accounts in flight across all handlers. */
  readonly concurrency: number;
  /** SQS batch size of the sweep-account event source (serverless.yml: 5). */
  readonly batchSize: number;
  readonly managementAccountId: string;
  /** Told the accounts of each batch, as the queue hands them out (for the lower bound's T_batch). */
  readonly onBatch?: (accountIds: readonly string[]) => void;
}

/** The sweep role's unique id, as CloudFormation would give it to sweep-account. */
const SWEEP_ROLE_ID = "AROABENCHSWEEPROLE00";

interface SummaryLine {
  readonly management?: { readonly accountId: string; readonly status: string };
  readonly accounts?: readonly { readonly accountId?: string; readonly status: string; readonly applied?: number }[];
}

/** What the handlers' summary lines say of one account. */
export interface AccountOutcome {
  readonly status: string;
  /** Writes applied to it (0 in a scan). The sweep's line does not say it for the management account. */
  readonly applied: number;
}
/** The invocation context of a deployed function: its ARN tells the handler who it is. */
function contextFor(managementAccountId: string, fn: string): Context {
  return {
    functionName: `tripwire-prod-${fn}`,
    awsRequestId: "bench",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${managementAccountId}:function:tripwire-prod-${fn}`,
  } as unknown as Context;
}

/** Runs the sweep and the account queue to the end; returns each account's outcome, from the handlers' summary lines. */
export async function runLambdaSweep(options: LambdaPathOptions): Promise<Map<string, AccountOutcome>> {
  const visible: SendMessageBatchRequestEntry[] = [];
  let producing = true;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };

  const queue = async (messages: readonly AccountMessage[]) => {
    visible.push(...messages.map((m) => ({ Id: m.accountId, MessageBody: JSON.stringify(m) })));
    notify();
    return [];
  };
  // The progress record stays in memory (the bench measures the control's APIs, not S3).
  const records = new Map<string, SweepProgress>();
  const statuses = new Map<string, AccountOutcome>();
  const collect = (line: string) => {
    const summary = JSON.parse(line) as SummaryLine;
    if (summary.management)
      statuses.set(summary.management.accountId, { status: summary.management.status, applied: 0 });
    for (const a of summary.accounts ?? [])
      if (a.accountId) statuses.set(a.accountId, { status: a.status, applied: a.applied ?? 0 });
  };
  const sweep = createSweepHandler(() => ({
    settings: options.settings,
    factory: options.factory,
    queue,
    progress: { read: async (id) => records.get(id), write: async (p) => void records.set(p.sweepId, p) },
    now: () => new Date(),
    write: collect,
  }));
  // One handler per consumer, as one Lambda container: its organization-trail chain cache
  // lives as long as the container, as the deployed handler's does.
  const sweepAccountContainer = () => {
    const clientPool = new ClientPool();
    const deps = {
      settings: options.settings,
      factory: (caller?: CallerIdentity) => options.factory(caller, clientPool),
      sharedChains: new SharedChainCache(SHARED_CHAIN_TTL_MS),
      sweepRoleId: SWEEP_ROLE_ID,
      now: () => new Date(),
      write: collect,
    };
    return createSweepAccountHandler(() => deps);
  };
  const sweepContext = contextFor(options.managementAccountId, "sweep");
  const sweepAccountContext = contextFor(options.managementAccountId, "sweepAccount");

  let nextId = 0;
  const take = async (): Promise<SendMessageBatchRequestEntry[] | undefined> => {
    for (;;) {
      if (visible.length > 0) return visible.splice(0, options.batchSize);
      if (!producing) return undefined;
      await new Promise<void>((resolve) => {
        const previous = wake;
        wake = () => {
          previous?.();
          resolve();
        };
      });
    }
  };
  const consumer = async () => {
    const sweepAccount = sweepAccountContainer();
    for (let batch = await take(); batch; batch = await take()) {
      options.onBatch?.(batch.map((e) => e.Id ?? ""));
      const records = batch.map(
        (e) =>
          ({
            messageId: `m-${nextId++}`,
            body: e.MessageBody ?? "",
            // SQS stamps the sender: here, as deployed, a session of the sweep's role.
            attributes: {
              ApproximateReceiveCount: "1",
              SenderId: `${SWEEP_ROLE_ID}:tripwire-prod-sweep`,
              SentTimestamp: String(Date.now()),
            },
          }) as unknown as SQSRecord,
      );
      await sweepAccount({ Records: records } as SQSEvent, sweepAccountContext);
    }
  };
  const handlers = Math.max(1, Math.floor(options.concurrency / options.batchSize));
  const consumers = Array.from({ length: handlers }, consumer);
  await sweep({ id: "bench-sweep" } as ScheduledEvent, sweepContext);
  producing = false;
  notify();
  await Promise.all(consumers);
  return statuses;
}
