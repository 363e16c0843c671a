/** Publishes one readable alert to the central topic (SNS Publish: a subject and a text body). */
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { AlertMessage } from "../../core/explain/alert-message.ts";

export type AlertPublisher = (message: AlertMessage) => Promise<string>;

/** A publisher to `topicArn`; it resolves with the message id, and rejects when SNS refuses. */
export function snsAlertPublisher(sns: SNSClient, topicArn: string): AlertPublisher {
  return async (message) => {
    const out = await sns.send(
      new PublishCommand({ TopicArn: topicArn, Subject: message.subject, Message: message.body }),
    );
    return out.MessageId ?? "";
  };
}
