/**
 * The alarm evaluation against the two tables of CloudWatch's "How alarm state is evaluated
 * when data is missing" (Evaluation Periods 3, evaluation range 5; Datapoints to Alarm 3, then
 * 2). "0" is a non-breaching datapoint, "X" a breaching one, "-" a missing one, most recent on
 * the right; "RETAIN" is the table's "Retain current state".
 */
import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { evaluateAlarm } from "../../shared/simulation/chain/alarm-evaluation.ts";
import { MetricSeries } from "../../shared/simulation/data/metrics.ts";

const AT = Date.parse("2025-01-01T01:00:00Z");
const PERIOD = 300;

function seriesOf(points: string): MetricSeries {
  const series = new MetricSeries("CISBenchmark", "UnauthorizedAPICalls", []);
  const slots = points.split(" ");
  slots.forEach((slot, k) => {
    const start = AT - (slots.length - k) * PERIOD * 1000;
    if (slot !== "-") series.add(start + 1000, slot === "X" ? 5 : 0);
  });
  return series;
}

function alarm(datapointsToAlarm: number, treatMissingData: string): MetricAlarm {
  return {
    AlarmName: "a",
    MetricName: "UnauthorizedAPICalls",
    Namespace: "CISBenchmark",
    Statistic: "Sum",
    Period: PERIOD,
    EvaluationPeriods: 3,
    DatapointsToAlarm: datapointsToAlarm,
    Threshold: 1,
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    TreatMissingData: treatMissingData,
  };
}

const TREATMENTS = ["missing", "ignore", "breaching", "notBreaching"] as const;

function states(points: string, datapointsToAlarm: number): string[] {
  return TREATMENTS.map((t) => evaluateAlarm(alarm(datapointsToAlarm, t), seriesOf(points), AT)?.state ?? "none");
}

describe("alarm evaluation, 3 out of 3 (the guide's first table)", () => {
  it.each([
    ["0 - X - X", ["OK", "OK", "OK", "OK"]],
    ["0 - - - -", ["OK", "OK", "OK", "OK"]],
    ["- - - - -", ["INSUFFICIENT_DATA", "RETAIN", "ALARM", "OK"]],
    ["0 X X - X", ["ALARM", "ALARM", "ALARM", "ALARM"]],
    ["- - X - -", ["ALARM", "RETAIN", "ALARM", "OK"]],
  ])("gives %s the published states", (points, expected) => {
    expect(states(points, 3)).toEqual(expected);
  });
});

describe("alarm evaluation, 2 out of 3 (the guide's second table)", () => {
  it.each([
    ["0 - X - X", ["ALARM", "ALARM", "ALARM", "ALARM"]],
    ["0 0 X 0 X", ["ALARM", "ALARM", "ALARM", "ALARM"]],
    ["0 - X - -", ["OK", "OK", "ALARM", "OK"]],
    ["- - - - 0", ["OK", "OK", "ALARM", "OK"]],
    ["- - - X -", ["ALARM", "RETAIN", "ALARM", "OK"]],
  ])("gives %s the published states", (points, expected) => {
    expect(states(points, 2)).toEqual(expected);
  });
});

describe("alarm evaluation of a one-period alarm", () => {
  const cis: MetricAlarm = { ...alarm(1, "notBreaching"), EvaluationPeriods: 1 };

  it("alarms on a datapoint that arrived a period late, while it is in the evaluation range", () => {
    const series = new MetricSeries("CISBenchmark", "UnauthorizedAPICalls", []);
    series.add(AT - 2 * PERIOD * 1000 + 30_000, 1);

    const decision = evaluateAlarm(cis, series, AT);

    expect(decision?.state).toBe("ALARM");
  });

  it("states the reason as CloudWatch words it, with the datapoint and its period's start", () => {
    const series = new MetricSeries("CISBenchmark", "UnauthorizedAPICalls", []);
    series.add(AT - PERIOD * 1000 + 30_000, 1);

    const decision = evaluateAlarm(cis, series, AT);

    expect(decision?.reason).toBe(
      "Threshold Crossed: 1 datapoint [1.0 (01/01/25 00:55:00)] was greater than or equal to the threshold (1.0).",
    );
  });

  it("goes OK with no datapoint when missing data is not breaching", () => {
    const decision = evaluateAlarm(cis, undefined, AT);

    expect(decision).toMatchObject({
      state: "OK",
      reason:
        "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].",
    });
  });

  it("does not evaluate a metric math alarm", () => {
    expect(evaluateAlarm({ ...cis, Metrics: [] }, undefined, AT)).toBeUndefined();
  });
});
