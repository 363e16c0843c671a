/** Deletes what prune found, in reverse dependency order: alarms, then filters, then topics. */
import { DeleteAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DeleteMetricFilterCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DeleteTopicCommand } from "@aws-sdk/client-sns";
import type { AccountClients } from "../aws/account-clients.ts";
import type { OwnResources } from "./own-resources-reader.ts";

/** `finding`: tripwire's Security Hub finding, archived rather than deleted (use-cases/security-hub.ts). */
export type PruneResourceType = "alarm" | "metric-filter" | "topic" | "finding";

export interface PruneAction {
  readonly type: PruneResourceType;
  readonly region: string;
  /** Alarm name, `log-group:<name>/metric-filter:<name>`, topic ARN, or finding Id. */
  readonly resource: string;
  /** Done (deleted; for a finding, archived), or only planned (a dry run). */
  readonly deleted: boolean;
}

/** The deletions `found` calls for, none performed yet (what a dry run reports). */
export function plannedDeletions(region: string, found: OwnResources): PruneAction[] {
  return [
    ...found.alarms.map((name) => ({ type: "alarm" as const, region, resource: name, deleted: false })),
    ...found.filters.map((f) => ({
      type: "metric-filter" as const,
      region,
      resource: filterResource(f),
      deleted: false,
    })),
    ...found.topics.map((arn) => ({ type: "topic" as const, region, resource: arn, deleted: false })),
  ];
}

/** Deletes them; `done` hears of each deletion as it succeeds, so a failure leaves an accurate list. */
export async function deleteOwnResources(
  clients: AccountClients,
  region: string,
  found: OwnResources,
  done: (action: PruneAction) => void,
): Promise<void> {
  // DeleteAlarms takes at most 100 names per call.
  for (let i = 0; i < found.alarms.length; i += 100) {
    const names = found.alarms.slice(i, i + 100);
    await clients.cloudWatch(region).send(new DeleteAlarmsCommand({ AlarmNames: names }));
    for (const name of names) done({ type: "alarm", region, resource: name, deleted: true });
  }
  for (const f of found.filters) {
    await clients.logs(region).send(new DeleteMetricFilterCommand(f));
    done({ type: "metric-filter", region, resource: filterResource(f), deleted: true });
  }
  for (const arn of found.topics) {
    // Deleting a topic deletes its subscriptions.
    await clients.sns(region).send(new DeleteTopicCommand({ TopicArn: arn }));
    done({ type: "topic", region, resource: arn, deleted: true });
  }
}

function filterResource(f: { logGroupName: string; filterName: string }): string {
  return `log-group:${f.logGroupName}/metric-filter:${f.filterName}`;
}
