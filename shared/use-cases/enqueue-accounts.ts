/**
 * The sweep use case: one SQS message per in-scope ACTIVE account.
 *  1. Ask Organizations which organization this is; refuse to run in another one than the
 *     deployment was configured for (the bus policy would not admit its events either).
 *  2. List the accounts in scope (same listing as the CLI), page by page.
 *  3. Send one message per ACTIVE account, 10 per SendMessageBatch call, as the pages
 *     arrive: reviews start while the rest of the organization is still listed. The management
 *     account goes without delay and the others after MEMBER_DELAY_SECONDS, so a fix of an
 *     organization trail's chain usually lands before its members are judged.
 *  4. Entries SQS reports as failed are sent once more; what still fails is returned.
 */
import { DescribeOrganizationCommand, type OrganizationsClient } from "@aws-sdk/client-organizations";
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from "@aws-sdk/client-sqs";
import type { Settings } from "../config/settings.ts";
import type { AccountRef } from "../core/model.ts";
import { accountsInScope } from "../adapters/organization/accounts-reader.ts";
import type { AccountMessage } from "../core/account-message.ts";

export const MEMBER_DELAY_SECONDS = 60;
const BATCH = 10;

/** The caller's organization is not the one this deployment was configured for. */
export class OrganizationMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`this deployment is configured for organization ${expected}, but the caller is in ${actual}`);
    this.name = "OrganizationMismatchError";
  }
}

export interface EnqueueRequest {
  readonly settings: Settings;
  readonly organizations: OrganizationsClient;
  readonly sqs: Pick<SQSClient, "send">;
  readonly queueUrl: string;
  /** From the deployment; when set, the caller's organization must be this one. */
  readonly organizationId?: string;
  readonly sweepId: string;
  readonly now: () => Date;
}

export interface EnqueueSummary {
  readonly organizationId: string;
  readonly enqueued: number;
  readonly skipped: number;
  /** Accounts whose message SQS refused twice, with its reason. */
  readonly failed: readonly { readonly accountId: string; readonly reason: string }[];
}

export async function enqueueAccounts(request: EnqueueRequest): Promise<EnqueueSummary> {
  const { organizations, settings } = request;
  const organization = await organizations.send(new DescribeOrganizationCommand({}));
  const actualId = organization.Organization?.Id ?? "";
  if (request.organizationId && actualId !== request.organizationId) {
    throw new OrganizationMismatchError(request.organizationId, actualId);
  }
  const managementId = organization.Organization?.MasterAccountId;
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
    sends.push(sendWithRetry(request, accounts, managementId, requestedAt, failed));
  };
  for await (const account of accountsInScope(organizations, settings)) {
    if (account.status !== "ACTIVE") {
      skipped++;
      continue;
    }
    pending.push(account);
    if (pending.length === BATCH) flush();
  }
  if (pending.length > 0) flush();
  await Promise.all(sends);
  return { organizationId: actualId, enqueued: enqueued - failed.length, skipped, failed };
}

/** Sends one batch; entries SQS refuses are sent once more, and what still fails is recorded. */
async function sendWithRetry(
  request: EnqueueRequest,
  accounts: readonly AccountRef[],
  managementId: string | undefined,
  requestedAt: string,
  failed: { accountId: string; reason: string }[],
): Promise<void> {
  const batch = accounts.map((account, i) =>
    toEntry(account, i, account.id === managementId ? 0 : MEMBER_DELAY_SECONDS, request.sweepId, requestedAt),
  );
  let refused = await send(request, batch);
  if (refused.length > 0) {
    const retry = batch.filter((e) => refused.some((r) => r.id === e.Id));
    refused = await send(request, retry);
  }
  for (const r of refused) failed.push({ accountId: accounts[Number(r.id)]?.id ?? r.id, reason: r.reason });
}

function toEntry(account: AccountRef, index: number, delay: number, sweepId: string, requestedAt: string): SendMessageBatchRequestEntry {
  const body: AccountMessage = { version: 1, accountId: account.id, name: account.name, sweepId, requestedAt };
  return { Id: String(index), MessageBody: JSON.stringify(body), DelaySeconds: delay };
}

async function send(request: EnqueueRequest, entries: SendMessageBatchRequestEntry[]): Promise<{ id: string; reason: string }[]> {
  if (entries.length === 0) return [];
  const out = await request.sqs.send(new SendMessageBatchCommand({ QueueUrl: request.queueUrl, Entries: entries }));
  return (out.Failed ?? []).map((f) => ({ id: f.Id ?? "", reason: `${f.Code ?? "error"}: ${f.Message ?? ""}`.trim() }));
}
