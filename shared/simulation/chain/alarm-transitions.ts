/**
 * An alarm changing state, wherever the change comes from (the evaluator, SetAlarmState): the
 * alarm's state fields, a StateUpdate history item, and, when its actions are enabled, the
 * actions of the new state. An SNS action publishes the alarm notification to the topic and
 * records an Action history item saying whether that succeeded. Actions of other kinds
 * (Auto Scaling, EC2, Systems Manager, Lambda) are not simulated and leave no item.
 *
 * History item shapes: StateUpdate's HistoryData follows AWS's CLI reference example
 * (`{"version":"1.0","oldState":{...},"newState":{...,"stateReasonData":{...}}}`). The
 * HistoryData of Action and ConfigurationUpdate items is NOT confirmed from an AWS source:
 * only the HistorySummary texts ("Successfully executed action <arn>", "Failed to execute
 * action <arn>. Received error: ...") are seen in public reports, so readers should rely on
 * HistoryItemType, HistorySummary and Timestamp.
 */
import type { AlarmHistoryItem, MetricAlarm, StateValue } from "@aws-sdk/client-cloudwatch";
import { parseArn } from "../../core/arn.ts";
import { findTopic } from "../services/sns.ts";
import type { AlarmState, SimulationCore, TopicState } from "../state.ts";
import { awsTimestamp } from "./alarm-evaluation.ts";
import { regionDisplayName } from "./region-names.ts";
import { publishToTopic } from "./sns-delivery.ts";

/** SNS Subject: "Subject must be ... no longer than 100 characters". Long names are cut with "...". */
const MAX_SUBJECT = 100;

export interface StateChange {
  readonly state: StateValue;
  readonly reason: string;
  readonly reasonData?: Record<string, unknown>;
  /** Epoch ms of the change. */
  readonly at: number;
}

function pushHistory(core: SimulationCore, accountId: string, region: string, item: AlarmHistoryItem): void {
  core.data.alarmHistory(accountId, region).push(item);
}

/** Moves the alarm to `change.state`; nothing happens when it is already there. */
export function changeAlarmState(
  core: SimulationCore,
  accountId: string,
  region: string,
  alarmState: AlarmState,
  change: StateChange,
): void {
  const alarm = alarmState.alarm;
  const old = alarm.StateValue ?? "INSUFFICIENT_DATA";
  if (old === change.state) return;
  const oldReason = alarm.StateReason ?? "";
  const oldReasonData = alarm.StateReasonData;
  const when = new Date(change.at);
  alarm.StateValue = change.state;
  alarm.StateReason = change.reason;
  if (change.reasonData) alarm.StateReasonData = JSON.stringify(change.reasonData);
  else delete alarm.StateReasonData;
  alarm.StateUpdatedTimestamp = when;
  alarm.StateTransitionedTimestamp = when;
  const name = alarm.AlarmName ?? "";
  pushHistory(core, accountId, region, {
    AlarmName: name,
    AlarmType: "MetricAlarm",
    Timestamp: when,
    HistoryItemType: "StateUpdate",
    HistorySummary: `Alarm updated from ${old} to ${change.state}`,
    HistoryData: JSON.stringify({
      version: "1.0",
      oldState: {
        stateValue: old,
        stateReason: oldReason,
        ...(oldReasonData ? { stateReasonData: JSON.parse(oldReasonData) } : {}),
      },
      newState: {
        stateValue: change.state,
        stateReason: change.reason,
        ...(change.reasonData ? { stateReasonData: change.reasonData } : {}),
      },
    }),
  });
  if (!alarm.ActionsEnabled) return;
  const actions =
    change.state === "ALARM"
      ? alarm.AlarmActions
      : change.state === "OK"
        ? alarm.OKActions
        : alarm.InsufficientDataActions;
  for (const action of actions ?? []) executeAction(core, accountId, region, alarm, old, action, change.at);
}

function executeAction(
  core: SimulationCore,
  accountId: string,
  region: string,
  alarm: MetricAlarm,
  oldState: StateValue,
  action: string,
  at: number,
): void {
  if (parseArn(action)?.service !== "sns") return;
  const topic = findTopic(core, action);
  const problem = topic ? publishProblem(accountId, alarm, topic) : "Topic does not exist";
  const record = (ok: boolean, detail?: string) =>
    pushHistory(core, accountId, region, {
      AlarmName: alarm.AlarmName ?? "",
      AlarmType: "MetricAlarm",
      Timestamp: new Date(at),
      HistoryItemType: "Action",
      HistorySummary: ok
        ? `Successfully executed action ${action}`
        : `Failed to execute action ${action}. Received error: "${detail}"`,
      // Shape not confirmed (see the module comment).
      HistoryData: JSON.stringify({
        actionState: ok ? "Succeeded" : "Failed",
        stateUpdateTimestamp: at,
        notificationResource: action,
        ...(ok ? {} : { error: detail }),
      }),
    });
  if (!topic || problem) {
    record(false, problem ?? "Topic does not exist");
    return;
  }
  publishToTopic(core, topic, {
    subject: alarmSubject(alarm.AlarmName ?? "", alarm.StateValue ?? "ALARM", region),
    message: JSON.stringify(alarmNotification(accountId, region, alarm, oldState, at)),
  });
  record(true);
}

/** Why CloudWatch could not publish to the topic, or undefined when it can. */
function publishProblem(accountId: string, alarm: MetricAlarm, topic: TopicState): string | undefined {
  const key = topic.attributes.get("KmsMasterKeyId") ?? "";
  // The AWS managed key's policy does not let CloudWatch use it (AWS Knowledge Center).
  if (key === "alias/aws/sns" || /:alias\/aws\/sns$/.test(key)) {
    return "CloudWatch Alarms does not have authorization to access the SNS topic encryption key.";
  }
  if (topic.owner !== accountId && !policyLetsCloudWatchPublish(topic.attributes.get("Policy"))) {
    return `Resource: ${alarm.AlarmArn} is not authorized to perform: SNS:Publish on resource: ${topic.arn}`;
  }
  return undefined;
}

/** A loose reading: some Allow of sns:Publish to cloudwatch.amazonaws.com or to everyone. */
function policyLetsCloudWatchPublish(policy: string | undefined): boolean {
  if (!policy) return false;
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    const statements = ([] as unknown[]).concat(doc.Statement ?? []) as {
      Effect?: string;
      Principal?: unknown;
      Action?: unknown;
    }[];
    return statements.some((s) => {
      const principal = JSON.stringify(s.Principal ?? "");
      const actions = ([] as unknown[]).concat(s.Action ?? []).map((a) => String(a).toLowerCase());
      return (
        s.Effect === "Allow" &&
        (principal.includes("cloudwatch.amazonaws.com") || principal === '"*"' || principal.includes(`{"AWS":"*"}`)) &&
        actions.some((a) => a === "sns:publish" || a === "sns:*" || a === "*")
      );
    });
  } catch {
    return false;
  }
}

/** `ALARM: "<name>" in <Region display name>`, cut with "..." to SNS's 100 characters. */
export function alarmSubject(name: string, state: string, region: string): string {
  const where = ` in ${regionDisplayName(region)}`;
  const full = `${state}: "${name}"${where}`;
  if (full.length <= MAX_SUBJECT) return full;
  const room = MAX_SUBJECT - `${state}: "..."${where}`.length;
  return `${state}: "${name.slice(0, Math.max(0, room))}..."${where}`;
}

/**
 * The JSON message CloudWatch publishes (shape from captured notifications; AWS publishes no
 * field table): Statistic upper-cased, Dimensions with lower-case name/value, times "+0000".
 * TreatMissingData is the alarm's value (some captured messages show it formatted as
 * "- TreatMissingData: <value>"; not reproduced).
 */
export function alarmNotification(
  accountId: string,
  region: string,
  alarm: MetricAlarm,
  oldState: StateValue,
  at: number,
): Record<string, unknown> {
  return {
    AlarmName: alarm.AlarmName,
    AlarmDescription: alarm.AlarmDescription ?? null,
    AWSAccountId: accountId,
    AlarmConfigurationUpdatedTimestamp: alarm.AlarmConfigurationUpdatedTimestamp
      ? awsTimestamp(alarm.AlarmConfigurationUpdatedTimestamp.getTime())
      : null,
    NewStateValue: alarm.StateValue,
    NewStateReason: alarm.StateReason,
    StateChangeTime: awsTimestamp(at),
    Region: regionDisplayName(region),
    AlarmArn: alarm.AlarmArn,
    OldStateValue: oldState,
    OKActions: [...(alarm.OKActions ?? [])],
    AlarmActions: [...(alarm.AlarmActions ?? [])],
    InsufficientDataActions: [...(alarm.InsufficientDataActions ?? [])],
    Trigger: {
      MetricName: alarm.MetricName,
      Namespace: alarm.Namespace,
      StatisticType: "Statistic",
      Statistic: (alarm.Statistic ?? "").toUpperCase(),
      Unit: alarm.Unit ?? null,
      Dimensions: (alarm.Dimensions ?? []).map((d) => ({ value: d.Value, name: d.Name })),
      Period: alarm.Period,
      EvaluationPeriods: alarm.EvaluationPeriods,
      ...(alarm.DatapointsToAlarm === undefined ? {} : { DatapointsToAlarm: alarm.DatapointsToAlarm }),
      ComparisonOperator: alarm.ComparisonOperator,
      Threshold: alarm.Threshold,
      TreatMissingData: alarm.TreatMissingData ?? "missing",
      EvaluateLowSampleCountPercentile: "",
    },
  };
}

/**
 * A ConfigurationUpdate history item for an alarm created or updated through PutMetricAlarm.
 * HistoryData shape NOT confirmed from an AWS source (modelled as {version, type, createdAlarm
 * | updatedAlarm}).
 */
export function recordAlarmConfiguration(
  core: SimulationCore,
  accountId: string,
  region: string,
  alarm: MetricAlarm,
  created: boolean,
): void {
  const name = alarm.AlarmName ?? "";
  const config = {
    alarmName: name,
    alarmArn: alarm.AlarmArn,
    namespace: alarm.Namespace,
    metricName: alarm.MetricName,
    statistic: alarm.Statistic,
    period: alarm.Period,
    evaluationPeriods: alarm.EvaluationPeriods,
    datapointsToAlarm: alarm.DatapointsToAlarm,
    threshold: alarm.Threshold,
    comparisonOperator: alarm.ComparisonOperator,
    treatMissingData: alarm.TreatMissingData,
    actionsEnabled: alarm.ActionsEnabled,
    alarmActions: alarm.AlarmActions,
    okActions: alarm.OKActions,
    insufficientDataActions: alarm.InsufficientDataActions,
  };
  const at = alarm.AlarmConfigurationUpdatedTimestamp ?? core.clock.now();
  pushHistory(core, accountId, region, {
    AlarmName: name,
    AlarmType: "MetricAlarm",
    Timestamp: at,
    HistoryItemType: "ConfigurationUpdate",
    HistorySummary: `Alarm "${name}" ${created ? "created" : "updated"}`,
    HistoryData: JSON.stringify({
      version: "1.0",
      type: created ? "Create" : "Update",
      [created ? "createdAlarm" : "updatedAlarm"]: config,
    }),
  });
}
