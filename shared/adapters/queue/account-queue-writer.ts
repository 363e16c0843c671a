/** Sends account messages to the account queue: one SendMessageBatch of at most 10. */
import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { AccountMessage } from "../../core/account-message.ts";

/** SQS takes at most 10 entries per SendMessageBatch. */
export const MAX_BATCH = 10;

export interface Refusal {
  readonly accountId: string;
  readonly reason: string;
}

/**
 * Sends the messages in one call; returns the entries SQS refused (a batch call succeeds as a
 * whole but may refuse some entries). A call that fails (throttled beyond the SDK's retries,
 * denied, timed out) throws: nothing can be said about its entries.
 */
export async function sendAccountMessages(
  sqs: Pick<SQSClient, "send">,
  queueUrl: string,
  messages: readonly AccountMessage[],
): Promise<readonly Refusal[]> {
  if (messages.length === 0) return [];
  if (messages.length > MAX_BATCH)
    throw new RangeError(`at most ${MAX_BATCH} messages per batch, not ${messages.length}`);
  const out = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: messages.map((m, i) => ({ Id: String(i), MessageBody: JSON.stringify(m) })),
    }),
  );
  return (out.Failed ?? []).map((f) => ({
    accountId: messages[Number(f.Id)]?.accountId ?? `entry ${f.Id}`,
    reason: `${f.Code ?? "error"}: ${f.Message ?? ""}`.trim().replace(/:$/, ""),
  }));
}
