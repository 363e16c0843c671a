/** Finds what prune may remove: tripwire's alarms, metric filters and topics in one region. */
import { ListTagsForResourceCommand as ListAlarmTagsCommand, paginateDescribeAlarms } from "@aws-sdk/client-cloudwatch";
import { paginateDescribeMetricFilters } from "@aws-sdk/client-cloudwatch-logs";
import { ListTagsForResourceCommand as ListTopicTagsCommand, paginateListTopics } from "@aws-sdk/client-sns";
import { arnResourceName } from "../../core/arn.ts";
import { isOwnName, MANAGED_BY_TAG } from "../../core/naming.ts";
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

/** Alarms and topics by name prefix AND the managed-by=tripwire tag; metric filters by name prefix. */
export async function findOwnResources(clients: AccountClients, region: string, prefix: string): Promise<OwnResources> {
  const isManaged = (tags: readonly { Key?: string; Value?: string }[] | undefined) =>
    (tags ?? []).some((t) => t.Key === MANAGED_BY_TAG.key && t.Value === MANAGED_BY_TAG.value);

  const alarms: string[] = [];
  const cloudWatch = clients.cloudWatch(region);
  for await (const page of paginateDescribeAlarms({ client: cloudWatch }, { AlarmNamePrefix: `${prefix}-` })) {
    for (const alarm of page.MetricAlarms ?? []) {
      if (!alarm.AlarmName || !alarm.AlarmArn) continue;
      const tags = await cloudWatch.send(new ListAlarmTagsCommand({ ResourceARN: alarm.AlarmArn }));
      if (isManaged(tags.Tags)) alarms.push(alarm.AlarmName);
    }
  }

  // Metric filters carry no tags: the name prefix is the only mark of ownership.
  const filters: OwnResources["filters"] = [];
  for await (const page of paginateDescribeMetricFilters({ client: clients.logs(region) }, {})) {
    for (const f of page.metricFilters ?? []) {
      if (f.filterName && f.logGroupName && isOwnName(f.filterName, prefix)) {
        filters.push({ logGroupName: f.logGroupName, filterName: f.filterName });
      }
    }
  }

  const topics: string[] = [];
  const sns = clients.sns(region);
  for await (const page of paginateListTopics({ client: sns }, {})) {
    for (const { TopicArn: arn } of page.Topics ?? []) {
      if (!arn || !isOwnName(arnResourceName(arn), prefix)) continue;
      const tags = await sns.send(new ListTopicTagsCommand({ ResourceArn: arn }));
      if (isManaged(tags.Tags)) topics.push(arn);
    }
  }
  return { alarms, filters, topics };
}
