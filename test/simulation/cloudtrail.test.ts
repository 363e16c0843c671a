import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
} from "@aws-sdk/client-cloudtrail";
import { describe, expect, it } from "vitest";
import { createSimulatedOrganization, scenarios } from "../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../support/simulation-harness.ts";

describe("simulated CloudTrail", () => {
  it("shows a member its multi-region trail as a shadow in other regions, and the organization trail", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const own = scenarios.trail(member, "us-east-1");
    const orgTrail = scenarios.organizationTrail(org, "us-east-1");
    const clients = await factoryFor(org).forAccount(member.id);

    const out = await clients.cloudTrail("eu-west-1").send(new DescribeTrailsCommand({}));

    const byArn = new Map(out.trailList?.map((t) => [t.TrailARN, t]));
    expect(byArn.get(own.trailArn)).toMatchObject({
      HomeRegion: "us-east-1",
      IsMultiRegionTrail: true,
      IsOrganizationTrail: false,
    });
    expect(byArn.get(orgTrail.trailArn)).toMatchObject({
      HomeRegion: "us-east-1",
      IsOrganizationTrail: true,
      CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${org.managementAccountId}:log-group:aws-controltower/CloudTrailLogs:*`,
    });
  });

  it("hides shadow and organization trails when includeShadowTrails is false", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    scenarios.trail(member, "us-east-1");
    scenarios.organizationTrail(org, "us-east-1");
    const clients = await factoryFor(org).forAccount(member.id);

    const out = await clients.cloudTrail("eu-west-1").send(new DescribeTrailsCommand({ includeShadowTrails: false }));

    expect(out.trailList).toEqual([]);
  });

  it("does not show a single-region trail outside its home region", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    scenarios.trail(member, "us-east-1", { multiRegion: false });
    const clients = await factoryFor(org).forAccount(member.id);

    const out = await clients.cloudTrail("eu-west-1").send(new DescribeTrailsCommand({}));

    expect(out.trailList).toEqual([]);
  });

  it("gives the status of a shadow trail by ARN, and TrailNotFoundException by name", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const t = scenarios.trail(member, "us-east-1", { logging: true });
    const cloudTrail = (await factoryFor(org).forAccount(member.id)).cloudTrail("eu-west-1");

    const status = await cloudTrail.send(new GetTrailStatusCommand({ Name: t.trailArn }));
    const byName = await rejectionOf(cloudTrail.send(new GetTrailStatusCommand({ Name: t.trailName })));

    expect(status.IsLogging).toBe(true);
    expect(status.LatestCloudWatchLogsDeliveryTime).toBeInstanceOf(Date);
    expect(byName.name).toBe("TrailNotFoundException");
  });

  it("reports a CloudWatch Logs delivery error once the trail's log group is gone", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const t = scenarios.trail(member, "us-east-1");
    member.deleteLogGroup("us-east-1", t.logGroupName ?? "");
    const cloudTrail = (await factoryFor(org).forAccount(member.id)).cloudTrail("us-east-1");

    const status = await cloudTrail.send(new GetTrailStatusCommand({ Name: t.trailName }));

    expect(status.LatestCloudWatchLogsDeliveryError).toMatch(/ResourceNotFoundException/);
    expect(status.LatestCloudWatchLogsDeliveryTime).toBeUndefined();
  });

  it("returns basic selectors for WriteOnly trails and advanced selectors when configured", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const writeOnly = scenarios.trail(member, "us-east-1", { name: "write-only", selectors: "writeOnly" });
    const advanced = scenarios.trail(member, "us-east-1", {
      name: "advanced",
      selectors: "advancedManagement",
      logGroup: "adv",
    });
    const cloudTrail = (await factoryFor(org).forAccount(member.id)).cloudTrail("us-east-1");

    const basic = await cloudTrail.send(new GetEventSelectorsCommand({ TrailName: writeOnly.trailName }));
    const adv = await cloudTrail.send(new GetEventSelectorsCommand({ TrailName: advanced.trailArn }));

    expect(basic.EventSelectors?.[0]).toMatchObject({ ReadWriteType: "WriteOnly", IncludeManagementEvents: true });
    expect(adv.EventSelectors).toBeUndefined();
    expect(adv.AdvancedEventSelectors?.[0]?.FieldSelectors).toEqual([
      { Field: "eventCategory", Equals: ["Management"] },
    ]);
  });

  it("refuses to change a trail outside its home region with InvalidHomeRegionException", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const t = scenarios.trail(member, "us-east-1");
    const cloudTrail = (await factoryFor(org).forAccount(member.id)).cloudTrail("eu-west-1");

    const error = await rejectionOf(cloudTrail.send(new StopLoggingCommand({ Name: t.trailArn })));

    expect(error.name).toBe("InvalidHomeRegionException");
    expect(member.isLogging(t.trailArn)).toBe(true);
  });

  it("refuses a member's change to the organization trail", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const t = scenarios.organizationTrail(org, "us-east-1");
    const cloudTrail = (await factoryFor(org).forAccount(member.id)).cloudTrail("us-east-1");

    const error = await rejectionOf(
      cloudTrail.send(new UpdateTrailCommand({ Name: t.trailArn, IsMultiRegionTrail: false })),
    );

    expect(error.name).toBe("NotOrganizationMasterAccountException");
  });

  it("stops logging through the API in the home region", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const t = scenarios.trail(member, "us-east-1");
    const cloudTrail = (await factoryFor(org).forAccount(member.id)).cloudTrail("us-east-1");

    await cloudTrail.send(new StopLoggingCommand({ Name: t.trailName }));

    expect(member.isLogging(t.trailArn)).toBe(false);
  });

  it("names Control Tower and console log groups as those tools do", () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ id: "123456789012", name: "member" });

    const consoleTrail = scenarios.trail(member, "us-east-1");
    const ct = scenarios.trail(member, "eu-west-1", { style: "controlTower" });

    expect(consoleTrail.logGroupName).toMatch(/^aws-cloudtrail-logs-123456789012-[0-9a-f]{8}$/);
    expect(ct.logGroupName).toBe("aws-controltower/CloudTrailLogs");
    expect(ct.logGroupArn).toBe("arn:aws:logs:eu-west-1:123456789012:log-group:aws-controltower/CloudTrailLogs:*");
  });
});
