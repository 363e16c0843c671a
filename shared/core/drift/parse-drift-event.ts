/**
 * Pure validation of an EventBridge event that should carry a drift event: its shape, its
 * consistency (envelope and CloudTrail record agree on account and region), and what it is.
 * No AWS call: membership of the account is checked by the use case.
 */
import { CLOUDTRAIL_DETAIL_TYPE, type DriftEventSource, healKind, isDriftEvent } from "./drift-events.ts";
import { MalformedEventError, NotADriftEventError, RegionOutOfScopeError } from "./heal-errors.ts";

/** Who made the call, from `detail.userIdentity`. */
export interface DriftActor {
  readonly type: string;
  readonly arn?: string;
  /** For an assumed-role session: the role's name (without path). */
  readonly roleName?: string;
  readonly sessionName?: string;
  /** For an assumed-role session: the ARN of the role that issued it, `sessionContext.sessionIssuer.arn`. */
  readonly issuerArn?: string;
}

export interface DriftEvent {
  /** EventBridge event id. */
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly eventSource: DriftEventSource;
  readonly eventName: string;
  /** When the call was made (CloudTrail `eventTime`): the start of the heal latency. */
  readonly eventTime: Date;
  readonly kind: "repair" | "report";
  readonly actor: DriftActor;
  /** Set when the call failed: nothing changed, so nothing to heal. */
  readonly errorCode?: string;
}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Validates the event; throws MalformedEventError or NotADriftEventError. */
export function parseDriftEvent(event: unknown): DriftEvent {
  const envelope = record(event, "the event");
  const detailType = text(envelope, "detail-type");
  if (detailType !== CLOUDTRAIL_DETAIL_TYPE) {
    throw new MalformedEventError(`detail-type is ${JSON.stringify(detailType)}, expected "${CLOUDTRAIL_DETAIL_TYPE}"`);
  }
  const id = text(envelope, "id");
  const account = text(envelope, "account");
  if (!ACCOUNT_ID.test(account))
    throw new MalformedEventError(`account ${JSON.stringify(account)} is not a 12-digit account id`);
  const region = text(envelope, "region");
  if (!REGION.test(region)) throw new MalformedEventError(`region ${JSON.stringify(region)} is not a region name`);
  text(envelope, "source");

  const detail = record(envelope.detail, "detail");
  const eventSource = text(detail, "eventSource", "detail.");
  const eventName = text(detail, "eventName", "detail.");
  const recipient = optionalText(detail, "recipientAccountId", "detail.");
  if (recipient !== undefined && recipient !== account) {
    throw new MalformedEventError(`detail.recipientAccountId ${recipient} differs from account ${account}`);
  }
  const awsRegion = optionalText(detail, "awsRegion", "detail.");
  if (awsRegion !== undefined && awsRegion !== region) {
    throw new MalformedEventError(`detail.awsRegion ${awsRegion} differs from region ${region}`);
  }
  const eventTime = new Date(optionalText(detail, "eventTime", "detail.") ?? text(envelope, "time"));
  if (Number.isNaN(eventTime.getTime())) throw new MalformedEventError("detail.eventTime is not a time");
  const actor = parseActor(record(detail.userIdentity, "detail.userIdentity"));
  const errorCode = optionalText(detail, "errorCode", "detail.");

  if (!isDriftEvent(eventSource, eventName)) throw new NotADriftEventError(eventSource, eventName);
  return {
    id,
    account,
    region,
    eventSource,
    eventName,
    eventTime,
    kind: healKind(eventSource),
    actor,
    ...(errorCode ? { errorCode } : {}),
  };
}

/** Throws RegionOutOfScopeError when regions are configured and the event's is not one of them. */
export function assertRegionInScope(event: DriftEvent, regions: readonly string[] | undefined): void {
  if (regions && !regions.includes(event.region)) throw new RegionOutOfScopeError(event.region, regions);
}

function parseActor(identity: Record<string, unknown>): DriftActor {
  const type = text(identity, "type", "detail.userIdentity.");
  const arn = optionalText(identity, "arn", "detail.userIdentity.");
  if (type !== "AssumedRole") return { type, ...(arn ? { arn } : {}) };
  // arn:aws:sts::123456789012:assumed-role/RoleName/SessionName (the role's path is not in it)
  const match = arn ? /^arn:[\w-]+:sts::\d{12}:assumed-role\/([^/]+)\/(.+)$/.exec(arn) : null;
  const context = identity.sessionContext;
  const issuer =
    typeof context === "object" && context !== null ? (context as Record<string, unknown>).sessionIssuer : undefined;
  const issuerArn = typeof issuer === "object" && issuer !== null ? (issuer as Record<string, unknown>).arn : undefined;
  return {
    type,
    ...(arn ? { arn } : {}),
    ...(match ? { roleName: match[1], sessionName: match[2] } : {}),
    ...(typeof issuerArn === "string" && issuerArn !== "" ? { issuerArn } : {}),
  };
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new MalformedEventError(`${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function text(from: Record<string, unknown>, key: string, path = ""): string {
  const value = from[key];
  if (typeof value !== "string" || value === "")
    throw new MalformedEventError(`${path}${key} is missing or not a string`);
  return value;
}

function optionalText(from: Record<string, unknown>, key: string, path = ""): string | undefined {
  const value = from[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new MalformedEventError(`${path}${key} is not a string`);
  return value;
}
