/**
 * CloudWatch metric data: PutMetricData, GetMetricData and GetMetricStatistics over the
 * datapoints the simulation holds (from metric filters, PutMetricData or seeding). Statistics:
 * Sum, SampleCount, Average, Minimum, Maximum. Periods are buckets from StartTime (rounded
 * down to the minute); only buckets with datapoints are returned, as CloudWatch does.
 */
import type {
  Dimension,
  GetMetricDataInput,
  GetMetricStatisticsInput,
  MetricDataQuery,
  MetricDataResult,
  PutMetricDataInput,
} from "@aws-sdk/client-cloudwatch";
import type { MetricSeries, StatisticName } from "../data/metrics.ts";
import { STATISTIC_NAMES, statisticValue } from "../data/metrics.ts";
import { SimulationNotImplementedError } from "../errors.ts";
import { type CallContext, type HandlerTable, op, raise, required } from "./handler.ts";

const MAX_QUERIES = 500;
const MAX_STATISTICS_DATAPOINTS = 1440;
const DEFAULT_MAX_DATAPOINTS = 100_800;
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

function fail(name: string, message: string, status = 400): never {
  return raise("cloudwatch", name, message, status);
}

function missing(field: string): never {
  return fail("MissingRequiredParameterException", `The parameter ${field} is required.`);
}

function checkPeriod(period: number | undefined): number {
  if (period === undefined) return missing("Period");
  if (
    !(
      period === 1 ||
      period === 5 ||
      period === 10 ||
      period === 20 ||
      period === 30 ||
      (period >= 60 && period % 60 === 0)
    )
  ) {
    fail("InvalidParameterValueException", "The parameter Period must be 1, 5, 10, 20, 30, or a multiple of 60.");
  }
  return period;
}

function statisticOf(stat: string): StatisticName {
  if (STATISTIC_NAMES.has(stat)) return stat as StatisticName;
  if (/^(p|tm|wm|tc|ts|pr|iqm)/i.test(stat)) throw new SimulationNotImplementedError("cloudwatch", `statistic ${stat}`);
  return fail("InvalidParameterValueException", `The value ${stat} for parameter Stat is not valid.`);
}

interface Bucket {
  readonly start: number;
  readonly value: number;
}

/** The non-empty buckets of [start, end), oldest first. */
function buckets(
  series: MetricSeries | undefined,
  start: number,
  end: number,
  period: number,
  statistic: StatisticName,
): Bucket[] {
  if (!series) return [];
  const out: Bucket[] = [];
  const step = period * 1000;
  for (let at = start; at < end; at += step) {
    const stats = series.statistics(at, Math.min(at + step, end));
    if (stats) out.push({ start: at, value: statisticValue(stats, statistic) });
  }
  return out;
}

function timeRange(startTime: Date | undefined, endTime: Date | undefined): { start: number; end: number } {
  if (!startTime) missing("StartTime");
  if (!endTime) missing("EndTime");
  const start = Math.floor(startTime.getTime() / 60_000) * 60_000;
  const end = endTime.getTime();
  if (!(start < end))
    fail("InvalidParameterValueException", "The parameter StartTime must be less than the parameter EndTime.");
  return { start, end };
}

function seriesFor(ctx: CallContext, namespace: string, name: string, dimensions: readonly Dimension[] | undefined) {
  return ctx.core.data.peekMetrics(ctx.account.id, ctx.region)?.series(namespace, name, dimensions);
}

function queryResult(
  ctx: CallContext,
  query: MetricDataQuery,
  range: { start: number; end: number },
  descending: boolean,
): MetricDataResult {
  const id = required("cloudwatch", "MissingRequiredParameterException", "Id", query.Id);
  if (!QUERY_ID.test(id))
    fail("InvalidParameterValueException", `The value ${id} for parameter MetricDataQueries.member.Id is not valid.`);
  if (query.Expression !== undefined) throw new SimulationNotImplementedError("cloudwatch", "GetMetricData Expression");
  const stat = query.MetricStat ?? missing("MetricDataQueries.member.MetricStat");
  const metric = stat.Metric ?? missing("MetricDataQueries.member.MetricStat.Metric");
  const namespace = required("cloudwatch", "MissingRequiredParameterException", "Namespace", metric.Namespace);
  const name = required("cloudwatch", "MissingRequiredParameterException", "MetricName", metric.MetricName);
  const period = checkPeriod(stat.Period);
  const statistic = statisticOf(required("cloudwatch", "MissingRequiredParameterException", "Stat", stat.Stat));
  const series = seriesFor(ctx, namespace, name, metric.Dimensions);
  const found =
    stat.Unit !== undefined && series?.unit !== stat.Unit
      ? []
      : buckets(series, range.start, range.end, period, statistic);
  if (descending) found.reverse();
  return {
    Id: id,
    Label: query.Label ?? name,
    Timestamps: found.map((b) => new Date(b.start)),
    Values: found.map((b) => b.value),
    StatusCode: "Complete",
    Messages: [],
  };
}

export const cloudWatchMetricHandlers: HandlerTable = {
  PutMetricData: op<PutMetricDataInput>((ctx, input) => {
    const namespace = required("cloudwatch", "MissingRequiredParameterException", "Namespace", input.Namespace);
    if (namespace.startsWith("AWS/"))
      fail("InvalidParameterValueException", "The value AWS/ for parameter Namespace is reserved.");
    const data = input.MetricData ?? missing("MetricData");
    if (data.length > 1000)
      fail("InvalidParameterValueException", "The collection MetricData must not have a size greater than 1000.");
    const store = ctx.core.data.metrics(ctx.account.id, ctx.region);
    const now = ctx.core.clock.nowMs();
    for (const datum of data) {
      const name = required("cloudwatch", "MissingRequiredParameterException", "MetricName", datum.MetricName);
      if (datum.StatisticValues !== undefined)
        throw new SimulationNotImplementedError("cloudwatch", "PutMetricData StatisticValues");
      const at = datum.Timestamp?.getTime() ?? now;
      const values = datum.Values ?? (datum.Value === undefined ? [] : [datum.Value]);
      if (values.length === 0) missing("MetricData.member.Value");
      values.forEach((value, i) => {
        const count = datum.Counts?.[i] ?? 1;
        for (let n = 0; n < count; n++) store.add(namespace, name, datum.Dimensions ?? [], at, value, datum.Unit);
      });
    }
    return {};
  }),

  GetMetricData: op<GetMetricDataInput>((ctx, input) => {
    const queries = input.MetricDataQueries ?? missing("MetricDataQueries");
    if (queries.length < 1 || queries.length > MAX_QUERIES) {
      fail(
        "InvalidParameterValueException",
        `The collection MetricDataQueries must have between 1 and ${MAX_QUERIES} items.`,
      );
    }
    const range = timeRange(input.StartTime, input.EndTime);
    const descending = (input.ScanBy ?? "TimestampDescending") === "TimestampDescending";
    const results = queries
      .map((q) => ({ q, result: queryResult(ctx, q, range, descending) }))
      .filter(({ q }) => q.ReturnData !== false)
      .map(({ result }) => result);
    // One page: a query past MaxDatapoints is cut and marked PartialData (no NextToken here).
    let budget = input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
    for (const r of results) {
      const n = r.Values?.length ?? 0;
      if (n > budget) {
        r.Timestamps = r.Timestamps?.slice(0, budget);
        r.Values = r.Values?.slice(0, budget);
        r.StatusCode = "PartialData";
      }
      budget = Math.max(0, budget - n);
    }
    return { MetricDataResults: results, Messages: [] };
  }),

  GetMetricStatistics: op<GetMetricStatisticsInput>((ctx, input) => {
    const namespace = required("cloudwatch", "MissingRequiredParameterException", "Namespace", input.Namespace);
    const name = required("cloudwatch", "MissingRequiredParameterException", "MetricName", input.MetricName);
    const period = checkPeriod(input.Period);
    if (input.ExtendedStatistics !== undefined)
      throw new SimulationNotImplementedError("cloudwatch", "GetMetricStatistics ExtendedStatistics");
    const statistics = (input.Statistics ?? missing("Statistics")).map(statisticOf);
    const range = timeRange(input.StartTime, input.EndTime);
    if ((range.end - range.start) / (period * 1000) > MAX_STATISTICS_DATAPOINTS) {
      fail(
        "InvalidParameterCombinationException",
        `You have requested up to ${Math.ceil((range.end - range.start) / (period * 1000))} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS}.`,
      );
    }
    const series = seriesFor(ctx, namespace, name, input.Dimensions);
    const step = period * 1000;
    const datapoints = [];
    if (series && (input.Unit === undefined || series.unit === input.Unit)) {
      for (let at = range.start; at < range.end; at += step) {
        const stats = series.statistics(at, Math.min(at + step, range.end));
        if (!stats) continue;
        datapoints.push({
          Timestamp: new Date(at),
          ...Object.fromEntries(statistics.map((s) => [s, statisticValue(stats, s)])),
          Unit: series.unit ?? "None",
        });
      }
    }
    return { Label: name, Datapoints: datapoints };
  }),
};
