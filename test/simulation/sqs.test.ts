import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { beforeEach, describe, expect, it } from "vitest";
import { createSimulatedOrganization, type SimulatedOrganization } from "../../shared/simulation/index.ts";
import { rejectionOf } from "../support/simulation-harness.ts";

const REGION = "us-east-1";

let org: SimulatedOrganization;
let sqs: SQSClient;

beforeEach(() => {
  org = createSimulatedOrganization({ regions: [REGION] });
  sqs = sqsClientFor(org.managementAccountId);
});

function sqsClientFor(accountId: string): SQSClient {
  const client = new SQSClient({ region: REGION, credentials: org.credentialsFor(accountId), maxAttempts: 1 });
  org.instrument(client as never);
  return client;
}

async function newQueue(name = "alerts"): Promise<string> {
  const out = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  return out.QueueUrl ?? "";
}

describe("simulated SQS", () => {
  it("creates a queue whose URL GetQueueUrl finds and whose ARN GetQueueAttributes gives", async () => {
    const url = await newQueue();

    const found = await sqs.send(new GetQueueUrlCommand({ QueueName: "alerts" }));
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));

    expect(found.QueueUrl).toBe(`https://sqs.${REGION}.amazonaws.com/${org.managementAccountId}/alerts`);
    expect(attributes.Attributes).toEqual({ QueueArn: `arn:aws:sqs:${REGION}:${org.managementAccountId}:alerts` });
  });

  it("answers QueueDoesNotExist for a queue nobody created", async () => {
    const error = await rejectionOf(sqs.send(new GetQueueUrlCommand({ QueueName: "nope" })));

    expect(error.name).toBe("QueueDoesNotExist");
  });

  it("returns a sent message to ReceiveMessage with the body's MD5", async () => {
    const url = await newQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "hello" }));

    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );

    expect(out.Messages?.map((m) => [m.Body, m.MD5OfBody])).toEqual([["hello", "5d41402abc4b2a76b9719d911017c592"]]);
  });

  it("hides a received message for the visibility timeout, then shows it again", async () => {
    const url = await newQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "hello" }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 30 }));

    const hidden = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    org.clock.advance(30_000);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, AttributeNames: ["All"] }));

    expect(hidden.Messages).toBeUndefined();
    expect(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe("2");
  });

  it("deletes a message by the receipt handle of its receive", async () => {
    const url = await newQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "hello" }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));

    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: received.Messages?.[0]?.ReceiptHandle }));

    expect(org.account(org.managementAccountId).queueMessages(url)).toEqual([]);
  });

  it("refuses a receipt handle it did not issue", async () => {
    const url = await newQueue();

    const error = await rejectionOf(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: "forged" })));

    expect(error.name).toBe("ReceiptHandleIsInvalid");
  });

  it("returns at most MaxNumberOfMessages, oldest first", async () => {
    const url = await newQueue();
    for (const body of ["a", "b", "c"]) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));

    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 2 }));

    expect(out.Messages?.map((m) => m.Body)).toEqual(["a", "b"]);
  });

  it("keeps a delayed message hidden until its delay has passed", async () => {
    const url = await newQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "later", DelaySeconds: 60 }));

    const early = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    org.clock.advance(60_000);
    const late = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));

    expect(early.Messages).toBeUndefined();
    expect(late.Messages?.map((m) => m.Body)).toEqual(["later"]);
  });

  it("refuses another account's queue unless its policy admits that account", async () => {
    const member = org.addAccount({ name: "member" });
    const url = await newQueue();

    const error = await rejectionOf(
      sqsClientFor(member.id).send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x" })),
    );

    expect(error.name).toBe("AccessDenied");
  });
});
