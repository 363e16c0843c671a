/**
 * Plan (pure): the smallest set of writes after which the chain satisfies tripwire and the
 * scanners the filter profile asks for. A scanner target already met by a working customer
 * chain is left alone; otherwise tripwire's own chain (its filters feeding one metric, one
 * alarm, one topic) is put beside whatever the customer has, never in place of it.
 */
import type { PutMetricAlarmCommandInput } from "@aws-sdk/client-cloudwatch";
import type { PutMetricFilterCommandInput } from "@aws-sdk/client-cloudwatch-logs";
import type { CreateTopicCommandInput, SubscribeCommandInput } from "@aws-sdk/client-sns";
import type { ChainVerdict } from "./evaluate.ts";
import { CIS_PATTERNS, scannerVerdicts } from "./filter-pattern/index.ts";
import { type ChainObservation, type FilterProfile, metricKey, type NotifyEndpoint } from "./model.ts";
import { MANAGED_BY_TAG, ownAlarmName, ownFilterName, ownMetric, ownTopicArn, ownTopicName } from "./naming.ts";

export type FilterKind = "cis-v1.2" | "cis-v1.4";

export type PlannedAction = { readonly region: string; readonly resource: string } & (
  | { readonly type: "create-metric-filter" | "update-metric-filter"; readonly input: PutMetricFilterCommandInput }
  | { readonly type: "create-alarm" | "update-alarm"; readonly input: PutMetricAlarmCommandInput }
  | { readonly type: "create-topic"; readonly input: CreateTopicCommandInput }
  | { readonly type: "subscribe"; readonly input: SubscribeCommandInput }
);

export interface PlanContext {
  readonly accountId: string;
  readonly partition: string;
  readonly prefix: string;
  readonly filterProfile: FilterProfile;
  readonly notify: readonly NotifyEndpoint[];
}

/** The scanner whose verdict each filter kind exists to satisfy. */
const KIND_SCANNER = { "cis-v1.2": "securityHub", "cis-v1.4": "steampipe" } as const;
const KIND_PATTERN = { "cis-v1.2": CIS_PATTERNS.v12, "cis-v1.4": CIS_PATTERNS.v14Grouped } as const;

export function kindsForProfile(profile: FilterProfile): FilterKind[] {
  return profile === "securityhub" ? ["cis-v1.2"] : profile === "cis-v1.4" ? ["cis-v1.4"] : ["cis-v1.2", "cis-v1.4"];
}

/** The alarm tripwire wants: one event in five minutes raises it. */
export function desiredAlarm(
  ctx: PlanContext,
  region: string,
  extraActions: readonly string[] = [],
): PutMetricAlarmCommandInput {
  const topic = ownTopicArn(ctx.partition, region, ctx.accountId, ctx.prefix);
  const metric = ownMetric(ctx.prefix);
  return {
    AlarmName: ownAlarmName(ctx.prefix),
    AlarmDescription:
      "Unauthorized API calls (CIS AWS Foundations 3.1/4.1, Security Hub CloudWatch.2). Managed by tripwire.",
    ActionsEnabled: true,
    AlarmActions: [topic, ...extraActions.filter((a) => a !== topic)],
    MetricName: metric.name,
    Namespace: metric.namespace,
    Statistic: "Sum",
    Period: 300,
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    Threshold: 1,
    ComparisonOperator: "GreaterThanOrEqualToThreshold",
    TreatMissingData: "notBreaching",
    Tags: [{ Key: MANAGED_BY_TAG.key, Value: MANAGED_BY_TAG.value }],
  };
}

/** The profile's filter kinds that no working chain satisfies yet. */
function missingKinds(verdict: ChainVerdict, profile: FilterProfile): FilterKind[] {
  return kindsForProfile(profile).filter(
    (kind) => !verdict.workingFilters.some((f) => scannerVerdicts(f.pattern)[KIND_SCANNER[kind]] === "PASS"),
  );
}

/** Whether the chain needs writes at all: some profile target unmet, or no working chain. */
export function needsRemediation(verdict: ChainVerdict, profile: FilterProfile): boolean {
  return verdict.workingFilters.length === 0 || missingKinds(verdict, profile).length > 0;
}

/**
 * Writes that complete the chain of a healthy-enough trail (multi-region, delivering to an
 * existing log group in the reviewed account). Trail problems are reported, never changed.
 */
export function planRemediation(chain: ChainObservation, verdict: ChainVerdict, ctx: PlanContext): PlannedAction[] {
  const logGroup = chain.trail.logGroup;
  if (!logGroup || !chain.logGroupExists || !chain.trail.isMultiRegion || logGroup.accountId !== ctx.accountId)
    return [];
  const region = logGroup.region;
  if (!needsRemediation(verdict, ctx.filterProfile)) return [];
  // Some filter → alarm → topic chain works (the trail aside, which is not ours to fix).
  const aChainWorks = verdict.workingFilters.length > 0;

  const actions: PlannedAction[] = [];
  const topicArn = ownTopicArn(ctx.partition, region, ctx.accountId, ctx.prefix);
  const topic = chain.topics[topicArn];
  if (topic?.state !== "FOUND") {
    actions.push({
      type: "create-topic",
      region,
      resource: topicArn,
      input: { Name: ownTopicName(ctx.prefix), Tags: [{ Key: MANAGED_BY_TAG.key, Value: MANAGED_BY_TAG.value }] },
    });
  }
  const existing = topic?.state === "FOUND" ? (topic.subscriptions ?? []) : [];
  for (const target of ctx.notify) {
    if (existing.some((s) => s.protocol === target.protocol && s.endpoint === target.endpoint)) continue;
    actions.push({
      type: "subscribe",
      region,
      resource: `${topicArn} ${target.protocol}:${target.endpoint}`,
      input: { TopicArn: topicArn, Protocol: target.protocol, Endpoint: target.endpoint, ReturnSubscriptionArn: true },
    });
  }

  const metric = ownMetric(ctx.prefix);
  // When a chain already works, only the missing scanner targets are added; when none does,
  // tripwire's chain must stand on its own, so it gets every kind asked for.
  const kinds = aChainWorks ? missingKinds(verdict, ctx.filterProfile) : kindsForProfile(ctx.filterProfile);
  for (const kind of kinds) {
    const name = ownFilterName(ctx.prefix, kind);
    const pattern = KIND_PATTERN[kind];
    const current = chain.filters.find((f) => f.name === name);
    const only = current?.metrics.length === 1 ? current.metrics[0] : undefined;
    const matches =
      current?.pattern === pattern &&
      only?.name === metric.name &&
      only.namespace === metric.namespace &&
      only.value === "1";
    if (matches) continue;
    actions.push({
      type: current ? "update-metric-filter" : "create-metric-filter",
      region,
      resource: `log-group:${logGroup.name}/metric-filter:${name}`,
      input: {
        logGroupName: logGroup.name,
        filterName: name,
        filterPattern: pattern,
        metricTransformations: [{ metricName: metric.name, metricNamespace: metric.namespace, metricValue: "1" }],
      },
    });
  }

  const alarmName = ownAlarmName(ctx.prefix);
  const currentAlarm = (chain.alarmsByMetric[metricKey(metric)] ?? []).find((a) => a.name === alarmName);
  const wanted = desiredAlarm(ctx, region, currentAlarm?.alarmActions ?? []);
  if (!currentAlarm || !alarmMatches(currentAlarm, wanted)) {
    actions.push({
      type: currentAlarm ? "update-alarm" : "create-alarm",
      region,
      resource: `arn:${ctx.partition}:cloudwatch:${region}:${ctx.accountId}:alarm:${alarmName}`,
      input: wanted,
    });
  }
  return actions;
}

function alarmMatches(
  current: ChainObservation["alarmsByMetric"][string][number],
  wanted: PutMetricAlarmCommandInput,
): boolean {
  return (
    current.actionsEnabled === wanted.ActionsEnabled &&
    (wanted.AlarmActions ?? []).every((a) => current.alarmActions.includes(a)) &&
    current.statistic === wanted.Statistic &&
    current.extendedStatistic === undefined &&
    current.period === wanted.Period &&
    current.evaluationPeriods === wanted.EvaluationPeriods &&
    (current.datapointsToAlarm ?? current.evaluationPeriods) === wanted.DatapointsToAlarm &&
    current.threshold === wanted.Threshold &&
    current.comparison === wanted.ComparisonOperator &&
    (current.treatMissingData ?? "missing") === wanted.TreatMissingData
  );
}
