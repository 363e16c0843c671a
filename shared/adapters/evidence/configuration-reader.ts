/**
 * The raw configuration export of one account, for the evidence package: what AWS returned to
 * the read-only calls the member role has, as it returned it (the SDK's `$metadata` aside),
 * each beside its request. Of the account's own resources only: its trails (DescribeTrails,
 * shadow and organization trails included), the status and event selectors of the trails it
 * owns, every metric filter on their log groups in this account, the alarms on the metrics of
 * the filters aimed at this control and the alarm of tripwire's name, those alarms' state
 * changes, the topics among their actions in this account (attributes and subscriptions), and
 * the tags of tripwire's alarm and topic. A call that fails is recorded in `errors` (named) and
 * the export goes on: it never throws, and never reports what it did not read.
 */
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  type GetEventSelectorsCommandOutput,
  GetTrailStatusCommand,
  type GetTrailStatusCommandOutput,
  type Trail,
} from "@aws-sdk/client-cloudtrail";
import {
  type AlarmHistoryItem,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  ListTagsForResourceCommand as ListAlarmTagsCommand,
  type MetricAlarm,
  paginateDescribeAlarmHistory,
} from "@aws-sdk/client-cloudwatch";
import { type MetricFilter, paginateDescribeMetricFilters } from "@aws-sdk/client-cloudwatch-logs";
import {
  GetTopicAttributesCommand,
  ListTagsForResourceCommand as ListTopicTagsCommand,
  paginateListSubscriptionsByTopic,
  type Subscription,
} from "@aws-sdk/client-sns";
import { isAimedAtControl } from "../../core/aimed-filters.ts";
import { arnAccount, arnRegion, isSnsTopicArn, parseLogGroupArn } from "../../core/arn.ts";
import { describeError } from "../../core/describe-error.ts";
import { toFilterObservation } from "../../core/from-sdk.ts";
import { ownAlarmName, ownTopicArn } from "../../core/naming.ts";
import type { AccountClients } from "../aws/account-clients.ts";
import type { ClientFactory } from "../aws/client-factory.ts";

/** One call's request and response. */
export interface Exported<Req, Res> {
  readonly region: string;
  readonly request: Req;
  readonly response: Res;
}

export interface AccountExport {
  readonly version: 1;
  readonly accountId: string;
  readonly readAt: string;
  readonly trails?: Exported<{ includeShadowTrails: true }, { trailList: Trail[] }>;
  readonly trailStatus: Exported<{ Name: string }, Omit<GetTrailStatusCommandOutput, "$metadata">>[];
  readonly eventSelectors: Exported<{ TrailName: string }, Omit<GetEventSelectorsCommandOutput, "$metadata">>[];
  readonly metricFilters: Exported<{ logGroupName: string }, { metricFilters: MetricFilter[] }>[];
  readonly alarms: Exported<
    { MetricName: string; Namespace: string } | { AlarmNames: string[] },
    { MetricAlarms: MetricAlarm[] }
  >[];
  /** The alarms' state changes (HistoryItemType StateUpdate) since `StartDate`; AWS keeps two weeks of them. */
  readonly alarmHistory: Exported<
    { AlarmName: string; HistoryItemType: "StateUpdate"; StartDate: string; EndDate: string },
    { AlarmHistoryItems: AlarmHistoryItem[] }
  >[];
  readonly topicAttributes: Exported<{ TopicArn: string }, { Attributes: Record<string, string> }>[];
  readonly subscriptions: Exported<{ TopicArn: string }, { Subscriptions: Subscription[] }>[];
  readonly tags: Exported<
    { ResourceARN: string } | { ResourceArn: string },
    { Tags: { Key?: string; Value?: string }[] }
  >[];
  /** The calls that failed, named: `GetTopicAttributes (sns us-east-1): AuthorizationError: ...`. */
  readonly errors: readonly string[];
}

export interface ExportOptions {
  readonly prefix: string;
  /** Region the trails are listed from. */
  readonly region: string;
  readonly now: Date;
  /** How far back alarm history is asked for (AWS returns at most its two weeks). */
  readonly historyDays: number;
}

/** Days of alarm history asked for: the 30; CloudWatch keeps 14, and returns what it has. */
export const ALARM_HISTORY_DAYS = 30;

/** Opens the account and exports its configuration; an account that cannot be opened exports its error. */
export async function exportAccount(
  factory: ClientFactory,
  accountId: string,
  options: ExportOptions,
): Promise<AccountExport> {
  let clients: AccountClients;
  try {
    clients = await factory.forAccount(accountId);
  } catch (error) {
    return { ...empty(accountId, options.now), errors: [describeError(error)] };
  }
  try {
    return await exportConfiguration(clients, options);
  } finally {
    factory.release(accountId);
  }
}

function empty(accountId: string, now: Date): AccountExport {
  return {
    version: 1,
    accountId,
    readAt: now.toISOString(),
    trailStatus: [],
    eventSelectors: [],
    metricFilters: [],
    alarms: [],
    alarmHistory: [],
    topicAttributes: [],
    subscriptions: [],
    tags: [],
    errors: [],
  };
}

const strip = <T extends { $metadata?: unknown }>(out: T): Omit<T, "$metadata"> => {
  const { $metadata: _, ...rest } = out;
  return rest;
};

export async function exportConfiguration(clients: AccountClients, options: ExportOptions): Promise<AccountExport> {
  const accountId = clients.accountId;
  const out = empty(accountId, options.now);
  const errors: string[] = [];
  const attempt = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      errors.push(describeError(error));
      return undefined;
    }
  };

  const listed = await attempt(() =>
    clients.cloudTrail(options.region).send(new DescribeTrailsCommand({ includeShadowTrails: true })),
  );
  if (!listed) return { ...out, errors };
  const trailList = listed.trailList ?? [];
  const own = trailList.filter((t) => t.TrailARN && arnAccount(t.TrailARN) === accountId);

  const trailStatus: AccountExport["trailStatus"][number][] = [];
  const eventSelectors: AccountExport["eventSelectors"][number][] = [];
  await Promise.all(
    own.map(async (trail) => {
      const arn = trail.TrailARN as string;
      const region = trail.HomeRegion ?? arnRegion(arn);
      const client = clients.cloudTrail(region);
      const [status, selectors] = await Promise.all([
        attempt(() => client.send(new GetTrailStatusCommand({ Name: arn }))),
        attempt(() => client.send(new GetEventSelectorsCommand({ TrailName: arn }))),
      ]);
      if (status) trailStatus.push({ region, request: { Name: arn }, response: strip(status) });
      if (selectors) eventSelectors.push({ region, request: { TrailName: arn }, response: strip(selectors) });
    }),
  );

  // The log groups in this account that its own trails deliver to, once each.
  const logGroups = new Map<string, { region: string; name: string }>();
  for (const trail of own) {
    const ref = trail.CloudWatchLogsLogGroupArn ? parseLogGroupArn(trail.CloudWatchLogsLogGroupArn) : undefined;
    if (ref && ref.accountId === accountId) logGroups.set(`${ref.region}/${ref.name}`, ref);
  }
  const metricFilters: AccountExport["metricFilters"][number][] = [];
  await Promise.all(
    [...logGroups.values()].map(async ({ region, name }) => {
      const filters = await attempt(async () => {
        const all: MetricFilter[] = [];
        const pages = paginateDescribeMetricFilters({ client: clients.logs(region) }, { logGroupName: name });
        for await (const page of pages) all.push(...(page.metricFilters ?? []));
        return all;
      });
      if (filters)
        metricFilters.push({ region, request: { logGroupName: name }, response: { metricFilters: filters } });
    }),
  );

  // Alarms on the metrics of the filters aimed at this control, and the alarm of tripwire's name.
  const metricQueries = new Map<string, { region: string; MetricName: string; Namespace: string }>();
  for (const entry of metricFilters) {
    for (const filter of entry.response.metricFilters) {
      if (!isAimedAtControl(toFilterObservation(filter), options.prefix)) continue;
      for (const t of filter.metricTransformations ?? []) {
        const query = { region: entry.region, MetricName: t.metricName ?? "", Namespace: t.metricNamespace ?? "" };
        metricQueries.set(`${query.region}/${query.Namespace}/${query.MetricName}`, query);
      }
    }
  }
  const regions = [...new Set([...logGroups.values()].map((g) => g.region))];
  const alarms: AccountExport["alarms"][number][] = [];
  await Promise.all([
    ...[...metricQueries.values()].map(async ({ region, ...request }) => {
      const got = await attempt(() => clients.cloudWatch(region).send(new DescribeAlarmsForMetricCommand(request)));
      if (got) alarms.push({ region, request, response: { MetricAlarms: got.MetricAlarms ?? [] } });
    }),
    ...regions.map(async (region) => {
      const request = { AlarmNames: [ownAlarmName(options.prefix)] };
      const got = await attempt(() => clients.cloudWatch(region).send(new DescribeAlarmsCommand(request)));
      if (got) alarms.push({ region, request, response: { MetricAlarms: got.MetricAlarms ?? [] } });
    }),
  ]);
  const uniqueAlarms = new Map<string, { region: string; alarm: MetricAlarm }>();
  for (const entry of alarms)
    for (const alarm of entry.response.MetricAlarms)
      if (alarm.AlarmArn) uniqueAlarms.set(alarm.AlarmArn, { region: entry.region, alarm });

  const end = options.now;
  const start = new Date(end.getTime() - options.historyDays * 24 * 3600_000);
  const alarmHistory: AccountExport["alarmHistory"][number][] = [];
  const topicArns = new Map<string, string>();
  const tags: AccountExport["tags"][number][] = [];
  await Promise.all(
    [...uniqueAlarms.values()].map(async ({ region, alarm }) => {
      const name = alarm.AlarmName ?? "";
      for (const action of alarm.AlarmActions ?? [])
        if (isSnsTopicArn(action) && arnAccount(action) === accountId) topicArns.set(action, arnRegion(action));
      const request = {
        AlarmName: name,
        HistoryItemType: "StateUpdate" as const,
        StartDate: start.toISOString(),
        EndDate: end.toISOString(),
      };
      const items = await attempt(async () => {
        const all: AlarmHistoryItem[] = [];
        const pages = paginateDescribeAlarmHistory(
          { client: clients.cloudWatch(region) },
          { AlarmName: name, HistoryItemType: "StateUpdate", StartDate: start, EndDate: end },
        );
        for await (const page of pages) all.push(...(page.AlarmHistoryItems ?? []));
        return all;
      });
      if (items) alarmHistory.push({ region, request, response: { AlarmHistoryItems: items } });
      if (name === ownAlarmName(options.prefix) && alarm.AlarmArn) {
        const request = { ResourceARN: alarm.AlarmArn };
        const got = await attempt(() => clients.cloudWatch(region).send(new ListAlarmTagsCommand(request)));
        if (got) tags.push({ region, request, response: { Tags: got.Tags ?? [] } });
      }
    }),
  );

  const topicAttributes: AccountExport["topicAttributes"][number][] = [];
  const subscriptions: AccountExport["subscriptions"][number][] = [];
  const ownTopics = new Set(regions.map((r) => ownTopicArn(clients.partition, r, accountId, options.prefix)));
  await Promise.all(
    [...topicArns].map(async ([arn, region]) => {
      const sns = clients.sns(region);
      const request = { TopicArn: arn };
      const [attributes, listed] = await Promise.all([
        attempt(() => sns.send(new GetTopicAttributesCommand(request))),
        attempt(async () => {
          const all: Subscription[] = [];
          for await (const page of paginateListSubscriptionsByTopic({ client: sns }, request))
            all.push(...(page.Subscriptions ?? []));
          return all;
        }),
      ]);
      if (attributes) topicAttributes.push({ region, request, response: { Attributes: attributes.Attributes ?? {} } });
      if (listed) subscriptions.push({ region, request, response: { Subscriptions: listed } });
      if (ownTopics.has(arn)) {
        const got = await attempt(() => sns.send(new ListTopicTagsCommand({ ResourceArn: arn })));
        if (got) tags.push({ region, request: { ResourceArn: arn }, response: { Tags: got.Tags ?? [] } });
      }
    }),
  );

  // Concurrent reads finish in any order: sort, so the same account exports the same file.
  const byKey =
    <T>(key: (x: T) => string) =>
    (a: T, b: T) =>
      key(a).localeCompare(key(b));
  const requestKey = (x: { region: string; request: unknown }) => `${x.region} ${JSON.stringify(x.request)}`;
  return {
    version: 1,
    accountId,
    readAt: out.readAt,
    trails: { region: options.region, request: { includeShadowTrails: true }, response: { trailList } },
    trailStatus: trailStatus.sort(byKey(requestKey)),
    eventSelectors: eventSelectors.sort(byKey(requestKey)),
    metricFilters: metricFilters.sort(byKey(requestKey)),
    alarms: alarms.sort(byKey(requestKey)),
    alarmHistory: alarmHistory.sort(byKey(requestKey)),
    topicAttributes: topicAttributes.sort(byKey(requestKey)),
    subscriptions: subscriptions.sort(byKey(requestKey)),
    tags: tags.sort(byKey(requestKey)),
    errors: errors.sort(),
  };
}
