/**
 * Reads SNS topics. A customer's topic is judged by its GetTopicAttributes counts first (one
 * call, however many subscribers); the counts are maintained by SNS on its own schedule, so
 * when they say no subscription is confirmed, ListSubscriptionsByTopic decides. tripwire's own
 * topic is listed at once, because the plan adds the missing subscriptions, and its attributes
 * are read beside the listing (in parallel: one call more, no wait more), for its KMS key.
 * The key of an encrypted topic with a confirmed subscription is read too (topic-key-reader.ts):
 * it decides whether an alarm can publish there at all.
 */
import { GetTopicAttributesCommand, paginateListSubscriptionsByTopic } from "@aws-sdk/client-sns";
import { arnRegion } from "../core/arn.ts";
import type { SubscriptionObservation, TopicObservation } from "../core/model.ts";
import type { AccountClients } from "./aws/account-clients.ts";
import { readTopicKey } from "./topic-key-reader.ts";

type Found = Extract<TopicObservation, { state: "FOUND" }>;

/** A customer's topic: the counts when they show a confirmed subscription, else the listing. */
export async function readTopic(clients: AccountClients, arn: string): Promise<TopicObservation> {
  let attrs: Record<string, string>;
  try {
    const out = await clients.sns(arnRegion(arn)).send(new GetTopicAttributesCommand({ TopicArn: arn }));
    attrs = out.Attributes ?? {};
  } catch (error) {
    return topicError(arn, error);
  }
  const kms = attrs.KmsMasterKeyId ? { kmsMasterKeyId: attrs.KmsMasterKeyId } : {};
  const confirmed = Number(attrs.SubscriptionsConfirmed ?? 0);
  if (confirmed > 0) {
    return withKey(clients, {
      arn,
      state: "FOUND",
      confirmed,
      pending: Number(attrs.SubscriptionsPending ?? 0),
      ...kms,
    });
  }
  const listed = await listTopic(clients, arn);
  return listed.state === "FOUND"
    ? withKey(clients, { arn, state: "FOUND", confirmed: listed.confirmed, pending: listed.pending, ...kms })
    : listed;
}

/**
 * tripwire's own topic: its subscriptions are listed, because the plan adds the missing ones,
 * and its attributes read for its key. An alarm's action is a topic that most likely exists:
 * both calls go at once. Before a plan (`attributes: "when-found"`) the topic often does not
 * exist yet: its attributes are read only once the listing has found it.
 */
export async function readOwnTopic(
  owner: AccountClients,
  arn: string,
  options: { readonly attributes?: "with-listing" | "when-found" } = {},
): Promise<TopicObservation> {
  const attributesOf = () =>
    owner
      .sns(arnRegion(arn))
      .send(new GetTopicAttributesCommand({ TopicArn: arn }))
      .then(
        (out): Record<string, string> => out.Attributes ?? {},
        (error: unknown): Record<string, string> => {
          // A topic that does not exist is the listing's to say.
          if (isNotFound(error)) return {};
          throw error;
        },
      );
  let listed: TopicObservation;
  let attrs: Record<string, string>;
  if (options.attributes === "when-found") {
    listed = await listTopic(owner, arn);
    attrs = listed.state === "FOUND" ? await attributesOf() : {};
  } else {
    [listed, attrs] = await Promise.all([listTopic(owner, arn), attributesOf()]);
  }
  if (listed.state !== "FOUND" || !attrs.KmsMasterKeyId) return listed;
  return withKey(owner, { ...listed, kmsMasterKeyId: attrs.KmsMasterKeyId });
}

/** The topic with its key read, when it is encrypted and has a confirmed subscription. */
async function withKey(clients: AccountClients, topic: Found): Promise<Found> {
  if (!topic.kmsMasterKeyId || topic.confirmed === 0) return topic;
  return { ...topic, key: await readTopicKey(clients, topic.kmsMasterKeyId, arnRegion(topic.arn)) };
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

function isNotFound(error: unknown): boolean {
  const name = (error as Error).name;
  return name === "NotFoundException" || name === "NotFound";
}

/** A topic that does not exist is a state (TOPIC_NOT_FOUND); any other failure is the review's (ERROR). */
function topicError(arn: string, error: unknown): TopicObservation {
  if (isNotFound(error)) return { arn, state: "NOT_FOUND" };
  throw error;
}
