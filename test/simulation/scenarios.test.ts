import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeAlarmsForMetricCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeMetricFiltersCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetTopicAttributesCommand } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { createSimulatedOrganization, scenarios } from "../../shared/simulation/index.ts";
import { factoryFor } from "../support/simulation-harness.ts";

const REGION = "us-west-2";

describe("scenario builders", () => {
  it("compliantV12 builds the whole chain as Security Hub CloudWatch.2 expects it", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const fixture = scenarios.compliantV12(member, REGION);
    const clients = await factoryFor(org).forAccount(member.id);

    const trails = await clients.cloudTrail(REGION).send(new DescribeTrailsCommand({}));
    const status = await clients.cloudTrail(REGION).send(new GetTrailStatusCommand({ Name: fixture.trail.trailArn }));
    const selectors = await clients
      .cloudTrail(REGION)
      .send(new GetEventSelectorsCommand({ TrailName: fixture.trail.trailArn }));
    const filters = await clients
      .logs(REGION)
      .send(new DescribeMetricFiltersCommand({ logGroupName: fixture.trail.logGroupName }));
    const alarms = await clients.cloudWatch(REGION).send(
      new DescribeAlarmsForMetricCommand({
        MetricName: fixture.filter.metricName,
        Namespace: fixture.filter.namespace,
      }),
    );
    const topic = await clients.sns(REGION).send(new GetTopicAttributesCommand({ TopicArn: fixture.topic.topicArn }));

    expect(trails.trailList?.[0]).toMatchObject({
      IsMultiRegionTrail: true,
      CloudWatchLogsLogGroupArn: fixture.trail.logGroupArn,
    });
    expect(status.IsLogging).toBe(true);
    expect(selectors.EventSelectors?.[0]).toMatchObject({ ReadWriteType: "All", IncludeManagementEvents: true });
    expect(filters.metricFilters?.[0]?.filterPattern).toBe(
      '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
    );
    expect(alarms.MetricAlarms?.[0]).toMatchObject({
      Statistic: "Sum",
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      ActionsEnabled: true,
      AlarmActions: [fixture.topic.topicArn],
    });
    expect(topic.Attributes?.SubscriptionsConfirmed).toBe("1");
  });

  it("bareAccount leaves a good trail and an empty log group", () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });

    const fixture = scenarios.bareAccount(member, REGION);

    expect(member.isLogging(fixture.trailArn)).toBe(true);
    expect(member.metricFilters(REGION, fixture.logGroupName)).toEqual([]);
    expect(member.alarms(REGION)).toEqual([]);
    expect(member.topicArns(REGION)).toEqual([]);
  });

  it("builds a trail without CloudWatch Logs delivery, not logging", () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });

    const fixture = scenarios.trail(member, REGION, { logGroup: false, logging: false, selectors: "none" });

    expect(fixture.logGroupArn).toBeUndefined();
    expect(member.trail(fixture.trailArn)?.CloudWatchLogsLogGroupArn).toBeUndefined();
    expect(member.isLogging(fixture.trailArn)).toBe(false);
    expect(member.eventSelectors(fixture.trailArn).basic?.[0]?.IncludeManagementEvents).toBe(false);
  });

  it("keeps regions nobody touched free of state", () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });

    scenarios.bareAccount(member, REGION);

    expect(member.touchedRegions()).toEqual([REGION]);
  });
});
