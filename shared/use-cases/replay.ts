/**
 * The use case behind `tripwire replay --since DURATION`: the alert volume each account would
 * have had over a past span, before a deploy and after each tuning.
 *  1. List the in-scope accounts (as scan does); for each ACTIVE one, C at a time:
 *  2. read its trails and, on each trail log group of its own in scope, the metric filters;
 *     take the covering ones (judgeCoverage: COVERS), on one metric (tripwire's when present),
 *     or, when none covers yet, the filters tripwire would write (filterProfile);
 *  3. the alarm on that metric (tripwire's by name, else the first that can be replayed), or
 *     the alarm tripwire would write;
 *  4. read the matching events of the span within the cap, re-evaluate them with the engine,
 *     group them as explain does, and count the periods in ALARM with and without the
 *     exclusions (core/explain/periods.ts).
 * An account whose role cannot be assumed or whose reads fail is reported with its error; it
 * never stops the others. Nothing is written.
 */
import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import { RoleNotAssumableError } from "../adapters/aws/role-not-assumable-error.ts";
import { readAlarms, readMetricFilters } from "../adapters/chain-reader.ts";
import { AccountListingError, openAccountListing } from "../adapters/organization/accounts-reader.ts";
import { observeTrails } from "../adapters/trail-reader.ts";
import type { Settings } from "../config/settings.ts";
import { mapWithConcurrency } from "../core/concurrency.ts";
import { describeError } from "../core/describe-error.ts";
import { exclusionsAt, firstMatchingExclusion } from "../core/exclusions.ts";
import { coversControl, filtersFeeding } from "../core/explain/alarm-chain.ts";
import {
  type EventGroup,
  type ExpiredExclusion,
  excludable,
  type FeedingFilter,
} from "../core/explain/event-groups.ts";
import type { LeftOut } from "../core/explain/explanation.ts";
import { type AlarmModel, alarmModelOf, OWN_ALARM_MODEL, periodsInAlarm } from "../core/explain/periods.ts";
import type { AccountRef, LogGroupRef, MetricFilterObservation, MetricRef } from "../core/model.ts";
import { ownAlarmName, ownFilterName, ownMetric } from "../core/naming.ts";
import { OWN_FILTER_PATTERNS } from "../core/ownership.ts";
import { kindsForProfile } from "../core/plan.ts";
import { collectEvents } from "./explain/collect-events.ts";

export interface ReplayDeps {
  readonly factory: ClientFactory;
  readonly settings: Settings;
  readonly now?: () => Date;
  /** After each account. */
  readonly onAccountDone?: (done: number) => void;
}

export interface ChainReplay {
  readonly accountId: string;
  readonly name: string;
  readonly region: string;
  readonly logGroup: string;
  /** The filters replayed; `planned` when none covers yet and tripwire's own are replayed. */
  readonly filters: readonly { readonly name: string; readonly pattern: string; readonly planned: boolean }[];
  readonly alarm: AlarmModel;
  readonly since: string;
  readonly until: string;
  readonly matchedEvents: number;
  readonly excludedEvents: number;
  readonly periodsInAlarm: number;
  readonly periodsInAlarmAfterExclusions: number;
  /** Periods of the alarm's length in the span. */
  readonly periods: number;
  readonly groups: readonly EventGroup[];
  /** Events CloudWatch Logs returned that tripwire's engine does not match (not counted). */
  readonly unconfirmed: number;
  readonly expiredExclusions: readonly ExpiredExclusion[];
  readonly leftOut: LeftOut;
}

/** An account replay could not read, or with nothing of its own to replay. */
export interface AccountNote {
  readonly accountId: string;
  readonly name: string;
  readonly error?: string;
  readonly note?: string;
}

export interface ReplayReport {
  readonly since: string;
  readonly until: string;
  /** As in scan's report: false with the error when Organizations stopped listing part-way. */
  readonly listing: { readonly complete: true } | { readonly complete: false; readonly error: string };
  readonly accounts: readonly (ChainReplay | AccountNote)[];
}

export async function replay(sinceMs: number, deps: ReplayDeps): Promise<ReplayReport> {
  const { settings, factory } = deps;
  const until = (deps.now ?? (() => new Date()))();
  const since = new Date(until.getTime() - sinceMs);
  const listing = await openAccountListing(factory.organizations(), settings, {
    ...(factory.retryDelayMs ? { pageRetryDelayMs: factory.retryDelayMs } : {}),
  });
  let listed: ReplayReport["listing"] = { complete: true };
  async function* untilTheListingStops(): AsyncGenerator<AccountRef> {
    try {
      yield* listing;
    } catch (error) {
      if (!(error instanceof AccountListingError)) throw error;
      listed = { complete: false, error: error.message };
    }
  }
  let done = 0;
  const perAccount = await mapWithConcurrency(untilTheListingStops(), settings.concurrency, async (account) => {
    if (account.status !== "ACTIVE") return [];
    try {
      return await replayAccount(account, since, until, deps);
    } catch (error) {
      const message = error instanceof RoleNotAssumableError ? error.message : describeError(error);
      return [{ accountId: account.id, name: account.name, error: message }];
    } finally {
      factory.release(account.id);
      deps.onAccountDone?.(++done);
    }
  });
  return { since: since.toISOString(), until: until.toISOString(), listing: listed, accounts: perAccount.flat() };
}

async function replayAccount(
  account: AccountRef,
  since: Date,
  until: Date,
  deps: ReplayDeps,
): Promise<(ChainReplay | AccountNote)[]> {
  const { settings, factory } = deps;
  const clients = await factory.forAccount(account.id);
  const trails = await observeTrails(clients, settings.regions?.[0] ?? settings.homeRegion);
  const groups = new Map<string, LogGroupRef>();
  for (const t of trails) {
    const g = t.logGroup;
    if (!g || g.accountId !== account.id) continue;
    if (settings.regions && !settings.regions.includes(g.region)) continue;
    groups.set(`${g.region}/${g.name}`, g);
  }
  if (groups.size === 0) {
    return [
      {
        accountId: account.id,
        name: account.name,
        note: "no trail delivers to a log group of this account in scope: an organization trail's events are replayed with the trail owner's account",
      },
    ];
  }
  const out: (ChainReplay | AccountNote)[] = [];
  for (const logGroup of groups.values()) {
    const filters = await readMetricFilters(clients, logGroup);
    if (filters === undefined) {
      out.push({ accountId: account.id, name: account.name, note: `log group ${logGroup.name} does not exist` });
      continue;
    }
    const chosen = filtersToReplay(filters, settings);
    const alarm = chosen.planned
      ? OWN_ALARM_MODEL
      : await alarmToReplay(clients, logGroup.region, chosen.metric, settings);
    const collected = await collectEvents({
      logs: clients.logs(logGroup.region),
      logGroupName: logGroup.name,
      filters: chosen.feeding,
      start: since,
      end: until,
      maxEvents: settings.maxEvents,
      countBeyondCap: settings.maxEvents * 10,
    });
    const now = deps.now?.() ?? new Date();
    const confirmed = collected.reevaluation.confirmed;
    const grouped = collected.reevaluation.grouped(settings.exclusions, now);
    const { active } = exclusionsAt(settings.exclusions, now);
    const excluded = new Set(
      confirmed.filter((e) => firstMatchingExclusion(active, excludable(e.facts))).map((e) => e.eventId),
    );
    out.push({
      accountId: account.id,
      name: account.name,
      region: logGroup.region,
      logGroup: logGroup.name,
      filters: chosen.feeding.map((f) => ({ name: f.name, pattern: f.pattern, planned: chosen.planned })),
      alarm,
      since: since.toISOString(),
      until: until.toISOString(),
      matchedEvents: grouped.matched,
      excludedEvents: grouped.excluded,
      periodsInAlarm: periodsInAlarm(confirmed, alarm, since, until),
      periodsInAlarmAfterExclusions: periodsInAlarm(confirmed, alarm, since, until, (e) => !excluded.has(e.eventId)),
      periods:
        Math.floor(until.getTime() / (alarm.period * 1000)) - Math.floor(since.getTime() / (alarm.period * 1000)) + 1,
      groups: grouped.groups,
      unconfirmed: collected.reevaluation.unconfirmed.length,
      expiredExclusions: grouped.expiredExclusions,
      leftOut: collected.leftOut,
    });
  }
  return out;
}

/**
 * The covering filters on one metric (tripwire's metric when one of them publishes it), with
 * every filter feeding that metric; or tripwire's own filters when none covers yet.
 */
function filtersToReplay(
  filters: readonly MetricFilterObservation[],
  settings: Settings,
): { feeding: FeedingFilter[]; metric: MetricRef; planned: boolean } {
  const own = ownMetric(settings.prefix);
  const metrics = filters
    .filter((f) => coversControl(f.pattern))
    .flatMap((f) => f.metrics.filter((m) => !m.dimensions).map((m) => ({ name: m.name, namespace: m.namespace })));
  if (metrics.length === 0) {
    return {
      feeding: kindsForProfile(settings.filterProfile).map((kind) => ({
        name: ownFilterName(settings.prefix, kind),
        pattern: OWN_FILTER_PATTERNS[kind],
        metricValue: "1",
      })),
      metric: own,
      planned: true,
    };
  }
  const sorted = [...metrics].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  const metric = metrics.find((m) => m.name === own.name && m.namespace === own.namespace) ?? (sorted[0] as MetricRef);
  return { feeding: filtersFeeding(filters, { ...metric, dimensions: {} }), metric, planned: false };
}

/** Tripwire's alarm on the metric, else the first one that can be replayed, else tripwire's model. */
async function alarmToReplay(
  clients: Parameters<typeof readAlarms>[0],
  region: string,
  metric: MetricRef,
  settings: Settings,
): Promise<AlarmModel> {
  const alarms = (await readAlarms(clients, region, metric)).filter((a) => !a.dimensions);
  const own = alarms.find((a) => a.name === ownAlarmName(settings.prefix));
  for (const alarm of own ? [own, ...alarms] : alarms) {
    const model = alarmModelOf(alarm);
    if (model) return model;
  }
  return OWN_ALARM_MODEL;
}
