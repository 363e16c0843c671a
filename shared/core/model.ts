/**
 * What the engine observes, decides and reports. Observations are plain data produced by
 * the read-only AWS calls of the adapters (chain-reader.ts); everything downstream is pure.
 */
import type { LogGroupRef } from "./arn.ts";
import type { AccountEvidence } from "./evidence.ts";
import type { ExemptionReport } from "./exemptions.ts";

export type { LogGroupRef };

/** What a run may do: read only, plan the writes, or plan and apply them. */
export type RunMode = "scan" | "dry-run" | "fix";

/** Which filters a fix writes: the Security Hub (CIS v1.2) one, the CIS v1.4 one, or both. */
export type FilterProfile = "securityhub" | "cis-v1.4" | "all";
export type NotifyProtocol = "email" | "https" | "sqs" | "lambda";

export interface NotifyEndpoint {
  readonly protocol: NotifyProtocol;
  readonly endpoint: string;
}

export type FindingCode =
  | "NO_MULTI_REGION_TRAIL"
  | "TRAIL_NOT_LOGGING"
  | "TRAIL_MISSING_MANAGEMENT_EVENTS"
  | "TRAIL_NOT_DELIVERING_TO_CLOUDWATCH"
  | "LOG_GROUP_NOT_FOUND"
  | "NO_METRIC_FILTER"
  | "FILTER_PATTERN_MATCHES_EVERYTHING"
  | "FILTER_PATTERN_MISSES_UNAUTHORIZED_EVENTS"
  | "NO_ALARM"
  | "ALARM_ACTIONS_DISABLED"
  | "ALARM_WITHOUT_SNS_ACTION"
  | "ALARM_CANNOT_FIRE"
  | "TOPIC_NOT_FOUND"
  | "NO_CONFIRMED_SUBSCRIPTION"
  | "TOPIC_KEY_DENIES_CLOUDWATCH"
  | "TOPIC_KEY_UNVERIFIED"
  | "ROLE_NOT_ASSUMABLE"
  | "NAME_TAKEN"
  | "COVERED_BY_ORGANIZATION_TRAIL"
  | "EXEMPTION_EXPIRED";

export interface Finding {
  readonly code: FindingCode;
  /** Region the finding is about; "global" for account-wide ones. */
  readonly region: string;
  readonly message: string;
}

export type AccountStatus = "COMPLIANT" | "NON_COMPLIANT" | "ERROR" | "SKIPPED" | "EXEMPT";
export type ScannerResult = "PASS" | "FAIL" | "NO_DATA";

export interface ScannerPrediction {
  readonly securityHub: ScannerResult;
  readonly steampipe: ScannerResult;
  readonly prowler: ScannerResult;
}

/** A trail as DescribeTrails shows it from the account under review (own, shadow or organization trail). */
export interface TrailSummary {
  readonly arn: string;
  readonly name: string;
  readonly homeRegion: string;
  /** Account that owns the trail (from its ARN); differs from the reviewed account for organization trails. */
  readonly ownerAccountId: string;
  readonly isMultiRegion: boolean;
  readonly isOrganizationTrail: boolean;
  readonly logGroup?: LogGroupRef;
}

export type ManagementEventCoverage = "READ_WRITE" | "PARTIAL" | "NONE";

export interface TrailState {
  readonly isLogging: boolean;
  readonly managementEvents: ManagementEventCoverage;
  /** Basic selectors with ReadWriteType All and management events (what Steampipe demands). */
  readonly basicSelectorsAll: boolean;
  readonly selectorKind: "basic" | "advanced";
}

export interface MetricRef {
  readonly name: string;
  readonly namespace: string;
}

export interface MetricFilterObservation {
  readonly name: string;
  readonly pattern: string;
  readonly metrics: readonly (MetricRef & {
    readonly value: string;
    readonly defaultValue?: number;
    /** Present only when the transformation has dimensions. */
    readonly dimensions?: Readonly<Record<string, string>>;
    readonly unit?: string;
  })[];
}

export interface AlarmObservation {
  readonly name: string;
  readonly arn: string;
  readonly metric: MetricRef;
  /** Present only when the alarm's metric has dimensions. */
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly actionsEnabled: boolean;
  readonly alarmActions: readonly string[];
  readonly statistic?: string;
  readonly extendedStatistic?: string;
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly threshold?: number;
  readonly comparison: string;
  readonly treatMissingData?: string;
  /** AlarmDescription, when the alarm has one. */
  readonly description?: string;
}

export interface SubscriptionObservation {
  readonly protocol: string;
  readonly endpoint: string;
  readonly confirmed: boolean;
}

/**
 * What was read of the KMS key an encrypted topic uses (adapters/topic-key-reader.ts); judged
 * for CloudWatch by core/topic-key.ts.
 */
export type TopicKeyObservation =
  /** An AWS managed key (alias/aws/sns, or KeyManager AWS): its policy never admits CloudWatch. */
  | { readonly keyId: string; readonly state: "AWS_MANAGED" }
  /** A customer managed key, enabled, and its key policy. */
  | { readonly keyId: string; readonly state: "POLICY"; readonly keyArn: string; readonly policy: string }
  /** A key no one can use: missing, disabled, pending deletion. */
  | { readonly keyId: string; readonly state: "NOT_USABLE"; readonly reason: string }
  /** A key whose policy tripwire may not read (another account's, or access denied). */
  | { readonly keyId: string; readonly state: "UNREADABLE"; readonly reason: string };

export type TopicObservation =
  | {
      readonly arn: string;
      readonly state: "FOUND";
      readonly confirmed: number;
      readonly pending: number;
      /** Listed only for tripwire's own topic, whose subscriptions the plan manages. */
      readonly subscriptions?: readonly SubscriptionObservation[];
      /** The topic's KmsMasterKeyId, when it is encrypted. */
      readonly kmsMasterKeyId?: string;
      /** That key, when the topic has a confirmed subscription (then the key decides delivery). */
      readonly key?: TopicKeyObservation;
    }
  | { readonly arn: string; readonly state: "NOT_FOUND" };

/**
 * Everything read about one trail's alert chain: trail state, the log group's filters, the
 * alarms on the metrics of the filters that aim at this control, and those alarms' topics.
 */
export interface ChainObservation {
  readonly trail: TrailSummary;
  readonly state?: TrailState;
  /**
   * Only the chain was read, not the trail's state, on purpose: a heal of a filter, alarm or
   * topic event repairs the chain and leaves judging the trail to trail events and the sweep.
   */
  readonly chainOnly?: boolean;
  readonly logGroupExists: boolean;
  readonly filters: readonly MetricFilterObservation[];
  /** Alarms keyed by `${namespace}/${metricName}`. */
  readonly alarmsByMetric: Readonly<Record<string, readonly AlarmObservation[]>>;
  readonly topics: Readonly<Record<string, TopicObservation>>;
  /** Read only when a plan is needed (chain-reader.ts observePlanInputs). */
  readonly ownNames?: OwnNamesObservation;
}

/**
 * What a plan reads of tripwire's own names in the log group's region, beyond what a scan
 * reads: the alarm of tripwire's name whatever its metric, and the managed-by tag of an
 * existing alarm or topic of tripwire's name that the plan would write to or point at.
 */
export interface OwnNamesObservation {
  /** The alarm named like tripwire's, on any metric; null when no alarm has that name. */
  readonly alarm: AlarmObservation | null;
  /** Whether that alarm carries managed-by=tripwire; undefined until read. */
  readonly alarmTagged?: boolean;
  /** Whether the topic of tripwire's name (in `topics`) carries managed-by=tripwire; undefined until read. */
  readonly topicTagged?: boolean;
  /** The key tripwire's topic would be created with (the topicKmsKey setting), read when it is to be created. */
  readonly topicKey?: TopicKeyObservation;
  /** The tags of that alarm, as read with its proof (ListTagsForResource). */
  readonly alarmTags?: Readonly<Record<string, string>>;
  /** The tags of that topic, as read with its proof. */
  readonly topicTags?: Readonly<Record<string, string>>;
}

export function metricKey(metric: MetricRef): string {
  return `${metric.namespace}/${metric.name}`;
}

export interface AccountRef {
  readonly id: string;
  readonly name: string;
  readonly status: string;
}

export type ActionType =
  | "create-metric-filter"
  | "update-metric-filter"
  | "create-alarm"
  | "update-alarm"
  | "create-topic"
  | "subscribe"
  | "tag-alarm"
  | "tag-topic";

export interface ActionReport {
  readonly type: ActionType;
  readonly region: string;
  readonly resource: string;
  readonly applied: boolean;
  readonly error?: string;
}

/** What became of the account's Security Hub finding (with the securityHub setting only). */
export interface SecurityHubImport {
  /** The region whose Security Hub the finding went to (or would have). */
  readonly region: string;
  readonly findingId: string;
  /** Security Hub accepted the finding (created or updated it). */
  readonly imported: boolean;
  /** Why not, when not: Security Hub not enabled, access denied, the finding refused. Never a status change. */
  readonly notes: readonly string[];
}

export interface AccountResult {
  readonly accountId: string;
  readonly name: string;
  readonly status: AccountStatus;
  readonly findings: readonly Finding[];
  readonly actions: readonly ActionReport[];
  readonly scanners: ScannerPrediction;
  /** What satisfies the control (or, failing, what of the chain holds); empty when nothing was judged. */
  readonly evidence: AccountEvidence;
  /** The account's documented exemption, when it is EXEMPT (or its exemption has expired). */
  readonly exemption?: ExemptionReport;
  readonly error?: string;
  /** The account's Security Hub finding, when the securityHub setting is on. */
  readonly securityHub?: SecurityHubImport;
}
