/**
 * The simulated organization's state: accounts, their roles, and per account and region the
 * resources the engine reads and writes. Region state is created on the first write only, so
 * an account nobody touched costs one small object and lookups stay O(1) map reads.
 *
 * Stored resources use the SDK's own output shapes where one exists, so handlers return
 * copies of them without translation.
 */
import type { AdvancedEventSelector, EventSelector } from "@aws-sdk/client-cloudtrail";
import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import type { MetricFilter } from "@aws-sdk/client-cloudwatch-logs";
import type { SimulatedClock } from "./clock.ts";
import type { DataPlane } from "./data/data-plane.ts";
import type { SeededRandom } from "./determinism.ts";

export type AccountStatus = "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";

export interface RoleDefinition {
  readonly name: string;
  /** Accounts whose principals the trust policy admits (default: the management account). */
  readonly trustedAccountIds: readonly string[];
  /** When set, AssumeRole must pass this ExternalId. */
  readonly externalId?: string;
  /** Longest session, in seconds (IAM default 3600). */
  readonly maxSessionDurationSeconds: number;
}

export interface TrailState {
  name: string;
  arn: string;
  accountId: string;
  homeRegion: string;
  isMultiRegionTrail: boolean;
  isOrganizationTrail: boolean;
  s3BucketName: string;
  s3KeyPrefix?: string;
  snsTopicName?: string;
  includeGlobalServiceEvents: boolean;
  logFileValidationEnabled: boolean;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
  kmsKeyId?: string;
  isLogging: boolean;
  startLoggingTime?: Date;
  stopLoggingTime?: Date;
  eventSelectors?: EventSelector[];
  advancedEventSelectors?: AdvancedEventSelector[];
  hasCustomEventSelectors: boolean;
  hasInsightSelectors: boolean;
  tags: Map<string, string>;
}

export interface LogGroupState {
  name: string;
  creationTime: number;
  retentionInDays?: number;
  filters: Map<string, MetricFilter>;
  tags: Map<string, string>;
}

export interface AlarmState {
  alarm: MetricAlarm;
  tags: Map<string, string>;
}

export interface SubscriptionState {
  /** The real ARN, also kept while pending so the sim can confirm it later. */
  arn: string;
  topicArn: string;
  owner: string;
  protocol: string;
  endpoint: string;
  confirmed: boolean;
}

export interface TopicState {
  arn: string;
  name: string;
  owner: string;
  attributes: Map<string, string>;
  tags: Map<string, string>;
  subscriptions: Map<string, SubscriptionState>;
  deletedSubscriptions: number;
  /**
   * GetTopicAttributes reports 0 confirmed and 0 pending subscriptions whatever the topic has,
   * as AWS does until its counts catch up (and moto always): only the listing is authoritative.
   */
  staleCounts?: boolean;
}

export interface KmsKeyState {
  readonly keyId: string;
  readonly arn: string;
  readonly keyManager: "AWS" | "CUSTOMER";
  keyState: "Enabled" | "Disabled" | "PendingDeletion";
  policy: string;
  /** GetKeyPolicy and DescribeKey are refused to the account's principals (a key policy without the root statement). */
  deniesReads: boolean;
}

/** A finding as BatchImportFindings stored it (the ASFF document), keyed by ProductArn and Id. */
export type StoredFinding = Record<string, unknown> & { readonly Id: string; readonly ProductArn: string };

export class RegionState {
  readonly logGroups = new Map<string, LogGroupState>();
  readonly alarms = new Map<string, AlarmState>();
  readonly topics = new Map<string, TopicState>();
  /** KMS keys by key id, and aliases (`alias/NAME`) to key ids. */
  readonly keys = new Map<string, KmsKeyState>();
  readonly aliases = new Map<string, string>();
  /** Security Hub: whether it is enabled here, and its findings by `${ProductArn} ${Id}`. */
  securityHubEnabled = false;
  readonly findings = new Map<string, StoredFinding>();
}

/** A map that refuses writes: the shared empty region must never receive state. */
class SealedMap<K, V> extends Map<K, V> {
  #sealed = false;

  seal(): this {
    this.#sealed = true;
    return this;
  }

  override set(key: K, value: V): this {
    if (this.#sealed) throw new Error("simulation bug: write to a region obtained with peekRegion()");
    return super.set(key, value);
  }
}

class EmptyRegionState extends RegionState {
  override readonly logGroups = new SealedMap<string, LogGroupState>().seal();
  override readonly alarms = new SealedMap<string, AlarmState>().seal();
  override readonly topics = new SealedMap<string, TopicState>().seal();
  override readonly keys = new SealedMap<string, KmsKeyState>().seal();
  override readonly aliases = new SealedMap<string, string>().seal();
  override readonly findings = new SealedMap<string, StoredFinding>().seal();
}

const EMPTY_REGION: RegionState = Object.freeze(new EmptyRegionState());

export class AccountState {
  status: AccountStatus;
  parentId: string;
  /** Undefined until a test changes roles: then every account shares the default role set. */
  #roles?: Map<string, RoleDefinition>;
  #regions?: Map<string, RegionState>;
  /** Trails owned by this account, keyed by ARN (any home region). */
  #trails?: Map<string, TrailState>;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly email: string,
    status: AccountStatus,
    parentId: string,
    readonly joinedTimestamp: Date,
    readonly joinedMethod: "CREATED" | "INVITED",
    private readonly defaultRoles: ReadonlyMap<string, RoleDefinition>,
  ) {
    this.status = status;
    this.parentId = parentId;
  }

  role(name: string): RoleDefinition | undefined {
    return (this.#roles ?? this.defaultRoles).get(name);
  }

  roleNames(): string[] {
    return [...(this.#roles ?? this.defaultRoles).keys()];
  }

  putRole(role: RoleDefinition): void {
    this.#roles ??= new Map(this.defaultRoles);
    this.#roles.set(role.name, role);
  }

  removeRole(name: string): void {
    this.#roles ??= new Map(this.defaultRoles);
    this.#roles.delete(name);
  }

  /** Read-only view of a region: an empty shared instance when nothing was ever written there. */
  peekRegion(region: string): RegionState {
    return this.#regions?.get(region) ?? EMPTY_REGION;
  }

  /** The region's state, created on first use; call only on writes. */
  region(region: string): RegionState {
    this.#regions ??= new Map();
    let state = this.#regions.get(region);
    if (!state) {
      state = new RegionState();
      this.#regions.set(region, state);
    }
    return state;
  }

  touchedRegions(): string[] {
    return [...(this.#regions?.keys() ?? [])];
  }

  trails(): Iterable<TrailState> {
    return this.#trails?.values() ?? [];
  }

  trailByArn(arn: string): TrailState | undefined {
    return this.#trails?.get(arn);
  }

  putTrail(trail: TrailState): void {
    this.#trails ??= new Map();
    this.#trails.set(trail.arn, trail);
  }

  deleteTrail(arn: string): void {
    this.#trails?.delete(arn);
  }
}

export interface OrganizationalUnitState {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly parentId: string;
}

/** Who is calling: decoded from the access key the sim issued. */
export interface Principal {
  readonly accountId: string;
  readonly kind: "user" | "assumed-role";
  /** User name or role name. */
  readonly name: string;
  readonly sessionName?: string;
  readonly arn: string;
  readonly userId: string;
  /** Epoch ms on the credential clock; undefined for long-term user keys. */
  readonly expiresAt?: number;
}

/** What the services tell the live chain (set only when it is on). */
export interface LiveHooks {
  /** An alarm was created or updated by PutMetricAlarm: a ConfigurationUpdate history item. */
  alarmConfigured(accountId: string, region: string, alarm: MetricAlarm, created: boolean): void;
}

export interface SimulationCore {
  readonly partition: string;
  readonly organizationId: string;
  readonly managementAccountId: string;
  readonly rootId: string;
  readonly regions: ReadonlySet<string>;
  readonly random: SeededRandom;
  readonly clock: SimulatedClock;
  /** Log events, datapoints, alarm history, queues and SNS deliveries (created on first use). */
  readonly data: DataPlane;
  /** Epoch ms used for credential expiry (the SDK compares Expiration with Date.now()). */
  readonly credentialNow: () => number;
  readonly accounts: Map<string, AccountState>;
  /** Accounts in the order they joined: ListAccounts pages over this. */
  readonly accountOrder: AccountState[];
  readonly organizationalUnits: Map<string, OrganizationalUnitState>;
  readonly principals: Map<string, Principal>;
  /** Denied role assumptions, as `<accountId>` (any role) or `<accountId>/<roleName>`. */
  readonly deniedAssumptions: Set<string>;
  /** The live chain, when the organization was built with it (set once, right after the core). */
  live?: LiveHooks;
  /** Optional syntax check for metric filter patterns: returns a message when invalid. */
  readonly validateFilterPattern?: (pattern: string) => string | undefined;
}

export function organizationArn(core: SimulationCore): string {
  return `arn:${core.partition}:organizations::${core.managementAccountId}:organization/${core.organizationId}`;
}

export function accountArn(core: SimulationCore, accountId: string): string {
  return `arn:${core.partition}:organizations::${core.managementAccountId}:account/${core.organizationId}/${accountId}`;
}

export function rootArn(core: SimulationCore): string {
  return `arn:${core.partition}:organizations::${core.managementAccountId}:root/${core.organizationId}/${core.rootId}`;
}

export function logGroupArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:logs:${region}:${accountId}:log-group:${name}:*`;
}

export function trailArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${name}`;
}

export function alarmArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${name}`;
}

export function topicArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:sns:${region}:${accountId}:${name}`;
}

/**
 * Trails visible from `accountId` in `region`, as DescribeTrails with shadow trails sees them:
 * the account's trails homed here, its multi-region trails homed elsewhere, and (for a member)
 * the management account's organization trails that reach this region.
 */
export function visibleTrails(core: SimulationCore, accountId: string, region: string): TrailState[] {
  const reaches = (t: TrailState) => t.homeRegion === region || t.isMultiRegionTrail;
  const out: TrailState[] = [];
  const account = core.accounts.get(accountId);
  if (account) for (const t of account.trails()) if (reaches(t)) out.push(t);
  if (accountId !== core.managementAccountId) {
    const management = core.accounts.get(core.managementAccountId);
    if (management) for (const t of management.trails()) if (t.isOrganizationTrail && reaches(t)) out.push(t);
  }
  return out;
}

/** A sorted copy by a string key. */
export function sortByKeyCopy<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  return [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}
