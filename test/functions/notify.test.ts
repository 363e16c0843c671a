/**
 * The notify function on the live chain: fix subscribes it (a Lambda subscription) to
 * tripwire's topic in the member account; an unauthorized call raises the alarm, SNS invokes
 * the function with the real Lambda SNS event (org.onLambdaInvocation), and the function
 * publishes to the central security alert topic, whose SQS subscriber the test reads.
 */
import { SNSClient } from "@aws-sdk/client-sns";
import type { Context, SNSEvent } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { createNotifyHandler, type NotifyFunctionDeps, PUBLISH_RESERVE_MS } from "../../functions/notify/handler.ts";
import { snsAlertPublisher } from "../../shared/adapters/notify/alert-publisher.ts";
import type { RawSettings } from "../../shared/config/settings.ts";
import type { LambdaInvocation } from "../../shared/simulation/data/data-plane.ts";
import {
  deniedCalls,
  factoryFor,
  HOME,
  type LiveOrganization,
  letTheAlarmFire,
  liveOrganization,
  settingsFor,
} from "../support/explain-harness.ts";

const NOTIFY_ARN = "arn:aws:lambda:us-east-1:111111111111:function:tripwire-prod-notify";
let live: LiveOrganization;
let central: { topicArn: string; queueArn: string };
let lines: string[];
let invocations: LambdaInvocation[];

beforeEach(async () => {
  live = await liveOrganization({ notify: [`lambda:${NOTIFY_ARN}`] });
  const management = live.org.account(live.org.managementAccountId);
  const queue = management.createQueue(HOME, "secops-pager");
  const topicArn = management.createTopic(HOME, "tripwire-prod-unauthorized-api-calls");
  management.subscribe(topicArn, "sqs", queue.arn, { confirmed: true });
  central = { topicArn, queueArn: queue.arn };
  lines = [];
  invocations = [];
  live.org.onLambdaInvocation((invocation) => void invocations.push(invocation));
});

function deps(raw: RawSettings = {}): NotifyFunctionDeps {
  const settings = settingsFor(raw, live.org.clock.now());
  return {
    settings,
    factory: () => factoryFor(live.org, settings, "notify"),
    publisher: (factory) => snsAlertPublisher(factory.caller(SNSClient), central.topicArn),
    now: () => live.org.clock.now(),
    write: (line) => void lines.push(line),
  };
}

const context = (remainingMs = 60_000) =>
  ({
    invokedFunctionArn: NOTIFY_ARN,
    getRemainingTimeInMillis: () => remainingMs,
  }) as unknown as Context;

const invoke = (event: SNSEvent, raw: RawSettings = {}, remainingMs?: number) =>
  createNotifyHandler(() => deps(raw))(event, context(remainingMs));

/** The alarm's Lambda SNS event, as the simulated SNS delivered it to the function. */
async function alarmEvent(): Promise<SNSEvent> {
  await deniedCalls(live, "jane", 2);
  await deniedCalls(live, "ci-deployer", 1);
  await letTheAlarmFire(live);
  const [invocation, ...more] = invocations;
  if (!invocation || more.length > 0) throw new Error(`expected one invocation, got ${invocations.length}`);
  return invocation.event as unknown as SNSEvent;
}

const published = () =>
  live.org
    .account(live.org.managementAccountId)
    .queueMessages(central.queueArn)
    .map((m) => JSON.parse(m.body) as { Subject: string; Message: string });
const summary = () => JSON.parse(lines.at(-1) ?? "{}");

const ciExclusion = {
  match: { principal: "arn:aws:sts::*:assumed-role/OrganizationAccountAccessRole/ci-*" },
  reason: "CI probes roles before deploying",
  owner: "platform@example.com",
  expires: "2025-06-30",
};

describe("notify", () => {
  it("is invoked by SNS once per alarm, through the Lambda subscription fix made", async () => {
    const event = await alarmEvent();
    expect(event.Records[0]?.Sns).toMatchObject({ SigningCertUrl: expect.any(String), Type: "Notification" });
  });

  it("publishes one message whose subject names the account and the top principal, in 100 characters", async () => {
    await invoke(await alarmEvent());
    // With the account's name, 101 characters: the name is left out first.
    expect(published().map((m) => m.Subject)).toEqual([
      `tripwire: 3 unauthorized calls in ${live.member.id} by assumed-role/OrganizationAccountAccessRole/jane`,
    ]);
  });

  it("puts the groups, the window and the console link in the message", async () => {
    await invoke(await alarmEvent());
    const body = published()[0]?.Message ?? "";
    expect(body).toMatch(/^ {6}2 {2}arn:aws:sts::\d{12}:assumed-role\/OrganizationAccountAccessRole\/jane$/m);
    expect(body).toMatch(/^Window: {3}\S+ to \S+$/m);
    expect(body).toContain(`Log events: https://${HOME}.console.aws.amazon.com/cloudwatch/home?region=${HOME}#logsV2:`);
  });

  it("shows the excluded calls apart, with the exclusion's owner, when others still page", async () => {
    await invoke(await alarmEvent(), { exclusions: JSON.stringify([ciExclusion]) });
    expect(published()[0]?.Message).toContain(
      "excluded by exclusions[0]: CI probes roles before deploying (owner platform@example.com, expires 2025-06-30)",
    );
  });

  it("counts the notification as enriched in its EMF summary", async () => {
    await invoke(await alarmEvent());
    expect(summary()).toMatchObject({ Notifications: 1, NotificationsEnriched: 1, NotificationsForwarded: 0 });
  });

  describe("when every matched event is excluded", () => {
    const everyone = [ciExclusion, { ...ciExclusion, match: { principal: "*/jane" }, owner: "sec@example.com" }];

    it("does not page", async () => {
      await invoke(await alarmEvent(), { exclusions: JSON.stringify(everyone) });
      expect(published()).toEqual([]);
    });

    it("logs the suppression with the events each exclusion set aside, and counts it in EMF", async () => {
      await invoke(await alarmEvent(), { exclusions: JSON.stringify(everyone) });
      expect(summary()).toMatchObject({
        NotificationsSuppressed: 1,
        ExcludedEvents: 3,
        notifications: [
          {
            status: "suppressed",
            suppressedBy: [
              { index: 0, owner: "platform@example.com", events: 1 },
              { index: 1, owner: "sec@example.com", events: 2 },
            ],
          },
        ],
      });
      expect(summary()._aws.CloudWatchMetrics[0].Metrics).toContainEqual({
        Name: "NotificationsSuppressed",
        Unit: "Count",
      });
    });

    it("pages again once the exclusions have expired, saying so", async () => {
      const expired = everyone.map((e) => ({ ...e, expires: "2024-12-31" }));
      await invoke(await alarmEvent(), { exclusions: JSON.stringify(expired) });
      expect(published()[0]?.Message).toContain("Expired exclusions (no longer applied; renew or remove them):");
    });
  });

  describe("when the alarm cannot be enriched, it still forwards the original, saying why", () => {
    it("when FilterLogEvents is throttled beyond the retries", async () => {
      const event = await alarmEvent();
      live.org.faults.throttle({ operation: "FilterLogEvents", times: 10 });
      await invoke(event);
      const [message] = published();
      expect(message?.Message).toMatch(
        /^tripwire could not enrich this alarm: FilterLogEvents \(logs us-east-1\): ThrottlingException/,
      );
    });

    it("when the member role cannot be assumed (access)", async () => {
      const event = await alarmEvent();
      live.org.faults.denyAssumeRole(live.member.id);
      await invoke(event);
      expect(published()[0]?.Message).toMatch(/^tripwire could not enrich this alarm: .*AccessDenied/);
    });

    it("when the explanation outlasts its deadline", async () => {
      const event = await alarmEvent();
      live.org.faults.hang({ operation: "FilterLogEvents" });
      await invoke(event, {}, PUBLISH_RESERVE_MS + 1);
      expect(published()[0]?.Message).toMatch(
        /^tripwire could not enrich this alarm: EnrichmentTimeoutError: the explanation took longer than 1 s/,
      );
    });

    it("with the original alarm message in the body", async () => {
      const event = await alarmEvent();
      live.org.faults.throttle({ operation: "FilterLogEvents", times: 10 });
      await invoke(event);
      expect(published()[0]?.Message).toContain('"AlarmName": "tripwire-unauthorized-api-calls"');
    });

    it("and counts it as forwarded", async () => {
      const event = await alarmEvent();
      live.org.faults.throttle({ operation: "FilterLogEvents", times: 10 });
      await invoke(event);
      expect(summary()).toMatchObject({ NotificationsForwarded: 1, level: "WARN" });
    });
  });

  it("forwards an OK notification without explaining it", async () => {
    const event = await alarmEvent();
    const sns = event.Records[0]?.Sns as { Message: string };
    sns.Message = sns.Message.replace('"NewStateValue":"ALARM"', '"NewStateValue":"OK"');
    await invoke(event);
    expect(summary().notifications).toMatchObject([
      { status: "forwarded", reason: expect.stringMatching(/went to OK/) },
    ]);
  });

  it("forwards a message of tripwire's topic that is not an alarm notification", async () => {
    const event = await alarmEvent();
    (event.Records[0]?.Sns as { Message: string }).Message = "hello";
    await invoke(event);
    expect(published()).toHaveLength(1);
  });

  it("drops a message from a topic outside the organization, publishing nothing", async () => {
    const event = await alarmEvent();
    const sns = event.Records[0]?.Sns as { TopicArn: string; Message: string };
    sns.TopicArn = sns.TopicArn.replace(live.member.id, "999988887777");
    sns.Message = sns.Message.replaceAll(live.member.id, "999988887777");
    await invoke(event);
    expect({ published: published(), summary: summary() }).toMatchObject({
      published: [],
      summary: { NotificationsDropped: 1, notifications: [{ status: "dropped" }] },
    });
  });

  it("fails the invocation when the central topic refuses the message, so Lambda retries it", async () => {
    const event = await alarmEvent();
    live.org.faults.fail({ operation: "Publish", error: { name: "AuthorizationErrorException", httpStatusCode: 403 } });
    await expect(invoke(event)).rejects.toThrow(/AuthorizationErrorException/);
  });
});
