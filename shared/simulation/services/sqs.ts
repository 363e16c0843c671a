/**
 * Amazon SQS, minimal: standard queues (CreateQueue, GetQueueUrl, GetQueueAttributes,
 * DeleteQueue) and their messages (SendMessage, ReceiveMessage, DeleteMessage) on the
 * simulated clock: delays and visibility timeouts run on it. ReceiveMessage answers at once
 * whatever WaitTimeSeconds says (there is no one else to wait for). Message attributes are
 * not kept. Another account may use a queue only when the queue's Policy names it or "*".
 */
import type {
  CreateQueueRequest,
  DeleteMessageRequest,
  DeleteQueueRequest,
  GetQueueAttributesRequest,
  GetQueueUrlRequest,
  Message,
  ReceiveMessageRequest,
  SendMessageRequest,
} from "@aws-sdk/client-sqs";
import { md5, parseQueueUrl, type QueueMessage, type QueueState, queueArn, queueUrl } from "../data/queues.ts";
import { SimulationNotImplementedError } from "../errors.ts";
import type { SimulationCore } from "../state.ts";
import { type CallContext, type HandlerTable, op, raise, required } from "./handler.ts";

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_BODY_BYTES = 262_144;
const HANDLE_PREFIX = "simrh1:";
const DEFAULT_ATTRIBUTES: Readonly<Record<string, string>> = {
  DelaySeconds: "0",
  MaximumMessageSize: String(MAX_BODY_BYTES),
  MessageRetentionPeriod: "345600",
  ReceiveMessageWaitTimeSeconds: "0",
  VisibilityTimeout: "30",
};
const SETTABLE = new Set([
  ...Object.keys(DEFAULT_ATTRIBUTES),
  "Policy",
  "RedrivePolicy",
  "RedriveAllowPolicy",
  "KmsMasterKeyId",
  "KmsDataKeyReusePeriodSeconds",
  "SqsManagedSseEnabled",
]);

function fail(name: string, message: string, status = 400): never {
  return raise("sqs", name, message, status);
}

function noQueue(): never {
  return fail("QueueDoesNotExist", "The specified queue does not exist.");
}

function invalidValue(message: string): never {
  return fail("InvalidParameterValue", message);
}

/** Creates a queue (or returns the existing one with the same attributes), as CreateQueue does. */
export function createQueue(
  core: SimulationCore,
  accountId: string,
  region: string,
  name: string,
  attributes: Record<string, string> = {},
  tags: Record<string, string> = {},
): QueueState {
  if (name.endsWith(".fifo")) throw new SimulationNotImplementedError("sqs", "CreateQueue (FIFO queues)");
  if (!QUEUE_NAME.test(name)) {
    invalidValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  }
  for (const key of Object.keys(attributes)) {
    if (!SETTABLE.has(key)) fail("InvalidAttributeName", `Unknown Attribute ${key}.`);
  }
  const arn = queueArn(core.partition, region, accountId, name);
  const existing = core.data.queues.get(arn);
  if (existing) {
    for (const [k, v] of Object.entries(attributes)) {
      if (existing.attributes.get(k) !== v) {
        fail("QueueNameExists", `A queue already exists with the same name and a different value for attribute ${k}`);
      }
    }
    return existing;
  }
  const queue: QueueState = {
    name,
    accountId,
    region,
    arn,
    url: queueUrl(region, accountId, name),
    createdTimestamp: core.clock.nowMs(),
    attributes: new Map(Object.entries({ ...DEFAULT_ATTRIBUTES, ...attributes })),
    tags: new Map(Object.entries(tags)),
    messages: [],
  };
  core.data.queues.put(queue);
  return queue;
}

/** Adds a message to a queue (SendMessage, and SNS delivering to an SQS subscriber). */
export function enqueue(core: SimulationCore, queue: QueueState, body: string, delaySeconds?: number): QueueMessage {
  const now = core.clock.nowMs();
  const delay = delaySeconds ?? Number(queue.attributes.get("DelaySeconds") ?? "0");
  const message: QueueMessage = {
    messageId: core.data.random.uuid(),
    body,
    md5OfBody: md5(body),
    sentTimestamp: now,
    visibleAt: now + delay * 1000,
    receiveCount: 0,
  };
  queue.messages.push(message);
  return message;
}

/** Drops the messages older than the queue's retention period. */
function expire(core: SimulationCore, queue: QueueState): void {
  const oldest = core.clock.nowMs() - Number(queue.attributes.get("MessageRetentionPeriod") ?? "345600") * 1000;
  if (queue.messages.length > 0 && (queue.messages[0]?.sentTimestamp ?? 0) < oldest) {
    const kept = queue.messages.filter((m) => m.sentTimestamp >= oldest);
    queue.messages.splice(0, queue.messages.length, ...kept);
  }
}

/** The queue a QueueUrl names, if the caller may use it. */
function queueFor(ctx: CallContext, url: string | undefined, action: string): QueueState {
  const parsed = parseQueueUrl(required("sqs", "MissingParameter", "QueueUrl", url));
  if (!parsed) return noQueue();
  const queue = ctx.core.data.queues.get(
    queueArn(ctx.core.partition, parsed.region ?? ctx.region, parsed.accountId, parsed.name),
  );
  if (!queue) return noQueue();
  if (queue.accountId !== ctx.account.id && !policyAdmits(queue.attributes.get("Policy"), ctx.account.id, action)) {
    fail("AccessDenied", `Access to the resource ${queue.url} is denied.`, 403);
  }
  return queue;
}

/** A loose reading of a queue policy: an Allow for the account (or "*") and the action (or sqs:*). */
function policyAdmits(policy: string | undefined, accountId: string, action: string): boolean {
  if (!policy) return false;
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    return statements.some((s: { Effect?: string; Principal?: unknown; Action?: unknown }) => {
      if (s?.Effect !== "Allow") return false;
      const principal = JSON.stringify(s.Principal ?? "");
      const actions = ([] as unknown[]).concat(s.Action ?? []).map((a) => String(a).toLowerCase());
      return (
        (principal === '"*"' || principal.includes('"*"') || principal.includes(accountId)) &&
        actions.some((a) => a === "*" || a === "sqs:*" || a === `sqs:${action.toLowerCase()}`)
      );
    });
  } catch {
    return false;
  }
}

function receiptHandle(queue: QueueState, message: QueueMessage): string {
  return HANDLE_PREFIX + Buffer.from(`${queue.arn}|${message.messageId}|${message.receiveCount}`).toString("base64url");
}

function integer(field: string, value: number | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) {
    invalidValue(`Value ${value} for parameter ${field} is invalid. Reason: Must be between ${min} and ${max}.`);
  }
  return value;
}

export const sqsHandlers: HandlerTable = {
  CreateQueue: op<CreateQueueRequest>((ctx, input) => {
    const name = required("sqs", "MissingParameter", "QueueName", input.QueueName);
    return { QueueUrl: createQueue(ctx.core, ctx.account.id, ctx.region, name, input.Attributes, input.tags).url };
  }),

  GetQueueUrl: op<GetQueueUrlRequest>((ctx, input) => {
    const name = required("sqs", "MissingParameter", "QueueName", input.QueueName);
    const owner = input.QueueOwnerAWSAccountId ?? ctx.account.id;
    const queue = ctx.core.data.queues.get(queueArn(ctx.core.partition, ctx.region, owner, name)) ?? noQueue();
    if (
      queue.accountId !== ctx.account.id &&
      !policyAdmits(queue.attributes.get("Policy"), ctx.account.id, "GetQueueUrl")
    ) {
      noQueue();
    }
    return { QueueUrl: queue.url };
  }),

  GetQueueAttributes: op<GetQueueAttributesRequest>((ctx, input) => {
    const queue = queueFor(ctx, input.QueueUrl, "GetQueueAttributes");
    expire(ctx.core, queue);
    const now = ctx.core.clock.nowMs();
    const all: Record<string, string> = {
      ...Object.fromEntries(queue.attributes),
      QueueArn: queue.arn,
      CreatedTimestamp: String(Math.floor(queue.createdTimestamp / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.createdTimestamp / 1000)),
      ApproximateNumberOfMessages: String(queue.messages.filter((m) => m.visibleAt <= now).length),
      ApproximateNumberOfMessagesNotVisible: String(
        queue.messages.filter((m) => m.visibleAt > now && m.receiveCount > 0).length,
      ),
      ApproximateNumberOfMessagesDelayed: String(
        queue.messages.filter((m) => m.visibleAt > now && m.receiveCount === 0).length,
      ),
    };
    const names = input.AttributeNames ?? [];
    if (names.includes("All")) return { Attributes: all };
    const out: Record<string, string> = {};
    for (const name of names) {
      const value = all[name];
      if (value === undefined && !SETTABLE.has(name)) fail("InvalidAttributeName", `Unknown Attribute ${name}.`);
      if (value !== undefined) out[name] = value;
    }
    return Object.keys(out).length > 0 ? { Attributes: out } : {};
  }),

  DeleteQueue: op<DeleteQueueRequest>((ctx, input) => {
    const queue = queueFor(ctx, input.QueueUrl, "DeleteQueue");
    ctx.core.data.queues.delete(queue.arn);
    return {};
  }),

  SendMessage: op<SendMessageRequest>((ctx, input) => {
    const queue = queueFor(ctx, input.QueueUrl, "SendMessage");
    const body = required("sqs", "MissingParameter", "MessageBody", input.MessageBody);
    if (Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES) {
      invalidValue(`One or more parameters are invalid. Reason: Message must be shorter than ${MAX_BODY_BYTES} bytes.`);
    }
    const delay = integer("DelaySeconds", input.DelaySeconds, 0, 900);
    const message = enqueue(ctx.core, queue, body, delay);
    return { MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody };
  }),

  ReceiveMessage: op<ReceiveMessageRequest>((ctx, input) => {
    const queue = queueFor(ctx, input.QueueUrl, "ReceiveMessage");
    const max = integer("MaxNumberOfMessages", input.MaxNumberOfMessages, 1, 10) ?? 1;
    integer("WaitTimeSeconds", input.WaitTimeSeconds, 0, 20);
    const visibility =
      integer("VisibilityTimeout", input.VisibilityTimeout, 0, 43_200) ??
      Number(queue.attributes.get("VisibilityTimeout") ?? "30");
    const wanted = new Set<string>([...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])]);
    expire(ctx.core, queue);
    const now = ctx.core.clock.nowMs();
    const messages: Message[] = [];
    for (const m of queue.messages) {
      if (messages.length === max) break;
      if (m.visibleAt > now) continue;
      m.receiveCount += 1;
      m.firstReceiveTimestamp ??= now;
      m.visibleAt = now + visibility * 1000;
      m.receiptHandle = receiptHandle(queue, m);
      const system: Record<string, string> = {
        SenderId: ctx.principal.userId,
        SentTimestamp: String(m.sentTimestamp),
        ApproximateReceiveCount: String(m.receiveCount),
        ApproximateFirstReceiveTimestamp: String(m.firstReceiveTimestamp),
      };
      const attributes = wanted.has("All")
        ? system
        : Object.fromEntries(Object.entries(system).filter(([k]) => wanted.has(k)));
      messages.push({
        MessageId: m.messageId,
        ReceiptHandle: m.receiptHandle,
        MD5OfBody: m.md5OfBody,
        Body: m.body,
        ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
      });
    }
    return messages.length > 0 ? { Messages: messages } : {};
  }),

  DeleteMessage: op<DeleteMessageRequest>((ctx, input) => {
    const queue = queueFor(ctx, input.QueueUrl, "DeleteMessage");
    const handle = required("sqs", "MissingParameter", "ReceiptHandle", input.ReceiptHandle);
    const decoded = handle.startsWith(HANDLE_PREFIX)
      ? Buffer.from(handle.slice(HANDLE_PREFIX.length), "base64url").toString("utf8").split("|")
      : [];
    if (decoded.length !== 3 || decoded[0] !== queue.arn) {
      fail("ReceiptHandleIsInvalid", `The input receipt handle "${handle}" is not a valid receipt handle.`);
    }
    // A handle of a message already deleted is accepted, as SQS does.
    const i = queue.messages.findIndex((m) => m.receiptHandle === handle);
    if (i >= 0) queue.messages.splice(i, 1);
    return {};
  }),
};
