import {
  type CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { beforeEach, describe, expect, it } from "vitest";
import { createSimulatedOrganization, type SimulatedAccount } from "../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../support/simulation-harness.ts";

const REGION = "us-east-1";
const T0 = Date.parse("2025-01-01T00:00:00Z");
const METRIC = { namespace: "CISBenchmark", metricName: "UnauthorizedAPICalls" };

let account: SimulatedAccount;
let cloudWatch: CloudWatchClient;

beforeEach(async () => {
  const org = createSimulatedOrganization({ regions: [REGION] });
  account = org.account(org.managementAccountId);
  cloudWatch = (await factoryFor(org).forAccount(account.id)).cloudWatch(REGION);
});

function seed(points: readonly [offsetSeconds: number, value: number][]): void {
  for (const [s, value] of points)
    account.putMetricDatapoint(REGION, { ...METRIC, value, timestamp: new Date(T0 + s * 1000) });
}

function query(stat: string, extra: Record<string, unknown> = {}) {
  return {
    Id: "m1",
    MetricStat: { Metric: { Namespace: METRIC.namespace, MetricName: METRIC.metricName }, Period: 300, Stat: stat },
    ...extra,
  };
}

describe("simulated GetMetricData", () => {
  it("sums each period's datapoints and returns the newest period first", async () => {
    seed([
      [10, 1],
      [20, 1],
      [400, 1],
    ]);

    const out = await cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [query("Sum")],
        StartTime: new Date(T0),
        EndTime: new Date(T0 + 900_000),
      }),
    );

    expect(out.MetricDataResults?.[0]).toMatchObject({
      Id: "m1",
      Label: METRIC.metricName,
      Timestamps: [new Date(T0 + 300_000), new Date(T0)],
      Values: [1, 2],
      StatusCode: "Complete",
    });
  });

  it("returns the oldest period first with ScanBy TimestampAscending", async () => {
    seed([
      [10, 1],
      [400, 3],
    ]);

    const out = await cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [query("Maximum")],
        StartTime: new Date(T0),
        EndTime: new Date(T0 + 900_000),
        ScanBy: "TimestampAscending",
      }),
    );

    expect(out.MetricDataResults?.[0]?.Values).toEqual([1, 3]);
  });

  it("counts only datapoints from StartTime, included, to EndTime, excluded", async () => {
    seed([
      [0, 1],
      [300, 1],
    ]);

    const out = await cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [query("SampleCount")],
        StartTime: new Date(T0),
        EndTime: new Date(T0 + 300_000),
      }),
    );

    expect(out.MetricDataResults?.[0]?.Values).toEqual([1]);
  });

  it("tells a metric with dimensions from the same metric without them", async () => {
    account.putMetricDatapoint(REGION, {
      ...METRIC,
      dimensions: [{ Name: "Account", Value: "1" }],
      timestamp: new Date(T0),
    });

    const out = await cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [query("Sum")],
        StartTime: new Date(T0),
        EndTime: new Date(T0 + 300_000),
      }),
    );

    expect(out.MetricDataResults?.[0]?.Values).toEqual([]);
  });

  it("leaves out the queries with ReturnData false", async () => {
    const out = await cloudWatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [query("Sum"), { ...query("Sum"), Id: "hidden", ReturnData: false }],
        StartTime: new Date(T0),
        EndTime: new Date(T0 + 300_000),
      }),
    );

    expect(out.MetricDataResults?.map((r) => r.Id)).toEqual(["m1"]);
  });

  it("refuses a StartTime that is not before EndTime", async () => {
    const error = await rejectionOf(
      cloudWatch.send(
        new GetMetricDataCommand({ MetricDataQueries: [query("Sum")], StartTime: new Date(T0), EndTime: new Date(T0) }),
      ),
    );

    expect(error.name).toBe("InvalidParameterValueException");
  });
});

describe("simulated PutMetricData and GetMetricStatistics", () => {
  it("averages datapoints put through the API", async () => {
    await cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: METRIC.namespace,
        MetricData: [
          { MetricName: METRIC.metricName, Value: 2, Timestamp: new Date(T0) },
          { MetricName: METRIC.metricName, Value: 4, Timestamp: new Date(T0 + 1000) },
        ],
      }),
    );

    const out = await cloudWatch.send(
      new GetMetricStatisticsCommand({
        Namespace: METRIC.namespace,
        MetricName: METRIC.metricName,
        StartTime: new Date(T0),
        EndTime: new Date(T0 + 300_000),
        Period: 300,
        Statistics: ["Average", "SampleCount"],
      }),
    );

    expect(out.Datapoints).toEqual([{ Timestamp: new Date(T0), Average: 3, SampleCount: 2, Unit: "None" }]);
  });
});
