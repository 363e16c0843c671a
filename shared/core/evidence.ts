/**
 * Positive evidence (pure): what satisfies the control in an account, or, for a failing one,
 * the part of the chain that does hold. The findings say what does not; the evidence says what
 * does, so a COMPLIANT entry tells an auditor which trail, log group, filter, alarm and topic
 * made it so.
 */
import type {
  AlarmObservation,
  ChainObservation,
  ManagementEventCoverage,
  MetricFilterObservation,
  TopicObservation,
} from "./model.ts";

export interface TopicEvidence {
  readonly arn: string;
  readonly confirmed: number;
  readonly pending: number;
  /** Confirmed subscriptions per protocol, when the subscriptions were listed. */
  readonly confirmedByProtocol?: Readonly<Record<string, number>>;
  /** The KMS key of an encrypted topic. */
  readonly kmsKey?: string;
  /** For an encrypted topic: true when its key policy admits CloudWatch, false when that could not be read. */
  readonly keyAdmitsCloudWatch?: boolean;
}

export interface AlarmEvidence {
  readonly name: string;
  readonly arn: string;
  readonly statistic?: string;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly threshold?: number;
  readonly comparison: string;
  readonly actions: readonly string[];
  /** The topics among its actions that deliver (a confirmed subscription). */
  readonly topics: readonly TopicEvidence[];
}

export interface FilterEvidence {
  readonly name: string;
  readonly pattern: string;
  readonly metric: { readonly namespace: string; readonly name: string; readonly value: string };
  /** Alarms on the metric that one event trips and whose actions reach a confirmed subscriber. */
  readonly alarms: readonly AlarmEvidence[];
}

export interface ChainEvidence {
  /** This chain alone satisfies the control. */
  readonly satisfies: boolean;
  readonly trail: {
    readonly arn: string;
    readonly name: string;
    readonly homeRegion: string;
    readonly ownerAccountId: string;
    readonly isMultiRegion: boolean;
    readonly isOrganizationTrail: boolean;
    /** Absent when the trail's state was not read (a heal of a chain event). */
    readonly isLogging?: boolean;
    readonly managementEvents?: ManagementEventCoverage;
    readonly selectorKind?: "basic" | "advanced";
  };
  /** Present when the trail delivers to a log group that exists. */
  readonly logGroup?: {
    readonly arn: string;
    readonly name: string;
    readonly region: string;
    readonly accountId: string;
  };
  /** Filters on the log group that cover the control (judged by what they match). */
  readonly filters: readonly FilterEvidence[];
}

export interface AccountEvidence {
  readonly chains: readonly ChainEvidence[];
}

export function topicEvidence(topic: Extract<TopicObservation, { state: "FOUND" }>): TopicEvidence {
  const byProtocol: Record<string, number> = {};
  for (const s of topic.subscriptions ?? [])
    if (s.confirmed) byProtocol[s.protocol] = (byProtocol[s.protocol] ?? 0) + 1;
  return {
    arn: topic.arn,
    confirmed: topic.confirmed,
    pending: topic.pending,
    ...(topic.subscriptions ? { confirmedByProtocol: byProtocol } : {}),
    ...(topic.kmsMasterKeyId ? { kmsKey: topic.kmsMasterKeyId } : {}),
  };
}

export function alarmEvidence(alarm: AlarmObservation, topics: readonly TopicEvidence[]): AlarmEvidence {
  return {
    name: alarm.name,
    arn: alarm.arn,
    ...(alarm.statistic
      ? { statistic: alarm.statistic }
      : alarm.extendedStatistic
        ? { statistic: alarm.extendedStatistic }
        : {}),
    period: alarm.period,
    evaluationPeriods: alarm.evaluationPeriods,
    ...(alarm.datapointsToAlarm !== undefined ? { datapointsToAlarm: alarm.datapointsToAlarm } : {}),
    ...(alarm.threshold !== undefined ? { threshold: alarm.threshold } : {}),
    comparison: alarm.comparison,
    actions: alarm.alarmActions,
    topics,
  };
}

export function filterEvidence(
  filter: MetricFilterObservation,
  metric: MetricFilterObservation["metrics"][number],
  alarms: readonly AlarmEvidence[],
): FilterEvidence {
  return {
    name: filter.name,
    pattern: filter.pattern,
    metric: { namespace: metric.namespace, name: metric.name, value: metric.value },
    alarms,
  };
}

export function chainEvidence(
  chain: ChainObservation,
  filters: readonly FilterEvidence[],
  satisfies: boolean,
): ChainEvidence {
  const { trail, state } = chain;
  return {
    satisfies,
    trail: {
      arn: trail.arn,
      name: trail.name,
      homeRegion: trail.homeRegion,
      ownerAccountId: trail.ownerAccountId,
      isMultiRegion: trail.isMultiRegion,
      isOrganizationTrail: trail.isOrganizationTrail,
      ...(state
        ? { isLogging: state.isLogging, managementEvents: state.managementEvents, selectorKind: state.selectorKind }
        : {}),
    },
    ...(trail.logGroup && chain.logGroupExists
      ? {
          logGroup: {
            arn: trail.logGroup.arn,
            name: trail.logGroup.name,
            region: trail.logGroup.region,
            accountId: trail.logGroup.accountId,
          },
        }
      : {}),
    filters,
  };
}
