import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { beforeEach, describe, expect, it } from "vitest";
import {
  createSimulatedOrganization,
  type LambdaInvocation,
  type SimulatedAccount,
  type SimulatedOrganization,
} from "../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../support/simulation-harness.ts";

const REGION = "us-east-1";

let org: SimulatedOrganization;
let account: SimulatedAccount;
let sns: SNSClient;
let topicArn: string;

beforeEach(async () => {
  org = createSimulatedOrganization({ regions: [REGION] });
  account = org.account(org.managementAccountId);
  topicArn = account.createTopic(REGION, "alerts");
  sns = (await factoryFor(org).forAccount(account.id)).sns(REGION);
});

describe("simulated SNS Publish", () => {
  it("puts the SNS envelope of the message into a subscribed SQS queue", async () => {
    const queue = account.createQueue(REGION, "inbox");
    const subscription = account.subscribe(topicArn, "sqs", queue.arn);

    const out = await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: "hello", Message: "body" }));

    const [message] = account.queueMessages(queue.url);
    expect(JSON.parse(message?.body ?? "")).toMatchObject({
      Type: "Notification",
      MessageId: out.MessageId,
      TopicArn: topicArn,
      Subject: "hello",
      Message: "body",
      SignatureVersion: "1",
      SigningCertURL: expect.stringMatching(/^https:\/\/sns\.us-east-1\.amazonaws\.com\/SimpleNotificationService-/),
      UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscription.arn}`,
    });
  });

  it("hands a Lambda subscriber the Lambda SNS event, with its SigningCertUrl spelling", async () => {
    const functionArn = `arn:aws:lambda:${REGION}:${account.id}:function:notify`;
    account.subscribe(topicArn, "lambda", functionArn);
    const seen: LambdaInvocation[] = [];
    org.onLambdaInvocation((invocation) => {
      seen.push(invocation);
    });

    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "body" }));

    expect(seen).toHaveLength(1);
    expect(seen[0]?.functionArn).toBe(functionArn);
    expect(seen[0]?.event.Records[0]).toMatchObject({
      EventSource: "aws:sns",
      Sns: { Type: "Notification", TopicArn: topicArn, Message: "body", SigningCertUrl: expect.any(String) },
    });
    expect(org.lambdaInvocations).toHaveLength(1);
  });

  it("counts a confirmed email subscription as delivered and skips a pending one", async () => {
    account.subscribe(topicArn, "email", "ops@example.com", { confirmed: true });
    account.subscribe(topicArn, "email", "later@example.com");

    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "body" }));

    expect(org.snsDeliveries.map((d) => [d.endpoint, d.delivered])).toEqual([["ops@example.com", true]]);
  });

  it("delivers to nobody when the topic has no subscriber", async () => {
    const out = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "body" }));

    expect(out.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(org.snsDeliveries).toEqual([]);
  });

  it("records a delivery to a deleted queue as not delivered", async () => {
    const queue = account.createQueue(REGION, "gone");
    account.subscribe(topicArn, "sqs", queue.arn);
    account.deleteQueue(queue.url);

    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "body" }));

    expect(org.snsDeliveries.map((d) => d.delivered)).toEqual([false]);
  });

  it("sends each protocol its own entry of a JSON message structure", async () => {
    const queue = account.createQueue(REGION, "inbox");
    account.subscribe(topicArn, "sqs", queue.arn);

    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        MessageStructure: "json",
        Message: JSON.stringify({ default: "plain", sqs: "for queues" }),
      }),
    );

    expect(JSON.parse(account.queueMessages(queue.url)[0]?.body ?? "").Message).toBe("for queues");
  });

  it("answers NotFoundException for a topic that does not exist", async () => {
    const error = await rejectionOf(
      sns.send(new PublishCommand({ TopicArn: `arn:aws:sns:${REGION}:${account.id}:nope`, Message: "x" })),
    );

    expect(error.name).toBe("NotFoundException");
  });
});
