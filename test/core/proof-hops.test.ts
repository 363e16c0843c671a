import { describe, expect, it } from "vitest";
import { parseFilterPattern } from "../../shared/core/filter-pattern/index.ts";
import {
  actionOutcome,
  alarmFiredAfter,
  CANARY_RECORD_PATTERN,
  callerInDenial,
  findCanaryRecord,
  type HistoryItemView,
  inAlarmAt,
  matchNotification,
  parseAwsTimestamp,
} from "../../shared/core/proof-hops.ts";

const CALLER = "arn:aws:sts::200000000001:assumed-role/tripwire-member/tripwire-prove";
const ROLE = "arn:aws:iam::200000000001:role/tripwire-prove-canary";
const T0 = Date.parse("2025-01-01T00:00:00Z");

/** A denied AssumeRole record in the shape of research's failed-AssumeRole fixtures (requestParameters null). */
function denial(requestID: string | undefined, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    eventVersion: "1.10",
    userIdentity: { type: "AssumedRole", arn: CALLER, accountId: "200000000001" },
    eventTime: "2025-01-01T00:00:00Z",
    eventSource: "sts.amazonaws.com",
    eventName: "AssumeRole",
    awsRegion: "us-east-1",
    errorCode: "AccessDenied",
    errorMessage: `User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
    requestParameters: null,
    ...(requestID === undefined ? {} : { requestID }),
    eventType: "AwsApiCall",
    managementEvent: true,
    ...fields,
  });
}

describe("the canary's record", () => {
  it("is matched by the CloudWatch Logs pattern the proof narrows with", () => {
    expect(parseFilterPattern(CANARY_RECORD_PATTERN).test(denial("r-1"))).toBe(true);
  });

  it("is found by its request id among other denials", () => {
    const found = findCanaryRecord([{ message: denial("r-other") }, { message: denial("r-1"), eventId: "e1" }], {
      requestId: "r-1",
      at: T0,
    });
    expect(found?.event.eventId).toBe("e1");
  });

  it("is not another request's record", () => {
    expect(
      findCanaryRecord([{ message: denial("r-other") }], { requestId: "r-1", at: T0, caller: CALLER }),
    ).toBeUndefined();
  });

  it("without a requestID, is found by the caller and a time within a minute of the call", () => {
    const found = findCanaryRecord([{ message: denial(undefined) }], {
      requestId: "r-1",
      at: T0 + 30_000,
      caller: CALLER,
    });
    expect(found?.eventTime).toBe(T0);
  });

  it("is not a successful AssumeRole with the same request id", () => {
    expect(
      findCanaryRecord([{ message: denial("r-1", { errorCode: undefined }) }], { requestId: "r-1", at: T0 }),
    ).toBeUndefined();
  });
});

const item = (type: string, at: number, summary: string, data?: unknown): HistoryItemView => ({
  alarmName: "a",
  timestamp: at,
  type,
  summary,
  ...(data === undefined ? {} : { data: JSON.stringify(data) }),
});

describe("the alarm's history", () => {
  const toAlarm = (at: number) =>
    item("StateUpdate", at, "Alarm updated from OK to ALARM", { newState: { stateValue: "ALARM" } });
  const toOk = (at: number) =>
    item("StateUpdate", at, "Alarm updated from ALARM to OK", { newState: { stateValue: "OK" } });

  it("shows the first change to ALARM at or after the given time", () => {
    expect(alarmFiredAfter([toAlarm(T0 - 1), toOk(T0 + 1), toAlarm(T0 + 2), toAlarm(T0 + 3)], T0)?.timestamp).toBe(
      T0 + 2,
    );
  });

  it("shows no change to ALARM when there was none after the time", () => {
    expect(alarmFiredAfter([toAlarm(T0 - 1), toOk(T0 + 1)], T0)).toBeUndefined();
  });

  it("reads the new state from the summary when HistoryData says nothing", () => {
    expect(
      alarmFiredAfter([item("StateUpdate", T0, "Alarm updated from INSUFFICIENT_DATA to ALARM")], T0),
    ).toBeDefined();
  });

  it("says the alarm was in ALARM at a time when its last change before it was to ALARM", () => {
    expect(inAlarmAt([toOk(T0 - 5), toAlarm(T0 - 2), toOk(T0 + 1)], T0)?.timestamp).toBe(T0 - 2);
  });

  it("says nothing of ALARM at a time when its last change before it was to OK", () => {
    expect(inAlarmAt([toAlarm(T0 - 5), toOk(T0 - 2)], T0)).toBeUndefined();
  });

  const topic = "arn:aws:sns:us-east-1:200000000001:alerts";

  it("shows the action that published to one of the topics", () => {
    const outcome = actionOutcome([item("Action", T0, `Successfully executed action ${topic}`)], T0, [topic]);
    expect(outcome).toMatchObject({ topicArn: topic });
  });

  it("shows the failures when every topic's action failed", () => {
    const failed = item("Action", T0, `Failed to execute action ${topic}. Received error: "Topic does not exist"`);
    expect(actionOutcome([failed], T0, [topic])).toEqual({ failed: [failed] });
  });

  it("shows nothing while an action before the change to ALARM is all there is", () => {
    expect(
      actionOutcome([item("Action", T0 - 1, `Successfully executed action ${topic}`)], T0, [topic]),
    ).toBeUndefined();
  });
});

describe("the alarm notification in an SQS message", () => {
  const topicArn = "arn:aws:sns:us-east-1:200000000001:alerts";
  const notification = (stateChangeTime: string, alarmName = "a") => ({
    AlarmName: alarmName,
    NewStateValue: "ALARM",
    StateChangeTime: stateChangeTime,
  });
  const envelope = (message: object, topic = topicArn) =>
    JSON.stringify({ Type: "Notification", MessageId: "m-1", TopicArn: topic, Message: JSON.stringify(message) });
  const expected = { alarmName: "a", topicArn, since: T0 };

  it("is the envelope of the topic naming the alarm's change to ALARM since the time", () => {
    expect(matchNotification(envelope(notification("2025-01-01T00:00:05.000+0000")), expected)).toMatchObject({
      messageId: "m-1",
    });
  });

  it("is also the raw notification, without the envelope", () => {
    expect(matchNotification(JSON.stringify(notification("2025-01-01T00:00:05.000+0000")), expected)).toBeDefined();
  });

  it("is not an older notification of the same alarm", () => {
    expect(matchNotification(envelope(notification("2024-12-31T23:59:59.000+0000")), expected)).toBeUndefined();
  });

  it("is not another topic's message", () => {
    expect(
      matchNotification(envelope(notification("2025-01-01T00:00:05.000+0000"), "arn:x"), expected),
    ).toBeUndefined();
  });

  it("is not another alarm's notification", () => {
    expect(matchNotification(envelope(notification("2025-01-01T00:00:05.000+0000", "b")), expected)).toBeUndefined();
  });
});

describe("small readings", () => {
  it("parses CloudWatch's +0000 timestamps", () => {
    expect(parseAwsTimestamp("2025-01-01T00:05:00.000+0000")).toBe(Date.parse("2025-01-01T00:05:00Z"));
  });

  it("reads the caller from a denial message", () => {
    expect(callerInDenial(`User: ${CALLER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`)).toBe(
      CALLER,
    );
  });
});
