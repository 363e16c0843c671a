/**
 * Apply: performs exactly the planned writes, in dependency order: the topic (with the
 * filters, which depend on nothing) first, then its subscriptions and the alarm that points
 * at it, and the tags of tripwire's existing alarm and topic (owner, runbook). A failed write
 * stops the next phase: what was applied is reported, and the
 * account is reported as ERROR by the caller.
 */
import { TagResourceCommand as AlarmTagCommand, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { PutMetricFilterCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateTopicCommand, SubscribeCommand, TagResourceCommand as TopicTagCommand } from "@aws-sdk/client-sns";
import { describeError } from "../core/describe-error.ts";
import type { ActionReport } from "../core/model.ts";
import type { PlannedAction } from "../core/plan.ts";
import type { AccountClients } from "./aws/account-clients.ts";

export interface ApplyOutcome {
  readonly reports: readonly ActionReport[];
  /** The actions that took effect, for projecting the state after the run. */
  readonly applied: readonly PlannedAction[];
  readonly error?: string;
}

const PHASE: Record<PlannedAction["type"], number> = {
  "create-topic": 0,
  "create-metric-filter": 0,
  "update-metric-filter": 0,
  subscribe: 1,
  "create-alarm": 1,
  "update-alarm": 1,
  "tag-alarm": 1,
  "tag-topic": 1,
};

export async function applyPlan(clients: AccountClients, plan: readonly PlannedAction[]): Promise<ApplyOutcome> {
  const applied: PlannedAction[] = [];
  const failed = new Map<PlannedAction, string>();
  for (const phase of [0, 1]) {
    const batch = plan.filter((a) => PHASE[a.type] === phase);
    const results = await Promise.allSettled(batch.map((action) => perform(clients, action)));
    results.forEach((r, i) => {
      const action = batch[i] as PlannedAction;
      if (r.status === "fulfilled") applied.push(action);
      else failed.set(action, describeError(r.reason));
    });
    if (failed.size > 0) break;
  }
  const reports = plan.map((a) => ({
    type: a.type,
    region: a.region,
    resource: a.resource,
    applied: applied.includes(a),
    ...(failed.has(a) ? { error: failed.get(a) } : {}),
  }));
  const firstError = [...failed.entries()][0];
  return {
    reports,
    applied,
    ...(firstError ? { error: `${firstError[0].type} ${firstError[0].resource}: ${firstError[1]}` } : {}),
  };
}

async function perform(clients: AccountClients, action: PlannedAction): Promise<void> {
  switch (action.type) {
    case "create-topic":
      await clients.sns(action.region).send(new CreateTopicCommand(action.input));
      return;
    case "subscribe":
      await clients.sns(action.region).send(new SubscribeCommand(action.input));
      return;
    case "create-metric-filter":
    case "update-metric-filter":
      await clients.logs(action.region).send(new PutMetricFilterCommand(action.input));
      return;
    case "create-alarm":
    case "update-alarm":
      await clients.cloudWatch(action.region).send(new PutMetricAlarmCommand(action.input));
      return;
    case "tag-alarm":
      await clients.cloudWatch(action.region).send(new AlarmTagCommand(action.input));
      return;
    case "tag-topic":
      await clients.sns(action.region).send(new TopicTagCommand(action.input));
      return;
  }
}
