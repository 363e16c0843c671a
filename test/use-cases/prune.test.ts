/** Prune on the simulated organization: removes what tripwire made, and only that. */
import { beforeEach, describe, expect, it } from "vitest";
import { ownAlarmName, ownFilterName, ownTopicArn } from "../../shared/core/naming.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import { runPrune } from "../../shared/use-cases/prune.ts";
import {
  factoryFor,
  fixSampleMember,
  HOME,
  organizationWithSampleMember,
  SAMPLE_ACCOUNT,
  scenarios,
  settingsFor,
  trailLogGroup,
  writeCalls,
} from "../support/heal-harness.ts";

let org: SimulatedOrganization;
let member: SimulatedAccount;
let logGroup: string;

beforeEach(async () => {
  ({ org, member } = organizationWithSampleMember());
  logGroup = trailLogGroup(member);
  // The customer's own chain beside tripwire's: a filter, an alarm and a topic of their own.
  scenarios.metricFilter(member, HOME, { logGroupName: logGroup, filterName: "cis-unauthorized" });
  member.putMetricAlarm(HOME, {
    AlarmName: "tripwire-lookalike-without-tag",
    MetricName: "Other",
    Namespace: "Custom",
    Statistic: "Sum",
    Period: 300,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
  });
  member.createTopic(HOME, "tripwire-lookalike-topic");
  await fixSampleMember(org);
  org.calls.reset();
});

const prune = (raw = {}) => {
  const settings = settingsFor({ accounts: [SAMPLE_ACCOUNT], ...raw });
  return runPrune({ settings, factory: factoryFor(org, settings) });
};

describe("prune", () => {
  it("deletes tripwire's alarm, filters and topic", async () => {
    await prune();
    expect(member.alarm(HOME, ownAlarmName("tripwire"))).toBeUndefined();
    expect(member.metricFilters(HOME, logGroup).map((f) => f.filterName)).toEqual(["cis-unauthorized"]);
    expect(member.topicArns(HOME)).not.toContain(ownTopicArn("aws", HOME, SAMPLE_ACCOUNT, "tripwire"));
  });

  it("keeps a customer's resources that only share the prefix, without the managed-by tag", async () => {
    await prune();
    expect(member.alarm(HOME, "tripwire-lookalike-without-tag")?.AlarmName).toBe("tripwire-lookalike-without-tag");
    expect(member.topicArns(HOME).some((a) => a.endsWith(":tripwire-lookalike-topic"))).toBe(true);
  });

  it("deletes the alarm before the filters and the topic", async () => {
    await prune();
    expect(writeCalls(org).map((c) => c.split(":")[2])).toEqual([
      "DeleteAlarms",
      "DeleteMetricFilter",
      "DeleteMetricFilter",
      "DeleteTopic",
    ]);
  });

  it("reports what it deleted", async () => {
    const report = await prune();
    expect(report.summary).toEqual({ deleted: 4, planned: 0, errors: 0 });
    expect(report.accounts[0]?.status).toBe("PRUNED");
  });

  it("lists but writes nothing in a dry run", async () => {
    const report = await prune({ dryRun: true });
    expect(writeCalls(org)).toEqual([]);
    expect(report.summary).toEqual({ deleted: 0, planned: 4, errors: 0 });
  });

  it("finds nothing on a second run", async () => {
    await prune();
    const second = await prune();
    expect(second.accounts[0]?.status).toBe("NOTHING_TO_PRUNE");
  });

  it("keeps a customer's filter whose name starts with the prefix, on another log group", async () => {
    member.createLogGroup(HOME, "app-logs");
    scenarios.metricFilter(member, HOME, {
      logGroupName: "app-logs",
      filterName: "tripwire-app-errors",
      pattern: "ERROR",
      metricName: "Errors",
      namespace: "App",
    });
    await prune();
    expect(member.metricFilters(HOME, "app-logs").map((f) => f.filterName)).toEqual(["tripwire-app-errors"]);
  });

  it("keeps a customer's filter of tripwire's exact name whose pattern is not tripwire's", async () => {
    const name = ownFilterName("tripwire", "cis-v1.2");
    scenarios.metricFilter(member, HOME, {
      logGroupName: logGroup,
      filterName: name,
      pattern: '{ $.eventName = "ConsoleLogin" }',
      metricName: "UnauthorizedAPICalls",
      namespace: "tripwire",
    });
    await prune();
    expect(member.metricFilters(HOME, logGroup).map((f) => f.filterName)).toContain(name);
  });

  it("keeps a customer's alarm of tripwire's exact name without the managed-by tag", async () => {
    member.deleteAlarm(HOME, ownAlarmName("tripwire"));
    scenarios.alarm(member, HOME, { alarmName: ownAlarmName("tripwire") });
    await prune();
    expect(member.alarm(HOME, ownAlarmName("tripwire"))?.AlarmName).toBe(ownAlarmName("tripwire"));
  });

  it("keeps a customer's topic of tripwire's exact name without the managed-by tag", async () => {
    const arn = ownTopicArn("aws", HOME, SAMPLE_ACCOUNT, "tripwire");
    member.deleteTopic(arn);
    member.createTopic(HOME, "tripwire-unauthorized-api-calls");
    await prune();
    expect(member.topicArns(HOME)).toContain(arn);
  });

  it("deletes tripwire's filters on a log group the trail no longer delivers to", async () => {
    member.createLogGroup(HOME, "new-trail-logs");
    member.setTrailLogGroup(member.trails()[0]?.TrailARN ?? "", member.logGroupArn(HOME, "new-trail-logs"));
    await prune();
    expect(member.metricFilters(HOME, logGroup).map((f) => f.filterName)).toEqual(["cis-unauthorized"]);
  });

  it("reports an account whose role cannot be assumed as an error, and goes on", async () => {
    const other = org.addAccount({ name: "locked" });
    other.removeRole("OrganizationAccountAccessRole");
    const report = await prune({ accounts: [SAMPLE_ACCOUNT, other.id] });
    expect(report.accounts.map((a) => a.status)).toEqual(["PRUNED", "ERROR"]);
  });
});
