/**
 * CloudWatch metric datapoints of one account and region: one series per metric (namespace,
 * name, dimensions), its timestamps and values in parallel arrays sorted by timestamp.
 */
import type { Dimension } from "@aws-sdk/client-cloudwatch";

/** Sum, count, minimum and maximum of the datapoints of one period. */
export interface PeriodStatistics {
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
}

export type StatisticName = "Sum" | "SampleCount" | "Average" | "Minimum" | "Maximum";

export const STATISTIC_NAMES: ReadonlySet<string> = new Set(["Sum", "SampleCount", "Average", "Minimum", "Maximum"]);

export function statisticValue(stats: PeriodStatistics, statistic: StatisticName): number {
  switch (statistic) {
    case "Sum":
      return stats.sum;
    case "SampleCount":
      return stats.sampleCount;
    case "Average":
      return stats.sum / stats.sampleCount;
    case "Minimum":
      return stats.minimum;
    case "Maximum":
      return stats.maximum;
  }
}

/** A metric's identity: namespace, name and its dimensions in name order. */
export function metricKey(namespace: string, name: string, dimensions: readonly Dimension[] | undefined): string {
  const dims = [...(dimensions ?? [])]
    .map((d) => `${d.Name ?? ""}=${d.Value ?? ""}`)
    .sort()
    .join("\u0001");
  return `${namespace}\u0000${name}\u0000${dims}`;
}

export class MetricSeries {
  readonly #timestamps: number[] = [];
  readonly #values: number[] = [];

  constructor(
    readonly namespace: string,
    readonly name: string,
    readonly dimensions: readonly Dimension[],
    public unit?: string,
  ) {}

  get size(): number {
    return this.#timestamps.length;
  }

  add(timestamp: number, value: number): void {
    const ts = this.#timestamps;
    if (ts.length === 0 || (ts[ts.length - 1] as number) <= timestamp) {
      ts.push(timestamp);
      this.#values.push(value);
      return;
    }
    const at = upperBound(ts, timestamp);
    ts.splice(at, 0, timestamp);
    this.#values.splice(at, 0, value);
  }

  /** Statistics of the datapoints in [start, end), or undefined when there are none. */
  statistics(start: number, end: number): PeriodStatistics | undefined {
    const ts = this.#timestamps;
    let i = lowerBound(ts, start);
    if (i >= ts.length || (ts[i] as number) >= end) return undefined;
    let sampleCount = 0;
    let sum = 0;
    let minimum = Infinity;
    let maximum = -Infinity;
    for (; i < ts.length && (ts[i] as number) < end; i++) {
      const v = this.#values[i] as number;
      sampleCount++;
      sum += v;
      if (v < minimum) minimum = v;
      if (v > maximum) maximum = v;
    }
    return { sampleCount, sum, minimum, maximum };
  }

  /** Every datapoint, oldest first (for inspection in tests). */
  datapoints(): { timestamp: number; value: number }[] {
    return this.#timestamps.map((timestamp, i) => ({ timestamp, value: this.#values[i] as number }));
  }
}

export class MetricStore {
  readonly #series = new Map<string, MetricSeries>();

  add(
    namespace: string,
    name: string,
    dimensions: readonly Dimension[],
    timestamp: number,
    value: number,
    unit?: string,
  ): void {
    const key = metricKey(namespace, name, dimensions);
    let series = this.#series.get(key);
    if (!series) {
      series = new MetricSeries(namespace, name, structuredClone(dimensions), unit);
      this.#series.set(key, series);
    }
    series.add(timestamp, value);
  }

  series(namespace: string, name: string, dimensions: readonly Dimension[] | undefined): MetricSeries | undefined {
    return this.#series.get(metricKey(namespace, name, dimensions));
  }
}

function lowerBound(ts: readonly number[], value: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ts[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(ts: readonly number[], value: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ts[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
