/**
 * Observe: the read-only calls. For a compliant account this is DescribeTrails, then
 * GetTrailStatus + GetEventSelectors + DescribeMetricFilters in parallel, then one
 * DescribeAlarmsForMetric per metric of a filter aimed at this control, then one SNS read per
 * topic in those alarms' actions: a handful of calls, whatever the number of regions, because
 * a multi-region trail is visible (as a shadow trail) from any region.
 */
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type AdvancedEventSelector,
  type EventSelector,
  type Trail,
} from "@aws-sdk/client-cloudtrail";
import { DescribeAlarmsForMetricCommand, type MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { DescribeMetricFiltersCommand, type MetricFilter } from "@aws-sdk/client-cloudwatch-logs";
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, type Subscription } from "@aws-sdk/client-sns";
import type { AccountClients } from "./aws/client-factory.ts";
import { describeError } from "./aws/client-factory.ts";
import { judgeCoverage } from "../core/filter-pattern/index.ts";
import { isOwnName, ownMetric, ownTopicArn } from "../core/naming.ts";
import {
  metricKey,
  type AlarmObservation,
  type ChainObservation,
  type LogGroupRef,
  type ManagementEventCoverage,
  type MetricFilterObservation,
  type MetricRef,
  type TopicObservation,
  type TrailState,
  type TrailSummary,
} from "../core/model.ts";

/** Trails visible from `region` in the account, shadow and organization trails included. */
export async function observeTrails(clients: AccountClients, region: string): Promise<TrailSummary[]> {
  const out = await clients.cloudTrail(region).send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  return (out.trailList ?? []).map(toTrailSummary);
}

export function toTrailSummary(trail: Trail): TrailSummary {
  const arn = trail.TrailARN ?? "";
  return {
    arn,
    name: trail.Name ?? arn.split("/").pop() ?? "",
    homeRegion: trail.HomeRegion ?? arn.split(":")[3] ?? "",
    ownerAccountId: arn.split(":")[4] ?? "",
    isMultiRegion: trail.IsMultiRegionTrail === true,
    isOrganizationTrail: trail.IsOrganizationTrail === true,
    logGroup: trail.CloudWatchLogsLogGroupArn ? parseLogGroupArn(trail.CloudWatchLogsLogGroupArn) : undefined,
  };
}

/** `arn:aws:logs:eu-west-1:123456789012:log-group:NAME:*` → its parts; the name may contain colons. */
export function parseLogGroupArn(arn: string): LogGroupRef {
  const parts = arn.split(":");
  let name = parts.slice(6).join(":");
  if (name.endsWith(":*")) name = name.slice(0, -2);
  return { arn, region: parts[3] ?? "", accountId: parts[4] ?? "", name };
}

export interface ChainObservationOptions {
  readonly prefix: string;
  /** False: skip GetTrailStatus and GetEventSelectors (the heal of a chain event). */
  readonly readTrailState?: boolean;
  /** Reads a topic that belongs to another account, with that account's clients. */
  readonly readForeignTopic: (arn: string) => Promise<TopicObservation>;
}

/** Reads one trail's chain with the clients of the account that owns the trail and its log group. */
export async function observeChain(
  owner: AccountClients,
  trail: TrailSummary,
  options: ChainObservationOptions,
): Promise<ChainObservation> {
  const logGroup = trail.logGroup;
  const [state, filters] = await Promise.all([
    options.readTrailState === false
      ? Promise.resolve({ stateNotRead: true })
      : readTrailState(owner, trail).then(
          (s) => ({ state: s }),
          (error: unknown) => ({ stateError: describeError(error) }),
        ),
    logGroup ? readMetricFilters(owner, logGroup) : Promise.resolve(undefined),
  ]);
  const base = { trail, ...state };
  if (!logGroup || filters === undefined) {
    return { ...base, logGroupExists: false, filters: [], alarmsByMetric: {}, topics: {} };
  }

  const aimed = filters.filter((f) => isAimedAtControl(f, options.prefix));
  const metrics = uniqueMetrics(aimed);
  const alarmLists = await Promise.all(metrics.map((m) => readAlarms(owner, logGroup.region, m)));
  const alarmsByMetric: Record<string, AlarmObservation[]> = {};
  metrics.forEach((m, i) => (alarmsByMetric[metricKey(m)] = alarmLists[i] ?? []));

  const topicArns = new Set(
    alarmLists.flat().flatMap((a) => a.alarmActions.filter((arn) => arn.split(":")[2] === "sns")),
  );
  const ownTopic = ownTopicArn(owner.partition, logGroup.region, owner.accountId, options.prefix);
  const topics: Record<string, TopicObservation> = {};
  await Promise.all(
    [...topicArns].map(async (arn) => {
      topics[arn] =
        arn === ownTopic
          ? await readOwnTopic(owner, arn)
          : arn.split(":")[4] !== owner.accountId
            ? await options.readForeignTopic(arn)
            : await readTopic(owner, arn);
    }),
  );
  return { ...base, logGroupExists: true, filters, alarmsByMetric, topics };
}

/**
 * What the plan needs that a scan does not read: the alarms on tripwire's own metric and
 * tripwire's own topic with its subscriptions, when no filter or alarm led to them yet.
 * Read only once evaluation shows that a plan is needed, so a compliant account costs a
 * fix no more calls than a scan.
 */
export async function observePlanInputs(owner: AccountClients, chain: ChainObservation, prefix: string): Promise<ChainObservation> {
  const region = chain.trail.logGroup?.region;
  if (!region) return chain;
  const metric = ownMetric(prefix);
  const topicArn = ownTopicArn(owner.partition, region, owner.accountId, prefix);
  const [alarms, topic] = await Promise.all([
    chain.alarmsByMetric[metricKey(metric)] ?? readAlarms(owner, region, metric),
    chain.topics[topicArn] ?? readOwnTopic(owner, topicArn),
  ]);
  return {
    ...chain,
    alarmsByMetric: { ...chain.alarmsByMetric, [metricKey(metric)]: alarms },
    topics: { ...chain.topics, [topicArn]: topic },
  };
}

/** A filter counts as aimed at this control when it is tripwire's or catches any unauthorized call. */
export function isAimedAtControl(filter: MetricFilterObservation, prefix: string): boolean {
  return isOwnName(filter.name, prefix) || judgeCoverage(filter.pattern).matchedUnauthorized > 0;
}

function uniqueMetrics(filters: readonly MetricFilterObservation[]): MetricRef[] {
  const seen = new Map<string, MetricRef>();
  for (const f of filters) for (const m of f.metrics) seen.set(metricKey(m), { name: m.name, namespace: m.namespace });
  return [...seen.values()];
}

async function readTrailState(owner: AccountClients, trail: TrailSummary): Promise<TrailState> {
  const client = owner.cloudTrail(trail.homeRegion);
  const [status, selectors] = await Promise.all([
    client.send(new GetTrailStatusCommand({ Name: trail.arn })),
    client.send(new GetEventSelectorsCommand({ TrailName: trail.arn })),
  ]);
  const advanced = selectors.AdvancedEventSelectors;
  if (advanced && advanced.length > 0) {
    return {
      isLogging: status.IsLogging === true,
      managementEvents: advancedManagementCoverage(advanced),
      basicSelectorsAll: false,
      selectorKind: "advanced",
    };
  }
  const basic = selectors.EventSelectors ?? [];
  return {
    isLogging: status.IsLogging === true,
    managementEvents: basicManagementCoverage(basic),
    basicSelectorsAll: basic.some((s) => s.IncludeManagementEvents !== false && (s.ReadWriteType ?? "All") === "All"),
    selectorKind: "basic",
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

/** All filters on the log group, or undefined when the log group does not exist. */
async function readMetricFilters(owner: AccountClients, logGroup: LogGroupRef): Promise<MetricFilterObservation[] | undefined> {
  const client = owner.logs(logGroup.region);
  const filters: MetricFilter[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await client.send(new DescribeMetricFiltersCommand({ logGroupName: logGroup.name, nextToken: token }));
      filters.push(...(page.metricFilters ?? []));
      token = page.nextToken;
    } while (token);
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") return undefined;
    throw error;
  }
  return filters.map(toFilterObservation);
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
    })),
  };
}

async function readAlarms(owner: AccountClients, region: string, metric: MetricRef): Promise<AlarmObservation[]> {
  const out = await owner
    .cloudWatch(region)
    .send(new DescribeAlarmsForMetricCommand({ MetricName: metric.name, Namespace: metric.namespace }));
  return (out.MetricAlarms ?? []).map(toAlarmObservation);
}

/** From DescribeAlarms' shape (PutMetricAlarm's input has the same field names). */
export function toAlarmObservation(a: MetricAlarm): AlarmObservation {
  return {
    name: a.AlarmName ?? "",
    arn: a.AlarmArn ?? "",
    metric: { name: a.MetricName ?? "", namespace: a.Namespace ?? "" },
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
  };
}

/** A customer's topic: the counts are enough to judge it (one call, however many subscribers). */
export async function readTopic(clients: AccountClients, arn: string): Promise<TopicObservation> {
  try {
    const out = await clients.sns(arn.split(":")[3] ?? "").send(new GetTopicAttributesCommand({ TopicArn: arn }));
    const attrs = out.Attributes ?? {};
    return {
      arn,
      state: "FOUND",
      confirmed: Number(attrs.SubscriptionsConfirmed ?? 0),
      pending: Number(attrs.SubscriptionsPending ?? 0),
    };
  } catch (error) {
    return topicError(arn, error);
  }
}

/** tripwire's own topic: its subscriptions are listed, because the plan adds the missing ones. */
async function readOwnTopic(owner: AccountClients, arn: string): Promise<TopicObservation> {
  const client = owner.sns(arn.split(":")[3] ?? "");
  const subscriptions: Subscription[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await client.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn, NextToken: token }));
      subscriptions.push(...(page.Subscriptions ?? []));
      token = page.NextToken;
    } while (token);
  } catch (error) {
    return topicError(arn, error);
  }
  const listed = subscriptions.map((s) => ({
    protocol: s.Protocol ?? "",
    endpoint: s.Endpoint ?? "",
    confirmed: !!s.SubscriptionArn && s.SubscriptionArn.startsWith("arn:"),
  }));
  const confirmed = listed.filter((s) => s.confirmed).length;
  return { arn, state: "FOUND", confirmed, pending: listed.length - confirmed, subscriptions: listed };
}

function topicError(arn: string, error: unknown): TopicObservation {
  const name = (error as Error).name;
  if (name === "NotFoundException" || name === "NotFound") return { arn, state: "NOT_FOUND" };
  if (name === "AuthorizationErrorException" || name === "AccessDeniedException" || name === "AuthorizationError") {
    return { arn, state: "UNREADABLE", reason: describeError(error) };
  }
  throw error;
}
