/**
 * The invariants the fault suite checks after every run, each as a list of violations (empty
 * when it holds), so the suite can count them for its summary line and then assert them.
 */

import { CIS_PATTERNS } from "../../shared/core/filter-pattern/index.ts";
import type { AccountResult, ActionReport, RunMode } from "../../shared/core/model.ts";
import type { Report } from "../../shared/core/report.ts";
import type { CallRecord, SimulatedOrganization } from "../../shared/simulation/index.ts";
import { PREFIX } from "./world.ts";

/** Any call that changes state (the simulation implements deletes and tagging too: none may happen). */
export function isWrite(call: CallRecord): boolean {
  return !/^(Describe|Get|List)/.test(call.operation) && call.operation !== "AssumeRole";
}

/** The calls since the last reset that changed state. */
export function successfulWrites(org: SimulatedOrganization): CallRecord[] {
  return org.calls.list({ errored: false }).filter(isWrite);
}

/** One key per resource a write touches, the same whether read from the call or from the report's action. */
function keyOfWrite(call: CallRecord): string {
  const at = `${call.accountId} ${call.region}`;
  const input = call.input as Record<string, string | undefined>;
  switch (call.operation) {
    case "CreateTopic":
      return `${at} create-topic arn:aws:sns:${call.region}:${call.accountId}:${input.Name}`;
    case "Subscribe":
      return `${at} subscribe ${input.TopicArn} ${input.Protocol}:${input.Endpoint}`;
    case "PutMetricFilter":
      return `${at} metric-filter log-group:${input.logGroupName}/metric-filter:${input.filterName}`;
    case "PutMetricAlarm":
      return `${at} alarm arn:aws:cloudwatch:${call.region}:${call.accountId}:alarm:${input.AlarmName}`;
    case "TagResource":
      // CloudWatch names the ARN ResourceARN, SNS ResourceArn: the owner and runbook tags.
      return `${at} tag ${input.ResourceARN ?? input.ResourceArn}`;
    default:
      return `${at} ${call.operation} (not a write tripwire makes)`;
  }
}

const KIND: Record<ActionReport["type"], string> = {
  "create-topic": "create-topic",
  subscribe: "subscribe",
  "create-metric-filter": "metric-filter",
  "update-metric-filter": "metric-filter",
  "create-alarm": "alarm",
  "update-alarm": "alarm",
  "tag-alarm": "tag",
  "tag-topic": "tag",
};

function keyOfAction(accountId: string, action: ActionReport): string {
  return `${accountId} ${action.region} ${KIND[action.type]} ${action.resource}`;
}

/**
 * Every in-scope account has exactly one result; an account may be missing only when the
 * report says the listing is incomplete. Suspended accounts are SKIPPED, ACTIVE ones are not.
 */
export function statusViolations(
  report: Report,
  inScope: readonly string[],
  suspended: ReadonlySet<string>,
): { violations: string[]; leftOut: number } {
  const violations: string[] = [];
  const seen = new Map<string, number>();
  for (const a of report.accounts) seen.set(a.accountId, (seen.get(a.accountId) ?? 0) + 1);
  const scope = new Set(inScope);
  for (const [id, n] of seen) {
    if (!scope.has(id)) violations.push(`${id} is in the report but not in scope`);
    if (n > 1) violations.push(`${id} has ${n} results`);
  }
  let leftOut = 0;
  for (const id of inScope) {
    if (seen.has(id)) continue;
    leftOut++;
    if (report.listing.complete) violations.push(`${id} has no status, and the listing is complete`);
  }
  if (!report.listing.complete && !report.listing.error) violations.push("incomplete listing without an error");
  for (const a of report.accounts) {
    if (suspended.has(a.accountId) !== (a.status === "SKIPPED"))
      violations.push(`${a.accountId} is ${a.status}, ${suspended.has(a.accountId) ? "suspended" : "active"}`);
  }
  return { violations, leftOut };
}

/**
 * Each action's `applied` matches what the simulation answered: an applied action had a
 * successful write and its resource now holds tripwire's definition; an action not applied
 * had none; and no write happened that the report does not show as applied. A scan or dry
 * run writes nothing at all.
 */
export function actionViolations(
  org: SimulatedOrganization,
  report: Report,
  mode: RunMode,
  writes: readonly CallRecord[],
): { violations: string[]; applied: number; notApplied: number } {
  const violations: string[] = [];
  const written = new Map<string, number>();
  for (const w of writes) written.set(keyOfWrite(w), (written.get(keyOfWrite(w)) ?? 0) + 1);
  const reported = new Set<string>();
  let applied = 0;
  let notApplied = 0;
  for (const account of report.accounts) {
    for (const action of account.actions) {
      const key = keyOfAction(account.accountId, action);
      if (action.applied) {
        applied++;
        reported.add(key);
        if (mode !== "fix") violations.push(`${mode} reports ${key} as applied`);
        if (!written.has(key)) violations.push(`${key} is reported applied, but no such write succeeded`);
        const state = stateViolation(org, account, action);
        if (state) violations.push(`${key} is reported applied, but ${state}`);
      } else {
        notApplied++;
        if (written.has(key)) violations.push(`${key} is reported not applied, but the write succeeded`);
      }
    }
  }
  for (const [key, n] of written) {
    if (!reported.has(key)) violations.push(`${key} was written but is not reported applied`);
    if (n > 1) violations.push(`${key} was written ${n} times in one run`);
  }
  if (mode !== "fix" && writes.length > 0) violations.push(`${mode} wrote ${writes.length} times`);
  return { violations, applied, notApplied };
}

/** What is wrong with the resource an applied action wrote, if anything. */
function stateViolation(org: SimulatedOrganization, result: AccountResult, action: ActionReport): string | undefined {
  const account = org.account(result.accountId);
  const region = action.region;
  const topicArn = `arn:aws:sns:${region}:${result.accountId}:${PREFIX}-unauthorized-api-calls`;
  switch (action.type) {
    case "create-topic": {
      const topic = account.topicArns(region).includes(action.resource) ? account.topic(action.resource) : undefined;
      return topic?.tags["managed-by"] === "tripwire" ? undefined : "the topic is not there with tripwire's tag";
    }
    case "subscribe": {
      const endpoint = action.resource.slice(action.resource.indexOf(" ") + 1);
      const there =
        account.topicArns(region).includes(topicArn) &&
        account.subscriptions(topicArn).some((s) => `${s.protocol}:${s.endpoint}` === endpoint);
      return there ? undefined : "the subscription is not there";
    }
    case "create-metric-filter":
    case "update-metric-filter": {
      const [, logGroup, name] = /^log-group:(.+)\/metric-filter:(.+)$/.exec(action.resource) ?? [];
      const filter = account.metricFilters(region, logGroup).find((f) => f.filterName === name);
      const pattern = name?.endsWith("cis-v1.2") ? CIS_PATTERNS.v12 : CIS_PATTERNS.v14Grouped;
      const t = filter?.metricTransformations ?? [];
      const own =
        filter?.filterPattern === pattern &&
        t.length === 1 &&
        t[0]?.metricName === "UnauthorizedAPICalls" &&
        t[0]?.metricNamespace === PREFIX &&
        t[0]?.metricValue === "1";
      return own ? undefined : "the filter is not there with tripwire's definition";
    }
    case "create-alarm":
    case "update-alarm": {
      const name = action.resource.slice(action.resource.lastIndexOf(":") + 1);
      const alarm = account.alarm(region, name);
      const own =
        alarm !== undefined &&
        account.alarmTags(region, name)["managed-by"] === "tripwire" &&
        alarm.Namespace === PREFIX &&
        alarm.MetricName === "UnauthorizedAPICalls" &&
        alarm.Statistic === "Sum" &&
        alarm.Period === 300 &&
        alarm.Threshold === 1 &&
        alarm.ActionsEnabled === true &&
        (alarm.AlarmActions ?? []).includes(topicArn);
      return own ? undefined : "the alarm is not there with tripwire's definition";
    }
    case "tag-alarm": {
      const name = action.resource.slice(action.resource.lastIndexOf(":") + 1);
      const tagged = account.alarm(region, name) && account.alarmTags(region, name)["managed-by"] === "tripwire";
      return tagged ? undefined : "the alarm is not there with tripwire's tag";
    }
    case "tag-topic": {
      const topic = account.topicArns(region).includes(action.resource) ? account.topic(action.resource) : undefined;
      return topic?.tags["managed-by"] === "tripwire" ? undefined : "the topic is not there with tripwire's tag";
    }
  }
}

/** Each account's status and finding codes, for comparing the end of two runs. */
export function verdicts(report: Report): Map<string, string> {
  return new Map(
    report.accounts.map((a) => [
      a.accountId,
      `${a.status} ${a.findings
        .map((f) => f.code)
        .sort()
        .join(",")}`,
    ]),
  );
}
