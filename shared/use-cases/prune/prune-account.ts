/**
 * Prune one account: the rollback path. Removes what tripwire created and nothing else:
 *  1. Find the regions to search: the configured regions, else the regions of the log groups
 *     the account's trails deliver to (the only regions tripwire writes to) and the home region.
 *  2. Per region, find tripwire's resources: alarms and topics by name prefix AND the
 *     managed-by=tripwire tag; metric filters by name prefix only (they carry no tags).
 *  3. Unless dry-run, delete them in reverse dependency order: alarms (which point at the
 *     topic), then filters, then topics (deleting a topic deletes its subscriptions).
 * A failed call stops that account and is reported; other accounts go on.
 */
import { DescribeAlarmsCommand, DeleteAlarmsCommand, ListTagsForResourceCommand as ListAlarmTagsCommand } from "@aws-sdk/client-cloudwatch";
import { DeleteMetricFilterCommand, DescribeMetricFiltersCommand, type DescribeMetricFiltersCommandOutput } from "@aws-sdk/client-cloudwatch-logs";
import { DeleteTopicCommand, ListTagsForResourceCommand as ListTopicTagsCommand, ListTopicsCommand, type ListTopicsCommandOutput } from "@aws-sdk/client-sns";
import { describeError, type AccountClients, type ClientFactory } from "../../adapters/aws/client-factory.ts";
import type { AccountRef } from "../../core/model.ts";
import { MANAGED_BY_TAG, isOwnName } from "../../core/naming.ts";
import { observeTrails } from "../../adapters/observe.ts";

export type PruneResourceType = "alarm" | "metric-filter" | "topic";

export interface PruneAction {
  readonly type: PruneResourceType;
  readonly region: string;
  /** Alarm name, `log-group:<name>/metric-filter:<name>`, or topic ARN. */
  readonly resource: string;
  readonly deleted: boolean;
}

export interface PruneAccountResult {
  readonly accountId: string;
  readonly name: string;
  readonly status: "PRUNED" | "NOTHING_TO_PRUNE" | "ERROR";
  readonly regions: readonly string[];
  readonly actions: readonly PruneAction[];
  readonly error?: string;
}

export interface PruneOptions {
  readonly prefix: string;
  readonly regions?: readonly string[];
  readonly homeRegion: string;
  readonly dryRun: boolean;
}

interface Found {
  readonly alarms: string[];
  readonly filters: { logGroupName: string; filterName: string }[];
  readonly topics: string[];
}

/** Prunes one account; never throws: a failure is an ERROR result listing what was done before it. */
export async function pruneAccount(factory: ClientFactory, account: AccountRef, options: PruneOptions): Promise<PruneAccountResult> {
  const base = { accountId: account.id, name: account.name };
  const actions: PruneAction[] = [];
  let regions: readonly string[] = options.regions ?? [];
  try {
    const clients = await factory.forAccount(account.id);
    regions = options.regions ?? (await regionsToSearch(clients, options.homeRegion));
    for (const region of regions) {
      const found = await findOwnResources(clients, region, options.prefix);
      const planned: PruneAction[] = [
        ...found.alarms.map((name) => ({ type: "alarm" as const, region, resource: name, deleted: false })),
        ...found.filters.map((f) => ({
          type: "metric-filter" as const,
          region,
          resource: `log-group:${f.logGroupName}/metric-filter:${f.filterName}`,
          deleted: false,
        })),
        ...found.topics.map((arn) => ({ type: "topic" as const, region, resource: arn, deleted: false })),
      ];
      if (options.dryRun) {
        actions.push(...planned);
        continue;
      }
      await deleteFound(clients, region, found, (done) => actions.push(done));
    }
    return { ...base, status: actions.length > 0 ? "PRUNED" : "NOTHING_TO_PRUNE", regions, actions };
  } catch (error) {
    return { ...base, status: "ERROR", regions, actions, error: describeError(error) };
  }
}

/** Regions of the log groups the account's trails deliver to, plus the home region. */
async function regionsToSearch(clients: AccountClients, homeRegion: string): Promise<string[]> {
  const trails = await observeTrails(clients, homeRegion);
  const regions = new Set([homeRegion]);
  for (const trail of trails) {
    if (trail.logGroup && trail.logGroup.accountId === clients.accountId) regions.add(trail.logGroup.region);
  }
  return [...regions];
}

async function findOwnResources(clients: AccountClients, region: string, prefix: string): Promise<Found> {
  const namePrefix = `${prefix}-`;
  const isManaged = (tags: readonly { Key?: string; Value?: string }[] | undefined) =>
    (tags ?? []).some((t) => t.Key === MANAGED_BY_TAG.key && t.Value === MANAGED_BY_TAG.value);

  const alarms: string[] = [];
  const cloudWatch = clients.cloudWatch(region);
  let token: string | undefined;
  do {
    const page = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: namePrefix, NextToken: token }));
    for (const alarm of page.MetricAlarms ?? []) {
      if (!alarm.AlarmName || !alarm.AlarmArn) continue;
      const tags = await cloudWatch.send(new ListAlarmTagsCommand({ ResourceARN: alarm.AlarmArn }));
      if (isManaged(tags.Tags)) alarms.push(alarm.AlarmName);
    }
    token = page.NextToken;
  } while (token);

  // Metric filters carry no tags: the name prefix is the only mark of ownership.
  const filters: Found["filters"] = [];
  const logs = clients.logs(region);
  token = undefined;
  do {
    const page: DescribeMetricFiltersCommandOutput = await logs.send(new DescribeMetricFiltersCommand({ nextToken: token }));
    for (const f of page.metricFilters ?? []) {
      if (f.filterName && f.logGroupName && isOwnName(f.filterName, prefix)) {
        filters.push({ logGroupName: f.logGroupName, filterName: f.filterName });
      }
    }
    token = page.nextToken;
  } while (token);

  const topics: string[] = [];
  const sns = clients.sns(region);
  token = undefined;
  do {
    const page: ListTopicsCommandOutput = await sns.send(new ListTopicsCommand({ NextToken: token }));
    for (const { TopicArn: arn } of page.Topics ?? []) {
      if (!arn || !isOwnName(arn.split(":").pop() ?? "", prefix)) continue;
      const tags = await sns.send(new ListTopicTagsCommand({ ResourceArn: arn }));
      if (isManaged(tags.Tags)) topics.push(arn);
    }
    token = page.NextToken;
  } while (token);

  return { alarms, filters, topics };
}

async function deleteFound(
  clients: AccountClients,
  region: string,
  found: Found,
  done: (action: PruneAction) => void,
): Promise<void> {
  // DeleteAlarms takes at most 100 names per call.
  for (let i = 0; i < found.alarms.length; i += 100) {
    const names = found.alarms.slice(i, i + 100);
    await clients.cloudWatch(region).send(new DeleteAlarmsCommand({ AlarmNames: names }));
    names.forEach((name) => done({ type: "alarm", region, resource: name, deleted: true }));
  }
  for (const f of found.filters) {
    await clients.logs(region).send(new DeleteMetricFilterCommand(f));
    done({ type: "metric-filter", region, resource: `log-group:${f.logGroupName}/metric-filter:${f.filterName}`, deleted: true });
  }
  for (const arn of found.topics) {
    await clients.sns(region).send(new DeleteTopicCommand({ TopicArn: arn }));
    done({ type: "topic", region, resource: arn, deleted: true });
  }
}
