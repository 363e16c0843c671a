import { describe, expect, it } from "vitest";
import type { AlarmNotification } from "../../../shared/core/alarm-notification.ts";
import { evaluationWindow } from "../../../shared/core/explain/evaluation-window.ts";

function alarm(reasonDatapoints: string[], evaluationPeriods = 1): AlarmNotification {
  return {
    alarmName: "a",
    alarmArn: "arn:aws:cloudwatch:us-east-1:111111111111:alarm:a",
    partition: "aws",
    accountId: "111111111111",
    region: "us-east-1",
    newState: "ALARM",
    reason: "",
    stateChangeTime: new Date("2025-03-04T09:11:00Z"),
    trigger: {
      metricName: "m",
      namespace: "n",
      period: 300,
      evaluationPeriods,
      threshold: 1,
      comparison: "GreaterThanOrEqualToThreshold",
      dimensions: {},
    },
    reasonDatapoints: reasonDatapoints.map((d) => new Date(d)),
    message: "{}",
  };
}

describe("evaluationWindow", () => {
  it("spans the periods of the datapoints the state reason names, to the last millisecond of the last", () => {
    const w = evaluationWindow(alarm(["2025-03-04T09:00:00Z", "2025-03-04T09:05:00Z"], 2));
    expect({ start: w.start.toISOString(), end: w.end.toISOString() }).toEqual({
      start: "2025-03-04T09:00:00.000Z",
      end: "2025-03-04T09:09:59.999Z",
    });
  });

  it("falls back to the evaluation periods plus two for late delivery, ending at the state change", () => {
    const w = evaluationWindow(alarm([], 1));
    expect({ start: w.start.toISOString(), end: w.end.toISOString() }).toEqual({
      start: "2025-03-04T08:56:00.000Z",
      end: "2025-03-04T09:11:00.000Z",
    });
  });

  it("says which rule chose the window", () => {
    expect(evaluationWindow(alarm([])).basis).toMatch(/the state reason names no datapoint$/);
  });
});
