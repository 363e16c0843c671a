/**
 * How often an alarm would have been in ALARM over a span, from the log events that feed its
 * metric: what `replay` answers before a deploy and after each tuning.
 *
 * Each match of a feeding filter is one datapoint of the filter's metricValue at the event's
 * time (so an event two filters match counts twice in a Sum, as it does in CloudWatch). The
 * datapoints fall into periods aligned on multiples of the period (as CloudWatch aligns them);
 * each period's statistic is compared with the threshold. A period without datapoints does not
 * breach (tripwire's alarm treats missing data as not breaching). A period is "in alarm" when,
 * among the EvaluationPeriods periods ending with it, at least DatapointsToAlarm breach.
 */
import type { AlarmObservation } from "../model.ts";
import type { ConfirmedEvent } from "./event-groups.ts";

export interface AlarmModel {
  /** The alarm the model is read from; null for the alarm tripwire would create. */
  readonly name: string | null;
  readonly statistic: string;
  /** Seconds. */
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: string;
}

/** The alarm `fix` writes (core/plan.ts desiredAlarm): Sum over 300 s, 1 of 1, >= 1. */
export const OWN_ALARM_MODEL: AlarmModel = Object.freeze({
  name: null,
  statistic: "Sum",
  period: 300,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  threshold: 1,
  comparison: "GreaterThanOrEqualToThreshold",
});

/** An existing alarm as a model; undefined for one this model cannot replay (extended statistics, no threshold). */
export function alarmModelOf(alarm: AlarmObservation): AlarmModel | undefined {
  if (!alarm.statistic || alarm.threshold === undefined || alarm.period <= 0) return undefined;
  return {
    name: alarm.name,
    statistic: alarm.statistic,
    period: alarm.period,
    evaluationPeriods: alarm.evaluationPeriods,
    datapointsToAlarm: alarm.datapointsToAlarm ?? alarm.evaluationPeriods,
    threshold: alarm.threshold,
    comparison: alarm.comparison,
  };
}

function breaches(comparison: string, value: number, threshold: number): boolean {
  switch (comparison) {
    case "GreaterThanOrEqualToThreshold":
      return value >= threshold;
    case "GreaterThanThreshold":
      return value > threshold;
    case "LessThanThreshold":
      return value < threshold;
    case "LessThanOrEqualToThreshold":
      return value <= threshold;
    default:
      return false;
  }
}

interface Bucket {
  sum: number;
  count: number;
  min: number;
  max: number;
}

function statistic(name: string, b: Bucket): number {
  switch (name.toLowerCase()) {
    case "samplecount":
      return b.count;
    case "average":
      return b.sum / b.count;
    case "minimum":
      return b.min;
    case "maximum":
      return b.max;
    default:
      return b.sum;
  }
}

/** Periods in ALARM over [since, until] for the events `include` keeps. */
export function periodsInAlarm(
  events: readonly ConfirmedEvent[],
  model: AlarmModel,
  since: Date,
  until: Date,
  include: (event: ConfirmedEvent) => boolean = () => true,
): number {
  const step = model.period * 1000;
  const first = Math.floor(since.getTime() / step);
  const last = Math.floor(until.getTime() / step);
  if (last < first) return 0;
  const buckets = new Map<number, Bucket>();
  for (const e of events) {
    if (e.timestamp < since.getTime() || e.timestamp > until.getTime() || !include(e)) continue;
    const slot = Math.floor(e.timestamp / step);
    let b = buckets.get(slot);
    if (!b) {
      b = { sum: 0, count: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
      buckets.set(slot, b);
    }
    for (const [, value] of e.contributions) {
      b.sum += value;
      b.count++;
      b.min = Math.min(b.min, value);
      b.max = Math.max(b.max, value);
    }
  }
  const breaching = (slot: number) => {
    const b = buckets.get(slot);
    return b !== undefined && b.count > 0 && breaches(model.comparison, statistic(model.statistic, b), model.threshold);
  };
  // Only periods with a breaching datapoint in their evaluation range can be in alarm.
  const candidates = new Set<number>();
  for (const slot of buckets.keys()) {
    if (!breaching(slot)) continue;
    for (let k = 0; k < model.evaluationPeriods; k++) if (slot + k <= last) candidates.add(slot + k);
  }
  let inAlarm = 0;
  for (const slot of candidates) {
    let n = 0;
    for (let k = 0; k < model.evaluationPeriods; k++) if (slot - k >= first && breaching(slot - k)) n++;
    if (n >= model.datapointsToAlarm) inAlarm++;
  }
  return inAlarm;
}
