/**
 * Observations from the SDK's own shapes (pure). What Describe* returns and what Put* takes
 * share their field names, so the projection of applied writes uses the same mappers.
 */
import type { AdvancedEventSelector, EventSelector, Trail } from "@aws-sdk/client-cloudtrail";
import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import type { MetricFilter } from "@aws-sdk/client-cloudwatch-logs";
import { parseArn, parseLogGroupArn } from "./arn.ts";
import type { AlarmObservation, ManagementEventCoverage, MetricFilterObservation, TrailSummary } from "./model.ts";

export function toTrailSummary(trail: Trail): TrailSummary {
  const arn = trail.TrailARN ?? "";
  const parsed = parseArn(arn);
  return {
    arn,
    name: trail.Name ?? arn.split("/").pop() ?? "",
    homeRegion: trail.HomeRegion ?? parsed?.region ?? "",
    ownerAccountId: parsed?.accountId ?? "",
    isMultiRegion: trail.IsMultiRegionTrail === true,
    isOrganizationTrail: trail.IsOrganizationTrail === true,
    logGroup: trail.CloudWatchLogsLogGroupArn ? parseLogGroupArn(trail.CloudWatchLogsLogGroupArn) : undefined,
  };
}

/** Read and write management events, from basic selectors (a ReadOnly and a WriteOnly one add up). */
export function basicManagementCoverage(selectors: readonly EventSelector[]): ManagementEventCoverage {
  const kinds = new Set(
    selectors.filter((s) => s.IncludeManagementEvents !== false).map((s) => s.ReadWriteType ?? "All"),
  );
  if (kinds.has("All") || (kinds.has("ReadOnly") && kinds.has("WriteOnly"))) return "READ_WRITE";
  return kinds.size > 0 ? "PARTIAL" : "NONE";
}

/** Same for advanced selectors: eventCategory = Management, optionally narrowed by readOnly. */
export function advancedManagementCoverage(selectors: readonly AdvancedEventSelector[]): ManagementEventCoverage {
  let reads = false;
  let writes = false;
  for (const selector of selectors) {
    const fields = selector.FieldSelectors ?? [];
    const isManagement = fields.some((f) => f.Field === "eventCategory" && f.Equals?.includes("Management"));
    if (!isManagement) continue;
    const readOnly = fields.find((f) => f.Field === "readOnly");
    const only = readOnly?.Equals?.length === 1 ? readOnly.Equals[0] : undefined;
    if (only !== "false") reads = true;
    if (only !== "true") writes = true;
  }
  return reads && writes ? "READ_WRITE" : reads || writes ? "PARTIAL" : "NONE";
}

/** From DescribeMetricFilters' shape (PutMetricFilter's input has the same field names). */
export function toFilterObservation(f: MetricFilter): MetricFilterObservation {
  return {
    name: f.filterName ?? "",
    pattern: f.filterPattern ?? "",
    metrics: (f.metricTransformations ?? []).map((t) => ({
      name: t.metricName ?? "",
      namespace: t.metricNamespace ?? "",
      value: t.metricValue ?? "1",
      ...(t.defaultValue !== undefined ? { defaultValue: t.defaultValue } : {}),
      ...(t.dimensions && Object.keys(t.dimensions).length > 0 ? { dimensions: { ...t.dimensions } } : {}),
      ...(t.unit !== undefined ? { unit: t.unit } : {}),
    })),
  };
}

/** From DescribeAlarms' shape (PutMetricAlarm's input has the same field names). */
export function toAlarmObservation(a: MetricAlarm): AlarmObservation {
  return {
    name: a.AlarmName ?? "",
    arn: a.AlarmArn ?? "",
    metric: { name: a.MetricName ?? "", namespace: a.Namespace ?? "" },
    ...(a.Dimensions && a.Dimensions.length > 0
      ? { dimensions: Object.fromEntries(a.Dimensions.map((d) => [d.Name ?? "", d.Value ?? ""])) }
      : {}),
    actionsEnabled: a.ActionsEnabled !== false,
    alarmActions: a.AlarmActions ?? [],
    statistic: a.Statistic,
    extendedStatistic: a.ExtendedStatistic,
    period: a.Period ?? 0,
    evaluationPeriods: a.EvaluationPeriods ?? 1,
    datapointsToAlarm: a.DatapointsToAlarm,
    threshold: a.Threshold,
    comparison: a.ComparisonOperator ?? "",
    treatMissingData: a.TreatMissingData,
    ...(a.AlarmDescription !== undefined ? { description: a.AlarmDescription } : {}),
  };
}
