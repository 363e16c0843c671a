/** SQS records as Lambda's SQS event source hands them to a function, for the queue consumers' tests. */
import type { SQSEvent, SQSRecord } from "aws-lambda";

let next = 0;

/** One record per body (an object is sent as its JSON), message ids unique across the test file. */
export function sqsEvent(bodies: readonly (string | object)[], queue = "tripwire-prod-heal"): SQSEvent {
  return { Records: bodies.map((body) => sqsRecord(body, queue)) };
}

export function sqsRecord(body: string | object, queue = "tripwire-prod-heal"): SQSRecord {
  const sent = Date.parse("2025-03-04T09:15:10Z");
  return {
    messageId: `message-${next++}`,
    receiptHandle: "AQEB...",
    body: typeof body === "string" ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: String(sent),
      SenderId: "AIDAEXAMPLESENDER",
      ApproximateFirstReceiveTimestamp: String(sent + 1000),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:us-east-1:111111111111:${queue}`,
    awsRegion: "us-east-1",
  };
}
