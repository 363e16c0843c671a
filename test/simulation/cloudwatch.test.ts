import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
} from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { createSimulatedOrganization, type SimulatedOrganization, scenarios } from "../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../support/simulation-harness.ts";

const REGION = "eu-central-1";

async function memberCloudWatch(org: SimulatedOrganization, accountId: string) {
  return (await factoryFor(org).forAccount(accountId)).cloudWatch(REGION);
}

function alarmInput(name: string, extra: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput {
  return {
    AlarmName: name,
    MetricName: "UnauthorizedAPICalls",
    Namespace: "CISBenchmark",
    Statistic: "Sum",
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    ...extra,
  };
}

describe("simulated CloudWatch alarms", () => {
  it("applies tags only when PutMetricAlarm creates the alarm", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const cw = await memberCloudWatch(org, member.id);

    await cw.send(new PutMetricAlarmCommand(alarmInput("a", { Tags: [{ Key: "owner", Value: "tripwire" }] })));
    await cw.send(
      new PutMetricAlarmCommand(alarmInput("a", { Threshold: 5, Tags: [{ Key: "owner", Value: "someone-else" }] })),
    );
    const described = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ["a"] }));
    const arn = described.MetricAlarms?.[0]?.AlarmArn ?? "";
    const tags = await cw.send(new ListTagsForResourceCommand({ ResourceARN: arn }));

    expect(described.MetricAlarms?.[0]?.Threshold).toBe(5);
    expect(arn).toBe(`arn:aws:cloudwatch:${REGION}:${member.id}:alarm:a`);
    expect(tags.Tags).toEqual([{ Key: "owner", Value: "tripwire" }]);
  });

  it("keeps the alarm state when an alarm is overwritten", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    scenarios.alarm(member, REGION, { alarmName: "a" });
    member.setAlarmState(REGION, "a", "ALARM");
    const cw = await memberCloudWatch(org, member.id);

    await cw.send(new PutMetricAlarmCommand(alarmInput("a", { Threshold: 2 })));

    expect(member.alarm(REGION, "a")).toMatchObject({ StateValue: "ALARM", Threshold: 2 });
  });

  it("pages DescribeAlarms and rejects MaxRecords above 100", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    for (let i = 0; i < 130; i++) scenarios.alarm(member, REGION, { alarmName: `alarm-${String(i).padStart(3, "0")}` });
    const cw = await memberCloudWatch(org, member.id);

    const first = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 100 }));
    const second = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 100, NextToken: first.NextToken }));
    const error = await rejectionOf(cw.send(new DescribeAlarmsCommand({ MaxRecords: 101 })));

    expect(first.MetricAlarms).toHaveLength(100);
    expect(second.MetricAlarms?.[0]?.AlarmName).toBe("alarm-100");
    expect(second.MetricAlarms).toHaveLength(30);
    expect(error.name).toBe("InvalidParameterValueException");
  });

  it("finds alarms for a metric, filtered by statistic", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    scenarios.alarm(member, REGION, { alarmName: "sum" });
    scenarios.alarm(member, REGION, { alarmName: "max", statistic: "Maximum" });
    scenarios.alarm(member, REGION, { alarmName: "other", metricName: "Other" });
    const cw = await memberCloudWatch(org, member.id);

    const all = await cw.send(
      new DescribeAlarmsForMetricCommand({ MetricName: "UnauthorizedAPICalls", Namespace: "CISBenchmark" }),
    );
    const sums = await cw.send(
      new DescribeAlarmsForMetricCommand({
        MetricName: "UnauthorizedAPICalls",
        Namespace: "CISBenchmark",
        Statistic: "Sum",
      }),
    );

    expect(all.MetricAlarms?.map((a) => a.AlarmName)).toEqual(["max", "sum"]);
    expect(sums.MetricAlarms?.map((a) => a.AlarmName)).toEqual(["sum"]);
  });

  it("disables alarm actions and deletes alarms, with ResourceNotFound for a missing one", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    scenarios.alarm(member, REGION, { alarmName: "a" });
    const cw = await memberCloudWatch(org, member.id);

    await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ["a"] }));
    const disabled = member.alarm(REGION, "a")?.ActionsEnabled;
    const missing = await rejectionOf(cw.send(new DeleteAlarmsCommand({ AlarmNames: ["a", "b"] })));
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ["a"] }));

    expect(disabled).toBe(false);
    expect(missing.name).toBe("ResourceNotFound");
    expect(member.alarms(REGION)).toEqual([]);
  });

  it("requires Statistic or ExtendedStatistic, not both", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const cw = await memberCloudWatch(org, member.id);

    const error = await rejectionOf(cw.send(new PutMetricAlarmCommand(alarmInput("a", { ExtendedStatistic: "p99" }))));

    expect(error.name).toBe("InvalidParameterCombinationException");
  });
});
