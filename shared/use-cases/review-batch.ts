/**
 * The sweep-account use case: review and fix the accounts of one SQS batch, in all their
 * regions, with one ControlRun. Before any read of an account, each record must prove itself:
 *  1. Sender: SQS stamps every message with its sender's principal id (`SenderId`, which the
 *     sender cannot choose); only a session of the sweep's role (`<RoleId>:<session>`) sends
 *     genuine account messages. Any other record is dropped: logged, never reviewed, never
 *     retried (a retry would not change who sent it).
 *  2. Body: a genuine message that does not parse is a failure (retried, then dead-lettered
 *     for a person to read).
 *  3. Scope, without AWS: the account lists and exclusions of the settings. Out of scope:
 *     dropped.
 *  4. Membership: a message sent less than FRESH_MESSAGE_MS ago carries the sweep's own
 *     listing, taken moments before; an older one (a late retry, a backlog) is re-checked with
 *     Organizations (DescribeAccount: an ACTIVE member; ListParents when an OU is set). Not a
 *     member: dropped.
 *  5. One review per account: records of the batch for the same account share one review and
 *     its outcome (they succeed or fail together).
 * An account in ERROR, or a membership check that failed, is a batch item failure (retried).
 * An organization trail's chain, which every member follows, comes from the container's
 * SharedChainCache when a recent batch read it.
 */
import type { SQSRecord } from "aws-lambda";
import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import { checkMembership } from "../adapters/organization/membership-reader.ts";
import type { Settings } from "../config/settings.ts";
import { type AccountMessage, parseAccountMessage } from "../core/account-message.ts";
import { mapWithConcurrency } from "../core/concurrency.ts";
import { describeError } from "../core/describe-error.ts";
import type { AccountRef, AccountResult } from "../core/model.ts";
import { runModeOf } from "../core/run-mode.ts";
import { ControlRun } from "./review/control-run.ts";
import type { SharedChainCache } from "./review/shared-chains.ts";

/**
 * How long the sweep's listing is taken on trust: a message older than this is re-checked
 * with Organizations. One hour covers a night's queue at the default concurrency for a few
 * thousand accounts; retries (visibility timeout: one hour) always come later.
 */
export const FRESH_MESSAGE_MS = 60 * 60_000;

export interface ReviewBatchDeps {
  readonly settings: Settings;
  readonly factory: ClientFactory;
  readonly sharedChains?: SharedChainCache;
  /** Unique id of the sweep's IAM role (AROA…, CloudFormation's RoleId): its sessions send the genuine messages. */
  readonly sweepRoleId: string;
  readonly now: () => Date;
}

/** Why a record was dropped: `sender` for a message the sweep did not send. */
export type DropKind = "sender" | "scope" | "membership";

export interface RecordOutcome {
  readonly messageId: string;
  readonly receiveCount: number;
  /** Undefined when the record was dropped before its body was read, or the body did not parse. */
  readonly accountId?: string;
  readonly result?: AccountResult;
  /** The record was refused without any read: logged, not retried. */
  readonly dropped?: { readonly kind: DropKind; readonly reason: string; readonly senderId?: string };
  /** Another record of this batch for the same account, whose review this one shares. */
  readonly duplicateOf?: string;
  readonly error?: string;
  /** Report it as a batch item failure: SQS delivers it again, then dead-letters it. */
  readonly failed: boolean;
}

interface Accepted {
  readonly record: SQSRecord;
  readonly message: AccountMessage;
  readonly fresh: boolean;
}

export async function reviewBatch(records: readonly SQSRecord[], deps: ReviewBatchDeps): Promise<RecordOutcome[]> {
  if (!/^ARO[A-Z0-9]+$/.test(deps.sweepRoleId)) throw new Error(`not a role id: ${JSON.stringify(deps.sweepRoleId)}`);
  const run = new ControlRun(deps.factory, deps.settings, runModeOf("fix", deps.settings.dryRun), {
    now: deps.now,
    ...(deps.sharedChains ? { sharedChains: deps.sharedChains } : {}),
  });
  const outcomes = new Map<string, RecordOutcome>();
  const byAccount = new Map<string, Accepted[]>();
  const now = deps.now().getTime();
  for (const record of records) {
    const screened = screen(record, deps, now);
    if ("outcome" in screened) outcomes.set(record.messageId, screened.outcome);
    else {
      const group = byAccount.get(screened.message.accountId) ?? [];
      group.push(screened);
      byAccount.set(screened.message.accountId, group);
    }
  }
  await mapWithConcurrency(byAccount.values(), deps.settings.concurrency, async (group) => {
    for (const [record, outcome] of await reviewGroup(group, run, deps)) outcomes.set(record.messageId, outcome);
  });
  return records.map((r) => outcomes.get(r.messageId) ?? unreachable(r.messageId));
}

/** Steps 1 to 3: what can be decided from the record alone. */
function screen(record: SQSRecord, deps: ReviewBatchDeps, now: number): Accepted | { outcome: RecordOutcome } {
  const base = baseOf(record);
  const senderId = record.attributes?.SenderId ?? "";
  if (!senderId.startsWith(`${deps.sweepRoleId}:`)) {
    const reason = `sent by ${senderId ? JSON.stringify(senderId) : "an unknown sender"}, not by the sweep's role`;
    return { outcome: { ...base, dropped: { kind: "sender", reason, senderId }, failed: false } };
  }
  let message: AccountMessage;
  try {
    message = parseAccountMessage(record.body);
  } catch (error) {
    return { outcome: { ...base, error: (error as Error).message, failed: true } };
  }
  const outOfScope = scopeRefusal(message.accountId, deps.settings);
  if (outOfScope) {
    const dropped = { kind: "scope" as const, reason: outOfScope };
    return { outcome: { ...base, accountId: message.accountId, dropped, failed: false } };
  }
  const sent = Number(record.attributes?.SentTimestamp);
  return { record, message, fresh: Number.isFinite(sent) && now - sent < FRESH_MESSAGE_MS };
}

/** Steps 4 and 5 for the records of one account: one membership check when needed, one review. */
async function reviewGroup(
  group: readonly Accepted[],
  run: ControlRun,
  deps: ReviewBatchDeps,
): Promise<[SQSRecord, RecordOutcome][]> {
  const [first] = group;
  if (!first) return [];
  const accountId = first.message.accountId;
  const shared = (outcome: Omit<RecordOutcome, "messageId" | "receiveCount">): [SQSRecord, RecordOutcome][] =>
    group.map(({ record }) => [
      record,
      { ...baseOf(record), ...outcome, ...(record === first.record ? {} : { duplicateOf: first.record.messageId }) },
    ]);
  let account: AccountRef = { id: accountId, name: first.message.name, status: "ACTIVE" };
  if (!group.every((a) => a.fresh)) {
    try {
      const membership = await checkMembership(deps.factory.organizations(), accountId, deps.settings.ou);
      if (!membership.member)
        return shared({ accountId, dropped: { kind: "membership", reason: membership.reason }, failed: false });
      account = membership.account;
    } catch (error) {
      return shared({ accountId, error: `membership check failed: ${describeError(error)}`, failed: true });
    }
  }
  const result = await run.reviewAccount(account);
  return shared({
    accountId,
    result,
    failed: result.status === "ERROR",
    ...(result.error ? { error: result.error } : {}),
  });
}

function scopeRefusal(accountId: string, scope: Pick<Settings, "accounts" | "excludeAccounts">): string | undefined {
  if (scope.excludeAccounts.includes(accountId)) return `account ${accountId} is out of scope: it is excluded`;
  if (scope.accounts && !scope.accounts.includes(accountId)) {
    return `account ${accountId} is out of scope: it is not in the configured account list`;
  }
  return undefined;
}

function baseOf(record: SQSRecord): { messageId: string; receiveCount: number } {
  return { messageId: record.messageId, receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1) };
}

function unreachable(messageId: string): never {
  throw new Error(`record ${messageId} has no outcome`);
}

/** An account counts as fixed when at least one write was applied to it. */
export function wasFixed(result: AccountResult): boolean {
  return result.actions.some((a) => a.applied);
}
