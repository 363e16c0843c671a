/**
 * The explain use case on the live chain: tripwire's fix, unauthorized calls, the alarm's
 * notification taken from the SQS queue, then explain, as a responder would run it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseAlarmNotification } from "../../shared/core/alarm-notification.ts";
import { ExplainRefusedError } from "../../shared/core/explain/errors.ts";
import { Reevaluation } from "../../shared/core/explain/event-groups.ts";
import { type ExplainDeps, explainAlarm } from "../../shared/use-cases/explain.ts";
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

async function explainTheAlarm(raw: Parameters<typeof settingsFor>[0] = {}, deps: Partial<ExplainDeps> = {}) {
  const settings = settingsFor(raw, live.org.clock.now());
  const alarm = parseAlarmNotification(await theNotification(live));
  return explainAlarm(alarm, {
    settings,
    factory: factoryFor(live.org, settings),
    now: () => live.org.clock.now(),
    ...deps,
  });
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

describe("explain, on a window FilterLogEvents returns in two pages", () => {
  /** Denied calls of about 200 KB each (a large request): a page of 1 MB holds five of them. */
  const EVENTS = 7;

  beforeEach(async () => {
    const [logGroup] = live.member.logGroupNames(HOME);
    const records = Array.from({ length: EVENTS }, (_, i) => ({
      message: {
        eventVersion: "1.08",
        userIdentity: { type: "AssumedRole", arn: sessionArn(`large-${i}`), accountId: live.member.id },
        eventSource: "sts.amazonaws.com",
        eventName: "AssumeRole",
        errorCode: "AccessDenied",
        sourceIPAddress: "198.51.100.10",
        recipientAccountId: live.member.id,
        requestParameters: { roleSessionName: "x".repeat(200_000) },
        eventID: `00000000-0000-4000-8000-00000000000${i}`,
      },
    }));
    live.member.putLogEvents(HOME, logGroup as string, records, {
      logStreamName: `${live.member.id}_CloudTrail_${HOME}`,
    });
    await letTheAlarmFire(live);
  });

  afterEach(() => {
    live.org.setBeforeCall(undefined);
    vi.restoreAllMocks();
  });

  it("reads the window in two pages", async () => {
    const explanation = await explainTheAlarm();
    expect(explanation.pages).toBe(2);
  });

  it("counts the events of both pages, each once", async () => {
    const explanation = await explainTheAlarm();
    expect(explanation.matched).toBe(EVENTS);
  });

  it("asks for the second page before it has evaluated the events of the first", async () => {
    const admit = vi.spyOn(Reevaluation.prototype, "admit");
    const evaluate = vi.spyOn(Reevaluation.prototype, "evaluate");
    const asked: { admitted: number; evaluated: number }[] = [];
    live.org.setBeforeCall((call) => {
      if (call.operation === "FilterLogEvents") {
        asked.push({ admitted: admit.mock.calls.length, evaluated: evaluate.mock.calls.length });
      }
    });
    await explainTheAlarm();
    expect(asked[1]?.evaluated).toBeLessThan(asked[1]?.admitted as number);
  });

  it("fails with the second page's error when that call fails while the first page is evaluated", async () => {
    let asked = 0;
    live.org.setBeforeCall((call) => {
      if (call.operation === "FilterLogEvents" && ++asked === 2) {
        throw Object.assign(new Error("User is not authorized to perform: logs:FilterLogEvents"), {
          name: "AccessDeniedException",
        });
      }
    });
    await expect(explainTheAlarm()).rejects.toMatchObject({ name: "AccessDeniedException" });
  });

  it("reports progress after each page, with the events kept so far", async () => {
    const progress: unknown[] = [];
    await explainTheAlarm({}, { onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([
      { kept: 5, leftOut: 0, pages: 1 },
      { kept: EVENTS, leftOut: 0, pages: 2 },
    ]);
  });

  it("past --max-events, reads on only to count what it left out", async () => {
    const explanation = await explainTheAlarm({ maxEvents: "3" });
    expect(explanation).toMatchObject({ matched: 3, leftOut: { count: EVENTS - 3, complete: true } });
  });

  it("stops at the cap when told to count nothing beyond it, and says the count is incomplete", async () => {
    const explanation = await explainTheAlarm({ maxEvents: "3" }, { countBeyondCap: 0 });
    expect(explanation).toMatchObject({ pages: 1, matched: 3, leftOut: { count: 2, complete: false } });
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
