/**
 * What a proof of an account's alert path proves (pure): the chain the scan found satisfying
 * (its `evidence`), reduced to what the hops are checked against: the log group, the covering
 * filters and their metrics, the alarms that work and the topics they reach. Also the canary's
 * names: the role it tries to assume, which must not exist, and the session it runs in.
 */
import { parseArn } from "./arn.ts";
import type { AccountResult } from "./model.ts";

export interface ProofMetric {
  readonly namespace: string;
  readonly name: string;
}

export interface ProofFilter {
  readonly name: string;
  readonly pattern: string;
  readonly metric: ProofMetric;
}

export interface ProofTopic {
  readonly arn: string;
  /** Confirmed and pending subscriptions, as the scan counted them (who a proof pages). */
  readonly confirmed: number;
  readonly pending: number;
}

export interface ProofAlarm {
  readonly name: string;
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  readonly metric: ProofMetric;
  readonly period: number;
  readonly evaluationPeriods: number;
  /** Its SNS topics with a confirmed subscriber. */
  readonly topics: readonly ProofTopic[];
}

export interface ProofTarget {
  readonly accountId: string;
  readonly name: string;
  /** The log group's region: the canary is called through this region's STS endpoint. */
  readonly region: string;
  readonly trail: { readonly arn: string; readonly isOrganizationTrail: boolean; readonly ownerAccountId: string };
  /** Where the trail delivers: another account's group for an organization trail. */
  readonly logGroup: {
    readonly name: string;
    readonly arn: string;
    readonly accountId: string;
    readonly region: string;
  };
  readonly filters: readonly ProofFilter[];
  readonly alarms: readonly ProofAlarm[];
}

/** The role the canary tries to assume: it must not exist, so the call is denied whoever makes it. */
export function canaryRoleName(prefix: string): string {
  return `${prefix}-prove-canary`;
}

export function canaryRoleArn(partition: string, accountId: string, prefix: string): string {
  return `arn:${partition}:iam::${accountId}:role/${canaryRoleName(prefix)}`;
}

/** The session the canary is made from (the member role's session, and the canary's own RoleSessionName). */
export function proveSessionName(prefix: string): string {
  return `${prefix}-prove`;
}

/**
 * The account's proof target: the first satisfying chain of its evidence, with the alarms
 * that work on the metrics of its covering filters. A reason instead when there is nothing
 * to prove (the account is not COMPLIANT, or its evidence holds no working alarm).
 */
export function proofTargetOf(result: AccountResult): { target: ProofTarget } | { reason: string } {
  if (result.status !== "COMPLIANT") {
    return { reason: `the account is ${result.status}: its findings say why; a proof needs a COMPLIANT chain` };
  }
  for (const chain of result.evidence.chains) {
    if (!chain.satisfies || !chain.logGroup) continue;
    const filters: ProofFilter[] = [];
    const alarms = new Map<string, ProofAlarm>();
    for (const filter of chain.filters) {
      if (filter.alarms.length === 0) continue;
      filters.push({
        name: filter.name,
        pattern: filter.pattern,
        metric: { namespace: filter.metric.namespace, name: filter.metric.name },
      });
      for (const alarm of filter.alarms) {
        if (alarms.has(alarm.arn)) continue;
        const arn = parseArn(alarm.arn);
        alarms.set(alarm.arn, {
          name: alarm.name,
          arn: alarm.arn,
          accountId: arn?.accountId ?? chain.logGroup.accountId,
          region: arn?.region ?? chain.logGroup.region,
          metric: { namespace: filter.metric.namespace, name: filter.metric.name },
          period: alarm.period,
          evaluationPeriods: alarm.evaluationPeriods,
          topics: alarm.topics.map((t) => ({ arn: t.arn, confirmed: t.confirmed, pending: t.pending })),
        });
      }
    }
    if (alarms.size === 0) continue;
    return {
      target: {
        accountId: result.accountId,
        name: result.name,
        region: chain.logGroup.region,
        trail: {
          arn: chain.trail.arn,
          isOrganizationTrail: chain.trail.isOrganizationTrail,
          ownerAccountId: chain.trail.ownerAccountId,
        },
        logGroup: { ...chain.logGroup },
        filters,
        alarms: [...alarms.values()],
      },
    };
  }
  return { reason: "the report holds no satisfying chain with a working alarm to prove" };
}

/** The topics a proof of these targets pages, with their subscription counts (each topic once). */
export function pagedTopics(targets: readonly ProofTarget[]): ProofTopic[] {
  const topics = new Map<string, ProofTopic>();
  for (const target of targets)
    for (const alarm of target.alarms) for (const topic of alarm.topics) topics.set(topic.arn, topic);
  return [...topics.values()].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}
