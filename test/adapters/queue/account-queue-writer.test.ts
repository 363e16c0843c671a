/** The account queue writer, against a mocked SQS client. */
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { sendAccountMessages } from "../../../shared/adapters/queue/account-queue-writer.ts";
import type { AccountMessage } from "../../../shared/core/account-message.ts";

const sqsMock = mockClient(SQSClient);
const sqs = new SQSClient({ region: "us-east-1" });
const QUEUE = "https://sqs.us-east-1.amazonaws.com/111111111111/tripwire-prod-accounts";
const message = (accountId: string): AccountMessage => ({
  version: 1,
  accountId,
  name: "workload",
  sweepId: "s-1",
  requestedAt: "2025-03-05T02:00:01.000Z",
});

beforeEach(() => sqsMock.reset());

describe("sendAccountMessages", () => {
  it("sends each message as one entry of a single SendMessageBatch", async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await sendAccountMessages(sqs, QUEUE, [message("222233334444"), message("333344445555")]);
    const entries = sqsMock.commandCalls(SendMessageBatchCommand)[0]?.args[0].input.Entries ?? [];
    expect(entries.map((e) => JSON.parse(e.MessageBody ?? "").accountId)).toEqual(["222233334444", "333344445555"]);
  });

  it("returns the refused entries by account, with SQS's code and message", async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: "0", MessageId: "m", MD5OfMessageBody: "x" }],
      Failed: [{ Id: "1", Code: "InternalError", Message: "try again", SenderFault: false }],
    });
    const refused = await sendAccountMessages(sqs, QUEUE, [message("222233334444"), message("333344445555")]);
    expect(refused).toEqual([{ accountId: "333344445555", reason: "InternalError: try again" }]);
  });

  it("throws when the call itself fails", async () => {
    sqsMock.on(SendMessageBatchCommand).rejects(new Error("socket hang up"));
    await expect(sendAccountMessages(sqs, QUEUE, [message("222233334444")])).rejects.toThrow("socket hang up");
  });

  it("refuses more than ten messages, which SQS would reject", async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => message(String(222233334400 + i)));
    await expect(sendAccountMessages(sqs, QUEUE, eleven)).rejects.toThrow(/at most 10/);
  });
});
