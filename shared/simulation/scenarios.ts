/**
 * Short builders for the situations tests and the demo need, each over one account and
 * region of a simulated organization. They seed state directly (no API calls, no call log).
 */
import type { AdvancedEventSelector, EventSelector } from "@aws-sdk/client-cloudtrail";
import type { ComparisonOperator, Statistic } from "@aws-sdk/client-cloudwatch";
import type { SimulatedAccount, SimulatedOrganization } from "./organization.ts";

/** The CIS v1.2 3.1 / Security Hub CloudWatch.2 pattern, exactly as published. */
export const CIS_V12_PATTERN = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }';

export const DEFAULT_METRIC_NAME = "UnauthorizedAPICalls";
export const DEFAULT_METRIC_NAMESPACE = "CISBenchmark";

/** How the trail records management events. */
export type TrailSelectors = "all" | "writeOnly" | "readOnly" | "none" | "advancedManagement" | "advancedWriteOnly";

export interface TrailOptions {
  /** Default "management-events" (or Control Tower's name with `style: "controlTower"`). */
  readonly name?: string;
  /** Default true. */
  readonly multiRegion?: boolean;
  /** Default true. */
  readonly logging?: boolean;
  /** Default "all" (basic selector, read and write, as CloudTrail creates trails). */
  readonly selectors?: TrailSelectors;
  /**
   * Log group the trail delivers to: a name, or false for S3 only. Default: named as the
   * CloudTrail console does (`aws-cloudtrail-logs-<account>-<8 hex>`), or Control Tower's
   * `aws-controltower/CloudTrailLogs` with `style: "controlTower"`.
   */
  readonly logGroup?: string | false;
  readonly style?: "cloudtrail" | "controlTower";
}

export interface TrailFixture {
  readonly accountId: string;
  readonly region: string;
  readonly trailName: string;
  readonly trailArn: string;
  /** Undefined when the trail delivers to S3 only. */
  readonly logGroupName?: string;
  readonly logGroupArn?: string;
}

/** Eight hex digits derived from a text: stable across runs, different per account and region. */
function hex8(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

function selectorsFor(kind: TrailSelectors): { basic?: EventSelector[]; advanced?: AdvancedEventSelector[] } {
  switch (kind) {
    case "all":
      return { basic: [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [] }] };
    case "writeOnly":
      return { basic: [{ ReadWriteType: "WriteOnly", IncludeManagementEvents: true, DataResources: [] }] };
    case "readOnly":
      return { basic: [{ ReadWriteType: "ReadOnly", IncludeManagementEvents: true, DataResources: [] }] };
    case "none":
      return { basic: [{ ReadWriteType: "All", IncludeManagementEvents: false, DataResources: [] }] };
    case "advancedManagement":
      return {
        advanced: [
          { Name: "Management events selector", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] },
        ],
      };
    case "advancedWriteOnly":
      return {
        advanced: [
          {
            Name: "Write-only management events",
            FieldSelectors: [
              { Field: "eventCategory", Equals: ["Management"] },
              { Field: "readOnly", Equals: ["false"] },
            ],
          },
        ],
      };
  }
}

function buildTrail(
  account: SimulatedAccount,
  region: string,
  options: TrailOptions,
  organization: boolean,
): TrailFixture {
  const controlTower = options.style === "controlTower";
  const suffix = hex8(`${account.id}/${region}`);
  const name = options.name ?? (controlTower ? "aws-controltower-BaselineCloudTrail" : "management-events");
  const groupName =
    options.logGroup === false
      ? undefined
      : (options.logGroup ??
        (controlTower ? "aws-controltower/CloudTrailLogs" : `aws-cloudtrail-logs-${account.id}-${suffix}`));
  const groupArn = groupName === undefined ? undefined : account.createLogGroup(region, groupName);
  const roleName = controlTower ? "aws-controltower-CloudWatchLogsRole" : "CloudTrailRoleForCloudWatchLogs";
  const trail = account.createTrail(region, {
    Name: name,
    S3BucketName: controlTower
      ? `aws-controltower-logs-${account.id}-${region}`
      : `aws-cloudtrail-logs-${account.id}-${suffix}`,
    IsMultiRegionTrail: options.multiRegion ?? true,
    IsOrganizationTrail: organization,
    IncludeGlobalServiceEvents: true,
    EnableLogFileValidation: true,
    ...(groupArn === undefined
      ? {}
      : { CloudWatchLogsLogGroupArn: groupArn, CloudWatchLogsRoleArn: `arn:aws:iam::${account.id}:role/${roleName}` }),
  });
  const trailArn = trail.TrailARN ?? "";
  const selectors = options.selectors ?? "all";
  // A trail as CloudTrail creates it already has the "all" selector; others are custom.
  if (selectors !== "all") account.putEventSelectors(trailArn, selectorsFor(selectors));
  if (options.logging ?? true) account.setLogging(trailArn, true);
  return {
    accountId: account.id,
    region,
    trailName: name,
    trailArn,
    ...(groupName === undefined ? {} : { logGroupName: groupName, logGroupArn: groupArn }),
  };
}

/** A trail homed in `region` of the account, with its log group (unless `logGroup: false`). */
export function trail(account: SimulatedAccount, region: string, options: TrailOptions = {}): TrailFixture {
  return buildTrail(account, region, options, false);
}

/** An organization trail in the management account, seen by every member (Control Tower style by default). */
export function organizationTrail(
  org: SimulatedOrganization,
  region: string,
  options: TrailOptions = {},
): TrailFixture {
  return buildTrail(org.account(org.managementAccountId), region, { style: "controlTower", ...options }, true);
}

export interface MetricFilterOptions {
  readonly logGroupName: string;
  /** Default "unauthorized-api-calls". */
  readonly filterName?: string;
  /** Default: the exact CIS v1.2 pattern. */
  readonly pattern?: string;
  readonly metricName?: string;
  readonly namespace?: string;
  /** Default "1". */
  readonly metricValue?: string;
  readonly defaultValue?: number;
}

export interface MetricFilterFixture {
  readonly logGroupName: string;
  readonly filterName: string;
  readonly pattern: string;
  readonly metricName: string;
  readonly namespace: string;
}

export function metricFilter(
  account: SimulatedAccount,
  region: string,
  options: MetricFilterOptions,
): MetricFilterFixture {
  const fixture: MetricFilterFixture = {
    logGroupName: options.logGroupName,
    filterName: options.filterName ?? "unauthorized-api-calls",
    pattern: options.pattern ?? CIS_V12_PATTERN,
    metricName: options.metricName ?? DEFAULT_METRIC_NAME,
    namespace: options.namespace ?? DEFAULT_METRIC_NAMESPACE,
  };
  account.putMetricFilter(region, {
    logGroupName: fixture.logGroupName,
    filterName: fixture.filterName,
    filterPattern: fixture.pattern,
    metricTransformations: [
      {
        metricName: fixture.metricName,
        metricNamespace: fixture.namespace,
        metricValue: options.metricValue ?? "1",
        ...(options.defaultValue === undefined ? {} : { defaultValue: options.defaultValue }),
      },
    ],
  });
  return fixture;
}

export interface AlarmOptions {
  readonly metricName?: string;
  readonly namespace?: string;
  /** Default "unauthorized-api-calls-alarm". */
  readonly alarmName?: string;
  /** Alarm actions (topic ARNs); default none. */
  readonly actions?: readonly string[];
  readonly actionsEnabled?: boolean;
  /** Defaults are the CIS ones: Sum over 300 s, 1 period, >= 1. */
  readonly statistic?: Statistic;
  readonly period?: number;
  readonly evaluationPeriods?: number;
  readonly threshold?: number;
  readonly comparison?: ComparisonOperator;
  readonly treatMissingData?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface AlarmFixture {
  readonly alarmName: string;
  readonly alarmArn: string;
}

export function alarm(account: SimulatedAccount, region: string, options: AlarmOptions = {}): AlarmFixture {
  const alarmName = options.alarmName ?? "unauthorized-api-calls-alarm";
  const created = account.putMetricAlarm(region, {
    AlarmName: alarmName,
    MetricName: options.metricName ?? DEFAULT_METRIC_NAME,
    Namespace: options.namespace ?? DEFAULT_METRIC_NAMESPACE,
    Statistic: options.statistic ?? "Sum",
    Period: options.period ?? 300,
    EvaluationPeriods: options.evaluationPeriods ?? 1,
    Threshold: options.threshold ?? 1,
    ComparisonOperator: options.comparison ?? "GreaterThanOrEqualToThreshold",
    ActionsEnabled: options.actionsEnabled ?? true,
    AlarmActions: [...(options.actions ?? [])],
    ...(options.treatMissingData === undefined ? {} : { TreatMissingData: options.treatMissingData }),
    Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
  });
  return { alarmName, alarmArn: created.AlarmArn ?? "" };
}

export interface SubscriptionOptions {
  /** Default "email". */
  readonly protocol?: string;
  readonly endpoint: string;
  /** Default: true (as if the person clicked the link); SQS and Lambda are always confirmed. */
  readonly confirmed?: boolean;
}

export interface TopicOptions {
  /** Default "cis-alarms". */
  readonly name?: string;
  /** Default: one confirmed email subscription to security@example.com. */
  readonly subscriptions?: readonly SubscriptionOptions[];
  /** GetTopicAttributes counts stay 0, as before AWS catches up (and on moto): only the listing tells. */
  readonly staleCounts?: boolean;
}

export interface TopicFixture {
  readonly topicArn: string;
  /** Real ARNs, also of pending subscriptions. */
  readonly subscriptionArns: string[];
}

export function topic(account: SimulatedAccount, region: string, options: TopicOptions = {}): TopicFixture {
  const topicArn = account.createTopic(region, options.name ?? "cis-alarms");
  const subscriptions = options.subscriptions ?? [{ endpoint: "security@example.com" }];
  const subscriptionArns = subscriptions.map(
    (s) => account.subscribe(topicArn, s.protocol ?? "email", s.endpoint, { confirmed: s.confirmed ?? true }).arn,
  );
  if (options.staleCounts) account.setStaleSubscriptionCounts(topicArn);
  return { topicArn, subscriptionArns };
}

/**
 * A customer's alarm on an EC2 CPU metric, paging the customer's own topic, under `alarmName`
 * (tripwire's name, in the ownership tests: a name is no proof). Returns the pager topic.
 */
export function customerCpuAlarm(account: SimulatedAccount, region: string, alarmName: string): string {
  const pager = account.createTopic(region, "customer-pager");
  account.putMetricAlarm(region, {
    AlarmName: alarmName,
    Namespace: "AWS/EC2",
    MetricName: "CPUUtilization",
    Dimensions: [{ Name: "InstanceId", Value: "i-0123456789abcdef0" }],
    Statistic: "Average",
    Period: 300,
    EvaluationPeriods: 2,
    Threshold: 90,
    ComparisonOperator: "GreaterThanThreshold",
    AlarmActions: [pager],
  });
  return pager;
}

/** A good trail and its log group, and nothing else: the starting point of a remediation. */
export function bareAccount(account: SimulatedAccount, region: string, options: TrailOptions = {}): TrailFixture {
  return trail(account, region, options);
}

export interface CompliantFixture {
  readonly trail: TrailFixture;
  readonly filter: MetricFilterFixture;
  readonly alarm: AlarmFixture;
  readonly topic: TopicFixture;
}

/**
 * The alert chain on a log group: the exact CIS v1.2 filter, an alarm Sum/300/1/>=1 on the
 * filter's metric, acting on a topic (by default with a confirmed email subscription).
 */
export function alertChain(
  account: SimulatedAccount,
  region: string,
  logGroupName: string,
  topicOptions: TopicOptions = {},
): Omit<CompliantFixture, "trail"> {
  const filter = metricFilter(account, region, { logGroupName });
  const tp = topic(account, region, topicOptions);
  const a = alarm(account, region, {
    metricName: filter.metricName,
    namespace: filter.namespace,
    actions: [tp.topicArn],
  });
  return { filter, alarm: a, topic: tp };
}

/**
 * What Security Hub CloudWatch.2 passes: a multi-region logging trail with all management
 * events and the alert chain on its log group (alertChain; `topic` for the topic's options).
 */
export function compliantV12(
  account: SimulatedAccount,
  region: string,
  options: TrailOptions & { readonly topic?: TopicOptions } = {},
): CompliantFixture {
  const t = trail(account, region, options);
  if (t.logGroupName === undefined) throw new Error("compliantV12 needs a trail that delivers to a log group");
  return { trail: t, ...alertChain(account, region, t.logGroupName, options.topic) };
}
