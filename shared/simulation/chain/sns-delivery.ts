/**
 * What SNS does with a published message: one delivery per confirmed subscription. An SQS
 * subscriber gets the JSON envelope in its queue (raw message delivery is not simulated); a
 * Lambda subscriber is recorded with the event Lambda would receive (and handed to the
 * organization's Lambda listeners); email, HTTP/S and the other protocols are only counted as
 * delivered. Pending subscriptions receive nothing, as on AWS.
 *
 * The envelope's Signature is not a real RSA signature: nobody can verify it against the
 * SigningCertURL, which points nowhere.
 */
import { createHash } from "node:crypto";
import { parseArn } from "../../core/arn.ts";
import type { LambdaInvocation, LambdaSnsEvent } from "../data/data-plane.ts";
import { enqueue } from "../services/sqs.ts";
import type { SimulationCore, TopicState } from "../state.ts";

export interface PublishRequest {
  readonly subject?: string;
  readonly message: string;
  /** "json": `message` is a JSON object with a "default" entry and optional per-protocol entries. */
  readonly messageStructure?: string;
  readonly messageAttributes?: Readonly<Record<string, { readonly Type: string; readonly Value: string }>>;
}

/** The JSON body SNS posts to HTTP/S endpoints and puts in SQS queues (non-raw delivery). */
export interface SnsEnvelope {
  readonly Type: "Notification";
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Subject?: string;
  readonly Message: string;
  readonly Timestamp: string;
  readonly SignatureVersion: "1";
  readonly Signature: string;
  readonly SigningCertURL: string;
  readonly UnsubscribeURL: string;
  readonly MessageAttributes?: Readonly<Record<string, { readonly Type: string; readonly Value: string }>>;
}

function messageFor(request: PublishRequest, protocol: string): string {
  if (request.messageStructure !== "json") return request.message;
  const parsed = JSON.parse(request.message) as Record<string, string>;
  return parsed[protocol] ?? parsed.default ?? "";
}

function signature(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("base64");
}

/** Delivers `request` to every confirmed subscription of `topic`; returns the message id. */
export function publishToTopic(core: SimulationCore, topic: TopicState, request: PublishRequest): string {
  const messageId = core.data.random.uuid();
  const at = core.clock.nowMs();
  const timestamp = new Date(at).toISOString();
  const region = parseArn(topic.arn)?.region ?? "";
  const host = `https://sns.${region}.amazonaws.com`;
  const certUrl = `${host}/SimpleNotificationService-${createHash("md5").update(region).digest("hex")}.pem`;
  for (const s of topic.subscriptions.values()) {
    if (!s.confirmed) continue;
    const message = messageFor(request, s.protocol);
    const unsubscribeUrl = `${host}/?Action=Unsubscribe&SubscriptionArn=${s.arn}`;
    const sig = signature(`${messageId}\n${message}\n${timestamp}\n${topic.arn}`);
    let delivered = true;
    if (s.protocol === "sqs") {
      const queue = core.data.queues.get(s.endpoint);
      const envelope: SnsEnvelope = {
        Type: "Notification",
        MessageId: messageId,
        TopicArn: topic.arn,
        ...(request.subject === undefined ? {} : { Subject: request.subject }),
        Message: message,
        Timestamp: timestamp,
        SignatureVersion: "1",
        Signature: sig,
        SigningCertURL: certUrl,
        UnsubscribeURL: unsubscribeUrl,
        ...(request.messageAttributes ? { MessageAttributes: request.messageAttributes } : {}),
      };
      if (queue) enqueue(core, queue, JSON.stringify(envelope), 0);
      delivered = queue !== undefined;
    } else if (s.protocol === "lambda") {
      const event: LambdaSnsEvent = {
        Records: [
          {
            EventVersion: "1.0",
            EventSubscriptionArn: s.arn,
            EventSource: "aws:sns",
            Sns: {
              Type: "Notification",
              MessageId: messageId,
              TopicArn: topic.arn,
              ...(request.subject === undefined ? {} : { Subject: request.subject }),
              Message: message,
              Timestamp: timestamp,
              SignatureVersion: "1",
              Signature: sig,
              SigningCertUrl: certUrl,
              UnsubscribeUrl: unsubscribeUrl,
              MessageAttributes: { ...(request.messageAttributes ?? {}) },
            },
          },
        ],
      };
      const invocation: LambdaInvocation = { functionArn: s.endpoint, subscriptionArn: s.arn, at, event };
      core.data.lambdaInvocations.push(invocation);
      for (const listener of core.data.lambdaListeners) core.clock.run(() => listener(invocation));
    }
    core.data.snsDeliveries.push({
      topicArn: topic.arn,
      messageId,
      subscriptionArn: s.arn,
      protocol: s.protocol,
      endpoint: s.endpoint,
      at,
      delivered,
      ...(request.subject === undefined ? {} : { subject: request.subject }),
      message,
    });
  }
  return messageId;
}
