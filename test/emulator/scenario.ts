/**
 * Shared arrangements and read-backs for the emulator tests, and the parts of the CLI's
 * JSON output the tests read (declared here, not imported from the sources: these tests
 * see tripwire only as a command).
 */
import type { AccountIds, Arranger } from "./arrange.ts";

export const REGION = "us-east-1";
export const TRAIL_LOG_GROUP = "aws-cloudtrail-logs-management-events";
export const PREFIX = "tripwire";
export const V12_FILTER = `${PREFIX}-unauthorized-api-calls-cis-v1.2`;
export const V14_FILTER = `${PREFIX}-unauthorized-api-calls-cis-v1.4`;
export const OWN_ALARM = `${PREFIX}-unauthorized-api-calls`;
export const OWN_TOPIC = `${PREFIX}-unauthorized-api-calls`;
/** CIS v1.2 3.1 / Security Hub CloudWatch.2, as published. */
export const CIS_V12_PATTERN = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }';

export interface Finding {
  readonly code: string;
  readonly region: string;
  readonly message: string;
}

export interface Action {
  readonly type: string;
  readonly region: string;
  readonly resource: string;
  readonly applied: boolean;
  readonly error?: string;
}

export interface AccountResult {
  readonly accountId: string;
  readonly status: "COMPLIANT" | "NON_COMPLIANT" | "ERROR" | "SKIPPED";
  readonly findings: readonly Finding[];
  readonly actions: readonly Action[];
  readonly error?: string;
}

export interface SweepReport {
  readonly mode: string;
  readonly accounts: readonly AccountResult[];
  /** Proposed for issue 8: present and `complete: false` when the account listing broke off. */
  readonly listing?: { readonly complete: boolean; readonly error?: string };
}

export interface HealReport {
  readonly status: string;
  readonly reason: string;
  readonly account?: AccountResult;
}

export function accountIn(report: SweepReport, accountId: string): AccountResult {
  const found = report.accounts.find((a) => a.accountId === accountId);
  if (!found)
    throw new Error(
      `account ${accountId} is not in the report (accounts: ${report.accounts.map((a) => a.accountId).join(", ")})`,
    );
  return found;
}

export interface Organization {
  readonly ids: AccountIds;
  /** The member's id. */
  readonly member: string;
  /** An SQS queue in the management account, the --notify target. */
  readonly queueArn: string;
}

/**
 * The organization most tests start from: the management account, which has no trail and is
 * left out of runs with --exclude-accounts, and one member whose multi-region, logging trail
 * delivers to a log group with no metric filter and no alarm.
 */
export async function memberWithTrail(aws: Arranger, members: readonly string[] = ["member"]): Promise<Organization> {
  const ids = await aws.organization(members);
  await aws.trail("member", { logGroup: TRAIL_LOG_GROUP });
  const { QueueUrl } = await aws.call<{ QueueUrl: string }>("management", "sqs", "create_queue", {
    QueueName: "security-alerts",
  });
  const { Attributes } = await aws.call<{ Attributes: { QueueArn: string } }>(
    "management",
    "sqs",
    "get_queue_attributes",
    {
      QueueUrl,
      AttributeNames: ["QueueArn"],
    },
  );
  return { ids, member: ids.member as string, queueArn: Attributes.QueueArn };
}

/**
 * The CLI options that keep a run to the member of `memberWithTrail`. The region is given:
 * moto has no account:ListRegions (it answers 404), so a run that had to discover the
 * enabled regions could not; tripwire does not call it today, and need not with --regions.
 */
export function memberScope(org: Organization): string[] {
  return ["--exclude-accounts", org.ids.management, "--regions", REGION];
}

export interface MetricFilter {
  readonly filterName: string;
  readonly filterPattern: string;
  readonly logGroupName: string;
  readonly metricTransformations: readonly { metricName: string; metricNamespace: string; metricValue: string }[];
}

export async function metricFilters(aws: Arranger, account: string, logGroup: string): Promise<MetricFilter[]> {
  return (
    await aws.call<{ metricFilters: MetricFilter[] }>(account, "logs", "describe_metric_filters", {
      logGroupName: logGroup,
    })
  ).metricFilters;
}

export interface Alarm {
  readonly AlarmName: string;
  readonly AlarmArn: string;
  readonly Namespace?: string;
  readonly MetricName?: string;
  readonly AlarmActions: readonly string[];
  readonly [field: string]: unknown;
}

/** The alarm as DescribeAlarms shows it, without the fields moto changes on every read or write. */
export async function alarmNamed(aws: Arranger, account: string, name: string): Promise<Alarm | undefined> {
  const { MetricAlarms } = await aws.call<{ MetricAlarms: Alarm[] }>(account, "cloudwatch", "describe_alarms", {
    AlarmNames: [name],
  });
  const alarm = MetricAlarms[0];
  if (!alarm) return undefined;
  const { AlarmConfigurationUpdatedTimestamp: _t, StateUpdatedTimestamp: _s, ...stable } = alarm;
  return stable as Alarm;
}

export type Tags = Record<string, string>;

export async function alarmTags(aws: Arranger, account: string, alarmArn: string): Promise<Tags> {
  const { Tags } = await aws.call<{ Tags: { Key: string; Value: string }[] }>(
    account,
    "cloudwatch",
    "list_tags_for_resource",
    {
      ResourceARN: alarmArn,
    },
  );
  return Object.fromEntries(Tags.map((t) => [t.Key, t.Value]));
}

export async function topicTags(aws: Arranger, account: string, topicArn: string): Promise<Tags> {
  const { Tags } = await aws.call<{ Tags: { Key: string; Value: string }[] }>(
    account,
    "sns",
    "list_tags_for_resource",
    {
      ResourceArn: topicArn,
    },
  );
  return Object.fromEntries(Tags.map((t) => [t.Key, t.Value]));
}

export interface Subscription {
  readonly SubscriptionArn: string;
  readonly Protocol: string;
  readonly Endpoint: string;
}

export async function subscriptionsOf(aws: Arranger, account: string, topicArn: string): Promise<Subscription[]> {
  return (
    await aws.call<{ Subscriptions: Subscription[] }>(account, "sns", "list_subscriptions_by_topic", {
      TopicArn: topicArn,
    })
  ).Subscriptions;
}

export function topicArn(accountId: string, name: string, region = REGION): string {
  return `arn:aws:sns:${region}:${accountId}:${name}`;
}

export interface DriftEventInput {
  readonly account: string;
  readonly region?: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly requestParameters: Record<string, unknown>;
  /** The caller: `detail.userIdentity` of the CloudTrail record. */
  readonly userIdentity: Record<string, unknown>;
}

/** An EventBridge "AWS API Call via CloudTrail" event, shaped like those in events/drift/. */
export function driftEvent(input: DriftEventInput): string {
  const region = input.region ?? REGION;
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  return JSON.stringify({
    version: "0",
    id: "5f1c2d3e-0000-4000-8000-emulator0001",
    "detail-type": "AWS API Call via CloudTrail",
    source: `aws.${input.eventSource.split(".")[0]}`,
    account: input.account,
    time: now,
    region,
    resources: [],
    detail: {
      eventVersion: "1.09",
      userIdentity: input.userIdentity,
      eventTime: now,
      eventSource: input.eventSource,
      eventName: input.eventName,
      awsRegion: region,
      sourceIPAddress: "198.51.100.23",
      userAgent: "aws-cli/2.15.40",
      requestParameters: input.requestParameters,
      responseElements: null,
      requestID: "5f1c2d3e-0000-4000-8000-emulator0002",
      eventID: "5f1c2d3e-0000-4000-8000-emulator0003",
      readOnly: false,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: input.account,
      eventCategory: "Management",
    },
  });
}

/** `detail.userIdentity` of a call made in a session of `roleName` in `accountId`. */
export function assumedRoleIdentity(accountId: string, roleName: string, sessionName: string): Record<string, unknown> {
  return {
    type: "AssumedRole",
    principalId: `AROAEMULATOREXAMPLE01:${sessionName}`,
    arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
    accountId,
    accessKeyId: "ASIAEMULATOREXAMPLE1",
    sessionContext: {
      sessionIssuer: {
        type: "Role",
        principalId: "AROAEMULATOREXAMPLE01",
        arn: `arn:aws:iam::${accountId}:role/${roleName}`,
        accountId,
        userName: roleName,
      },
      webIdFederationData: {},
      attributes: { creationDate: new Date().toISOString(), mfaAuthenticated: "false" },
    },
  };
}

/** A DeleteMetricFilter event for one of the filters on `logGroup`. */
export function deleteMetricFilterEvent(
  account: string,
  logGroup: string,
  filterName: string,
  userIdentity: Record<string, unknown>,
): string {
  return driftEvent({
    account,
    eventSource: "logs.amazonaws.com",
    eventName: "DeleteMetricFilter",
    requestParameters: { logGroupName: logGroup, filterName },
    userIdentity,
  });
}
