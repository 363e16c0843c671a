/**
 * `prove` on the simulated organization with its live chain on: the canary is a real-shaped
 * denied call, recorded by CloudTrail, delivered to the trail's log group after five minutes,
 * counted by the metric filters, evaluated by the alarm, published to the topic and delivered to
 * its SQS subscriber. Each broken link fails the proof at its own hop; links are broken between
 * the scan and the canaries, where the scan cannot see them.
 */
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { beforeEach, describe, expect, it } from "vitest";
import { loadSettings } from "../../shared/config/settings.ts";
import { ownAlarmName } from "../../shared/core/naming.ts";
import { PROOF_HOPS } from "../../shared/core/proof-record.ts";
import { buildProveReport } from "../../shared/core/proof-run.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import { DEFAULT_POLL_INTERVAL_MS, fireCanaries, prepareProof, waitForProofs } from "../../shared/use-cases/prove.ts";
import { HOME, scenarios, sweep } from "../support/integration-harness.ts";
import { canaryCalls, DELIVERY_MS, liveOrganization, prove, recordOf, TIMEOUT_MS } from "../support/prove-harness.ts";

let org: SimulatedOrganization;
let member: SimulatedAccount;
let queue: { url: string; arn: string };

const ALARM = ownAlarmName("tripwire");

beforeEach(() => {
  org = liveOrganization();
  member = org.addAccount({ name: "workload" });
  queue = org.account(org.managementAccountId).createQueue(HOME, "security-alerts");
});

async function fixMember(): Promise<void> {
  scenarios.bareAccount(member, HOME);
  const report = await sweep(org, "fix", { accounts: member.id, notify: [`sqs:${queue.arn}`] });
  if (report.accounts[0]?.status !== "COMPLIANT") throw new Error("arrangement: fix did not make the member compliant");
}

const scope = () => ({ accounts: member.id });
const trailArn = () => member.trails()[0]?.TrailARN ?? "";
const topicArn = () => member.topicArns(HOME)[0] ?? "";

describe("after tripwire's fix", () => {
  beforeEach(fixMember);

  it("proves the account: fix's alarm fires on the denied canary and notifies, every hop in order", async () => {
    const record = recordOf(await prove(org, scope()), member.id);

    expect(record.status).toBe("PROVEN");
    expect(record.hops.map((h) => `${h.code}:${h.ok}`)).toEqual(PROOF_HOPS.map((c) => `${c}:true`));
  });

  it("finds in the log group the CloudTrail record of the canary's very request", async () => {
    const record = recordOf(await prove(org, scope()), member.id);

    const [canary, delivered] = record.hops;
    expect(delivered?.evidence.requestId).toBe(canary?.evidence.requestId);
  });

  it("sees the record arrive after CloudTrail's delivery delay, not before", async () => {
    const record = recordOf(await prove(org, scope()), member.id);

    const [canary, delivered] = record.hops;
    expect(Date.parse(delivered?.at ?? "") - Date.parse(canary?.at ?? "")).toBe(DELIVERY_MS);
  });

  it("reads the alarm notification from the SQS subscriber, and leaves it in the queue", async () => {
    const record = recordOf(await prove(org, scope()), member.id);

    expect(record.hops[5]?.evidence).toMatchObject({ queueArn: queue.arn });
    expect(org.account(org.managementAccountId).queueMessages(queue.arn)).toHaveLength(1);
  });

  it("makes the canary from a session named tripwire-prove, through the chain's region", async () => {
    const record = recordOf(await prove(org, scope()), member.id);

    expect(record.hops[0]?.evidence).toMatchObject({
      region: HOME,
      caller: `arn:aws:sts::${member.id}:assumed-role/OrganizationAccountAccessRole/tripwire-prove`,
    });
  });

  it("fails at DELIVERED_TO_LOG_GROUP when the trail stops logging before the canary", async () => {
    const report = await prove(org, scope(), { beforeCanaries: () => member.setLogging(trailArn(), false) });

    expect(recordOf(report, member.id)).toMatchObject({ status: "FAILED", failedHop: "DELIVERED_TO_LOG_GROUP" });
  });

  it("fails at ACTION_EXECUTED when the alarm's actions are disabled before the canary", async () => {
    const report = await prove(org, scope(), {
      beforeCanaries: () => member.setAlarmActionsEnabled(HOME, ALARM, false),
    });

    expect(recordOf(report, member.id)).toMatchObject({ status: "FAILED", failedHop: "ACTION_EXECUTED" });
  });

  it("fails at ACTION_EXECUTED, with the alarm's failure, when the topic is deleted before the canary", async () => {
    const topic = topicArn();
    const report = await prove(org, scope(), { beforeCanaries: () => member.deleteTopic(topic) });

    const record = recordOf(report, member.id);
    expect(record).toMatchObject({ status: "FAILED", failedHop: "ACTION_EXECUTED" });
    expect(record.hops[4]?.evidence.failures).toEqual([
      `Failed to execute action ${topic}. Received error: "Topic does not exist"`,
    ]);
  });

  it("fails at NOTIFICATION_RECEIVED when the topic's last subscriber leaves before the canary", async () => {
    const report = await prove(org, scope(), {
      beforeCanaries: () => {
        for (const s of member.subscriptions(topicArn())) member.unsubscribe(s.arn);
      },
    });

    const record = recordOf(report, member.id);
    expect(record).toMatchObject({ status: "FAILED", failedHop: "NOTIFICATION_RECEIVED" });
    expect(record.hops[5]?.evidence.reason).toMatch(/no confirmed subscription: nobody receives it/);
  });

  it("fails at ALARM_FIRED, saying so, when the alarm is already in ALARM when the record arrives", async () => {
    await prove(org, scope());

    const again = recordOf(await prove(org, scope()), member.id);

    expect(again).toMatchObject({ status: "FAILED", failedHop: "ALARM_FIRED" });
    expect(again.hops[3]?.evidence).toMatchObject({ alreadyInAlarm: ALARM });
  });

  it("refuses to call a role named like the canary's that exists, and reports the account ERROR", async () => {
    member.addRole("tripwire-prove-canary", { trustedAccountIds: [member.id] });

    const record = recordOf(await prove(org, scope()), member.id);

    expect(record).toMatchObject({
      status: "ERROR",
      reason: `a role named tripwire-prove-canary exists in account ${member.id}: tripwire will not call it`,
    });
    expect(canaryCalls(org)).toBe(0);
  });

  it("fails honestly at CANARY_DENIED when STS lets the canary through", async () => {
    // What an emulator that enforces no deny does; here a role trusting the caller appears
    // between the check that it does not exist and the canary.
    const report = await prove(org, scope(), {
      beforeCanaries: () =>
        org.setBeforeCall((call) => {
          if (call.operation === "AssumeRole" && String(call.input.RoleArn).endsWith("/tripwire-prove-canary"))
            member.addRole("tripwire-prove-canary", { trustedAccountIds: [member.id] });
        }),
    });

    expect(recordOf(report, member.id)).toMatchObject({ status: "FAILED", failedHop: "CANARY_DENIED" });
  });
});

describe("an account with a documented exemption", () => {
  it("is SKIPPED, reported EXEMPT with the exemption's reason, and no canary is fired for it", async () => {
    await fixMember();
    const exemptions = [
      { account: member.id, reason: "being closed in Q2", owner: "platform team", expires: "2025-06-30" },
    ];
    const settings = loadSettings({
      cli: { accounts: member.id },
      env: { TRIPWIRE_EXEMPTIONS: JSON.stringify(exemptions) },
      now: org.clock.now(),
    });
    const deps = { settings, factory: simulatedFactory(org, settings, { sessionPurpose: "prove" }), clock: org.clock };
    let run = await prepareProof(deps, "test-run");
    run = await fireCanaries(deps, run, TIMEOUT_MS);
    run = await waitForProofs(deps, run, DEFAULT_POLL_INTERVAL_MS);

    expect(recordOf(buildProveReport(run, org.clock.now()), member.id)).toMatchObject({
      status: "SKIPPED",
      scanStatus: "EXEMPT",
      reason: "exempt: being closed in Q2 (owner platform team)",
    });
    expect(canaryCalls(org)).toBe(0);
  });
});

describe("with the securityHub setting", () => {
  it("imports no finding into the account's Security Hub: the proof's scan writes nothing", async () => {
    await fixMember();
    member.enableSecurityHub(HOME);
    org.calls.reset();

    await prove(org, { ...scope(), securityHub: true });

    expect(org.calls.count({ service: "securityhub", operation: "BatchImportFindings" })).toBe(0);
  });
});

describe("a chain the scan judges sound", () => {
  it("fails at METRIC_INCREMENTED when its filter misses the real record", async () => {
    // Matches every record of the corpus (all eventVersion 1.09), so the scan says it covers;
    // CloudTrail's records are 1.10 now, and the canary's record is not counted.
    const t = scenarios.trail(member, HOME);
    const filter = scenarios.metricFilter(member, HOME, {
      logGroupName: t.logGroupName ?? "",
      pattern:
        '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.eventVersion = "1.09") }',
    });
    const topic = scenarios.topic(member, HOME, { subscriptions: [{ protocol: "sqs", endpoint: queue.arn }] });
    scenarios.alarm(member, HOME, {
      metricName: filter.metricName,
      namespace: filter.namespace,
      actions: [topic.topicArn],
    });

    const record = recordOf(await prove(org, scope()), member.id);

    expect(record).toMatchObject({ scanStatus: "COMPLIANT", status: "FAILED", failedHop: "METRIC_INCREMENTED" });
  });

  it("confirms NOTIFICATION_RECEIVED as published, receipt not verifiable, for an email subscriber", async () => {
    scenarios.compliantV12(member, HOME);

    const record = recordOf(await prove(org, scope()), member.id);

    expect(record.status).toBe("PROVEN");
    expect(record.hops[5]?.evidence).toMatchObject({ receipt: "published; receipt not verifiable" });
  });

  it("does not read an SQS subscriber with a redrive policy, and says why", async () => {
    const alerts = member.createQueue(HOME, "alerts", {
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: `arn:aws:sqs:${HOME}:${member.id}:dlq`,
        maxReceiveCount: 1,
      }),
    });
    const t = scenarios.trail(member, HOME);
    const filter = scenarios.metricFilter(member, HOME, { logGroupName: t.logGroupName ?? "" });
    const topic = scenarios.topic(member, HOME, { subscriptions: [{ protocol: "sqs", endpoint: alerts.arn }] });
    scenarios.alarm(member, HOME, {
      metricName: filter.metricName,
      namespace: filter.namespace,
      actions: [topic.topicArn],
    });

    const record = recordOf(await prove(org, scope()), member.id);

    expect(record.hops[5]?.evidence).toMatchObject({
      receipt: "published; receipt not verifiable",
      why: [expect.stringMatching(/has a redrive policy/)],
    });
    expect(member.queueMessages(alerts.arn).every((m) => m.receiveCount === 0)).toBe(true);
  });
});

describe("a busy subscriber queue", () => {
  it("leaves the receipt not verifiable, not failed, when every look returns a full page without it", async () => {
    await fixMember();
    const sqs = new SQSClient({
      region: HOME,
      maxAttempts: 1,
      credentials: org.credentialsFor(org.managementAccountId),
    });
    org.instrument(sqs as never);
    for (let n = 0; n < 10; n++)
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: `older message ${n}` }));

    const record = recordOf(await prove(org, scope()), member.id);

    expect(record.status).toBe("PROVEN");
    expect(record.hops[5]?.evidence).toMatchObject({
      receipt: "published; receipt not verifiable",
      why: [expect.stringMatching(/returned 10 messages without it/)],
    });
  });
});

describe("an account that is not COMPLIANT", () => {
  it("is SKIPPED with the scan's findings, and no canary is fired, when its topic has no subscriber", async () => {
    const t = scenarios.trail(member, HOME);
    const filter = scenarios.metricFilter(member, HOME, { logGroupName: t.logGroupName ?? "" });
    const topic = scenarios.topic(member, HOME, { subscriptions: [] });
    scenarios.alarm(member, HOME, {
      metricName: filter.metricName,
      namespace: filter.namespace,
      actions: [topic.topicArn],
    });

    const record = recordOf(await prove(org, scope()), member.id);

    expect(record).toMatchObject({ status: "SKIPPED", scanStatus: "NON_COMPLIANT", hops: [] });
    expect(record.findings?.map((f) => f.code)).toContain("NO_CONFIRMED_SUBSCRIPTION");
    expect(canaryCalls(org)).toBe(0);
  });
});

describe("an organization trail", () => {
  let members: SimulatedAccount[];

  beforeEach(async () => {
    members = [member, org.addAccount({ name: "workload-2" })];
    scenarios.organizationTrail(org, HOME);
    const report = await sweep(org, "fix", { notify: [`sqs:${queue.arn}`] });
    if (report.accounts.some((a) => a.status !== "COMPLIANT")) throw new Error("arrangement: fix left an account");
  });

  it("proves each member through the management account's log group and alarm", async () => {
    const report = await prove(org, { accounts: members.map((m) => m.id).join(",") });

    expect(report.accounts.map((a) => `${a.accountId}:${a.status}`)).toEqual(members.map((m) => `${m.id}:PROVEN`));
    expect(recordOf(report, member.id).hops[1]?.evidence.logStream).toBe(
      `${org.organizationId}_${member.id}_CloudTrail_${HOME}`,
    );
  });

  it("proves a member whose record reaches the shared alarm after the first member's made it fire", async () => {
    // One canary at 00:50, the next at 01:05: the first record arrives at 05:50 and the alarm
    // changes to ALARM at 06:00; the second arrives at 06:05, when the alarm is in ALARM already
    // and stays there. That one change, after both canaries, is each member's.
    let canaries = 0;
    org.setBeforeCall((call) => {
      if (call.operation === "AssumeRole" && String(call.input.RoleArn).endsWith(":role/tripwire-prove-canary")) {
        org.clock.advance(canaries++ === 0 ? 50_000 : 15_000);
      }
    });

    const report = await prove(org, { accounts: members.map((m) => m.id).join(","), concurrency: "1" });

    expect(report.accounts.map((a) => `${a.accountId}:${a.status}`)).toEqual(members.map((m) => `${m.id}:PROVEN`));
  });

  it("reads the shared log group once per round for all its members, as for one", async () => {
    org.calls.reset();
    await prove(org, { accounts: member.id });
    const forOne = org.calls.count({ operation: "FilterLogEvents" });
    await org.clock.sleep(30 * 60_000);
    org.calls.reset();

    await prove(org, { accounts: members.map((m) => m.id).join(",") });

    expect(org.calls.count({ operation: "FilterLogEvents" })).toBe(forOne);
  });
});
