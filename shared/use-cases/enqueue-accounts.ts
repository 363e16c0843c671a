/**
 * The deployed sweep: the management account reviewed here, then one SQS message per other
 * in-scope ACTIVE account.
 *  1. Ask Organizations which organization this is; refuse to run in another one than the
 *     deployment was configured for (the bus policy would not admit its events either).
 *  2. Review (and fix) the account that owns organization trails first, the same way the CLI
 *     does (review/owner-first.ts), so members that follow its chain are judged after its fix.
 *  3. List the accounts in scope (same listing as the CLI), page by page, and send one message
 *     per other ACTIVE account, 10 per SendMessageBatch call, as the pages arrive.
 *  4. Entries SQS reports as failed are sent once more; what still fails is returned.
 */
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from "@aws-sdk/client-sqs";
import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import { accountsInScope } from "../adapters/organization/accounts-reader.ts";
import type { Settings } from "../config/settings.ts";
import type { AccountMessage } from "../core/account-message.ts";
import type { AccountRef, AccountResult, RunMode } from "../core/model.ts";
import { ControlRun } from "./review/control-run.ts";
import { reviewOwnerFirst } from "./review/owner-first.ts";

const BATCH = 10;

export interface EnqueueRequest {
  readonly settings: Settings;
  readonly mode: RunMode;
  readonly factory: ClientFactory;
  readonly sqs: Pick<SQSClient, "send">;
  readonly queueUrl: string;
  /** From the deployment; when set, the caller's organization must be this one. */
  readonly organizationId?: string;
  readonly sweepId: string;
  readonly now: () => Date;
}

export interface EnqueueSummary {
  readonly organizationId: string;
  /** The management account's review, done by the sweep itself. */
  readonly owner?: AccountResult;
  readonly enqueued: number;
  readonly skipped: number;
  /** Accounts whose message SQS refused twice, with its reason. */
  readonly failed: readonly { readonly accountId: string; readonly reason: string }[];
}

export async function enqueueAccounts(request: EnqueueRequest): Promise<EnqueueSummary> {
  const { settings, factory } = request;
  const run = new ControlRun(factory, settings, request.mode);
  const { organizationId, owner } = await reviewOwnerFirst(run, request.organizationId);
  const requestedAt = request.now().toISOString();
  const failed: { accountId: string; reason: string }[] = [];
  const sends: Promise<void>[] = [];
  let pending: AccountRef[] = [];
  let enqueued = 0;
  let skipped = 0;
  const flush = () => {
    const accounts = pending;
    pending = [];
    enqueued += accounts.length;
    sends.push(sendWithRetry(request, accounts, requestedAt, failed));
  };
  for await (const account of accountsInScope(factory.organizations(), settings)) {
    if (account.status !== "ACTIVE") {
      skipped++;
      continue;
    }
    if (account.id === owner?.accountId) continue;
    pending.push(account);
    if (pending.length === BATCH) flush();
  }
  if (pending.length > 0) flush();
  await Promise.all(sends);
  return { organizationId, ...(owner ? { owner } : {}), enqueued: enqueued - failed.length, skipped, failed };
}

/** Sends one batch; entries SQS refuses are sent once more, and what still fails is recorded. */
async function sendWithRetry(
  request: EnqueueRequest,
  accounts: readonly AccountRef[],
  requestedAt: string,
  failed: { accountId: string; reason: string }[],
): Promise<void> {
  const batch = accounts.map((account, i) => toEntry(account, i, request.sweepId, requestedAt));
  let refused = await send(request, batch);
  if (refused.length > 0) {
    const retry = batch.filter((e) => refused.some((r) => r.id === e.Id));
    refused = await send(request, retry);
  }
  for (const r of refused) failed.push({ accountId: accounts[Number(r.id)]?.id ?? r.id, reason: r.reason });
}

function toEntry(
  account: AccountRef,
  index: number,
  sweepId: string,
  requestedAt: string,
): SendMessageBatchRequestEntry {
  const body: AccountMessage = { version: 1, accountId: account.id, name: account.name, sweepId, requestedAt };
  return { Id: String(index), MessageBody: JSON.stringify(body) };
}

async function send(
  request: EnqueueRequest,
  entries: SendMessageBatchRequestEntry[],
): Promise<{ id: string; reason: string }[]> {
  if (entries.length === 0) return [];
  const out = await request.sqs.send(new SendMessageBatchCommand({ QueueUrl: request.queueUrl, Entries: entries }));
  return (out.Failed ?? []).map((f) => ({ id: f.Id ?? "", reason: `${f.Code ?? "error"}: ${f.Message ?? ""}`.trim() }));
}
