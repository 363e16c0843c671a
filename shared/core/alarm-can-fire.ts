import type { AlarmObservation, MetricFilterObservation } from "./model.ts";

export type FireVerdict = { readonly canFire: true } | { readonly canFire: false; readonly reason: string };

/**
 * Whether one matching log event, alone in an otherwise quiet period, puts the alarm in
 * ALARM. One event emits the filter's metric value once, so the alarm's statistic over that
 * period is the value itself (Sum, Average, Minimum, Maximum, percentiles) or 1 (SampleCount),
 * and it fills one datapoint: an alarm that needs more datapoints than one never fires on a
 * single event, unless missing periods count as breaching.
 */
export function alarmCanFire(
  alarm: AlarmObservation,
  metricValue: MetricFilterObservation["metrics"][number]["value"],
): FireVerdict {
  const value = Number(metricValue);
  // A value taken from the event ($.field) cannot be judged from the configuration alone.
  if (!Number.isFinite(value)) return { canFire: true };
  const datapoint = alarm.statistic === "SampleCount" ? 1 : value;
  const threshold = alarm.threshold;
  if (threshold === undefined) return { canFire: true }; // anomaly-detection band: data-dependent
  const trips = compare(alarm.comparison, datapoint, threshold);
  if (trips === undefined) return { canFire: true };
  if (!trips) {
    return {
      canFire: false,
      reason: `${alarm.statistic ?? alarm.extendedStatistic ?? "statistic"} of one event is ${datapoint}, which is not ${describeComparison(alarm.comparison)} ${threshold}`,
    };
  }
  const needed = alarm.datapointsToAlarm ?? alarm.evaluationPeriods;
  if (needed > 1 && alarm.treatMissingData !== "breaching") {
    return {
      canFire: false,
      reason: `it needs ${needed} breaching datapoints of ${alarm.evaluationPeriods}, and one event fills one`,
    };
  }
  return { canFire: true };
}

function compare(op: string, x: number, t: number): boolean | undefined {
  switch (op) {
    case "GreaterThanOrEqualToThreshold":
      return x >= t;
    case "GreaterThanThreshold":
      return x > t;
    case "LessThanThreshold":
      return x < t;
    case "LessThanOrEqualToThreshold":
      return x <= t;
    default:
      return undefined;
  }
}

function describeComparison(op: string): string {
  return (
    {
      GreaterThanOrEqualToThreshold: ">=",
      GreaterThanThreshold: ">",
      LessThanThreshold: "<",
      LessThanOrEqualToThreshold: "<=",
    }[op] ?? op
  );
}
