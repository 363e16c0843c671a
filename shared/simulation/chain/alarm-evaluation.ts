/**
 * One evaluation of a metric alarm at time `at`, as CloudWatch describes it
 * ("How alarm state is evaluated when data is missing", CloudWatch User Guide):
 *
 * - The alarm looks at an evaluation range of R periods ending at `at` (a sliding window: AWS
 *   evaluates every minute). AWS publishes no formula for R; its worked example has
 *   EvaluationPeriods 3 and a range of 5, so R = N + 2 here.
 * - When the range holds at least N real datapoints, the N most recent real ones decide and
 *   TreatMissingData plays no part (so a datapoint that arrived late, CloudTrail's delivery
 *   delay, still counts while it is in the range).
 * - With fewer, missing ones are filled per TreatMissingData, as few as possible: breaching,
 *   notBreaching; `missing` goes INSUFFICIENT_DATA when all are missing and otherwise follows
 *   the "premature alarm" rule; `ignore` keeps the current state when nothing else decides.
 *   Both tables of the guide (N = 3, M = 3 and M = 2) give the published results.
 *
 * The reason texts follow AWS's published and captured samples ("Threshold Crossed: 1
 * datapoint [1.0 (01/01/25 00:05:00)] was greater than or equal to the threshold (1.0).");
 * the texts for partly missing data are modelled on them, not confirmed.
 */
import type { MetricAlarm, StateValue } from "@aws-sdk/client-cloudwatch";
import type { MetricSeries, StatisticName } from "../data/metrics.ts";
import { STATISTIC_NAMES, statisticValue } from "../data/metrics.ts";

export interface AlarmDecision {
  /** The state the alarm should be in, or "RETAIN" to keep the current one. */
  readonly state: StateValue | "RETAIN";
  readonly reason: string;
  /** StateReasonData, as the JSON object CloudWatch writes. */
  readonly reasonData?: Record<string, unknown>;
}

interface Slot {
  readonly start: number;
  readonly value?: number;
  readonly sampleCount?: number;
}

const PHRASES: Readonly<Record<string, string>> = {
  GreaterThanOrEqualToThreshold: "greater than or equal to",
  GreaterThanThreshold: "greater than",
  LessThanThreshold: "less than",
  LessThanOrEqualToThreshold: "less than or equal to",
};

/** "1.0", "8.0", "38.958": how CloudWatch prints numbers (Java doubles). */
export function awsNumber(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/** "2025-01-01T00:05:00.000+0000": CloudWatch's timestamps in alarm data and notifications. */
export function awsTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

/** "01/01/25 00:05:00": the datapoint times in a state reason (day/month/year, UTC). */
function reasonTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

function breaches(operator: string, value: number, threshold: number): boolean {
  switch (operator) {
    case "GreaterThanOrEqualToThreshold":
      return value >= threshold;
    case "GreaterThanThreshold":
      return value > threshold;
    case "LessThanThreshold":
      return value < threshold;
    default:
      return value <= threshold;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The decision for `alarm` at `at` over `series`; undefined for an alarm the simulation does
 * not evaluate (metric math, extended statistics, anomaly bands).
 */
export function evaluateAlarm(
  alarm: MetricAlarm,
  series: MetricSeries | undefined,
  at: number,
): AlarmDecision | undefined {
  const { Period: period, Statistic: stat, ComparisonOperator: operator, Threshold: threshold } = alarm;
  if (alarm.Metrics !== undefined || !period || !stat || !STATISTIC_NAMES.has(stat) || threshold === undefined) {
    return undefined;
  }
  const phrase = operator ? PHRASES[operator] : undefined;
  if (!operator || !phrase) return undefined;
  const statistic = stat as StatisticName;
  const n = alarm.EvaluationPeriods ?? 1;
  const m = alarm.DatapointsToAlarm ?? n;
  const range = n + 2;
  const step = period * 1000;
  const slots: Slot[] = [];
  for (let k = 0; k < range; k++) {
    const start = at - (range - k) * step;
    const stats = series?.statistics(start, start + step);
    slots.push(stats ? { start, value: statisticValue(stats, statistic), sampleCount: stats.sampleCount } : { start });
  }
  const real = slots.filter((s) => s.value !== undefined);
  const isBreaching = (s: Slot) => breaches(operator, s.value as number, threshold);
  const data = (evaluated: readonly Slot[]) => ({
    version: "1.0",
    queryDate: awsTimestamp(at),
    startDate: awsTimestamp(evaluated[0]?.start ?? at - n * step),
    statistic,
    period,
    recentDatapoints: evaluated.map((s) => s.value),
    threshold,
    evaluatedDatapoints: [...evaluated].reverse().map((s) => ({
      timestamp: awsTimestamp(s.start),
      sampleCount: s.sampleCount,
      value: s.value,
    })),
  });
  const listed = (evaluated: readonly Slot[]) =>
    [...evaluated]
      .reverse()
      .map((s) => `${awsNumber(s.value as number)} (${reasonTime(s.start)})`)
      .join(", ");
  const thresholdText = `the threshold (${awsNumber(threshold)})`;

  if (real.length >= n) {
    const evaluated = real.slice(-n);
    const breaching = evaluated.filter(isBreaching).length;
    const alarmed = breaching >= m;
    let reason: string;
    if (n === 1) {
      reason = `Threshold Crossed: 1 datapoint [${listed(evaluated)}] was ${alarmed ? "" : "not "}${phrase} ${thresholdText}.`;
    } else if (alarmed) {
      reason = `Threshold Crossed: ${breaching} out of the last ${n} datapoints [${listed(evaluated)}] were ${phrase} ${thresholdText} (minimum ${plural(m, "datapoint")} for OK -> ALARM transition).`;
    } else {
      const recent = evaluated.map((s) => awsNumber(s.value as number)).join(", ");
      reason = `Threshold Crossed: ${n - breaching} datapoints were not ${phrase} ${thresholdText}. The most recent datapoints: [${recent}].`;
    }
    return { state: alarmed ? "ALARM" : "OK", reason, reasonData: data(evaluated) };
  }

  const treat = alarm.TreatMissingData ?? "missing";
  const fills = n - real.length;
  if (real.length === 0) {
    const none = `no datapoints were received for ${plural(n, "period")} and ${plural(n, "missing datapoint")} ${n === 1 ? "was" : "were"} treated as`;
    switch (treat) {
      case "breaching":
        return { state: "ALARM", reason: `Threshold Crossed: ${none} [Breaching].`, reasonData: data([]) };
      case "notBreaching":
        return { state: "OK", reason: `Threshold Crossed: ${none} [NonBreaching].`, reasonData: data([]) };
      case "ignore":
        return { state: "RETAIN", reason: "Missing data ignored: the current state is kept." };
      default:
        return {
          state: "INSUFFICIENT_DATA",
          reason: `Insufficient Data: ${plural(n, "datapoint")} ${n === 1 ? "was" : "were"} unknown.`,
        };
    }
  }

  // Some real datapoints, fewer than N: every real one counts, missing ones fill the rest.
  const realBreaching = real.filter(isBreaching).length;
  const nonBreaching = real.length - realBreaching;
  const filled = (kind: string) =>
    `Threshold Crossed: ${plural(real.length, "datapoint")} [${listed(real)}] and ${plural(fills, "missing datapoint")} treated as [${kind}]`;
  if (treat === "breaching") {
    const alarmed = realBreaching + fills >= m;
    return {
      state: alarmed ? "ALARM" : "OK",
      reason: `${filled("Breaching")} ${alarmed ? "were" : "were not"} ${phrase} ${thresholdText}.`,
      reasonData: data(real),
    };
  }
  if (treat === "notBreaching") {
    const alarmed = realBreaching >= m;
    return {
      state: alarmed ? "ALARM" : "OK",
      reason: `${filled("NonBreaching")} ${alarmed ? "were" : "were not"} ${phrase} ${thresholdText}.`,
      reasonData: data(real),
    };
  }
  if (realBreaching >= m) {
    return {
      state: "ALARM",
      reason: `Threshold Crossed: ${plural(realBreaching, "datapoint")} [${listed(real)}] ${realBreaching === 1 ? "was" : "were"} ${phrase} ${thresholdText}.`,
      reasonData: data(real),
    };
  }
  if (treat === "missing" && nonBreaching === 0) {
    // The premature-alarm rule: the oldest breaching datapoint of the N most recent periods is
    // at least M periods old and everything after it is breaching or missing.
    const recent = slots.slice(-n);
    const oldest = recent.findIndex((s) => s.value !== undefined && isBreaching(s));
    if (oldest >= 0 && n - oldest >= m) {
      return {
        state: "ALARM",
        reason: `Threshold Crossed: ${plural(realBreaching, "datapoint")} [${listed(real)}] ${realBreaching === 1 ? "was" : "were"} ${phrase} ${thresholdText}, the more recent ones missing.`,
        reasonData: data(real),
      };
    }
  }
  if (nonBreaching > 0) {
    return {
      state: "OK",
      reason: `Threshold Crossed: ${plural(real.length, "datapoint")} [${listed(real)}] ${real.length === 1 ? "was" : "were"} not ${phrase} ${thresholdText}.`,
      reasonData: data(real),
    };
  }
  return { state: "RETAIN", reason: "Too few datapoints to change state." };
}
