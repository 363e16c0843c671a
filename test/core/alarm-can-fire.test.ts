import { describe, expect, it } from "vitest";
import { alarmCanFire } from "../../shared/core/alarm-can-fire.ts";
import type { AlarmObservation } from "../../shared/core/model.ts";

const cisAlarm: AlarmObservation = {
  name: "a",
  arn: "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:a",
  metric: { name: "UnauthorizedAPICalls", namespace: "CISBenchmark" },
  actionsEnabled: true,
  alarmActions: [],
  statistic: "Sum",
  period: 300,
  evaluationPeriods: 1,
  threshold: 1,
  comparison: "GreaterThanOrEqualToThreshold",
};

describe("alarmCanFire", () => {
  it("fires for the CIS alarm: Sum >= 1 over one period", () => {
    expect(alarmCanFire(cisAlarm, "1").canFire).toBe(true);
  });

  it("cannot fire when the threshold is above what one event sums to", () => {
    expect(alarmCanFire({ ...cisAlarm, threshold: 5 }, "1")).toMatchObject({ canFire: false });
  });

  it("cannot fire with GreaterThanThreshold 1 and a metric value of 1", () => {
    expect(alarmCanFire({ ...cisAlarm, comparison: "GreaterThanThreshold" }, "1").canFire).toBe(false);
  });

  it("cannot fire when it needs three breaching datapoints", () => {
    const verdict = alarmCanFire({ ...cisAlarm, evaluationPeriods: 3, datapointsToAlarm: 3 }, "1");
    expect(verdict).toEqual({
      canFire: false,
      reason: "it needs 3 breaching datapoints of 3, and one event fills one",
    });
  });

  it("fires with three datapoints when missing data counts as breaching", () => {
    expect(alarmCanFire({ ...cisAlarm, evaluationPeriods: 3, treatMissingData: "breaching" }, "1").canFire).toBe(true);
  });

  it("judges SampleCount as one per event whatever the metric value", () => {
    expect(alarmCanFire({ ...cisAlarm, statistic: "SampleCount", threshold: 1 }, "0").canFire).toBe(true);
  });

  it("cannot fire when the metric value is 0 and the statistic is Sum", () => {
    expect(alarmCanFire(cisAlarm, "0").canFire).toBe(false);
  });

  it("gives the benefit of the doubt to a metric value taken from the event", () => {
    expect(alarmCanFire({ ...cisAlarm, threshold: 1000 }, "$.bytes").canFire).toBe(true);
  });
});
