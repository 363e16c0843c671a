/**
 * How each hop of a proof is recognised in what AWS returns (pure): the canary's CloudTrail
 * record among a log group's events, an alarm's state change and action in its history, the
 * alarm notification in an SQS message. Each function finds what it is given or says
 * nothing: a hop is confirmed by what was seen, never by what should have happened.
 */

/**
 * The canary's record, narrowed by CloudWatch Logs: denied STS AssumeRole calls. The request
 * id is matched exactly afterwards, so one read of a shared log group (an organization trail's)
 * serves every account proven through it.
 */
export const CANARY_RECORD_PATTERN =
  '{ ($.eventSource = "sts.amazonaws.com") && ($.eventName = "AssumeRole") && ($.errorCode = "AccessDenied*") }';

/** How far before the canary a record's eventTime may be (clocks differ) and still be looked for. */
export const CLOCK_SKEW_MS = 300_000;

export interface LogEventView {
  readonly eventId?: string;
  readonly logStreamName?: string;
  readonly timestamp?: number;
  readonly ingestionTime?: number;
  readonly message: string;
}

export interface CanaryFacts {
  readonly requestId: string;
  /** Epoch ms of the call, on the caller's clock. */
  readonly at: number;
  /** The identity that made it (from the error message), when known. */
  readonly caller?: string;
}

export interface FoundRecord {
  readonly event: LogEventView;
  readonly record: Record<string, unknown>;
  /** Epoch ms of the record's eventTime. */
  readonly eventTime: number;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * The canary's record among `events`: its requestID equals the call's request id. Where a
 * record carries no requestID, the caller's ARN and an eventTime within a minute of the call
 * identify it instead (never both missing: then it is not the canary's).
 */
export function findCanaryRecord(events: readonly LogEventView[], canary: CanaryFacts): FoundRecord | undefined {
  for (const event of events) {
    const record = asRecord(parseJson(event.message));
    if (!record) continue;
    if (record.eventSource !== "sts.amazonaws.com" || record.eventName !== "AssumeRole") continue;
    if (typeof record.errorCode !== "string" || !record.errorCode.startsWith("AccessDenied")) continue;
    const eventTime = Date.parse(String(record.eventTime ?? ""));
    const byRequest = typeof record.requestID === "string" && record.requestID === canary.requestId;
    const identity = asRecord(record.userIdentity);
    const byCaller =
      record.requestID === undefined &&
      canary.caller !== undefined &&
      identity?.arn === canary.caller &&
      Math.abs(eventTime - canary.at) <= 60_000;
    if (byRequest || byCaller) return { event, record, eventTime };
  }
  return undefined;
}

/** The start of the minute a datapoint of `ms` is counted in (metric filters count at the event's time). */
export function minuteOf(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

/** "2025-01-01T00:05:00.000+0000" (CloudWatch's form) or ISO 8601 → epoch ms; NaN when neither. */
export function parseAwsTimestamp(text: unknown): number {
  if (typeof text !== "string") return Number.NaN;
  return Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
}

export interface HistoryItemView {
  readonly alarmName: string;
  /** Epoch ms. */
  readonly timestamp: number;
  readonly type: string;
  readonly summary: string;
  readonly data?: string;
}

/** Whether a StateUpdate item moved the alarm to ALARM (HistoryData's newState, else the summary). */
function isChangeToAlarm(item: HistoryItemView): boolean {
  return item.type === "StateUpdate" && newStateOf(item) === "ALARM";
}

/** The first change to ALARM at or after `since` (epoch ms), oldest first. */
export function alarmFiredAfter(items: readonly HistoryItemView[], since: number): HistoryItemView | undefined {
  return [...items]
    .filter((i) => i.timestamp >= since && isChangeToAlarm(i))
    .sort((a, b) => a.timestamp - b.timestamp)[0];
}

/** The state a StateUpdate item moved the alarm to (HistoryData's newState, else the summary). */
function newStateOf(item: HistoryItemView): string | undefined {
  const data = asRecord(parseJson(item.data ?? ""));
  const state = asRecord(data?.newState)?.stateValue;
  if (typeof state === "string") return state;
  return / to ([A-Z_]+)$/.exec(item.summary)?.[1];
}

/**
 * When the alarm was in ALARM at `at`: the state change that put it there (the last one before
 * `at`). Undefined when it was in another state, or when the history does not say.
 */
export function inAlarmAt(items: readonly HistoryItemView[], at: number): HistoryItemView | undefined {
  const last = items
    .filter((i) => i.type === "StateUpdate" && i.timestamp < at)
    .sort((a, b) => a.timestamp - b.timestamp)
    .pop();
  return last && newStateOf(last) === "ALARM" ? last : undefined;
}

export type ActionOutcome =
  | { readonly executed: HistoryItemView; readonly topicArn: string }
  | { readonly failed: readonly HistoryItemView[] }
  | undefined;

/**
 * What the alarm's history says of its SNS actions at or after `since` (the change to ALARM):
 * a success for one of `topics` ("Successfully executed action <arn>"), or, when every topic
 * has a failure item and none a success, those failures. Undefined while neither is seen.
 */
export function actionOutcome(
  items: readonly HistoryItemView[],
  since: number,
  topics: readonly string[],
): ActionOutcome {
  const actions = items.filter((i) => i.type === "Action" && i.timestamp >= since);
  for (const item of [...actions].sort((a, b) => a.timestamp - b.timestamp)) {
    const topic = topics.find((t) => item.summary === `Successfully executed action ${t}`);
    if (topic) return { executed: item, topicArn: topic };
  }
  const failed = topics.map((t) => actions.find((i) => i.summary.startsWith(`Failed to execute action ${t}`)));
  if (topics.length > 0 && failed.every((f) => f !== undefined)) return { failed: failed as HistoryItemView[] };
  return undefined;
}

export interface NotificationMatch {
  readonly messageId?: string;
  readonly stateChangeTime: string;
  /** When SNS sent it (the envelope's Timestamp), when the body is an envelope. */
  readonly sentAt?: string;
}

/**
 * Whether an SQS message body is the alarm's notification of its change to ALARM at or after
 * `since`: the SNS envelope of `topicArn` (or, with raw delivery, the notification itself)
 * whose Message names the alarm, NewStateValue ALARM and a StateChangeTime not before `since`.
 */
export function matchNotification(
  body: string,
  expected: { readonly alarmName: string; readonly topicArn: string; readonly since: number },
): NotificationMatch | undefined {
  const outer = asRecord(parseJson(body));
  if (!outer) return undefined;
  const envelope = outer.Type === "Notification" ? outer : undefined;
  if (envelope && envelope.TopicArn !== expected.topicArn) return undefined;
  const message = envelope ? asRecord(parseJson(String(envelope.Message ?? ""))) : outer;
  if (!message || message.AlarmName !== expected.alarmName || message.NewStateValue !== "ALARM") return undefined;
  const changed = parseAwsTimestamp(message.StateChangeTime);
  if (!(changed >= expected.since)) return undefined;
  return {
    ...(typeof envelope?.MessageId === "string" ? { messageId: envelope.MessageId } : {}),
    stateChangeTime: String(message.StateChangeTime),
    ...(typeof envelope?.Timestamp === "string" ? { sentAt: envelope.Timestamp } : {}),
  };
}

/** The caller named by an AccessDenied message ("User: <arn> is not authorized to perform: ..."). */
export function callerInDenial(message: string): string | undefined {
  return /^User: (\S+) is not authorized/.exec(message)?.[1];
}
