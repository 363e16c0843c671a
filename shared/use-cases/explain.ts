/**
 * The use case behind `tripwire explain` and the notify function: who did what, to raise one
 * alarm.
 *  1. Check the scope without AWS (regions, accounts, excludeAccounts), then with
 *     Organizations that the alarm's account is an ACTIVE member (under the OU, if set).
 *  2. Read the account's trails from the alarm's region (DescribeTrails) and, on each trail log
 *     group of that account and region, the metric filters (DescribeMetricFilters).
 *  3. Keep the filters that feed the alarm's metric; refuse an alarm that is neither tripwire's
 *     nor on a covering filter's metric (core/explain/alarm-chain.ts).
 *  4. Choose the window (core/explain/evaluation-window.ts), read the matching events
 *     (FilterLogEvents, once per widest pattern, paginated within the cap), re-evaluate them
 *     with the engine and count them into their groups, each page while the next one is read
 *     (explain/collect-events.ts), then sort the groups and apply the exclusions
 *     (core/explain/event-groups.ts).
 * Refusals throw ExplainRefusedError (nothing read past the refusal); a failed AWS call
 * throws as it is. Nothing is written.
 */
import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import { readMetricFilters } from "../adapters/chain-reader.ts";
import { checkMembership } from "../adapters/organization/membership-reader.ts";
import { observeTrails } from "../adapters/trail-reader.ts";
import type { Settings } from "../config/settings.ts";
import type { AlarmNotification } from "../core/alarm-notification.ts";
import { logEventsConsoleUrl } from "../core/console-link.ts";
import { assertExplainable, filtersFeeding } from "../core/explain/alarm-chain.ts";
import { ExplainRefusedError } from "../core/explain/errors.ts";
import { evaluationWindow } from "../core/explain/evaluation-window.ts";
import type { FeedingFilter } from "../core/explain/event-groups.ts";
import type { Explanation } from "../core/explain/explanation.ts";
import type { LogGroupRef } from "../core/model.ts";
import { collectEvents } from "./explain/collect-events.ts";

export type { Explanation };

export interface ExplainDeps {
  readonly factory: ClientFactory;
  readonly settings: Settings;
  readonly now?: () => Date;
  /** Stops between pages (the notify function's deadline). */
  readonly signal?: AbortSignal;
  /** Events counted (not kept) past settings.maxEvents; default 10 × maxEvents, 0 stops at the cap. */
  readonly countBeyondCap?: number;
  readonly onProgress?: (progress: { readonly kept: number; readonly leftOut: number; readonly pages: number }) => void;
  /** The account's membership, when the caller checked it already (the notify function, for the topic's account). */
  readonly verifiedMember?: { readonly accountId: string; readonly name: string };
}

export async function explainAlarm(alarm: AlarmNotification, deps: ExplainDeps): Promise<Explanation> {
  const { settings, factory } = deps;
  const now = deps.now ?? (() => new Date());
  assertInScope(alarm, settings);
  const accountName =
    deps.verifiedMember?.accountId === alarm.accountId && !settings.ou
      ? deps.verifiedMember.name
      : await assertMember(factory, alarm.accountId, settings.ou);

  const clients = await factory.forAccount(alarm.accountId);
  const trails = await observeTrails(clients, alarm.region);
  const groupRefs = new Map<string, LogGroupRef>();
  for (const t of trails) {
    const g = t.logGroup;
    if (g && g.accountId === alarm.accountId && g.region === alarm.region) groupRefs.set(g.name, g);
  }
  const logGroups = [...groupRefs.keys()];
  const metric = {
    namespace: alarm.trigger.namespace,
    name: alarm.trigger.metricName,
    dimensions: alarm.trigger.dimensions,
  };
  let chosen: { logGroup: string; feeding: FeedingFilter[] } | undefined;
  for (const [name, ref] of groupRefs) {
    const filters = await readMetricFilters(clients, ref);
    const feeding = filtersFeeding(filters ?? [], metric);
    if (feeding.length > 0) {
      chosen = { logGroup: name, feeding };
      break;
    }
  }
  assertExplainable(alarm, chosen?.feeding ?? [], logGroups, settings.prefix);
  const { logGroup, feeding } = chosen as { logGroup: string; feeding: FeedingFilter[] };

  const window = evaluationWindow(alarm);
  const collected = await collectEvents({
    logs: clients.logs(alarm.region),
    logGroupName: logGroup,
    filters: feeding,
    alarmDimensions: alarm.trigger.dimensions,
    start: window.start,
    end: window.end,
    maxEvents: settings.maxEvents,
    countBeyondCap: deps.countBeyondCap ?? settings.maxEvents * 10,
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.onProgress ? { onPage: deps.onProgress } : {}),
  });
  const started = performance.now();
  const grouped = collected.reevaluation.grouped(settings.exclusions, now());
  const reevaluationMs = collected.reevaluationMs + (performance.now() - started);

  return {
    alarm: {
      name: alarm.alarmName,
      arn: alarm.alarmArn,
      accountId: alarm.accountId,
      accountName,
      region: alarm.region,
      state: alarm.newState,
      stateChangeTime: alarm.stateChangeTime.toISOString(),
      reason: alarm.reason,
      metric: { namespace: metric.namespace, name: metric.name },
    },
    window,
    logGroup,
    filters: feeding.map((f) => ({ name: f.name, pattern: f.pattern })),
    queried: collected.queried,
    matched: grouped.matched,
    excluded: grouped.excluded,
    unconfirmed: collected.reevaluation.unconfirmed,
    groups: grouped.groups,
    expiredExclusions: grouped.expiredExclusions,
    excludedByExclusion: grouped.excludedByExclusion,
    leftOut: collected.leftOut,
    consoleUrl: logEventsConsoleUrl({
      partition: alarm.partition,
      region: alarm.region,
      logGroupName: logGroup,
      ...(collected.queried[0] ? { filterPattern: collected.queried[0] } : {}),
      start: window.start,
      end: window.end,
    }),
    pages: collected.pages,
    largestPage: collected.largestPage,
    reevaluationMs,
  };
}

/** The settings' scope, checked without AWS. */
export function assertInScope(
  alarm: Pick<AlarmNotification, "accountId" | "region">,
  settings: Pick<Settings, "regions" | "accounts" | "excludeAccounts">,
): void {
  const { accountId, region } = alarm;
  if (settings.regions && !settings.regions.includes(region)) {
    throw new ExplainRefusedError(
      "out-of-scope",
      `region ${region} is not in scope (regions: ${settings.regions.join(", ")})`,
    );
  }
  if (settings.excludeAccounts.includes(accountId)) {
    throw new ExplainRefusedError("out-of-scope", `account ${accountId} is out of scope: it is excluded`);
  }
  if (settings.accounts && !settings.accounts.includes(accountId)) {
    throw new ExplainRefusedError(
      "out-of-scope",
      `account ${accountId} is out of scope: it is not in the configured account list`,
    );
  }
}

/** The account's name when it is an ACTIVE member under the OU; refuses it otherwise. */
export async function assertMember(factory: ClientFactory, accountId: string, ou: string | undefined): Promise<string> {
  const membership = await checkMembership(factory.organizations(), accountId, ou);
  if (membership.member) return membership.account.name;
  throw new ExplainRefusedError(
    membership.why === "not-a-member"
      ? "not-a-member"
      : membership.why === "not-active"
        ? "not-active"
        : "out-of-scope",
    membership.reason,
  );
}
