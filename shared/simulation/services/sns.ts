/** Amazon SNS topics and subscriptions, per account and region. */
import type {
  CreateTopicInput,
  DeleteTopicInput,
  GetTopicAttributesInput,
  ListSubscriptionsByTopicInput,
  ListTagsForResourceRequest,
  ListTopicsInput,
  SetTopicAttributesInput,
  SubscribeInput,
  TagResourceRequest,
  UnsubscribeInput,
} from "@aws-sdk/client-sns";
import { parseArn } from "../../core/arn.ts";
import { InvalidTokenError, pageByKey, sortByKey } from "../pagination.ts";
import { type AccountState, type SimulationCore, type SubscriptionState, type TopicState, topicArn } from "../state.ts";
import { type CallContext, type HandlerTable, op, raise, required, tagsToRecord } from "./handler.ts";

const PAGE = 100;
const MAX_TAGS = 50;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const PROTOCOLS = new Set(["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"]);
/** Protocols whose endpoint must confirm before the subscription is real. */
const NEEDS_CONFIRMATION = new Set(["http", "https", "email", "email-json"]);
const SETTABLE = new Set([
  "Policy",
  "DisplayName",
  "DeliveryPolicy",
  "KmsMasterKeyId",
  "TracingConfig",
  "SignatureVersion",
  "ArchivePolicy",
  "ContentBasedDeduplication",
  "FifoThroughputScope",
  "DataProtectionPolicy",
]);
const FEEDBACK = /^(HTTP|Firehose|Lambda|SQS|Application)(Success|Failure)Feedback(RoleArn|SampleRate)$/;

/** What `ListSubscriptionsByTopic` shows instead of an ARN until the endpoint confirms. */
export const PENDING_CONFIRMATION = "PendingConfirmation";

function fail(name: string, message: string, status = 400): never {
  return raise("sns", name, message, status);
}
function invalid(message: string): never {
  return fail("InvalidParameterException", `Invalid parameter: ${message}`);
}
function notFound(what = "Topic"): never {
  return fail("NotFoundException", `${what} does not exist`, 404);
}

export function defaultTopicPolicy(partition: string, arn: string, owner: string): string {
  return JSON.stringify({
    Version: "2008-10-17",
    Id: "__default_policy_ID",
    Statement: [
      {
        Sid: "__default_statement_ID",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: [
          "SNS:GetTopicAttributes",
          "SNS:SetTopicAttributes",
          "SNS:AddPermission",
          "SNS:RemovePermission",
          "SNS:DeleteTopic",
          "SNS:Subscribe",
          "SNS:ListSubscriptionsByTopic",
          "SNS:Publish",
        ],
        Resource: arn,
        Condition: { StringEquals: { "AWS:SourceOwner": owner } },
      },
    ],
  }).replace("arn:aws:", `arn:${partition}:`);
}

export function createTopic(
  core: SimulationCore,
  account: AccountState,
  region: string,
  name: string,
  options: { attributes?: Record<string, string>; tags?: Record<string, string> } = {},
): TopicState {
  if (!TOPIC_NAME.test(name)) invalid("Topic Name");
  const topics = account.region(region).topics;
  const existing = topics.get(name);
  if (existing) {
    for (const [k, v] of Object.entries(options.attributes ?? {})) {
      if (existing.attributes.get(k) !== v)
        invalid("Attributes Reason: Topic already exists with different attributes");
    }
    for (const [k, v] of Object.entries(options.tags ?? {})) {
      if (existing.tags.get(k) !== v) invalid("Tags Reason: Topic already exists with different tags");
    }
    return existing;
  }
  const arn = topicArn(core.partition, region, account.id, name);
  const attributes = new Map<string, string>([
    ["Policy", defaultTopicPolicy(core.partition, arn, account.id)],
    ["DisplayName", ""],
  ]);
  for (const [k, v] of Object.entries(options.attributes ?? {})) attributes.set(k, v);
  const topic: TopicState = {
    arn,
    name,
    owner: account.id,
    attributes,
    tags: new Map(Object.entries(options.tags ?? {})),
    subscriptions: new Map(),
    deletedSubscriptions: 0,
  };
  topics.set(name, topic);
  return topic;
}

/** The topic an ARN names, wherever its account is; undefined when it does not exist. */
export function findTopic(core: SimulationCore, arn: string): TopicState | undefined {
  const parsed = parseArn(arn);
  if (parsed?.service !== "sns") return undefined;
  return core.accounts.get(parsed.accountId)?.peekRegion(parsed.region).topics.get(parsed.resource);
}

export function subscribe(
  core: SimulationCore,
  topic: TopicState,
  owner: string,
  protocol: string,
  endpoint: string,
  confirmed?: boolean,
): SubscriptionState {
  if (!PROTOCOLS.has(protocol)) invalid(`Invalid protocol type: ${protocol}`);
  if ((protocol === "email" || protocol === "email-json") && !endpoint.includes("@")) invalid("Email address");
  if ((protocol === "http" || protocol === "https") && !endpoint.startsWith(`${protocol}://`)) {
    invalid(`Endpoint must match the specified protocol`);
  }
  if ((protocol === "sqs" || protocol === "lambda" || protocol === "firehose") && !endpoint.startsWith("arn:")) {
    invalid(`${protocol} endpoint ARN`);
  }
  for (const s of topic.subscriptions.values()) {
    if (s.protocol === protocol && s.endpoint === endpoint) return s;
  }
  const subscription: SubscriptionState = {
    arn: `${topic.arn}:${core.random.uuid()}`,
    topicArn: topic.arn,
    owner,
    protocol,
    endpoint,
    confirmed: confirmed ?? !NEEDS_CONFIRMATION.has(protocol),
  };
  topic.subscriptions.set(subscription.arn, subscription);
  return subscription;
}

/** The topic for an ARN the caller passed, with SNS's errors for a bad, missing or foreign topic. */
export function topicFor(ctx: CallContext, arn: string | undefined, action: string): TopicState {
  const topicArnValue = required("sns", "InvalidParameterException", "TopicArn", arn);
  const parsed = parseArn(topicArnValue);
  if (parsed?.service !== "sns" || parsed.resource === "") invalid("TopicArn");
  if (parsed.region !== ctx.region) invalid("TopicArn");
  const topic = findTopic(ctx.core, topicArnValue) ?? notFound();
  authorize(ctx, topic, action);
  return topic;
}

/**
 * Cross-account access, kept simple: the owner may do anything; another account needs an
 * Allow statement naming it (or "*") for the action. Statements with conditions only grant
 * when the condition is `AWS:SourceOwner` equal to the caller's account.
 */
function authorize(ctx: CallContext, topic: TopicState, action: string): void {
  if (topic.owner === ctx.account.id) return;
  if (policyAllows(topic.attributes.get("Policy") ?? "", ctx.account.id, ctx.core.partition, action)) return;
  fail(
    "AuthorizationErrorException",
    `User: ${ctx.principal.arn} is not authorized to perform: SNS:${action} on resource: ${topic.arn}`,
    403,
  );
}

function policyAllows(policy: string, accountId: string, partition: string, action: string): boolean {
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(policy) as { Statement?: unknown };
  } catch {
    return false;
  }
  const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const statements = list(doc.Statement as Record<string, unknown> | Record<string, unknown>[] | undefined);
  return statements.some((s) => {
    if (s.Effect !== "Allow") return false;
    const principal = s.Principal as string | { AWS?: string | string[] } | undefined;
    const principals = principal === "*" ? ["*"] : list(typeof principal === "object" ? principal.AWS : undefined);
    const principalOk = principals.some(
      (p) => p === "*" || p === accountId || p === `arn:${partition}:iam::${accountId}:root`,
    );
    const actions = list(s.Action as string | string[] | undefined).map((a) => a.toLowerCase());
    const actionOk = actions.some((a) => a === "*" || a === "sns:*" || a === `sns:${action.toLowerCase()}`);
    const condition = s.Condition as Record<string, Record<string, unknown>> | undefined;
    const conditionOk =
      condition === undefined ||
      (Object.keys(condition).length === 1 &&
        Object.keys(condition.StringEquals ?? {}).length === 1 &&
        list(condition.StringEquals?.["AWS:SourceOwner"] as string | string[] | undefined).includes(accountId));
    return principalOk && actionOk && conditionOk;
  });
}

function page<T>(items: readonly T[], keyOf: (t: T) => string, token: string | undefined) {
  try {
    return pageByKey(items, keyOf, PAGE, token);
  } catch (error) {
    if (error instanceof InvalidTokenError) invalid("NextToken");
    throw error;
  }
}

function tagsOf(ctx: CallContext, arn: string | undefined): Map<string, string> {
  const resourceArn = required("sns", "InvalidParameterException", "ResourceArn", arn);
  const topic = findTopic(ctx.core, resourceArn);
  if (!topic) fail("ResourceNotFoundException", "Resource does not exist", 404);
  authorize(ctx, topic, "TagResource");
  return topic.tags;
}

export const snsHandlers: HandlerTable = {
  CreateTopic: op<CreateTopicInput>(({ core, account, region }, input) => {
    const name = required("sns", "InvalidParameterException", "Name", input.Name);
    const tags = Object.fromEntries((input.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
    if (Object.keys(tags).length > MAX_TAGS)
      fail("TagLimitExceededException", "Could not complete request: tag quota of per resource exceeded");
    const topic = createTopic(core, account, region, name, {
      ...(input.Attributes ? { attributes: input.Attributes } : {}),
      tags,
    });
    return { TopicArn: topic.arn };
  }),

  DeleteTopic: op<DeleteTopicInput>((ctx, input) => {
    const arn = required("sns", "InvalidParameterException", "TopicArn", input.TopicArn);
    const topic = findTopic(ctx.core, arn);
    // Idempotent: deleting a topic that does not exist is not an error.
    if (!topic) return {};
    authorize(ctx, topic, "DeleteTopic");
    ctx.core.accounts
      .get(topic.owner)
      ?.peekRegion(parseArn(topic.arn)?.region ?? "")
      .topics.delete(topic.name);
    return {};
  }),

  GetTopicAttributes: op<GetTopicAttributesInput>((ctx, input) => {
    const topic = topicFor(ctx, input.TopicArn, "GetTopicAttributes");
    let confirmed = 0;
    let pending = 0;
    for (const s of topic.subscriptions.values()) {
      if (s.confirmed) confirmed++;
      else pending++;
    }
    return {
      Attributes: {
        ...Object.fromEntries(topic.attributes),
        TopicArn: topic.arn,
        Owner: topic.owner,
        SubscriptionsConfirmed: String(topic.staleCounts ? 0 : confirmed),
        SubscriptionsPending: String(topic.staleCounts ? 0 : pending),
        SubscriptionsDeleted: String(topic.deletedSubscriptions),
        EffectiveDeliveryPolicy:
          '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}',
      },
    };
  }),

  SetTopicAttributes: op<SetTopicAttributesInput>((ctx, input) => {
    const topic = topicFor(ctx, input.TopicArn, "SetTopicAttributes");
    const name = required("sns", "InvalidParameterException", "AttributeName", input.AttributeName);
    if (!SETTABLE.has(name) && !FEEDBACK.test(name)) invalid(`AttributeName`);
    const value = input.AttributeValue ?? "";
    if (name === "Policy") {
      try {
        JSON.parse(value);
      } catch {
        invalid("Policy Error: null");
      }
    }
    topic.attributes.set(name, value);
    return {};
  }),

  ListTopics: op<ListTopicsInput>(({ account, region }, input) => {
    const topics = sortByKey(account.peekRegion(region).topics.values(), (t) => t.arn);
    const { items, nextToken } = page(topics, (t) => t.arn, input.NextToken);
    return { Topics: items.map((t) => ({ TopicArn: t.arn })), NextToken: nextToken };
  }),

  Subscribe: op<SubscribeInput>((ctx, input) => {
    const topic = topicFor(ctx, input.TopicArn, "Subscribe");
    const protocol = required("sns", "InvalidParameterException", "Protocol", input.Protocol);
    const endpoint = required("sns", "InvalidParameterException", "Endpoint", input.Endpoint);
    const s = subscribe(ctx.core, topic, ctx.account.id, protocol, endpoint);
    return { SubscriptionArn: s.confirmed || input.ReturnSubscriptionArn ? s.arn : "pending confirmation" };
  }),

  ListSubscriptionsByTopic: op<ListSubscriptionsByTopicInput>((ctx, input) => {
    const topic = topicFor(ctx, input.TopicArn, "ListSubscriptionsByTopic");
    const subscriptions = sortByKey(topic.subscriptions.values(), (s) => s.arn);
    const { items, nextToken } = page(subscriptions, (s) => s.arn, input.NextToken);
    return {
      Subscriptions: items.map((s) => ({
        SubscriptionArn: s.confirmed ? s.arn : PENDING_CONFIRMATION,
        Owner: s.owner,
        Protocol: s.protocol,
        Endpoint: s.endpoint,
        TopicArn: s.topicArn,
      })),
      NextToken: nextToken,
    };
  }),

  Unsubscribe: op<UnsubscribeInput>((ctx, input) => {
    const arn = required("sns", "InvalidParameterException", "SubscriptionArn", input.SubscriptionArn);
    const topic = findTopic(ctx.core, arn.slice(0, arn.lastIndexOf(":")));
    const subscription = topic?.subscriptions.get(arn);
    if (!topic || !subscription?.confirmed) notFound("Subscription");
    if (subscription.owner !== ctx.account.id) authorize(ctx, topic, "Unsubscribe");
    topic.subscriptions.delete(arn);
    topic.deletedSubscriptions += 1;
    return {};
  }),

  ListTagsForResource: op<ListTagsForResourceRequest>((ctx, input) => ({
    Tags: Object.entries(tagsToRecord(tagsOf(ctx, input.ResourceArn))).map(([Key, Value]) => ({ Key, Value })),
  })),

  TagResource: op<TagResourceRequest>((ctx, input) => {
    const tags = tagsOf(ctx, input.ResourceArn);
    const added = new Map(tags);
    for (const t of input.Tags ?? []) added.set(t.Key ?? "", t.Value ?? "");
    if (added.size > MAX_TAGS)
      fail("TagLimitExceededException", "Could not complete request: tag quota of per resource exceeded");
    for (const [k, v] of added) tags.set(k, v);
    return {};
  }),
};
