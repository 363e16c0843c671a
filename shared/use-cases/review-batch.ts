/**
 * The sweep-account use case: review and fix the accounts of one SQS batch, in all their
 * regions, with one ControlRun. An organization trail's chain, which every member follows,
 * comes from the container's SharedChainCache when a recent batch read it.
 * Each record stands alone: a poison message or an account in ERROR becomes a batch item
 * failure (retried, then dead-lettered), and never blocks the other records.
 */
import type { SQSRecord } from "aws-lambda";
import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import type { Settings } from "../config/settings.ts";
import { type AccountMessage, parseAccountMessage } from "../core/account-message.ts";
import { mapWithConcurrency } from "../core/concurrency.ts";
import type { AccountResult } from "../core/model.ts";
import { runModeOf } from "../core/run-mode.ts";
import { ControlRun } from "./review/control-run.ts";
import type { SharedChainCache } from "./review/shared-chains.ts";

export interface RecordOutcome {
  readonly messageId: string;
  readonly receiveCount: number;
  /** Undefined for a message that did not parse. */
  readonly result?: AccountResult;
  readonly error?: string;
  readonly failed: boolean;
}

export async function reviewBatch(
  records: readonly SQSRecord[],
  deps: { readonly settings: Settings; readonly factory: ClientFactory; readonly sharedChains?: SharedChainCache },
): Promise<RecordOutcome[]> {
  const run = new ControlRun(
    deps.factory,
    deps.settings,
    runModeOf("fix", deps.settings.dryRun),
    deps.sharedChains ? { sharedChains: deps.sharedChains } : {},
  );
  return mapWithConcurrency(records, deps.settings.concurrency, async (record): Promise<RecordOutcome> => {
    const base = { messageId: record.messageId, receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1) };
    let message: AccountMessage;
    try {
      message = parseAccountMessage(record.body);
    } catch (error) {
      return { ...base, error: (error as Error).message, failed: true };
    }
    const result = await run.reviewAccount({ id: message.accountId, name: message.name, status: "ACTIVE" });
    return { ...base, result, failed: result.status === "ERROR", ...(result.error ? { error: result.error } : {}) };
  });
}

/** An account counts as fixed when at least one write was applied to it. */
export function wasFixed(result: AccountResult): boolean {
  return result.actions.some((a) => a.applied);
}
