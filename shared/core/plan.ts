/**
 * Plan (pure): the smallest set of writes after which the chain satisfies tripwire and the
 * scanners the filter profile asks for. A scanner target already met by a working customer
 * chain is left alone; otherwise tripwire's own chain (its filters feeding one metric, one
 * alarm, one topic) is put beside whatever the customer has, never in place of it.
 *
 * Ownership is proven, never taken from a name (core/ownership.ts): tripwire writes to an
 * existing resource of one of its names, or points its alarm at an existing topic of its
 * name, only with proof that it is tripwire's. A resource that is already exactly what
 * tripwire would write needs none: nothing is written to it. When a needed write lacks proof,
 * the name is taken (NAME_TAKEN) and the chain gets no write at all: a partial chain cannot
 * alert, and its pieces would only be clutter.
 *
 * tripwire's alarm says who owns it and what to do (core/alert-ownership.ts): a changed owner
 * or runbook changes its description, so the next plan updates it (PutMetricAlarm, which
 * ignores the tags of an update) and, once the tags read as proof show them stale, tags the
 * alarm and the topic again (TagResource).
 */
import type { TagResourceCommandInput as AlarmTagInput, PutMetricAlarmCommandInput } from "@aws-sdk/client-cloudwatch";
import type { PutMetricFilterCommandInput } from "@aws-sdk/client-cloudwatch-logs";
import type {
  CreateTopicCommandInput,
  SubscribeCommandInput,
  TagResourceCommandInput as TopicTagInput,
} from "@aws-sdk/client-sns";
import { type AlertOwnership, ownAlarmDescription, ownTags, ownTagsDiffer } from "./alert-ownership.ts";
import type { ChainVerdict } from "./evaluate.ts";
import { scannerVerdicts } from "./filter-pattern/index.ts";
import type { AlarmObservation, ChainObservation, FilterProfile, Finding, NotifyEndpoint } from "./model.ts";
import {
  MANAGED_BY_TAG,
  type OwnFilterKind,
  ownAlarmName,
  ownFilterName,
  ownMetric,
  ownTopicArn,
  ownTopicName,
} from "./naming.ts";
import { isOwnFilter, isOwnFilterAsWritten, OWN_FILTER_PATTERNS } from "./ownership.ts";

export type FilterKind = OwnFilterKind;

export type PlannedAction = { readonly region: string; readonly resource: string } & (
  | { readonly type: "create-metric-filter" | "update-metric-filter"; readonly input: PutMetricFilterCommandInput }
  | { readonly type: "create-alarm" | "update-alarm"; readonly input: PutMetricAlarmCommandInput }
  | { readonly type: "create-topic"; readonly input: CreateTopicCommandInput }
  | { readonly type: "subscribe"; readonly input: SubscribeCommandInput }
  | { readonly type: "tag-alarm"; readonly input: AlarmTagInput }
  | { readonly type: "tag-topic"; readonly input: TopicTagInput }
);

export interface PlanContext extends AlertOwnership {
  readonly accountId: string;
  readonly partition: string;
  readonly prefix: string;
  readonly filterProfile: FilterProfile;
  readonly notify: readonly NotifyEndpoint[];
  /** KMS key tripwire's topic is created with (KmsMasterKeyId); unencrypted when undefined. */
  readonly topicKmsKey?: string;
}

/** The scanner whose verdict each filter kind exists to satisfy. */
const KIND_SCANNER = { "cis-v1.2": "securityHub", "cis-v1.4": "steampipe" } as const;

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
    AlarmDescription: ownAlarmDescription(ctx),
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
    Tags: ownTags(ctx),
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
 * The --notify endpoints that the topic of tripwire's name lacks, when the chain's alarms lead
 * to it (its subscriptions are then listed with the chain: no extra read). A working chain
 * still needs them: a Subscribe that failed in an earlier fix is made by the next one.
 */
export function missingOwnSubscriptions(chain: ChainObservation, ctx: PlanContext): NotifyEndpoint[] {
  const region = chain.trail.logGroup?.region;
  const topic = region ? chain.topics[ownTopicArn(ctx.partition, region, ctx.accountId, ctx.prefix)] : undefined;
  if (topic?.state !== "FOUND" || !topic.subscriptions) return [];
  const listed = topic.subscriptions;
  return ctx.notify.filter((n) => !listed.some((s) => s.protocol === n.protocol && s.endpoint === n.endpoint));
}

/**
 * Whether a plan may have writes: the chain needs remediation, tripwire's topic lacks an
 * endpoint, or tripwire's alarm differs from the one its settings describe.
 */
export function needsPlan(chain: ChainObservation, verdict: ChainVerdict, ctx: PlanContext): boolean {
  return (
    needsRemediation(verdict, ctx.filterProfile) ||
    missingOwnSubscriptions(chain, ctx).length > 0 ||
    ownAlarmNeedsUpdate(chain, ctx)
  );
}

/**
 * Whether tripwire's own alarm, already on its metric, differs from the alarm tripwire wants
 * (its description names the owner and the runbook, so a changed setting shows here, with no
 * call beyond a scan's). Such a chain needs a plan even when it works.
 */
export function ownAlarmNeedsUpdate(chain: ChainObservation, ctx: PlanContext): boolean {
  const region = chain.trail.logGroup?.region;
  if (!region || chain.trail.logGroup?.accountId !== ctx.accountId) return false;
  const current = alarmNamed(chain, ownAlarmName(ctx.prefix));
  return current !== null && !alarmMatches(current, desiredAlarm(ctx, region, current.alarmActions));
}

/** An existing resource of tripwire's names whose managed-by tag the plan needs before it is final. */
export type OwnershipProof = "alarm" | "topic";

export interface Plan {
  readonly actions: readonly PlannedAction[];
  /** NAME_TAKEN findings: resources of tripwire's names it cannot prove its own (then no action at all). */
  readonly findings: readonly Finding[];
  /** Tags to read (adapters/chain-reader.ts readOwnershipProofs) before planning again; no action until then. */
  readonly proofsNeeded: readonly OwnershipProof[];
}

const NO_PLAN: Plan = { actions: [], findings: [], proofsNeeded: [] };

/**
 * Writes that complete the chain of a healthy-enough trail (multi-region, delivering to an
 * existing log group in the reviewed account). Trail problems are reported, never changed.
 */
export function planRemediation(chain: ChainObservation, verdict: ChainVerdict, ctx: PlanContext): Plan {
  const logGroup = chain.trail.logGroup;
  if (!logGroup || !chain.logGroupExists || !chain.trail.isMultiRegion || logGroup.accountId !== ctx.accountId)
    return NO_PLAN;
  const region = logGroup.region;
  if (!needsPlan(chain, verdict, ctx)) return NO_PLAN;
  // Some filter → alarm → topic chain works (the trail aside, which is not ours to fix).
  const aChainWorks = verdict.workingFilters.length > 0;

  const actions: PlannedAction[] = [];
  const taken: Finding[] = [];
  const proofsNeeded: OwnershipProof[] = [];
  const topicArn = ownTopicArn(ctx.partition, region, ctx.accountId, ctx.prefix);
  const topic = chain.topics[topicArn];
  const topicExists = topic?.state === "FOUND";
  if (!topicExists) {
    actions.push({
      type: "create-topic",
      region,
      resource: topicArn,
      input: {
        Name: ownTopicName(ctx.prefix),
        Tags: ownTags(ctx),
        ...(ctx.topicKmsKey ? { Attributes: { KmsMasterKeyId: ctx.topicKmsKey } } : {}),
      },
    });
  }
  const existing = topicExists ? (topic.subscriptions ?? []) : [];
  let subscribes = 0;
  for (const target of ctx.notify) {
    if (existing.some((s) => s.protocol === target.protocol && s.endpoint === target.endpoint)) continue;
    subscribes++;
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
    const current = chain.filters.find((f) => f.name === name);
    if (current && isOwnFilterAsWritten(current, ctx.prefix)) continue;
    if (current && !isOwnFilter(current, ctx.prefix)) {
      taken.push(
        nameTaken(
          region,
          `metric filter ${name} on log group ${logGroup.name}`,
          "its pattern or metric is not tripwire's, and metric filters carry no tags",
          "rename or delete your filter",
        ),
      );
      continue;
    }
    actions.push({
      type: current ? "update-metric-filter" : "create-metric-filter",
      region,
      resource: `log-group:${logGroup.name}/metric-filter:${name}`,
      input: {
        logGroupName: logGroup.name,
        filterName: name,
        filterPattern: OWN_FILTER_PATTERNS[kind],
        metricTransformations: [{ metricName: metric.name, metricNamespace: metric.namespace, metricValue: "1" }],
      },
    });
  }

  const alarmName = ownAlarmName(ctx.prefix);
  const names = chain.ownNames ?? { alarm: alarmNamed(chain, alarmName) };
  const currentAlarm = names.alarm;
  const wanted = desiredAlarm(ctx, region, currentAlarm?.alarmActions ?? []);
  const alarmWrite = !currentAlarm || !alarmMatches(currentAlarm, wanted);
  if (alarmWrite) {
    actions.push({
      type: currentAlarm ? "update-alarm" : "create-alarm",
      region,
      resource: `arn:${ctx.partition}:cloudwatch:${region}:${ctx.accountId}:alarm:${alarmName}`,
      input: wanted,
    });
  }
  if (currentAlarm && alarmWrite) {
    if (names.alarmTagged === undefined) proofsNeeded.push("alarm");
    else if (!names.alarmTagged) {
      taken.push(
        nameTaken(
          region,
          `alarm ${alarmName}`,
          `it lacks the tag ${MANAGED_BY_TAG.key}=${MANAGED_BY_TAG.value}`,
          `rename your alarm (or tag it ${MANAGED_BY_TAG.key}=${MANAGED_BY_TAG.value} to hand it to tripwire)`,
        ),
      );
    }
  }
  // tripwire's alarm acts on this topic: an alarm written now must not page a stranger's topic.
  if (topicExists && (subscribes > 0 || alarmWrite)) {
    if (names.topicTagged === undefined) proofsNeeded.push("topic");
    else if (!names.topicTagged) {
      taken.push(
        nameTaken(
          region,
          `SNS topic ${ownTopicName(ctx.prefix)}`,
          `it lacks the tag ${MANAGED_BY_TAG.key}=${MANAGED_BY_TAG.value}`,
          `rename your topic (or tag it ${MANAGED_BY_TAG.key}=${MANAGED_BY_TAG.value} to hand it to tripwire)`,
        ),
      );
    }
  }
  if (proofsNeeded.length > 0) return { actions: [], findings: [], proofsNeeded };
  if (taken.length > 0) return { actions: [], findings: taken, proofsNeeded: [] };
  // Tags only on what is provably tripwire's (its tag was read just now), and only when stale.
  if (currentAlarm && names.alarmTagged === true && ownTagsDiffer(names.alarmTags, ctx)) {
    actions.push({
      type: "tag-alarm",
      region,
      resource: currentAlarm.arn,
      input: { ResourceARN: currentAlarm.arn, Tags: ownTags(ctx) },
    });
  }
  if (topicExists && names.topicTagged === true && ownTagsDiffer(names.topicTags, ctx)) {
    actions.push({
      type: "tag-topic",
      region,
      resource: topicArn,
      input: { ResourceArn: topicArn, Tags: ownTags(ctx) },
    });
  }
  return { actions, findings: [], proofsNeeded: [] };
}

function nameTaken(region: string, resource: string, why: string, remedy: string): Finding {
  return {
    code: "NAME_TAKEN",
    region,
    message: `${resource} in ${region} has tripwire's name but is not provably tripwire's (${why}): tripwire writes nothing to it and none of its chain in ${region}; run tripwire with --prefix OTHER, or ${remedy}`,
  };
}

/** The alarm of that name among those already read, whatever their metric (names are unique in a region). */
function alarmNamed(chain: ChainObservation, name: string): AlarmObservation | null {
  for (const alarms of Object.values(chain.alarmsByMetric)) {
    const found = alarms.find((a) => a.name === name);
    if (found) return found;
  }
  return null;
}

function alarmMatches(current: AlarmObservation, wanted: PutMetricAlarmCommandInput): boolean {
  return (
    current.metric.name === wanted.MetricName &&
    current.metric.namespace === wanted.Namespace &&
    current.dimensions === undefined &&
    current.actionsEnabled === wanted.ActionsEnabled &&
    (wanted.AlarmActions ?? []).every((a) => current.alarmActions.includes(a)) &&
    current.statistic === wanted.Statistic &&
    current.extendedStatistic === undefined &&
    current.period === wanted.Period &&
    current.evaluationPeriods === wanted.EvaluationPeriods &&
    (current.datapointsToAlarm ?? current.evaluationPeriods) === wanted.DatapointsToAlarm &&
    current.threshold === wanted.Threshold &&
    current.comparison === wanted.ComparisonOperator &&
    (current.treatMissingData ?? "missing") === wanted.TreatMissingData &&
    current.description === wanted.AlarmDescription
  );
}
