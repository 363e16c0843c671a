/** Amazon SNS Publish to a topic: delivered at once to the topic's confirmed subscriptions. */
import type { PublishInput } from "@aws-sdk/client-sns";
import { type PublishRequest, publishToTopic } from "../chain/sns-delivery.ts";
import { SimulationNotImplementedError } from "../errors.ts";
import { type HandlerTable, op, raise } from "./handler.ts";
import { topicFor } from "./sns.ts";

const MAX_MESSAGE_BYTES = 262_144;
const MAX_SUBJECT = 100;

function invalid(message: string): never {
  return raise("sns", "InvalidParameterException", `Invalid parameter: ${message}`);
}

export const snsPublishHandlers: HandlerTable = {
  Publish: op<PublishInput>((ctx, input) => {
    if (input.TargetArn !== undefined || input.PhoneNumber !== undefined) {
      throw new SimulationNotImplementedError("sns", "Publish to a TargetArn or PhoneNumber");
    }
    const topic = topicFor(ctx, input.TopicArn, "Publish");
    const message = input.Message;
    if (message === undefined || message === "") invalid("Empty message");
    if (Buffer.byteLength(message, "utf8") > MAX_MESSAGE_BYTES) invalid("Message too long");
    if (input.Subject !== undefined && (input.Subject === "" || input.Subject.length > MAX_SUBJECT)) {
      invalid("Subject");
    }
    if (input.MessageStructure !== undefined) {
      if (input.MessageStructure !== "json") invalid("MessageStructure");
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        invalid("Message Structure - JSON message body failed to parse");
      }
      if (typeof (parsed as Record<string, unknown> | null)?.default !== "string") {
        invalid("Message Structure - No default entry in JSON message body");
      }
    }
    const attributes = Object.fromEntries(
      Object.entries(input.MessageAttributes ?? {}).map(([name, a]) => [
        name,
        { Type: a.DataType ?? "String", Value: a.StringValue ?? "" },
      ]),
    );
    const request: PublishRequest = {
      message,
      ...(input.Subject === undefined ? {} : { subject: input.Subject }),
      ...(input.MessageStructure === undefined ? {} : { messageStructure: input.MessageStructure }),
      ...(Object.keys(attributes).length > 0 ? { messageAttributes: attributes } : {}),
    };
    return { MessageId: publishToTopic(ctx.core, topic, request) };
  }),
};
