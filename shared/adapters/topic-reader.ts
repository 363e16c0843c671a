/**
 * Reads SNS topics. A customer's topic is judged by its GetTopicAttributes counts first (one
 * call, however many subscribers); the counts are maintained by SNS on its own schedule, so
 * when they say no subscription is confirmed, ListSubscriptionsByTopic decides. tripwire's own
 * topic is listed at once, because the plan adds the missing subscriptions.
 */
import { GetTopicAttributesCommand, paginateListSubscriptionsByTopic } from "@aws-sdk/client-sns";
import { arnRegion } from "../core/arn.ts";
import type { SubscriptionObservation, TopicObservation } from "../core/model.ts";
import type { AccountClients } from "./aws/account-clients.ts";

/** A customer's topic: the counts when they show a confirmed subscription, else the listing. */
export async function readTopic(clients: AccountClients, arn: string): Promise<TopicObservation> {
  let confirmed: number;
  try {
    const out = await clients.sns(arnRegion(arn)).send(new GetTopicAttributesCommand({ TopicArn: arn }));
    const attrs = out.Attributes ?? {};
    confirmed = Number(attrs.SubscriptionsConfirmed ?? 0);
    if (confirmed > 0) return { arn, state: "FOUND", confirmed, pending: Number(attrs.SubscriptionsPending ?? 0) };
  } catch (error) {
    return topicError(arn, error);
  }
  const listed = await listTopic(clients, arn);
  return listed.state === "FOUND"
    ? { arn, state: "FOUND", confirmed: listed.confirmed, pending: listed.pending }
    : listed;
}

/** tripwire's own topic: its subscriptions are listed, because the plan adds the missing ones. */
export function readOwnTopic(owner: AccountClients, arn: string): Promise<TopicObservation> {
  return listTopic(owner, arn);
}

/** The topic as ListSubscriptionsByTopic shows it: a confirmed subscription has a real ARN, a pending one "PendingConfirmation". */
async function listTopic(clients: AccountClients, arn: string): Promise<TopicObservation> {
  const listed: SubscriptionObservation[] = [];
  try {
    for await (const page of paginateListSubscriptionsByTopic(
      { client: clients.sns(arnRegion(arn)) },
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
