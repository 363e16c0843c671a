import {
  type CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DisableAlarmActionsCommand,
  SetAlarmStateCommand,
} from "@aws-sdk/client-cloudwatch";
import { beforeEach, describe, expect, it } from "vitest";
import {
  createSimulatedOrganization,
  type SimulatedAccount,
  type SimulatedOrganization,
  scenarios,
} from "../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../support/simulation-harness.ts";

const REGION = "us-east-1";

let org: SimulatedOrganization;
let account: SimulatedAccount;
let cloudWatch: CloudWatchClient;
let topicArn: string;
let queueUrl: string;
const ALARM = "unauthorized-api-calls-alarm";

beforeEach(async () => {
  org = createSimulatedOrganization({ regions: [REGION] });
  account = org.account(org.managementAccountId);
  const queue = account.createQueue(REGION, "inbox");
  queueUrl = queue.url;
  topicArn = scenarios.topic(account, REGION, { subscriptions: [{ protocol: "sqs", endpoint: queue.arn }] }).topicArn;
  scenarios.alarm(account, REGION, { actions: [topicArn] });
  cloudWatch = (await factoryFor(org).forAccount(account.id)).cloudWatch(REGION);
});

async function setAlarm(): Promise<void> {
  await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: "ALARM", StateReason: "testing" }));
}

async function history(type?: "StateUpdate" | "Action") {
  const out = await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: ALARM, HistoryItemType: type }));
  return out.AlarmHistoryItems ?? [];
}

describe("an alarm state change through SetAlarmState", () => {
  it("sets the state and the reason DescribeAlarms shows", async () => {
    await setAlarm();

    const out = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [ALARM] }));

    expect(out.MetricAlarms?.[0]).toMatchObject({ StateValue: "ALARM", StateReason: "testing" });
  });

  it("records a StateUpdate item with the old and the new state", async () => {
    await setAlarm();

    const [item] = await history("StateUpdate");

    expect(item?.HistorySummary).toBe("Alarm updated from INSUFFICIENT_DATA to ALARM");
    expect(JSON.parse(item?.HistoryData ?? "")).toMatchObject({
      version: "1.0",
      oldState: { stateValue: "INSUFFICIENT_DATA" },
      newState: { stateValue: "ALARM", stateReason: "testing" },
    });
  });

  it("publishes the alarm notification to the topic and records the action as a success", async () => {
    await setAlarm();

    const [action] = await history("Action");
    const body = JSON.parse(account.queueMessages(queueUrl)[0]?.body ?? "{}");

    expect(action?.HistorySummary).toBe(`Successfully executed action ${topicArn}`);
    expect(body.Subject).toBe(`ALARM: "${ALARM}" in US East (N. Virginia)`);
    expect(JSON.parse(body.Message)).toMatchObject({
      AlarmName: ALARM,
      AWSAccountId: account.id,
      NewStateValue: "ALARM",
      NewStateReason: "testing",
      OldStateValue: "INSUFFICIENT_DATA",
      Region: "US East (N. Virginia)",
      StateChangeTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
      Trigger: { MetricName: "UnauthorizedAPICalls", Statistic: "SUM", Period: 300, Threshold: 1, Dimensions: [] },
    });
  });

  it("executes no action when the alarm's actions are disabled", async () => {
    await cloudWatch.send(new DisableAlarmActionsCommand({ AlarmNames: [ALARM] }));

    await setAlarm();

    expect(await history("Action")).toEqual([]);
    expect(account.queueMessages(queueUrl)).toEqual([]);
  });

  it("records a failed action when the topic no longer exists", async () => {
    account.deleteTopic(topicArn);

    await setAlarm();

    const [action] = await history("Action");
    expect(action?.HistorySummary).toMatch(new RegExp(`^Failed to execute action ${topicArn}\\. Received error: `));
  });

  it("records a failed action when the topic is encrypted with the AWS managed SNS key", async () => {
    account.setTopicAttribute(topicArn, "KmsMasterKeyId", "alias/aws/sns");

    await setAlarm();

    const [action] = await history("Action");
    expect(action?.HistorySummary).toContain("does not have authorization to access the SNS topic encryption key");
  });

  it("makes no history when the alarm is already in that state", async () => {
    await setAlarm();
    await setAlarm();

    expect(await history("StateUpdate")).toHaveLength(1);
  });

  it("answers ResourceNotFound for an alarm that does not exist", async () => {
    const error = await rejectionOf(
      cloudWatch.send(new SetAlarmStateCommand({ AlarmName: "nope", StateValue: "OK", StateReason: "x" })),
    );

    expect(error.name).toBe("ResourceNotFound");
  });
});

describe("simulated DescribeAlarmHistory", () => {
  it("lists the newest item first and pages with MaxRecords and NextToken", async () => {
    for (const state of ["ALARM", "OK", "ALARM", "OK"] as const) {
      await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: state, StateReason: state }));
      org.clock.advance(1000);
    }

    const first = await cloudWatch.send(
      new DescribeAlarmHistoryCommand({ AlarmName: ALARM, HistoryItemType: "StateUpdate", MaxRecords: 3 }),
    );
    const second = await cloudWatch.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: ALARM,
        HistoryItemType: "StateUpdate",
        MaxRecords: 3,
        NextToken: first.NextToken,
      }),
    );

    expect(first.AlarmHistoryItems?.map((i) => i.HistorySummary)).toEqual([
      "Alarm updated from ALARM to OK",
      "Alarm updated from OK to ALARM",
      "Alarm updated from ALARM to OK",
    ]);
    expect(second.AlarmHistoryItems?.map((i) => i.HistorySummary)).toEqual([
      "Alarm updated from INSUFFICIENT_DATA to ALARM",
    ]);
    expect(second.NextToken).toBeUndefined();
  });

  it("keeps the history of a deleted alarm", async () => {
    await setAlarm();
    account.deleteAlarm(REGION, ALARM);

    expect(await history("StateUpdate")).toHaveLength(1);
  });

  it("returns the oldest item first with ScanBy TimestampAscending", async () => {
    await setAlarm();
    org.clock.advance(1000);
    await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: "OK", StateReason: "back" }));

    const out = await cloudWatch.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: ALARM,
        HistoryItemType: "StateUpdate",
        ScanBy: "TimestampAscending",
      }),
    );

    expect(out.AlarmHistoryItems?.[0]?.HistorySummary).toBe("Alarm updated from INSUFFICIENT_DATA to ALARM");
  });
});
