/** Reads SNS topics: a customer's by its counts, tripwire's own with its subscriptions. */
import { GetTopicAttributesCommand, paginateListSubscriptionsByTopic } from "@aws-sdk/client-sns";
import { arnRegion } from "../core/arn.ts";
import type { SubscriptionObservation, TopicObservation } from "../core/model.ts";
import type { AccountClients } from "./aws/account-clients.ts";

/** A customer's topic: the counts are enough to judge it (one call, however many subscribers). */
export async function readTopic(clients: AccountClients, arn: string): Promise<TopicObservation> {
  try {
    const out = await clients.sns(arnRegion(arn)).send(new GetTopicAttributesCommand({ TopicArn: arn }));
    const attrs = out.Attributes ?? {};
    return {
      arn,
      state: "FOUND",
      confirmed: Number(attrs.SubscriptionsConfirmed ?? 0),
      pending: Number(attrs.SubscriptionsPending ?? 0),
    };
  } catch (error) {
    return topicError(arn, error);
  }
}

/** tripwire's own topic: its subscriptions are listed, because the plan adds the missing ones. */
export async function readOwnTopic(owner: AccountClients, arn: string): Promise<TopicObservation> {
  const listed: SubscriptionObservation[] = [];
  try {
    for await (const page of paginateListSubscriptionsByTopic(
      { client: owner.sns(arnRegion(arn)) },
      { TopicArn: arn },
    )) {
      for (const s of page.Subscriptions ?? []) {
        listed.push({
          protocol: s.Protocol ?? "",
          endpoint: s.Endpoint ?? "",
          confirmed: !!s.SubscriptionArn && s.SubscriptionArn.startsWith("arn:"),
        });
      }
    }
  } catch (error) {
    return topicError(arn, error);
  }
  const confirmed = listed.filter((s) => s.confirmed).length;
  return { arn, state: "FOUND", confirmed, pending: listed.length - confirmed, subscriptions: listed };
}

/** A topic that does not exist is a state (TOPIC_NOT_FOUND); any other failure is the review's (ERROR). */
function topicError(arn: string, error: unknown): TopicObservation {
  const name = (error as Error).name;
  if (name === "NotFoundException" || name === "NotFound") return { arn, state: "NOT_FOUND" };
  throw error;
}
