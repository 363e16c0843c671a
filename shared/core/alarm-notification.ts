/**
 * The notification CloudWatch sends when an alarm changes state, in the three forms it reaches
 * people and programs: the SNS envelope (an SQS message body, an HTTP/S POST), the event Lambda
 * receives from an SNS subscription (`Records[].Sns`, which spells `SigningCertUrl` and
 * `UnsubscribeUrl` where the envelope has `...URL`), and the bare alarm message (the envelope's
 * `Message`). AWS publishes no field table for the message; the shape is the one captured
 * notifications agree on (docs/explain.md): timestamps end in `+0000`, `Statistic` is upper
 * case, dimensions have lower-case `name`/`value`, action lists are sometimes strings, the
 * Region is a display name (so the region code is read from `AlarmArn`).
 */

/** The input is not the notification of one CloudWatch metric alarm. The message says why. */
export class NotAnAlarmNotificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotAnAlarmNotificationError";
  }
}

export interface AlarmTrigger {
  readonly metricName: string;
  readonly namespace: string;
  /** As the message writes it ("SUM"), when present. */
  readonly statistic?: string;
  /** Seconds. */
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly threshold: number;
  readonly comparison: string;
  /** Dimension name to value; empty for a metric without dimensions. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly treatMissingData?: string;
}

export interface SnsEnvelopeFacts {
  /** Where the notification came from: an SNS envelope (SQS, HTTP/S) or a Lambda SNS event. */
  readonly form: "sns-envelope" | "lambda-event";
  readonly topicArn?: string;
  readonly messageId?: string;
  readonly subject?: string;
  readonly timestamp?: string;
}

export interface AlarmNotification {
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly partition: string;
  readonly accountId: string;
  /** The region code, from the alarm's ARN. */
  readonly region: string;
  readonly newState: string;
  readonly oldState?: string;
  readonly reason: string;
  readonly stateChangeTime: Date;
  readonly trigger: AlarmTrigger;
  /**
   * The datapoints the state reason names ("[1.0 (01/01/25 00:05:00)]": the start of each
   * period, UTC), oldest first; empty when it names none (SetAlarmState, missing data).
   */
  readonly reasonDatapoints: readonly Date[];
  /** Present when the message came inside an SNS envelope or a Lambda SNS event. */
  readonly envelope?: SnsEnvelopeFacts;
  /** The alarm message as received, to forward unchanged. */
  readonly message: string;
}

const ALARM_ARN = /^arn:(aws[\w-]*):cloudwatch:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):(\d{12}):alarm:(.+)$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(Z|[+-]\d{2}:?\d{2})$/;
const REASON_TIME = /\((\d{2})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})\)/g;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function refuse(why: string): never {
  throw new NotAnAlarmNotificationError(why);
}

/**
 * Reads the alarm from any of the three forms (already parsed from JSON, or the JSON text).
 *
 * @throws NotAnAlarmNotificationError naming what is missing or wrong.
 */
export function parseAlarmNotification(input: unknown): AlarmNotification {
  const value = typeof input === "string" ? parseJson(input, "the input") : input;
  if (!isObject(value)) refuse("not an alarm notification: expected a JSON object");
  if ("Records" in value) return fromLambdaEvent(value);
  if (value.Type !== undefined || (value.Message !== undefined && value.TopicArn !== undefined)) {
    return fromEnvelope(value, "sns-envelope");
  }
  return fromAlarmMessage(value, typeof input === "string" ? input : JSON.stringify(value));
}

function fromLambdaEvent(event: Json): AlarmNotification {
  const records = event.Records;
  if (!Array.isArray(records) || records.length === 0) refuse("not an alarm notification: Records is empty");
  if (records.length > 1) refuse(`not one alarm notification: the event holds ${records.length} records`);
  const [record] = records as unknown[];
  if (!isObject(record) || (record.EventSource ?? record.eventSource) !== "aws:sns" || !isObject(record.Sns)) {
    refuse("not an alarm notification: the record is not an SNS message (EventSource aws:sns, Sns)");
  }
  return fromEnvelope(record.Sns, "lambda-event");
}

function fromEnvelope(envelope: Json, form: SnsEnvelopeFacts["form"]): AlarmNotification {
  if (envelope.Type !== undefined && envelope.Type !== "Notification") {
    refuse(`not an alarm notification: an SNS message of Type ${JSON.stringify(envelope.Type)}`);
  }
  const message = envelope.Message;
  if (typeof message !== "string") refuse("not an alarm notification: the SNS message has no Message text");
  const facts: SnsEnvelopeFacts = {
    form,
    ...(typeof envelope.TopicArn === "string" ? { topicArn: envelope.TopicArn } : {}),
    ...(typeof envelope.MessageId === "string" ? { messageId: envelope.MessageId } : {}),
    ...(typeof envelope.Subject === "string" ? { subject: envelope.Subject } : {}),
    ...(typeof envelope.Timestamp === "string" ? { timestamp: envelope.Timestamp } : {}),
  };
  const parsed = parseJson(message, "the SNS Message");
  if (!isObject(parsed)) refuse("not an alarm notification: the SNS Message is not a JSON object");
  return { ...fromAlarmMessage(parsed, message), envelope: facts };
}

function fromAlarmMessage(m: Json, text: string): AlarmNotification {
  const name = m.AlarmName;
  if (typeof name !== "string" || name === "") refuse("not an alarm notification: no AlarmName");
  const arn = m.AlarmArn;
  const parts = typeof arn === "string" ? ALARM_ARN.exec(arn) : null;
  if (!parts) refuse(`not an alarm notification: AlarmArn ${JSON.stringify(arn)} is not a CloudWatch alarm ARN`);
  const [, partition, region, accountId] = parts as unknown as [string, string, string, string];
  if (m.AWSAccountId !== undefined && m.AWSAccountId !== accountId) {
    refuse(`not an alarm notification: AWSAccountId ${JSON.stringify(m.AWSAccountId)} differs from the AlarmArn's`);
  }
  const newState = m.NewStateValue;
  if (typeof newState !== "string") refuse("not an alarm notification: no NewStateValue");
  const stateChangeTime = parseAwsTimestamp(m.StateChangeTime, "StateChangeTime");
  const reason = typeof m.NewStateReason === "string" ? m.NewStateReason : "";
  return {
    alarmName: name,
    alarmArn: arn as string,
    partition,
    accountId,
    region,
    newState,
    ...(typeof m.OldStateValue === "string" ? { oldState: m.OldStateValue } : {}),
    reason,
    stateChangeTime,
    trigger: parseTrigger(m.Trigger),
    reasonDatapoints: reasonDatapoints(reason),
    message: text,
  };
}

function parseTrigger(trigger: unknown): AlarmTrigger {
  if (!isObject(trigger)) refuse("not an alarm notification: no Trigger");
  const { MetricName: metricName, Namespace: namespace } = trigger;
  if (typeof metricName !== "string" || typeof namespace !== "string") {
    refuse(
      trigger.Metrics !== undefined
        ? "not a single-metric alarm: its Trigger has Metrics (metric math), which no one filter feeds"
        : "not an alarm notification: the Trigger has no MetricName and Namespace",
    );
  }
  const period = positiveInteger(trigger.Period, "Trigger.Period");
  const evaluationPeriods = positiveInteger(trigger.EvaluationPeriods, "Trigger.EvaluationPeriods");
  const threshold = typeof trigger.Threshold === "string" ? Number(trigger.Threshold) : trigger.Threshold;
  if (typeof threshold !== "number" || !Number.isFinite(threshold)) {
    refuse("not an alarm notification: Trigger.Threshold is not a number");
  }
  const comparison = trigger.ComparisonOperator;
  if (typeof comparison !== "string") refuse("not an alarm notification: no Trigger.ComparisonOperator");
  const datapoints = trigger.DatapointsToAlarm;
  return {
    metricName,
    namespace,
    ...(typeof trigger.Statistic === "string" && trigger.Statistic !== "" ? { statistic: trigger.Statistic } : {}),
    period,
    evaluationPeriods,
    ...(datapoints === undefined || datapoints === null
      ? {}
      : { datapointsToAlarm: positiveInteger(datapoints, "Trigger.DatapointsToAlarm") }),
    threshold,
    comparison,
    dimensions: parseDimensions(trigger.Dimensions),
    ...(typeof trigger.TreatMissingData === "string" ? { treatMissingData: trigger.TreatMissingData } : {}),
  };
}

function parseDimensions(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value)) refuse("not an alarm notification: Trigger.Dimensions is not a list");
  const out: Record<string, string> = {};
  for (const d of value) {
    const name = isObject(d) ? (d.name ?? d.Name) : undefined;
    const v = isObject(d) ? (d.value ?? d.Value) : undefined;
    if (typeof name !== "string" || typeof v !== "string") {
      refuse("not an alarm notification: a Trigger dimension lacks name or value");
    }
    out[name] = v;
  }
  return out;
}

function positiveInteger(value: unknown, field: string): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    refuse(`not an alarm notification: ${field} is not a positive whole number`);
  }
  return n;
}

/** `2024-07-05T15:20:44.959+0000` (CloudWatch's form), or with `Z` or `+00:00`. */
export function parseAwsTimestamp(value: unknown, field: string): Date {
  const m = typeof value === "string" ? TIMESTAMP.exec(value) : null;
  const zone = m?.[2] === "Z" ? "Z" : m?.[2]?.replace(/^([+-]\d{2}):?(\d{2})$/, "$1:$2");
  const date = m ? new Date(`${m[1]}${zone}`) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    refuse(`not an alarm notification: ${field} ${JSON.stringify(value)} is not a timestamp`);
  }
  return date;
}

/** The `(dd/mm/yy HH:MM:SS)` times of a state reason, oldest first. */
function reasonDatapoints(reason: string): Date[] {
  const times: Date[] = [];
  for (const m of reason.matchAll(REASON_TIME)) {
    const [dd, mm, yy, hh, mi, ss] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    const t = Date.UTC(2000 + yy, mm - 1, dd, hh, mi, ss);
    const date = new Date(t);
    // 31/02 and the like are not times CloudWatch writes: ignore rather than roll over.
    if (date.getUTCDate() === dd && date.getUTCMonth() === mm - 1) times.push(date);
  }
  return times.sort((a, b) => a.getTime() - b.getTime());
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return refuse(`not an alarm notification: ${what} is not JSON`);
  }
}
