import { describe, expect, it } from "vitest";
import type { ConfirmedEvent } from "../../../shared/core/explain/event-groups.ts";
import { OWN_ALARM_MODEL, periodsInAlarm } from "../../../shared/core/explain/periods.ts";

const SINCE = new Date("2025-03-04T00:00:00Z");
const UNTIL = new Date("2025-03-04T01:00:00Z");

/** An event at `minute` past SINCE that `filters` filters match (each adding 1). */
const at = (minute: number, filters = 1, id = `${minute}-${Math.random()}`): ConfirmedEvent => ({
  eventId: id,
  timestamp: SINCE.getTime() + minute * 60_000,
  facts: {
    accountId: null,
    principal: null,
    eventSource: null,
    eventName: null,
    errorCode: null,
    sourceIPAddress: null,
  },
  contributions: Array.from({ length: filters }, (_, i) => [i, 1] as const),
});

describe("periodsInAlarm", () => {
  it("counts each five-minute period with a matching event, for tripwire's alarm (Sum >= 1, 1 of 1)", () => {
    expect(periodsInAlarm([at(1), at(2), at(7), at(31)], OWN_ALARM_MODEL, SINCE, UNTIL)).toBe(3);
  });

  it("counts none when nothing matched", () => {
    expect(periodsInAlarm([], OWN_ALARM_MODEL, SINCE, UNTIL)).toBe(0);
  });

  it("drops the periods whose events the filter keeps out", () => {
    const events = [at(1), at(7)];
    expect(periodsInAlarm(events, OWN_ALARM_MODEL, SINCE, UNTIL, (e) => e !== events[0])).toBe(1);
  });

  it("sums what every matching filter adds, as the metric does (threshold 2 reached by one event of two filters)", () => {
    const model = { ...OWN_ALARM_MODEL, threshold: 2 };
    expect(periodsInAlarm([at(1, 2), at(12, 1)], model, SINCE, UNTIL)).toBe(1);
  });

  it("needs DatapointsToAlarm breaching periods among the last EvaluationPeriods", () => {
    const model = { ...OWN_ALARM_MODEL, evaluationPeriods: 3, datapointsToAlarm: 2 };
    // Periods 0 and 2 breach: only period 2 has two breaching periods among its last three (0..2).
    expect(periodsInAlarm([at(1), at(11)], model, SINCE, UNTIL)).toBe(1);
  });

  it("leaves out events outside the span", () => {
    expect(periodsInAlarm([at(-10), at(70)], OWN_ALARM_MODEL, SINCE, UNTIL)).toBe(0);
  });
});
