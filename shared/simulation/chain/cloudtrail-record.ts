/**
 * The CloudTrail record of a call the simulation answered or refused, in the documented
 * record format (CloudTrail User Guide, "CloudTrail record contents"): userIdentity (with the
 * session issuer for a role session), eventTime, eventSource, eventName, awsRegion,
 * sourceIPAddress, userAgent, errorCode/errorMessage, requestParameters (the input with
 * CloudTrail's lower-camel-case keys), responseElements, requestID, eventID, readOnly,
 * eventType, managementEvent, recipientAccountId, eventCategory, tlsDetails.
 *
 * Which calls are management events, and which are read-only, is decided here (see the two
 * tables below): data events (SNS Publish, SQS messages, CloudWatch Logs event reads and
 * writes, CloudWatch metric data) are not recorded, since no management-event selector would
 * deliver them.
 */
import type { SimulatedCall } from "../call-log.ts";
import type { ServiceId } from "../errors.ts";
import type { Principal, SimulationCore } from "../state.ts";

export const RECORD_EVENT_VERSION = "1.10";

const EVENT_SOURCES: Readonly<Record<ServiceId, string>> = {
  organizations: "organizations.amazonaws.com",
  sts: "sts.amazonaws.com",
  cloudtrail: "cloudtrail.amazonaws.com",
  logs: "logs.amazonaws.com",
  cloudwatch: "monitoring.amazonaws.com",
  sns: "sns.amazonaws.com",
  sqs: "sqs.amazonaws.com",
  kms: "kms.amazonaws.com",
  securityhub: "securityhub.amazonaws.com",
  iam: "iam.amazonaws.com",
};

/**
 * Operations CloudTrail records as data events (or not at all), by service. SNS Publish and
 * the SQS message operations are documented data events; the CloudWatch Logs event reads and
 * writes and the CloudWatch metric data calls are treated the same way here (not confirmed
 * from a stored AWS page for every one of them).
 */
const NOT_MANAGEMENT: Readonly<Partial<Record<ServiceId, ReadonlySet<string>>>> = {
  sns: new Set(["Publish", "PublishBatch"]),
  sqs: new Set([
    "SendMessage",
    "SendMessageBatch",
    "ReceiveMessage",
    "DeleteMessage",
    "DeleteMessageBatch",
    "ChangeMessageVisibility",
    "ChangeMessageVisibilityBatch",
  ]),
  logs: new Set(["PutLogEvents", "GetLogEvents", "FilterLogEvents", "StartLiveTail"]),
  cloudwatch: new Set(["PutMetricData", "GetMetricData", "GetMetricStatistics", "ListMetrics"]),
};

/** Services CloudTrail records as global events, in us-east-1. */
const GLOBAL: ReadonlySet<ServiceId> = new Set(["organizations", "iam"]);

const READ_PREFIX = /^(Describe|Get|List|Lookup|Test|Search|Filter|Receive|Batch(Get|Describe))/;

export interface RecordFacts {
  readonly eventSource: string;
  readonly eventName: string;
  readonly awsRegion: string;
  /** AssumeRole counts as read-only: inferred, AWS does not state it (its EventBridge page treats it so). */
  readonly readOnly: boolean;
  readonly global: boolean;
  readonly errorCode?: string;
  readonly userIdentityArn: string;
}

/** The facts trails select on, or undefined when CloudTrail would not record the call as a management event. */
export function recordFacts(call: SimulatedCall, principal: Principal, error?: Error): RecordFacts | undefined {
  if (NOT_MANAGEMENT[call.service]?.has(call.operation)) return undefined;
  const global = GLOBAL.has(call.service);
  return {
    eventSource: EVENT_SOURCES[call.service],
    eventName: call.operation,
    awsRegion: global ? "us-east-1" : call.region,
    readOnly: READ_PREFIX.test(call.operation) || call.operation === "AssumeRole",
    global,
    ...(error ? { errorCode: error.name } : {}),
    userIdentityArn: principal.arn,
  };
}

/** "RoleArn" → "roleArn", recursively: CloudTrail's spelling of the request. */
function lowerCamel(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(lowerCamel);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || k === "$metadata") continue;
    out[k.charAt(0).toLowerCase() + k.slice(1)] = lowerCamel(v);
  }
  return out;
}

function emptyToNull(value: unknown): unknown {
  return value && typeof value === "object" && Object.keys(value).length > 0 ? value : null;
}

/** What a successful call's record shows of its output: nothing for reads, no secrets. */
function responseElements(call: SimulatedCall, readOnly: boolean, output: object | undefined): unknown {
  if (!output) return null;
  if (call.operation === "AssumeRole") {
    const out = lowerCamel(output) as { credentials?: Record<string, unknown>; assumedRoleUser?: unknown };
    const { secretAccessKey: _secret, ...credentials } = out.credentials ?? {};
    return { credentials, assumedRoleUser: out.assumedRoleUser };
  }
  return readOnly ? null : emptyToNull(lowerCamel(output));
}

function userIdentity(core: SimulationCore, principal: Principal, accessKeyId: string, eventTime: string) {
  if (principal.kind === "user") {
    return {
      type: "IAMUser",
      principalId: principal.userId,
      arn: principal.arn,
      accountId: principal.accountId,
      accessKeyId,
      userName: principal.name,
    };
  }
  return {
    type: "AssumedRole",
    principalId: principal.userId,
    arn: principal.arn,
    accountId: principal.accountId,
    accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: "Role",
        principalId: principal.userId.split(":")[0],
        arn: `arn:${core.partition}:iam::${principal.accountId}:role/${principal.name}`,
        accountId: principal.accountId,
        userName: principal.name,
      },
      webIdFederationData: {},
      // The session's creation time is not kept by the simulation: the call's time stands in.
      attributes: { creationDate: eventTime, mfaAuthenticated: "false" },
    },
  };
}

export interface RecordInput {
  readonly call: SimulatedCall;
  readonly facts: RecordFacts;
  readonly principal: Principal;
  readonly accessKeyId: string;
  readonly requestId: string;
  readonly eventId: string;
  /** Epoch ms; CloudTrail writes whole seconds. */
  readonly eventTimeMs: number;
  readonly sourceIPAddress: string;
  readonly userAgent?: string;
  readonly output?: object;
  readonly error?: Error;
}

/** The record, as the JSON object CloudTrail writes. */
export function buildRecord(core: SimulationCore, input: RecordInput): Record<string, unknown> {
  const { call, facts, principal, error } = input;
  const eventTime = `${new Date(input.eventTimeMs).toISOString().slice(0, 19)}Z`;
  const host = call.endpoint?.replace(/^https?:\/\//, "") ?? `${call.service}.${call.region}.amazonaws.com`;
  return {
    eventVersion: RECORD_EVENT_VERSION,
    userIdentity: userIdentity(core, principal, input.accessKeyId, eventTime),
    eventTime,
    eventSource: facts.eventSource,
    eventName: facts.eventName,
    awsRegion: facts.awsRegion,
    sourceIPAddress: input.sourceIPAddress,
    userAgent: input.userAgent ?? "aws-sdk-js/3",
    ...(error ? { errorCode: error.name, errorMessage: error.message.slice(0, 1024) } : {}),
    requestParameters: emptyToNull(lowerCamel(call.input)),
    responseElements: error ? null : responseElements(call, facts.readOnly, input.output),
    requestID: input.requestId,
    eventID: input.eventId,
    readOnly: facts.readOnly,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: principal.accountId,
    eventCategory: "Management",
    tlsDetails: { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: host },
  };
}
