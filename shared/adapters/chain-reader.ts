/**
 * Reads one trail's alert chain. For a compliant account this is GetTrailStatus +
 * GetEventSelectors + DescribeMetricFilters in parallel, then one DescribeAlarmsForMetric per
 * metric of a filter aimed at this control, then one SNS read per topic in those alarms'
 * actions (two for a topic whose counts show no confirmed subscription: topic-reader.ts): a
 * handful of calls, whatever the number of regions, because a multi-region trail is visible
 * (as a shadow trail) from any region. Any failed read rejects: the account is then ERROR.
 */
import {
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  ListTagsForResourceCommand as ListAlarmTagsCommand,
} from "@aws-sdk/client-cloudwatch";
import { paginateDescribeMetricFilters } from "@aws-sdk/client-cloudwatch-logs";
import { ListTagsForResourceCommand as ListTopicTagsCommand } from "@aws-sdk/client-sns";
import { isAimedAtControl } from "../core/aimed-filters.ts";
import { arnAccount, isSnsTopicArn, type LogGroupRef } from "../core/arn.ts";
import { toAlarmObservation, toFilterObservation } from "../core/from-sdk.ts";
import {
  type AlarmObservation,
  type ChainObservation,
  type MetricFilterObservation,
  type MetricRef,
  metricKey,
  type TopicObservation,
  type TrailSummary,
} from "../core/model.ts";
import { ownAlarmName, ownMetric, ownTopicArn } from "../core/naming.ts";
import { hasOwnTag, type TagList } from "../core/ownership.ts";
import type { OwnershipProof } from "../core/plan.ts";
import type { AccountClients } from "./aws/account-clients.ts";
import { readTopicKey } from "./topic-key-reader.ts";
import { readOwnTopic, readTopic } from "./topic-reader.ts";
import { readTrailState } from "./trail-reader.ts";

export interface ChainObservationOptions {
  readonly prefix: string;
  /** True: skip GetTrailStatus and GetEventSelectors (the heal of a chain event). */
  readonly chainOnly?: boolean;
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
    // A failed read rejects: the account is then ERROR, never judged on what was not seen.
    options.chainOnly ? Promise.resolve({ chainOnly: true }) : readTrailState(owner, trail).then((s) => ({ state: s })),
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
  for (const [i, m] of metrics.entries()) alarmsByMetric[metricKey(m)] = alarmLists[i] ?? [];

  const topicArns = new Set(alarmLists.flat().flatMap((a) => a.alarmActions.filter(isSnsTopicArn)));
  const ownTopic = ownTopicArn(owner.partition, logGroup.region, owner.accountId, options.prefix);
  const topics: Record<string, TopicObservation> = {};
  await Promise.all(
    [...topicArns].map(async (arn) => {
      topics[arn] =
        arn === ownTopic
          ? await readOwnTopic(owner, arn)
          : arnAccount(arn) !== owner.accountId
            ? await options.readForeignTopic(arn)
            : await readTopic(owner, arn);
    }),
  );
  return { ...base, logGroupExists: true, filters, alarmsByMetric, topics };
}

/**
 * What the plan needs that a scan does not read: the alarm of tripwire's name whatever its
 * metric (DescribeAlarms by name, unless an alarm of that name was already read: names are
 * unique in a region) and tripwire's topic with its subscriptions, when no alarm led to it yet.
 * Read only once evaluation shows that a plan is needed, so a compliant account costs a fix no
 * more calls than a scan. With a topicKmsKey, the key tripwire's topic would be created with is
 * read when that topic does not exist yet, so the chain after the fix is judged with it.
 */
export async function observePlanInputs(
  owner: AccountClients,
  chain: ChainObservation,
  prefix: string,
  options: { readonly topicKmsKey?: string } = {},
): Promise<ChainObservation> {
  const region = chain.trail.logGroup?.region;
  if (!region) return chain;
  const key = metricKey(ownMetric(prefix));
  const alarmName = ownAlarmName(prefix);
  const topicArn = ownTopicArn(owner.partition, region, owner.accountId, prefix);
  const seen = Object.values(chain.alarmsByMetric)
    .flat()
    .find((a) => a.name === alarmName);
  const [alarm, topic] = await Promise.all([
    seen ?? readAlarmNamed(owner, region, alarmName),
    chain.topics[topicArn] ?? readOwnTopic(owner, topicArn, { attributes: "when-found" }),
  ]);
  const topicKey =
    options.topicKmsKey && topic.state === "NOT_FOUND"
      ? await readTopicKey(owner, options.topicKmsKey, region)
      : undefined;
  // tripwire's metric, as far as the plan and the projection after it need: its own alarm.
  const onOwnMetric = alarm && metricKey(alarm.metric) === key ? [alarm] : [];
  return {
    ...chain,
    alarmsByMetric:
      key in chain.alarmsByMetric ? chain.alarmsByMetric : { ...chain.alarmsByMetric, [key]: onOwnMetric },
    topics: { ...chain.topics, [topicArn]: topic },
    ownNames: { alarm, ...(topicKey ? { topicKey } : {}) },
  };
}

/**
 * The managed-by tags the plan asked for (Plan.proofsNeeded): of the alarm of tripwire's
 * name, and of the topic of tripwire's name, read before any write to them.
 */
export async function readOwnershipProofs(
  owner: AccountClients,
  chain: ChainObservation,
  proofs: readonly OwnershipProof[],
  prefix: string,
): Promise<ChainObservation> {
  const region = chain.trail.logGroup?.region;
  const names = chain.ownNames;
  if (!region || !names) return chain;
  const alarmArn = names.alarm?.arn;
  const topicArn = ownTopicArn(owner.partition, region, owner.accountId, prefix);
  const [alarmTags, topicTags] = await Promise.all([
    proofs.includes("alarm") && alarmArn
      ? owner
          .cloudWatch(region)
          .send(new ListAlarmTagsCommand({ ResourceARN: alarmArn }))
          .then((out) => out.Tags ?? [])
      : undefined,
    proofs.includes("topic")
      ? owner
          .sns(region)
          .send(new ListTopicTagsCommand({ ResourceArn: topicArn }))
          .then((out) => out.Tags ?? [])
      : undefined,
  ]);
  // The tags read as proof also tell the plan whether the owner and runbook tags are current.
  const asRecord = (tags: TagList) => Object.fromEntries(tags.map((t) => [t.Key ?? "", t.Value ?? ""]));
  return {
    ...chain,
    ownNames: {
      ...names,
      ...(alarmTags === undefined ? {} : { alarmTagged: hasOwnTag(alarmTags), alarmTags: asRecord(alarmTags) }),
      ...(topicTags === undefined ? {} : { topicTagged: hasOwnTag(topicTags), topicTags: asRecord(topicTags) }),
    },
  };
}

/** The alarm of that exact name, whatever its metric, or null. */
async function readAlarmNamed(owner: AccountClients, region: string, name: string): Promise<AlarmObservation | null> {
  const out = await owner.cloudWatch(region).send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  const alarm = (out.MetricAlarms ?? []).find((a) => a.AlarmName === name);
  return alarm ? toAlarmObservation(alarm) : null;
}

function uniqueMetrics(filters: readonly MetricFilterObservation[]): MetricRef[] {
  const seen = new Map<string, MetricRef>();
  for (const f of filters) for (const m of f.metrics) seen.set(metricKey(m), { name: m.name, namespace: m.namespace });
  return [...seen.values()];
}

/** All filters on the log group, or undefined when the log group does not exist. */
export async function readMetricFilters(
  owner: AccountClients,
  logGroup: LogGroupRef,
): Promise<MetricFilterObservation[] | undefined> {
  const filters: MetricFilterObservation[] = [];
  try {
    const pages = paginateDescribeMetricFilters(
      { client: owner.logs(logGroup.region) },
      { logGroupName: logGroup.name },
    );
    for await (const page of pages) filters.push(...(page.metricFilters ?? []).map(toFilterObservation));
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") return undefined;
    throw error;
  }
  return filters;
}

export async function readAlarms(
  owner: AccountClients,
  region: string,
  metric: MetricRef,
): Promise<AlarmObservation[]> {
  const out = await owner
    .cloudWatch(region)
    .send(new DescribeAlarmsForMetricCommand({ MetricName: metric.name, Namespace: metric.namespace }));
  return (out.MetricAlarms ?? []).map(toAlarmObservation);
}
