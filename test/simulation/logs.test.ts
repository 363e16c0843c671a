import {
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  PutMetricFilterCommand,
  type PutMetricFilterCommandInput,
  ResourceNotFoundException,
} from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import { createSimulatedOrganization, type SimulatedOrganization, scenarios } from "../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../support/simulation-harness.ts";

const REGION = "us-east-1";

async function memberLogs(org: SimulatedOrganization, accountId: string, maxAttempts = 3) {
  return (await factoryFor(org, { maxAttempts }).forAccount(accountId)).logs(REGION);
}

function filterInput(
  logGroupName: string,
  filterName: string,
  pattern = scenarios.CIS_V12_PATTERN,
): PutMetricFilterCommandInput {
  return {
    logGroupName,
    filterName,
    filterPattern: pattern,
    metricTransformations: [{ metricName: "UnauthorizedAPICalls", metricNamespace: "CISBenchmark", metricValue: "1" }],
  };
}

describe("simulated CloudWatch Logs", () => {
  it("answers DescribeMetricFilters on a missing log group with ResourceNotFoundException", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const logs = await memberLogs(org, member.id);

    const error = await rejectionOf(logs.send(new DescribeMetricFiltersCommand({ logGroupName: "nope" })));

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.name).toBe("ResourceNotFoundException");
  });

  it("overwrites a metric filter of the same name instead of adding one", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const t = scenarios.bareAccount(member, REGION);
    const group = t.logGroupName ?? "";
    const logs = await memberLogs(org, member.id);

    await logs.send(new PutMetricFilterCommand(filterInput(group, "cis", '{ $.errorCode = "x" }')));
    await logs.send(new PutMetricFilterCommand(filterInput(group, "cis")));
    const out = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group }));

    expect(out.metricFilters).toHaveLength(1);
    expect(out.metricFilters?.[0]).toMatchObject({
      filterName: "cis",
      filterPattern: scenarios.CIS_V12_PATTERN,
      logGroupName: group,
    });
  });

  it("refuses a 101st filter on a log group with LimitExceededException but still overwrites existing ones", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const group = scenarios.bareAccount(member, REGION).logGroupName ?? "";
    for (let i = 0; i < 100; i++) member.putMetricFilter(REGION, filterInput(group, `f-${String(i).padStart(3, "0")}`));
    // LimitExceededException is in the SDK's throttling list: one attempt keeps the test fast and exact.
    const logs = await memberLogs(org, member.id, 1);

    const error = await rejectionOf(logs.send(new PutMetricFilterCommand(filterInput(group, "one-too-many"))));
    await logs.send(new PutMetricFilterCommand(filterInput(group, "f-000", '{ $.eventName = "x" }')));

    expect(error.name).toBe("LimitExceededException");
    expect(member.metricFilters(REGION, group)).toHaveLength(100);
  });

  it("pages DescribeMetricFilters at most 50 at a time and rejects a larger limit", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const group = scenarios.bareAccount(member, REGION).logGroupName ?? "";
    for (let i = 0; i < 60; i++) member.putMetricFilter(REGION, filterInput(group, `f-${i}`));
    const logs = await memberLogs(org, member.id, 1);

    const first = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group }));
    const second = await logs.send(
      new DescribeMetricFiltersCommand({ logGroupName: group, nextToken: first.nextToken }),
    );
    const tooBig = await rejectionOf(logs.send(new DescribeMetricFiltersCommand({ logGroupName: group, limit: 51 })));

    expect(first.metricFilters).toHaveLength(50);
    expect(second.metricFilters).toHaveLength(10);
    expect(second.nextToken).toBeUndefined();
    expect(tooBig.name).toBe("InvalidParameterException");
  });

  it("finds filters by metric name and namespace across log groups", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    member.createLogGroup(REGION, "a");
    member.createLogGroup(REGION, "b");
    scenarios.metricFilter(member, REGION, { logGroupName: "a", metricName: "Mine" });
    scenarios.metricFilter(member, REGION, { logGroupName: "b", metricName: "Other" });
    const logs = await memberLogs(org, member.id);

    const out = await logs.send(
      new DescribeMetricFiltersCommand({ metricName: "Mine", metricNamespace: "CISBenchmark" }),
    );

    expect(out.metricFilters?.map((f) => f.logGroupName)).toEqual(["a"]);
  });

  it("rejects a filter pattern longer than 1024 characters with InvalidParameterException", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const group = scenarios.bareAccount(member, REGION).logGroupName ?? "";
    const logs = await memberLogs(org, member.id);

    const error = await rejectionOf(
      logs.send(new PutMetricFilterCommand(filterInput(group, "long", `{ $.a = "${"x".repeat(1020)}" }`))),
    );

    expect(error.name).toBe("InvalidParameterException");
  });

  it("answers PutMetricFilter on a missing log group with ResourceNotFoundException", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const logs = await memberLogs(org, member.id);

    const error = await rejectionOf(logs.send(new PutMetricFilterCommand(filterInput("missing", "cis"))));

    expect(error.name).toBe("ResourceNotFoundException");
  });

  it("lists log groups by prefix with CloudTrail-style ARNs", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ id: "123456789012", name: "member" });
    member.createLogGroup(REGION, "aws-controltower/CloudTrailLogs");
    member.createLogGroup(REGION, "app/logs");
    const logs = await memberLogs(org, member.id);

    const out = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "aws-controltower" }));

    expect(out.logGroups).toHaveLength(1);
    expect(out.logGroups?.[0]).toMatchObject({
      logGroupName: "aws-controltower/CloudTrailLogs",
      arn: "arn:aws:logs:us-east-1:123456789012:log-group:aws-controltower/CloudTrailLogs:*",
      metricFilterCount: 0,
    });
  });
});
