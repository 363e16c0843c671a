/**
 * Finds what prune may remove in one region: tripwire's exact names, each with proof that it
 * is tripwire's (core/ownership.ts). The alarm of tripwire's name and the topic of tripwire's
 * name when they carry the tag managed-by=tripwire; metric filters of tripwire's two names, on
 * any log group, when their definition is exactly tripwire's (filters carry no tags).
 */
import { DescribeAlarmsCommand, ListTagsForResourceCommand as ListAlarmTagsCommand } from "@aws-sdk/client-cloudwatch";
import { paginateDescribeMetricFilters } from "@aws-sdk/client-cloudwatch-logs";
import { ListTagsForResourceCommand as ListTopicTagsCommand } from "@aws-sdk/client-sns";
import { toFilterObservation } from "../../core/from-sdk.ts";
import { ownAlarmName, ownTopicArn } from "../../core/naming.ts";
import { hasOwnTag, isOwnFilter } from "../../core/ownership.ts";
import type { AccountClients } from "../aws/account-clients.ts";
import { observeTrails } from "../trail-reader.ts";

export interface OwnResources {
  readonly alarms: string[];
  readonly filters: { logGroupName: string; filterName: string }[];
  readonly topics: string[];
}

/** Regions of the log groups the account's trails deliver to, plus the home region. */
export async function regionsToSearch(clients: AccountClients, homeRegion: string): Promise<string[]> {
  const trails = await observeTrails(clients, homeRegion);
  const regions = new Set([homeRegion]);
  for (const trail of trails) {
    if (trail.logGroup && trail.logGroup.accountId === clients.accountId) regions.add(trail.logGroup.region);
  }
  return [...regions];
}

export async function findOwnResources(clients: AccountClients, region: string, prefix: string): Promise<OwnResources> {
  const [alarms, filters, topics] = await Promise.all([
    ownAlarm(clients, region, prefix),
    ownFilters(clients, region, prefix),
    ownTopic(clients, region, prefix),
  ]);
  return { alarms, filters, topics };
}

async function ownAlarm(clients: AccountClients, region: string, prefix: string): Promise<string[]> {
  const name = ownAlarmName(prefix);
  const cloudWatch = clients.cloudWatch(region);
  const out = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  const alarm = (out.MetricAlarms ?? []).find((a) => a.AlarmName === name);
  if (!alarm?.AlarmArn) return [];
  const tags = await cloudWatch.send(new ListAlarmTagsCommand({ ResourceARN: alarm.AlarmArn }));
  return hasOwnTag(tags.Tags) ? [name] : [];
}

/** Every log group of the region: the trail may have delivered elsewhere when tripwire wrote its filters. */
async function ownFilters(clients: AccountClients, region: string, prefix: string): Promise<OwnResources["filters"]> {
  const filters: OwnResources["filters"] = [];
  for await (const page of paginateDescribeMetricFilters({ client: clients.logs(region) }, {})) {
    for (const f of page.metricFilters ?? []) {
      if (f.filterName && f.logGroupName && isOwnFilter(toFilterObservation(f), prefix)) {
        filters.push({ logGroupName: f.logGroupName, filterName: f.filterName });
      }
    }
  }
  return filters;
}

async function ownTopic(clients: AccountClients, region: string, prefix: string): Promise<string[]> {
  const arn = ownTopicArn(clients.partition, region, clients.accountId, prefix);
  try {
    const tags = await clients.sns(region).send(new ListTopicTagsCommand({ ResourceArn: arn }));
    return hasOwnTag(tags.Tags) ? [arn] : [];
  } catch (error) {
    // AWS says ResourceNotFoundException; moto says ResourceNotFound.
    const name = (error as Error).name;
    if (name === "ResourceNotFoundException" || name === "ResourceNotFound" || name === "NotFoundException") return [];
    throw error;
  }
}
