/**
 * tripwire on the simulated organization with its live chain on: what `fix` puts in place
 * really raises the alarm and notifies on a real-shaped unauthorized call, and a drift made
 * through the API reaches the heal use case as EventBridge would deliver it.
 */
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, DeleteMetricFilterCommand } from "@aws-sdk/client-cloudwatch-logs";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { beforeEach, describe, expect, it } from "vitest";
import { ownAlarmName, ownFilterName } from "../../shared/core/naming.ts";
import {
  createSimulatedOrganization,
  ORGANIZATION_ACCESS_ROLE,
  type SimulatedAccount,
  type SimulatedOrganization,
} from "../../shared/simulation/index.ts";
import { type HealOutcome, healFromEvent } from "../../shared/use-cases/heal.ts";
import { factoryFor, settingsFor, trailLogGroup } from "../support/heal-harness.ts";
import { HOME, OTHER, scenarios, sweep } from "../support/integration-harness.ts";

const DELAY = 300_000;
const PERIOD = 300_000;

let org: SimulatedOrganization;
let member: SimulatedAccount;
let queue: { url: string; arn: string };
let notify: string;

beforeEach(() => {
  org = createSimulatedOrganization({ regions: [HOME, OTHER], liveChain: { deliveryDelayMs: DELAY } });
  member = org.addAccount({ name: "workload" });
  scenarios.bareAccount(member, HOME);
  queue = org.account(org.managementAccountId).createQueue(HOME, "security-alerts");
  notify = `sqs:${queue.arn}`;
});

function client<T extends { middlewareStack: unknown }>(c: T): T {
  org.instrument(c as never);
  return c;
}

/** An AssumeRole of a role that does not exist, from a session of the member: denied with AccessDenied. */
async function unauthorizedCall(): Promise<string> {
  const sts = client(
    new STSClient({
      region: HOME,
      maxAttempts: 1,
      credentials: org.credentialsFor(member.id, { role: ORGANIZATION_ACCESS_ROLE, sessionName: "tripwire-prove" }),
    }),
  );
  try {
    await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${member.id}:role/tripwire-prove-canary`,
        RoleSessionName: "tripwire-prove",
      }),
    );
  } catch (error) {
    return (error as Error).name;
  }
  return "allowed";
}

async function alarmState(): Promise<string | undefined> {
  const cloudWatch = (await factoryFor(org, settingsFor({ notify: [notify] })).forAccount(member.id)).cloudWatch(HOME);
  const out = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [ownAlarmName("tripwire")] }));
  return out.MetricAlarms?.[0]?.StateValue;
}

async function receivedNotifications(): Promise<Record<string, any>[]> {
  const sqs = client(
    new SQSClient({ region: HOME, maxAttempts: 1, credentials: org.credentialsFor(org.managementAccountId) }),
  );
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10 }));
  return (out.Messages ?? []).map((m) => JSON.parse(m.Body ?? "{}"));
}

describe("after tripwire's fix, on the live chain", () => {
  beforeEach(async () => {
    const report = await sweep(org, "fix", { accounts: member.id, notify: [notify] });
    expect(report.accounts.map((a) => a.status)).toEqual(["COMPLIANT"]);
  });

  it("raises tripwire's alarm and notifies the SQS endpoint on an unauthorized call", async () => {
    const denied = await unauthorizedCall();

    await org.clock.sleep(DELAY + PERIOD);

    expect(denied).toBe("AccessDenied");
    expect(await alarmState()).toBe("ALARM");
    const [notification] = await receivedNotifications();
    expect(notification).toMatchObject({
      Type: "Notification",
      Subject: `ALARM: "${ownAlarmName("tripwire")}" in US East (N. Virginia)`,
    });
    expect(JSON.parse(notification?.Message ?? "{}")).toMatchObject({
      AlarmName: ownAlarmName("tripwire"),
      AWSAccountId: member.id,
      NewStateValue: "ALARM",
      Trigger: { MetricName: "UnauthorizedAPICalls", Namespace: "tripwire" },
    });
  });

  it("keeps the alarm quiet and the queue empty when no unauthorized call is made", async () => {
    await org.clock.sleep(DELAY + PERIOD);

    expect(await alarmState()).toBe("OK");
    expect(await receivedNotifications()).toEqual([]);
  });
});

describe("a drift made through the API, on the live chain", () => {
  it("reaches the heal use case as an EventBridge event, which puts the filter back", async () => {
    const settings = settingsFor({ notify: [notify] });
    await sweep(org, "fix", { accounts: member.id, notify: [notify] });
    const logGroup = trailLogGroup(member);
    const filter = ownFilterName("tripwire", "cis-v1.2");
    const outcomes: HealOutcome[] = [];
    org.onCloudTrailEvent(async (event) => {
      outcomes.push(await healFromEvent(event, { settings, factory: factoryFor(org, settings, "heal") }));
    });
    const logs = client(
      new CloudWatchLogsClient({ region: HOME, maxAttempts: 1, credentials: org.credentialsFor(member.id, "jane") }),
    );

    await logs.send(new DeleteMetricFilterCommand({ logGroupName: logGroup, filterName: filter }));
    await org.clock.sleep(0);

    expect(outcomes.find((o) => o.status !== "ignored")?.status).toBe("healed");
    expect(member.metricFilters(HOME, logGroup).map((f) => f.filterName)).toContain(filter);
  });
});
