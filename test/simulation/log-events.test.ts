import {
  type CloudWatchLogsClient,
  CreateLogStreamCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
  TestMetricFilterCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { beforeEach, describe, expect, it } from "vitest";
import {
  createSimulatedOrganization,
  type SimulatedAccount,
  type SimulatedOrganization,
  scenarios,
} from "../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../support/simulation-harness.ts";

const REGION = "us-east-1";
const GROUP = "app-logs";
const T0 = Date.parse("2025-01-01T00:00:00Z");

let org: SimulatedOrganization;
let account: SimulatedAccount;
let logs: CloudWatchLogsClient;

beforeEach(async () => {
  org = createSimulatedOrganization({ regions: [REGION] });
  account = org.account(org.managementAccountId);
  account.createLogGroup(REGION, GROUP);
  logs = (await factoryFor(org).forAccount(account.id)).logs(REGION);
});

function denied(i: number) {
  return { eventName: `Call${i}`, errorCode: "AccessDenied", sourceIPAddress: "203.0.113.9" };
}

function allowed(i: number) {
  return { eventName: `Call${i}`, sourceIPAddress: "203.0.113.9" };
}

describe("simulated FilterLogEvents", () => {
  it("returns only the events the JSON pattern matches, oldest first, with their stream and ids", async () => {
    const putAt = org.clock.now().getTime();
    account.putLogEvents(REGION, GROUP, [
      { timestamp: T0 + 2000, message: denied(2) },
      { timestamp: T0 + 1000, message: allowed(1) },
      { timestamp: T0 + 3000, message: denied(3) },
    ]);

    const out = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.errorCode = "AccessDenied*" }' }),
    );

    expect(out.events?.map((e) => JSON.parse(e.message ?? "").eventName)).toEqual(["Call2", "Call3"]);
    expect(out.events?.[0]).toMatchObject({ logStreamName: "seeded", timestamp: T0 + 2000, ingestionTime: putAt });
    expect(out.events?.[0]?.eventId).toMatch(/^\d{56}$/);
    expect(out.nextToken).toBeUndefined();
  });

  it("pages through the matches with limit and nextToken, each event once", async () => {
    account.putLogEvents(
      REGION,
      GROUP,
      Array.from({ length: 25 }, (_, i) => ({ timestamp: T0 + i, message: i % 5 === 0 ? allowed(i) : denied(i) })),
    );
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;

    do {
      const out = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: GROUP,
          filterPattern: '{ $.errorCode = "AccessDenied*" }',
          limit: 7,
          nextToken: token,
        }),
      );
      for (const e of out.events ?? []) seen.push(JSON.parse(e.message ?? "").eventName);
      token = out.nextToken;
      pages++;
    } while (token);

    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);
    expect(pages).toBe(3);
  });

  it("keeps events from startTime to endTime, both included", async () => {
    account.putLogEvents(
      REGION,
      GROUP,
      [0, 1, 2, 3, 4].map((i) => ({ timestamp: T0 + i * 1000, message: denied(i) })),
    );

    const out = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, startTime: T0 + 1000, endTime: T0 + 3000 }),
    );

    expect(out.events?.map((e) => e.timestamp)).toEqual([T0 + 1000, T0 + 2000, T0 + 3000]);
  });

  it("narrows to the named log streams", async () => {
    account.putLogEvents(REGION, GROUP, [{ message: denied(1) }], { logStreamName: "a" });
    account.putLogEvents(REGION, GROUP, [{ message: denied(2) }], { logStreamName: "b" });

    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: ["b"] }));

    expect(out.events?.map((e) => e.logStreamName)).toEqual(["b"]);
  });

  it("accepts the log group's ARN as logGroupIdentifier", async () => {
    account.putLogEvents(REGION, GROUP, [{ message: denied(1) }]);

    const out = await logs.send(new FilterLogEventsCommand({ logGroupIdentifier: account.logGroupArn(REGION, GROUP) }));

    expect(out.events).toHaveLength(1);
  });

  it("refuses a pattern CloudWatch Logs would reject with InvalidParameterException", async () => {
    const error = await rejectionOf(
      logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: "{ $.errorCode = " })),
    );

    expect(error.name).toBe("InvalidParameterException");
  });

  it("answers ResourceNotFoundException for a log group that does not exist", async () => {
    const error = await rejectionOf(logs.send(new FilterLogEventsCommand({ logGroupName: "nope" })));

    expect(error.name).toBe("ResourceNotFoundException");
  });

  it("forgets the events of a deleted log group", async () => {
    account.putLogEvents(REGION, GROUP, [{ message: denied(1) }]);
    account.deleteLogGroup(REGION, GROUP);
    account.createLogGroup(REGION, GROUP);

    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }));

    expect(out.events).toEqual([]);
  });
});

describe("simulated PutLogEvents and log streams", () => {
  it("stores events put into a stream created through the API", async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: "s1" }));

    await logs.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: "s1",
        logEvents: [{ timestamp: T0, message: "hello" }],
      }),
    );

    expect(account.logEvents(REGION, GROUP).map((e) => [e.logStreamName, e.message])).toEqual([["s1", "hello"]]);
  });

  it("refuses events for a stream that does not exist", async () => {
    const error = await rejectionOf(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: "nope",
          logEvents: [{ timestamp: T0, message: "x" }],
        }),
      ),
    );

    expect(error.name).toBe("ResourceNotFoundException");
  });

  it("refuses a batch that is not in chronological order", async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: "s1" }));

    const error = await rejectionOf(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: "s1",
          logEvents: [
            { timestamp: T0 + 1, message: "b" },
            { timestamp: T0, message: "a" },
          ],
        }),
      ),
    );

    expect(error.name).toBe("InvalidParameterException");
  });

  it("rejects events more than two hours ahead of the clock and reports their index", async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: "s1" }));

    const out = await logs.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: "s1",
        logEvents: [
          { timestamp: T0, message: "now" },
          { timestamp: T0 + 3 * 3600_000, message: "later" },
        ],
      }),
    );

    expect(out.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 1 });
    expect(account.logEvents(REGION, GROUP).map((e) => e.message)).toEqual(["now"]);
  });

  it("refuses to create a stream twice", async () => {
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: "s1" }));

    const error = await rejectionOf(
      logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: "s1" })),
    );

    expect(error.name).toBe("ResourceAlreadyExistsException");
  });

  it("describes the streams with their first and last event times", async () => {
    account.putLogEvents(
      REGION,
      GROUP,
      [
        { timestamp: T0 + 5, message: "a" },
        { timestamp: T0 + 9, message: "b" },
      ],
      { logStreamName: "s1" },
    );

    const out = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));

    expect(out.logStreams?.[0]).toMatchObject({
      logStreamName: "s1",
      firstEventTimestamp: T0 + 5,
      lastEventTimestamp: T0 + 9,
    });
  });
});

describe("metric filters on ingested events", () => {
  const metric = { namespace: scenarios.DEFAULT_METRIC_NAMESPACE, metricName: scenarios.DEFAULT_METRIC_NAME };

  it("adds a datapoint of 1 at the event's timestamp for each event the filter matches", () => {
    scenarios.metricFilter(account, REGION, { logGroupName: GROUP });

    account.putLogEvents(REGION, GROUP, [
      { timestamp: T0 + 10, message: denied(1) },
      { timestamp: T0 + 20, message: allowed(2) },
    ]);

    expect(account.metricDatapoints(REGION, metric)).toEqual([{ timestamp: new Date(T0 + 10), value: 1 }]);
  });

  it("adds no datapoint for an event the filter misses", () => {
    scenarios.metricFilter(account, REGION, { logGroupName: GROUP, pattern: '{ $.errorCode = "Nope" }' });

    account.putLogEvents(REGION, GROUP, [{ message: denied(1) }]);

    expect(account.metricDatapoints(REGION, metric)).toEqual([]);
  });

  it("takes the value of a $.field metricValue from the event", () => {
    scenarios.metricFilter(account, REGION, {
      logGroupName: GROUP,
      pattern: "{ $.bytes > 0 }",
      metricValue: "$.bytes",
    });

    account.putLogEvents(REGION, GROUP, [{ timestamp: T0, message: { bytes: 512 } }]);

    expect(account.metricDatapoints(REGION, metric).map((d) => d.value)).toEqual([512]);
  });

  it("adds the defaultValue for an event the filter does not match", () => {
    scenarios.metricFilter(account, REGION, { logGroupName: GROUP, defaultValue: 0 });

    account.putLogEvents(REGION, GROUP, [{ timestamp: T0, message: allowed(1) }]);

    expect(account.metricDatapoints(REGION, metric).map((d) => d.value)).toEqual([0]);
  });

  it("runs the filters on events put through the API too", async () => {
    scenarios.metricFilter(account, REGION, { logGroupName: GROUP });
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: "s1" }));

    await logs.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: "s1",
        logEvents: [{ timestamp: T0, message: JSON.stringify(denied(1)) }],
      }),
    );

    expect(account.metricDatapoints(REGION, metric)).toHaveLength(1);
  });
});

describe("simulated TestMetricFilter", () => {
  it("lists the matching messages with their index from 0", async () => {
    const out = await logs.send(
      new TestMetricFilterCommand({
        filterPattern: scenarios.CIS_V12_PATTERN,
        logEventMessages: [JSON.stringify(allowed(0)), JSON.stringify(denied(1))],
      }),
    );

    expect(out.matches).toEqual([{ eventNumber: 1, eventMessage: JSON.stringify(denied(1)), extractedValues: {} }]);
  });

  it("refuses more than 50 messages", async () => {
    const error = await rejectionOf(
      logs.send(new TestMetricFilterCommand({ filterPattern: "", logEventMessages: Array(51).fill("x") })),
    );

    expect(error.name).toBe("InvalidParameterException");
  });
});
