import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NotAnAlarmNotificationError, parseAlarmNotification } from "../../shared/core/alarm-notification.ts";

const sample = (path: string): Record<string, any> =>
  JSON.parse(readFileSync(new URL(`../../events/${path}`, import.meta.url), "utf8"));

const refusal = (input: unknown): string => {
  try {
    parseAlarmNotification(input);
  } catch (error) {
    if (error instanceof NotAnAlarmNotificationError) return error.message;
    throw error;
  }
  return "accepted";
};

describe("parseAlarmNotification", () => {
  it("reads the alarm from an SNS envelope (an SQS message body), with the topic it came through", () => {
    const alarm = parseAlarmNotification(sample("alarm/sns-envelope.json"));
    expect(alarm).toMatchObject({
      alarmName: "tripwire-unauthorized-api-calls",
      accountId: "222233334444",
      region: "us-east-1",
      newState: "ALARM",
      trigger: { metricName: "UnauthorizedAPICalls", namespace: "tripwire", period: 300, evaluationPeriods: 1 },
      envelope: {
        form: "sns-envelope",
        topicArn: "arn:aws:sns:us-east-1:222233334444:tripwire-unauthorized-api-calls",
      },
    });
  });

  it("reads the Lambda SNS event, which spells SigningCertUrl where the envelope has SigningCertURL", () => {
    const alarm = parseAlarmNotification(sample("lambda/notify-alarm.json"));
    expect(alarm.envelope?.form).toBe("lambda-event");
  });

  it("reads the bare alarm message, whose action lists are strings in some captured samples", () => {
    expect(parseAlarmNotification(sample("alarm/alarm-message.json")).alarmName).toBe(
      "tripwire-unauthorized-api-calls",
    );
  });

  it("reads CloudWatch's +0000 timestamps", () => {
    const alarm = parseAlarmNotification(sample("alarm/alarm-message.json"));
    expect(alarm.stateChangeTime.toISOString()).toBe("2025-03-04T09:11:00.412Z");
  });

  it("reads the datapoint times the state reason names, day first", () => {
    const alarm = parseAlarmNotification(sample("alarm/alarm-message.json"));
    expect(alarm.reasonDatapoints.map((d) => d.toISOString())).toEqual(["2025-03-04T09:05:00.000Z"]);
  });

  it("takes the region code from the alarm's ARN, not the display name", () => {
    const message = sample("alarm/alarm-message.json");
    message.Region = "Somewhere (Nice)";
    expect(parseAlarmNotification(message).region).toBe("us-east-1");
  });

  it("accepts the JSON text as well as the parsed object", () => {
    const text = readFileSync(new URL("../../events/alarm/sns-envelope.json", import.meta.url), "utf8");
    expect(parseAlarmNotification(text).alarmName).toBe("tripwire-unauthorized-api-calls");
  });

  it.each([
    ["a drift event", () => sample("drift/logs-delete-metric-filter.json"), "not an alarm notification: no AlarmName"],
    ["text that is not JSON", () => "ALARM!", "not an alarm notification: the input is not JSON"],
    [
      "an SNS subscription confirmation",
      () => ({ ...sample("alarm/sns-envelope.json"), Type: "SubscriptionConfirmation" }),
      'not an alarm notification: an SNS message of Type "SubscriptionConfirmation"',
    ],
    [
      "an envelope whose Message is not JSON",
      () => ({ ...sample("alarm/sns-envelope.json"), Message: "hello" }),
      "not an alarm notification: the SNS Message is not JSON",
    ],
    [
      "a Lambda event of two records",
      () => {
        const event = sample("lambda/notify-alarm.json");
        return { Records: [event.Records[0], event.Records[0]] };
      },
      "not one alarm notification: the event holds 2 records",
    ],
  ])("refuses %s, saying why", (_what, input, message) => {
    expect(refusal(input())).toBe(message);
  });

  it("refuses an alarm whose account differs from its ARN's", () => {
    const message = { ...sample("alarm/alarm-message.json"), AWSAccountId: "111111111111" };
    expect(refusal(message)).toMatch(/AWSAccountId "111111111111" differs from the AlarmArn's/);
  });

  it("refuses a metric-math alarm, which no one filter feeds", () => {
    const message = sample("alarm/alarm-message.json");
    message.Trigger = { Metrics: [{ Id: "m1" }], Period: 300, EvaluationPeriods: 1, Threshold: 1 };
    expect(refusal(message)).toMatch(/^not a single-metric alarm/);
  });

  it("refuses a StateChangeTime that is not a timestamp", () => {
    expect(refusal({ ...sample("alarm/alarm-message.json"), StateChangeTime: "yesterday" })).toBe(
      'not an alarm notification: StateChangeTime "yesterday" is not a timestamp',
    );
  });
});
