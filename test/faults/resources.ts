/**
 * What the fault suite compares between runs, read straight from the simulation's state (no
 * API call, no fault): every resource of every account, split into the customer's and
 * tripwire's. "tripwire's" is judged here independently of the engine, by the README's marks:
 * the managed-by=tripwire tag on an alarm or topic of tripwire's name, and for a metric filter
 * one of tripwire's two names with one of its two patterns and exactly its metric transformation.
 */
import { CIS_PATTERNS } from "../../shared/core/filter-pattern/index.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import { PREFIX } from "./world.ts";

const OWN_ALARM = `${PREFIX}-unauthorized-api-calls`;
const OWN_TOPIC = `${PREFIX}-unauthorized-api-calls`;
const OWN_FILTERS = new Set([`${PREFIX}-unauthorized-api-calls-cis-v1.2`, `${PREFIX}-unauthorized-api-calls-cis-v1.4`]);
const OWN_PATTERNS = new Set<string>([CIS_PATTERNS.v12, CIS_PATTERNS.v14Grouped]);

/** Resources by key (`account/region/type/name`), each as JSON text for exact comparison. */
export type ResourceMap = ReadonlyMap<string, string>;

export interface Resources {
  /** Everything not provably tripwire's, in full (timestamps included: a rewrite changes them). */
  readonly customer: ResourceMap;
  /** tripwire's own resources, without what differs between two equal runs (ARNs of subscriptions, times). */
  readonly tripwire: ResourceMap;
}

const isOwnTag = (tags: Readonly<Record<string, string>>) => tags["managed-by"] === "tripwire";

export function resourcesOf(org: SimulatedOrganization): Resources {
  const customer = new Map<string, string>();
  const tripwire = new Map<string, string>();
  for (const id of org.accountIds()) {
    const account = org.account(id);
    for (const trail of account.trails()) {
      const arn = trail.TrailARN ?? "";
      customer.set(
        `${id}/trail/${arn}`,
        JSON.stringify({ trail, logging: account.isLogging(arn), selectors: account.eventSelectors(arn) }),
      );
    }
    for (const region of org.regions) readRegion(account, region, customer, tripwire);
  }
  return { customer, tripwire };
}

function readRegion(
  account: SimulatedAccount,
  region: string,
  customer: Map<string, string>,
  tripwire: Map<string, string>,
): void {
  const at = `${account.id}/${region}`;
  for (const logGroup of account.logGroupNames(region)) {
    customer.set(`${at}/log-group/${logGroup}`, logGroup);
    for (const f of account.metricFilters(region, logGroup)) {
      const key = `${at}/filter/${logGroup}/${f.filterName}`;
      const t = f.metricTransformations ?? [];
      const own =
        OWN_FILTERS.has(f.filterName ?? "") &&
        OWN_PATTERNS.has(f.filterPattern ?? "") &&
        t.length === 1 &&
        JSON.stringify(t[0]) ===
          JSON.stringify({ metricName: "UnauthorizedAPICalls", metricNamespace: PREFIX, metricValue: "1" });
      if (own) tripwire.set(key, JSON.stringify({ pattern: f.filterPattern, transformations: t }));
      else customer.set(key, JSON.stringify(f));
    }
  }
  for (const alarm of account.alarms(region)) {
    const name = alarm.AlarmName ?? "";
    const tags = account.alarmTags(region, name);
    const key = `${at}/alarm/${name}`;
    if (name === OWN_ALARM && isOwnTag(tags)) {
      const {
        AlarmArn: _arn,
        AlarmConfigurationUpdatedTimestamp: _updated,
        StateValue: _state,
        StateReason: _reason,
        StateReasonData: _data,
        StateUpdatedTimestamp: _stateAt,
        StateTransitionedTimestamp: _transitionAt,
        ...definition
      } = alarm;
      tripwire.set(key, JSON.stringify({ ...definition, AlarmActions: [...(alarm.AlarmActions ?? [])].sort(), tags }));
    } else {
      customer.set(key, JSON.stringify({ alarm, tags }));
    }
  }
  for (const arn of account.topicArns(region)) {
    const topic = account.topic(arn);
    const name = arn.slice(arn.lastIndexOf(":") + 1);
    const key = `${at}/topic/${name}`;
    const subscriptions = account.subscriptions(arn);
    if (name === OWN_TOPIC && topic && isOwnTag(topic.tags)) {
      const endpoints = subscriptions.map((s) => `${s.protocol}:${s.endpoint}:${s.confirmed}`).sort();
      tripwire.set(key, JSON.stringify({ ...topic, subscriptions: endpoints }));
    } else {
      customer.set(key, JSON.stringify({ ...topic, subscriptions }));
    }
  }
}

/** Keys whose value differs between two maps, or that one of them lacks. */
export function differences(before: ResourceMap, after: ResourceMap): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).sort();
}
