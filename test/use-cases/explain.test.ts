/**
 * The explain use case on the live chain: tripwire's fix, unauthorized calls, the alarm's
 * notification taken from the SQS queue, then explain, as a responder would run it.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { parseAlarmNotification } from "../../shared/core/alarm-notification.ts";
import { ExplainRefusedError } from "../../shared/core/explain/errors.ts";
import { explainAlarm } from "../../shared/use-cases/explain.ts";
import {
  deniedCalls,
  factoryFor,
  HOME,
  type LiveOrganization,
  letTheAlarmFire,
  liveOrganization,
  settingsFor,
  theNotification,
} from "../support/explain-harness.ts";

let live: LiveOrganization;

beforeEach(async () => {
  live = await liveOrganization();
});

const sessionArn = (session: string) =>
  `arn:aws:sts::${live.member.id}:assumed-role/OrganizationAccountAccessRole/${session}`;

async function explainTheAlarm(raw: Parameters<typeof settingsFor>[0] = {}) {
  const settings = settingsFor(raw, live.org.clock.now());
  const alarm = parseAlarmNotification(await theNotification(live));
  return explainAlarm(alarm, { settings, factory: factoryFor(live.org, settings), now: () => live.org.clock.now() });
}

describe("explain, after an unauthorized call raised tripwire's alarm", () => {
  beforeEach(async () => {
    await deniedCalls(live, "ci-deployer", 3);
    await deniedCalls(live, "jane");
    await letTheAlarmFire(live);
  });

  it("names who made the calls, what they called and how often", async () => {
    const explanation = await explainTheAlarm();
    expect(explanation.groups).toMatchObject([
      {
        accountId: live.member.id,
        principal: sessionArn("ci-deployer"),
        eventSource: "sts.amazonaws.com",
        eventName: "AssumeRole",
        errorCode: "AccessDenied",
        sourceIPAddress: "198.51.100.10",
        count: 3,
        excludedBy: null,
      },
      { principal: sessionArn("jane"), count: 1 },
    ]);
  });

  it("counts each event once although both of tripwire's filters match it", async () => {
    const explanation = await explainTheAlarm();
    expect(explanation.matched).toBe(4);
  });

  it("asks CloudWatch Logs once, with the v1.2 pattern that includes the v1.4 one", async () => {
    live.org.calls.reset();
    await explainTheAlarm();
    expect(live.org.calls.list().filter((c) => c.operation === "FilterLogEvents")).toHaveLength(1);
  });

  it("sets aside, whole, the group an exclusion matches, and says which exclusion", async () => {
    const exclusion = {
      match: { principal: "arn:aws:sts::*:assumed-role/OrganizationAccountAccessRole/ci-*" },
      reason: "the CI pipeline probes roles before it deploys",
      owner: "platform@example.com",
      expires: "2025-06-30",
    };
    const explanation = await explainTheAlarm({ exclusions: JSON.stringify([exclusion]) });
    expect(explanation).toMatchObject({
      matched: 4,
      excluded: 3,
      groups: [{ count: 3, excludedBy: { index: 0, owner: "platform@example.com" } }, { excludedBy: null }],
    });
  });

  it("reports an expired exclusion, and no longer applies it", async () => {
    const exclusion = {
      match: { eventName: "AssumeRole" },
      reason: "old migration",
      owner: "platform@example.com",
      expires: "2024-12-31",
    };
    const explanation = await explainTheAlarm({ exclusions: JSON.stringify([exclusion]) });
    expect(explanation).toMatchObject({
      excluded: 0,
      expiredExclusions: [{ index: 0, expires: "2024-12-31", wouldHaveExcluded: 4 }],
    });
  });

  it("reads the window of the datapoint the state reason names", async () => {
    const explanation = await explainTheAlarm();
    expect(explanation.window.basis).toMatch(/^the period of the datapoint the state reason names/);
  });

  it("links to the log group's events of that window in the console", async () => {
    const explanation = await explainTheAlarm();
    expect(explanation.consoleUrl).toContain(
      `https://${HOME}.console.aws.amazon.com/cloudwatch/home?region=${HOME}#logsV2:log-groups/log-group/`,
    );
  });
});

describe("explain refuses", () => {
  it("an alarm of an account outside the organization, before reading its chain", async () => {
    await deniedCalls(live, "jane");
    await letTheAlarmFire(live);
    const text = (await theNotification(live)).replaceAll(live.member.id, "999988887777");
    const settings = settingsFor();
    live.org.calls.reset();
    await expect(
      explainAlarm(parseAlarmNotification(text), { settings, factory: factoryFor(live.org, settings) }),
    ).rejects.toMatchObject({ why: "not-a-member" });
    expect(live.org.calls.list().map((c) => c.operation)).toEqual(["DescribeAccount"]);
  });

  it("an alarm on a metric no filter of the account's chain feeds", async () => {
    await deniedCalls(live, "jane");
    await letTheAlarmFire(live);
    const envelope = JSON.parse(await theNotification(live));
    const message = JSON.parse(envelope.Message);
    message.AlarmName = "cpu-high";
    message.Trigger.Namespace = "AWS/EC2";
    message.Trigger.MetricName = "CPUUtilization";
    const settings = settingsFor();
    const error = await explainAlarm(parseAlarmNotification(message), {
      settings,
      factory: factoryFor(live.org, settings),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExplainRefusedError);
    expect((error as ExplainRefusedError).message).toMatch(/^alarm cpu-high is not on a covering filter's metric/);
  });

  it("an account the settings leave out, without asking AWS", async () => {
    await deniedCalls(live, "jane");
    await letTheAlarmFire(live);
    const settings = settingsFor({ excludeAccounts: live.member.id });
    const alarm = parseAlarmNotification(await theNotification(live));
    live.org.calls.reset();
    await expect(explainAlarm(alarm, { settings, factory: factoryFor(live.org, settings) })).rejects.toMatchObject({
      why: "out-of-scope",
    });
    expect(live.org.calls.count()).toBe(0);
  });
});
