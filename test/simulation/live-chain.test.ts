/**
 * The live chain: calls become CloudTrail records, delivered after the delay to the log group
 * of each trail that captures them; metric filters add datapoints; alarms evaluated on the
 * simulated clock run their SNS actions.
 */
import { DescribeAlarmHistoryCommand, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { DeleteMetricFilterCommand, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type CloudTrailEventEnvelope,
  createSimulatedOrganization,
  type SimulatedAccount,
  type SimulatedOrganization,
  type StoredLogEvent,
  scenarios,
} from "../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../support/simulation-harness.ts";

const HOME = "us-east-1";
const OTHER = "eu-west-1";
const DELAY = 300_000;
const PERIOD = 300_000;

let org: SimulatedOrganization;
let member: SimulatedAccount;

beforeEach(() => {
  org = createSimulatedOrganization({ regions: [HOME, OTHER], liveChain: { deliveryDelayMs: DELAY } });
  member = org.addAccount({ name: "member" });
});

function stsFor(account: SimulatedAccount, region: string, sessionName?: string): STSClient {
  const credentials =
    sessionName === undefined
      ? org.credentialsFor(account.id)
      : org.credentialsFor(account.id, { role: "OrganizationAccountAccessRole", sessionName });
  const client = new STSClient({ region, credentials, maxAttempts: 1 });
  org.instrument(client as never);
  return client;
}

/** The canary: an AssumeRole of a role that does not exist, denied with AccessDenied. */
async function deniedAssumeRole(account: SimulatedAccount, region: string, sessionName?: string) {
  return rejectionOf(
    stsFor(account, region, sessionName).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account.id}:role/tripwire-prove-canary`,
        RoleSessionName: "tripwire-prove",
      }),
    ),
  );
}

function records(account: SimulatedAccount, region: string, group: string | undefined) {
  return account
    .logEvents(region, group ?? "")
    .map((e: StoredLogEvent) => ({ stream: e.logStreamName, record: JSON.parse(e.message) }));
}

describe("CloudTrail records of the live chain", () => {
  it("records a denied AssumeRole in the caller's account and the STS client's region", async () => {
    const trail = scenarios.trail(member, HOME);

    await deniedAssumeRole(member, OTHER);
    org.clock.advance(DELAY);

    const [event] = records(member, HOME, trail.logGroupName);
    expect(event?.stream).toBe(`${member.id}_CloudTrail_${OTHER}`);
    expect(event?.record).toMatchObject({
      eventSource: "sts.amazonaws.com",
      eventName: "AssumeRole",
      awsRegion: OTHER,
      errorCode: "AccessDenied",
      errorMessage: `User: arn:aws:iam::${member.id}:user/admin is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${member.id}:role/tripwire-prove-canary`,
      recipientAccountId: member.id,
      eventType: "AwsApiCall",
      managementEvent: true,
      eventCategory: "Management",
      readOnly: true,
    });
  });

  it("writes the record in CloudTrail's format: identity, lower-camel request, request id, event id", async () => {
    const trail = scenarios.trail(member, HOME);

    const error = await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY);

    const record = records(member, HOME, trail.logGroupName)[0]?.record;
    expect(record).toMatchObject({
      eventVersion: "1.10",
      userIdentity: {
        type: "IAMUser",
        arn: `arn:aws:iam::${member.id}:user/admin`,
        accountId: member.id,
        accessKeyId: expect.stringMatching(/^AKIA/),
        userName: "admin",
      },
      eventTime: "2025-01-01T00:00:00Z",
      requestParameters: {
        roleArn: `arn:aws:iam::${member.id}:role/tripwire-prove-canary`,
        roleSessionName: "tripwire-prove",
      },
      responseElements: null,
      requestID: error.$metadata?.requestId,
      eventID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sourceIPAddress: expect.any(String),
      userAgent: expect.stringContaining("api/sts"),
    });
  });

  it("names the session issuer of a role session", async () => {
    const trail = scenarios.trail(member, HOME);

    await deniedAssumeRole(member, HOME, "tripwire-prove");
    org.clock.advance(DELAY);

    expect(records(member, HOME, trail.logGroupName)[0]?.record.userIdentity).toMatchObject({
      type: "AssumedRole",
      arn: `arn:aws:sts::${member.id}:assumed-role/OrganizationAccountAccessRole/tripwire-prove`,
      principalId: expect.stringMatching(/^AROA[A-Z2-7]{17}:tripwire-prove$/),
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: expect.stringMatching(/^AROA[A-Z2-7]{17}$/),
          arn: `arn:aws:iam::${member.id}:role/OrganizationAccountAccessRole`,
          accountId: member.id,
          userName: "OrganizationAccountAccessRole",
        },
      },
    });
  });

  it("delivers nothing before the delay has passed", async () => {
    const trail = scenarios.trail(member, HOME);

    await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY - 1);
    const early = records(member, HOME, trail.logGroupName).length;
    org.clock.advance(1);

    expect(early).toBe(0);
    expect(records(member, HOME, trail.logGroupName)).toHaveLength(1);
  });

  it("gives the log event the call's time and the delivery's ingestion time", async () => {
    const trail = scenarios.trail(member, HOME);
    const calledAt = org.clock.now().getTime();

    await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY);

    expect(member.logEvents(HOME, trail.logGroupName ?? "")[0]).toMatchObject({
      timestamp: calledAt,
      ingestionTime: calledAt + DELAY,
    });
  });

  it("delivers nothing from a trail that is not logging", async () => {
    const trail = scenarios.trail(member, HOME, { logging: false });

    await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY);

    expect(records(member, HOME, trail.logGroupName)).toEqual([]);
  });

  it("drops a read-only denied call when the basic selectors take write events only", async () => {
    const trail = scenarios.trail(member, HOME, { selectors: "writeOnly" });

    await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY);

    expect(records(member, HOME, trail.logGroupName)).toEqual([]);
  });

  it("drops a read-only denied call when the advanced selectors take readOnly false only", async () => {
    const trail = scenarios.trail(member, HOME, { selectors: "advancedWriteOnly" });

    await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY);

    expect(records(member, HOME, trail.logGroupName)).toEqual([]);
  });

  it("delivers a write call to a trail that takes write events only", async () => {
    const trail = scenarios.trail(member, HOME, { selectors: "writeOnly" });
    const logs = (await factoryFor(org).forAccount(member.id)).logs(HOME);

    await rejectionOf(logs.send(new DeleteMetricFilterCommand({ logGroupName: "nope", filterName: "f" })));
    org.clock.advance(DELAY);

    expect(records(member, HOME, trail.logGroupName).map((e) => e.record.eventName)).toEqual(["DeleteMetricFilter"]);
  });

  it("does not deliver a region's call to a single-region trail homed elsewhere", async () => {
    const trail = scenarios.trail(member, HOME, { multiRegion: false });

    await deniedAssumeRole(member, OTHER);
    org.clock.advance(DELAY);

    expect(records(member, HOME, trail.logGroupName)).toEqual([]);
  });

  it("delivers a member's call to the organization trail's log group, in a stream named for the organization", async () => {
    const orgTrail = scenarios.organizationTrail(org, HOME);

    await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY);

    const management = org.account(org.managementAccountId);
    const [event] = records(management, HOME, orgTrail.logGroupName);
    expect(event?.stream).toBe(`${org.organizationId}_${member.id}_CloudTrail_${HOME}`);
    expect(event?.record.recipientAccountId).toBe(member.id);
  });

  it("delivers nothing when the trail's log group was deleted before the delivery", async () => {
    const trail = scenarios.trail(member, HOME);
    await deniedAssumeRole(member, HOME);

    member.deleteLogGroup(HOME, trail.logGroupName ?? "");
    org.clock.advance(DELAY);
    member.createLogGroup(HOME, trail.logGroupName ?? "");

    expect(records(member, HOME, trail.logGroupName)).toEqual([]);
  });

  it("does not record a call refused by an injected fault", async () => {
    const trail = scenarios.trail(member, HOME);
    org.faults.fail({ service: "sts", operation: "AssumeRole", error: { name: "Throttling" } });

    await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY);

    expect(records(member, HOME, trail.logGroupName)).toEqual([]);
  });

  it("lets FilterLogEvents find the canary's record by its session name and time", async () => {
    const trail = scenarios.trail(member, HOME);
    const calledAt = org.clock.now().getTime();
    await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY);
    const logs = (await factoryFor(org).forAccount(member.id)).logs(HOME);

    const out = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: trail.logGroupName,
        startTime: calledAt,
        endTime: calledAt + 1000,
        filterPattern: '{ ($.eventName = "AssumeRole") && ($.requestParameters.roleSessionName = "tripwire-prove") }',
      }),
    );

    expect(out.events?.map((e) => JSON.parse(e.message ?? "").errorCode)).toEqual(["AccessDenied"]);
  });
});

describe("metric filters and alarms on the live chain", () => {
  const ALARM = "unauthorized-api-calls-alarm";

  function chain(options: { pattern?: string; actionsEnabled?: boolean; subscribers?: "sqs" | "none" } = {}) {
    const trail = scenarios.trail(member, HOME);
    const filter = scenarios.metricFilter(member, HOME, {
      logGroupName: trail.logGroupName ?? "",
      ...(options.pattern ? { pattern: options.pattern } : {}),
    });
    const queue = member.createQueue(HOME, "alerts");
    const topic = scenarios.topic(member, HOME, {
      subscriptions: options.subscribers === "none" ? [] : [{ protocol: "sqs", endpoint: queue.arn }],
    });
    scenarios.alarm(member, HOME, {
      metricName: filter.metricName,
      namespace: filter.namespace,
      actions: [topic.topicArn],
      actionsEnabled: options.actionsEnabled ?? true,
      treatMissingData: "notBreaching",
    });
    return { trail, filter, queue, topic };
  }

  async function history(type: "StateUpdate" | "Action") {
    const cloudWatch = (await factoryFor(org).forAccount(member.id)).cloudWatch(HOME);
    const out = await cloudWatch.send(new DescribeAlarmHistoryCommand({ AlarmName: ALARM, HistoryItemType: type }));
    return out.AlarmHistoryItems ?? [];
  }

  it("adds a datapoint at the call's time when the filter matches the delivered record", async () => {
    const { filter } = chain();
    const calledAt = org.clock.now();

    await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY);

    expect(member.metricDatapoints(HOME, filter)).toEqual([{ timestamp: calledAt, value: 1 }]);
  });

  it("adds no datapoint when the filter misses the record", async () => {
    const { filter } = chain({ pattern: '{ $.errorCode = "*UnauthorizedOperation" }' });

    await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY);

    expect(member.metricDatapoints(HOME, filter)).toEqual([]);
  });

  it("starts a new alarm in INSUFFICIENT_DATA and moves it to OK at the first evaluation without data", () => {
    chain();
    const before = member.alarm(HOME, ALARM)?.StateValue;

    org.clock.advance(60_000);

    expect(before).toBe("INSUFFICIENT_DATA");
    expect(member.alarm(HOME, ALARM)?.StateValue).toBe("OK");
  });

  it("puts the alarm in ALARM and the notification in the queue after the delay and one period", async () => {
    const { queue } = chain();

    await deniedAssumeRole(member, HOME);
    await org.clock.sleep(DELAY + PERIOD);

    expect(member.alarm(HOME, ALARM)?.StateValue).toBe("ALARM");
    const notifications = member.queueMessages(queue.url).map((m) => JSON.parse(m.body));
    expect(notifications.map((n) => JSON.parse(n.Message).NewStateValue)).toEqual(["ALARM"]);
    expect(notifications[0]?.Subject).toBe(`ALARM: "${ALARM}" in US East (N. Virginia)`);
  });

  it("records the alarm's StateUpdate and its successful Action in the history", async () => {
    const { topic } = chain();

    await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY + PERIOD);

    expect((await history("StateUpdate")).map((i) => i.HistorySummary)).toContain("Alarm updated from OK to ALARM");
    expect((await history("Action")).map((i) => i.HistorySummary)).toEqual([
      `Successfully executed action ${topic.topicArn}`,
    ]);
  });

  it("changes the state of an alarm with actions disabled but executes no action", async () => {
    const { queue } = chain({ actionsEnabled: false });

    await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY + PERIOD);

    expect(member.alarm(HOME, ALARM)?.StateValue).toBe("ALARM");
    expect(await history("Action")).toEqual([]);
    expect(member.queueMessages(queue.url)).toEqual([]);
  });

  it("records the action as failed when the alarm's topic was deleted", async () => {
    const { topic } = chain();
    member.deleteTopic(topic.topicArn);

    await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY + PERIOD);

    expect((await history("Action")).map((i) => i.HistorySummary)).toEqual([
      `Failed to execute action ${topic.topicArn}. Received error: "Topic does not exist"`,
    ]);
  });

  it("publishes to a topic with no subscriber and delivers to nobody", async () => {
    chain({ subscribers: "none" });

    await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY + PERIOD);

    expect(member.alarm(HOME, ALARM)?.StateValue).toBe("ALARM");
    expect(org.snsDeliveries).toEqual([]);
  });

  it("records a ConfigurationUpdate item when PutMetricAlarm creates the alarm, and another when it updates it", async () => {
    const cloudWatch = (await factoryFor(org).forAccount(member.id)).cloudWatch(HOME);
    const input = {
      AlarmName: "made-through-the-api",
      MetricName: "UnauthorizedAPICalls",
      Namespace: "CISBenchmark",
      Statistic: "Sum" as const,
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold" as const,
    };

    await cloudWatch.send(new PutMetricAlarmCommand(input));
    await cloudWatch.send(new PutMetricAlarmCommand({ ...input, Threshold: 2 }));

    const out = await cloudWatch.send(
      new DescribeAlarmHistoryCommand({ AlarmName: input.AlarmName, HistoryItemType: "ConfigurationUpdate" }),
    );
    expect(out.AlarmHistoryItems?.map((i) => i.HistorySummary)).toEqual([
      'Alarm "made-through-the-api" updated',
      'Alarm "made-through-the-api" created',
    ]);
  });

  it("returns the alarm to OK once the datapoint has left the evaluation range", async () => {
    chain();

    await deniedAssumeRole(member, HOME);
    org.clock.advance(DELAY + PERIOD);
    const fired = member.alarm(HOME, ALARM)?.StateValue;
    org.clock.advance(4 * PERIOD);

    expect(fired).toBe("ALARM");
    expect(member.alarm(HOME, ALARM)?.StateValue).toBe("OK");
  });
});

describe("EventBridge events of the live chain", () => {
  it("hands a successful write call to the listeners as 'AWS API Call via CloudTrail'", async () => {
    const trail = scenarios.trail(member, HOME);
    scenarios.metricFilter(member, HOME, { logGroupName: trail.logGroupName ?? "" });
    const seen: CloudTrailEventEnvelope[] = [];
    org.onCloudTrailEvent((event) => {
      seen.push(event);
    });
    const logs = (await factoryFor(org).forAccount(member.id)).logs(HOME);

    await logs.send(
      new DeleteMetricFilterCommand({ logGroupName: trail.logGroupName, filterName: "unauthorized-api-calls" }),
    );

    expect(seen.map((e) => [e["detail-type"], e.source, e.account, e.region, e.detail.eventName])).toEqual([
      ["AWS API Call via CloudTrail", "aws.logs", member.id, HOME, "DeleteMetricFilter"],
    ]);
  });

  it("hands over neither read calls nor failed ones", async () => {
    const seen: CloudTrailEventEnvelope[] = [];
    org.onCloudTrailEvent((event) => {
      seen.push(event);
    });
    const logs = (await factoryFor(org).forAccount(member.id)).logs(HOME);

    await rejectionOf(logs.send(new DeleteMetricFilterCommand({ logGroupName: "nope", filterName: "f" })));
    await deniedAssumeRole(member, HOME);

    expect(seen).toEqual([]);
  });
});

describe("an organization without the live chain", () => {
  it("records no call and schedules nothing on its clock", async () => {
    const quiet = createSimulatedOrganization({ regions: [HOME] });
    const account = quiet.addAccount({ name: "member" });
    const trail = scenarios.trail(account, HOME);
    const sts = new STSClient({ region: HOME, credentials: quiet.credentialsFor(account.id), maxAttempts: 1 });
    quiet.instrument(sts as never);

    await rejectionOf(
      sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account.id}:role/x`, RoleSessionName: "s1" })),
    );
    quiet.clock.advance(DELAY);

    expect(account.logEvents(HOME, trail.logGroupName ?? "")).toEqual([]);
    expect(() => quiet.onCloudTrailEvent(() => undefined)).toThrow(/needs the live chain/);
  });
});
