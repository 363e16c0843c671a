/**
 * An AWS Organization in memory, answering the SDK calls tripwire makes. Build one, seed it
 * (accounts, OUs, trails, log groups, filters, alarms, topics), then hand `instrument` and
 * `credentialsFor(...)` to the `ClientFactory`: the engine talks to real SDK clients and never
 * knows the difference.
 */
import type { AdvancedEventSelector, CreateTrailRequest, EventSelector, Trail } from "@aws-sdk/client-cloudtrail";
import type {
  AlarmHistoryItem,
  Dimension,
  MetricAlarm,
  PutMetricAlarmInput,
  StateValue,
} from "@aws-sdk/client-cloudwatch";
import type { MetricFilter, PutMetricFilterRequest } from "@aws-sdk/client-cloudwatch-logs";
import type { AwsCredentialIdentity } from "@smithy/types";
import type { ClientInstrument } from "../adapters/aws/instrument.ts";
import { arnRegion } from "../core/arn.ts";
import { CallLog } from "./call-log.ts";
import { type CloudTrailEventListener, LiveChain, type LiveChainOptions } from "./chain/live-chain.ts";
import { SimulatedClock, type SimulationClock } from "./clock.ts";
import { DataPlane, type LambdaInvocation, type LambdaListener, type SnsDelivery } from "./data/data-plane.ts";
import type { StoredLogEvent } from "./data/log-events.ts";
import { ingestLogEvents } from "./data/log-ingest.ts";
import { parseQueueUrl } from "./data/queues.ts";
import { SeededRandom } from "./determinism.ts";
import { Faults } from "./faults.ts";
import { type BeforeCallHook, type SimulationRuntime, simulationInstrument } from "./middleware.ts";
import { issueCredentials, rolePrincipal, userPrincipal } from "./principals.ts";
import { createTrail, putEventSelectors, setLogging, toTrail } from "./services/cloudtrail.ts";
import { putMetricAlarm } from "./services/cloudwatch.ts";
import { createKey, type KeySpec } from "./services/kms.ts";
import { createLogGroup, putMetricFilter } from "./services/logs.ts";
import { enableSecurityHub } from "./services/securityhub.ts";
import { createTopic, findTopic, subscribe } from "./services/sns.ts";
import { createQueue } from "./services/sqs.ts";
import {
  AccountState,
  type AccountStatus,
  logGroupArn,
  type OrganizationalUnitState,
  type RoleDefinition,
  type SimulationCore,
  type SubscriptionState,
  sortByKeyCopy,
  type TopicState,
} from "./state.ts";

/** The 17 regions enabled by default in every account. */
export const DEFAULT_REGIONS: readonly string[] = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ap-south-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "ca-central-1",
  "eu-central-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-north-1",
  "sa-east-1",
];

/** The role AWS Organizations creates in every account it creates. */
export const ORGANIZATION_ACCESS_ROLE = "OrganizationAccountAccessRole";

export interface SimulatedOrganizationOptions {
  /** Default "111111111111". */
  readonly managementAccountId?: string;
  readonly managementAccountName?: string;
  /** Default: `o-` and ten characters from the seed. */
  readonly organizationId?: string;
  /** Regions every account may call (default: the 17 default-enabled regions). */
  readonly regions?: readonly string[];
  readonly partition?: string;
  /** Seed for ids, ARN suffixes, keys and sampled faults (default 1). */
  readonly seed?: number;
  /** Start of the simulated clock for creation and state times (default 2025-01-01T00:00:00Z). */
  readonly epoch?: Date;
  /**
   * Clock for credential expiry, in epoch ms (default `Date.now`): the SDK and the client
   * factory compare `Expiration` with the wall clock, so issued expirations must be on it.
   */
  readonly credentialClock?: () => number;
  /** Runs before each simulated call (latency and quota model); may delay or throw. */
  readonly beforeCall?: BeforeCallHook;
  /** Keep a record per call (default true); counts by sequence number are kept regardless. */
  readonly recordCalls?: boolean;
  /** Syntax check for metric filter patterns; return a message to reject one as AWS would. */
  readonly validateFilterPattern?: (pattern: string) => string | undefined;
  /**
   * Turn on the live chain (default off; costs nothing then): calls become CloudTrail records
   * delivered to the trails' log groups after `deliveryDelayMs`, metric filters add
   * datapoints, alarms are evaluated every minute and run their actions, successful writes
   * reach `onCloudTrailEvent` listeners. With it on, time moves only with `clock.advance` /
   * `clock.sleep` (resource writes do not step the clock). See docs/simulation.md.
   */
  readonly liveChain?: LiveChainOptions;
}

export interface AccountSpec {
  /** Twelve digits; default: the next free id from 200000000001. */
  readonly id?: string;
  readonly name: string;
  readonly email?: string;
  readonly status?: AccountStatus;
  /** Root or OU id (default: the root). */
  readonly parentId?: string;
  readonly joinedMethod?: "CREATED" | "INVITED";
}

export interface RoleSpec {
  /** Default: the management account. */
  readonly trustedAccountIds?: readonly string[];
  readonly externalId?: string;
  readonly maxSessionDurationSeconds?: number;
}

/** Who `credentialsFor` issues keys to: a user, or a session of a role of the account. */
export type PrincipalSpec = { readonly user: string } | { readonly role: string; readonly sessionName?: string };

export interface SubscriptionView {
  /** The real ARN, also while pending (the API shows "PendingConfirmation" then). */
  readonly arn: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly owner: string;
  readonly confirmed: boolean;
}

export interface SimulatedOrganization {
  readonly organizationId: string;
  readonly managementAccountId: string;
  readonly rootId: string;
  readonly partition: string;
  readonly regions: readonly string[];
  /** Give this to `AwsEnvironment.instrument`. */
  readonly instrument: ClientInstrument;
  /**
   * The clock every simulated time comes from. `advance(ms)` / `await sleep(ms)` run what is
   * due by then (log delivery, alarm evaluation) in time order; a use case that waits takes it
   * as its `Clock`.
   */
  readonly clock: SimulationClock;
  readonly faults: Faults;
  readonly calls: CallLog;
  addAccount(spec: AccountSpec): SimulatedAccount;
  addOrganizationalUnit(spec: { readonly name: string; readonly parentId?: string }): OrganizationalUnitState;
  /** Seeding and inspection helpers for one account; throws for an unknown id. */
  account(id: string): SimulatedAccount;
  accountIds(): string[];
  /**
   * Static credentials for a principal of `accountId`: a user by default ("admin"), or a
   * session of one of the account's roles. A string names a role if the account has one of
   * that name, else a user.
   */
  credentialsFor(accountId: string, principal?: string | PrincipalSpec): AwsCredentialIdentity;
  /** Moves the simulated clock forward (same as `clock.advance`). */
  advanceClock(ms: number): void;
  /** Replace (or remove) the hook run before each call, e.g. to attach a latency model later. */
  setBeforeCall(hook: BeforeCallHook | undefined): void;
  /** Every SNS delivery attempt so far (API Publish and alarm actions), oldest first. */
  readonly snsDeliveries: readonly SnsDelivery[];
  /** Every Lambda invocation an SNS delivery made, with the Lambda SNS event, oldest first. */
  readonly lambdaInvocations: readonly LambdaInvocation[];
  /**
   * Called for each Lambda invocation an SNS delivery makes (a notify function under test);
   * asynchronous work it returns is awaited by `clock.sleep`. Returns the unsubscribe function.
   */
  onLambdaInvocation(listener: LambdaListener): () => void;
  /**
   * Called with the EventBridge "AWS API Call via CloudTrail" event of each successful write
   * call (the live chain must be on); asynchronous work it returns is awaited by
   * `clock.sleep`. Returns the unsubscribe function.
   */
  onCloudTrailEvent(listener: CloudTrailEventListener): () => void;
}

/** Build an organization with only its management account. */
export function createSimulatedOrganization(options: SimulatedOrganizationOptions = {}): SimulatedOrganization {
  const random = new SeededRandom(options.seed ?? 1);
  const clock = new SimulatedClock(options.epoch ?? new Date("2025-01-01T00:00:00Z"), options.liveChain ? 0 : 1000);
  const managementAccountId = options.managementAccountId ?? "111111111111";
  const deniedAssumptions = new Set<string>();
  const defaultRoles = new Map<string, RoleDefinition>([
    [
      ORGANIZATION_ACCESS_ROLE,
      { name: ORGANIZATION_ACCESS_ROLE, trustedAccountIds: [managementAccountId], maxSessionDurationSeconds: 3600 },
    ],
  ]);
  const core: SimulationCore = {
    partition: options.partition ?? "aws",
    organizationId: options.organizationId ?? `o-${random.lowerAlnum(10)}`,
    managementAccountId,
    rootId: `r-${random.lowerAlnum(4)}`,
    regions: new Set(options.regions ?? DEFAULT_REGIONS),
    random,
    clock,
    data: new DataPlane((options.seed ?? 1) + 2),
    credentialNow: options.credentialClock ?? Date.now,
    accounts: new Map(),
    accountOrder: [],
    organizationalUnits: new Map(),
    principals: new Map(),
    deniedAssumptions,
    ...(options.validateFilterPattern ? { validateFilterPattern: options.validateFilterPattern } : {}),
  };
  const calls = new CallLog(options.recordCalls ?? true);
  const faults = new Faults((options.seed ?? 1) + 1, deniedAssumptions);
  const runtime: SimulationRuntime = {
    core,
    log: calls,
    faults,
    ...(options.beforeCall ? { beforeCall: options.beforeCall } : {}),
  };
  const live = options.liveChain ? new LiveChain(core, options.liveChain) : undefined;
  if (live) {
    core.live = live;
    runtime.afterCall = (answered) => live.record(answered);
  }
  const instrument = simulationInstrument(runtime);
  const handles = new Map<string, SimulatedAccount>();
  let nextAccountNumber = 200_000_000_001;

  const org: SimulatedOrganization = {
    organizationId: core.organizationId,
    managementAccountId,
    rootId: core.rootId,
    partition: core.partition,
    regions: [...core.regions],
    instrument,
    clock,
    faults,
    calls,

    addAccount(spec) {
      let id = spec.id;
      if (id === undefined) {
        while (core.accounts.has(String(nextAccountNumber))) nextAccountNumber++;
        id = String(nextAccountNumber++);
      }
      if (!/^\d{12}$/.test(id)) throw new Error(`account id must be 12 digits: ${id}`);
      if (core.accounts.has(id)) throw new Error(`account ${id} already exists`);
      const parentId = spec.parentId ?? core.rootId;
      if (parentId !== core.rootId && !core.organizationalUnits.has(parentId))
        throw new Error(`unknown parent ${parentId}`);
      const state = new AccountState(
        id,
        spec.name,
        spec.email ?? `aws+${id}@example.com`,
        spec.status ?? "ACTIVE",
        parentId,
        clock.tick(),
        spec.joinedMethod ?? "CREATED",
        defaultRoles,
      );
      core.accounts.set(id, state);
      core.accountOrder.push(state);
      return org.account(id);
    },

    addOrganizationalUnit({ name, parentId = core.rootId }) {
      if (parentId !== core.rootId && !core.organizationalUnits.has(parentId))
        throw new Error(`unknown parent ${parentId}`);
      const id = `ou-${core.rootId.slice(2)}-${random.lowerAlnum(8)}`;
      const ou: OrganizationalUnitState = {
        id,
        arn: `arn:${core.partition}:organizations::${managementAccountId}:ou/${core.organizationId}/${id}`,
        name,
        parentId,
      };
      core.organizationalUnits.set(id, ou);
      return ou;
    },

    account(id) {
      let handle = handles.get(id);
      if (!handle) {
        const state = core.accounts.get(id);
        if (!state) throw new Error(`unknown account ${id}`);
        handle = new SimulatedAccount(core, state);
        handles.set(id, handle);
      }
      return handle;
    },

    accountIds() {
      return core.accountOrder.map((a) => a.id);
    },

    credentialsFor(accountId, principal) {
      const account = core.accounts.get(accountId);
      if (!account) throw new Error(`unknown account ${accountId}`);
      const spec: PrincipalSpec =
        principal === undefined
          ? { user: "admin" }
          : typeof principal === "string"
            ? account.role(principal)
              ? { role: principal }
              : { user: principal }
            : principal;
      if ("role" in spec) {
        if (!account.role(spec.role)) throw new Error(`account ${accountId} has no role ${spec.role}`);
        return issueCredentials(core, rolePrincipal(core, accountId, spec.role, spec.sessionName ?? "tripwire-sim"));
      }
      return issueCredentials(core, userPrincipal(core, accountId, spec.user));
    },

    advanceClock(ms) {
      clock.advance(ms);
    },

    setBeforeCall(hook) {
      if (hook) runtime.beforeCall = hook;
      else delete runtime.beforeCall;
    },

    snsDeliveries: core.data.snsDeliveries,
    lambdaInvocations: core.data.lambdaInvocations,

    onLambdaInvocation(listener) {
      core.data.lambdaListeners.add(listener);
      return () => core.data.lambdaListeners.delete(listener);
    },

    onCloudTrailEvent(listener) {
      if (!live)
        throw new Error("onCloudTrailEvent needs the live chain: createSimulatedOrganization({ liveChain: {} })");
      return live.onCloudTrailEvent(listener);
    },
  };

  org.addAccount({ id: managementAccountId, name: options.managementAccountName ?? "management" });
  return org;
}

/** Seeding and inspection of one account's resources, bypassing the API (no call log, no faults). */
export class SimulatedAccount {
  readonly #core: SimulationCore;
  readonly #state: AccountState;

  constructor(core: SimulationCore, state: AccountState) {
    this.#core = core;
    this.#state = state;
  }

  get id(): string {
    return this.#state.id;
  }

  get name(): string {
    return this.#state.name;
  }

  get email(): string {
    return this.#state.email;
  }

  get status(): AccountStatus {
    return this.#state.status;
  }

  get parentId(): string {
    return this.#state.parentId;
  }

  setStatus(status: AccountStatus): this {
    this.#state.status = status;
    return this;
  }

  moveTo(parentId: string): this {
    this.#state.parentId = parentId;
    return this;
  }

  // Roles

  addRole(name: string, spec: RoleSpec = {}): this {
    this.#state.putRole({
      name,
      trustedAccountIds: spec.trustedAccountIds ?? [this.#core.managementAccountId],
      ...(spec.externalId === undefined ? {} : { externalId: spec.externalId }),
      maxSessionDurationSeconds: spec.maxSessionDurationSeconds ?? 3600,
    });
    return this;
  }

  removeRole(name: string): this {
    this.#state.removeRole(name);
    return this;
  }

  roleNames(): string[] {
    return this.#state.roleNames();
  }

  // CloudTrail

  /** Create a trail homed in `region` (CreateTrail's checks apply: its log group must exist). */
  createTrail(region: string, input: CreateTrailRequest): Trail {
    return toTrail(createTrail(this.#core, this.#state, region, input));
  }

  /** Trails this account owns, in every region. */
  trails(): Trail[] {
    return sortByKeyCopy([...this.#state.trails()].map(toTrail), (t) => t.TrailARN ?? "");
  }

  trail(nameOrArn: string): Trail | undefined {
    const state = this.#trail(nameOrArn);
    return state ? toTrail(state) : undefined;
  }

  isLogging(nameOrArn: string): boolean {
    return this.#requireTrail(nameOrArn).isLogging;
  }

  setLogging(nameOrArn: string, on: boolean): this {
    setLogging(this.#core, this.#requireTrail(nameOrArn), on);
    return this;
  }

  putEventSelectors(
    nameOrArn: string,
    selectors: { basic?: EventSelector[]; advanced?: AdvancedEventSelector[] },
  ): this {
    putEventSelectors(this.#requireTrail(nameOrArn), selectors);
    return this;
  }

  /** The trail's event selectors: basic ones, or advanced ones. */
  eventSelectors(nameOrArn: string): { basic?: EventSelector[]; advanced?: AdvancedEventSelector[] } {
    const t = this.#requireTrail(nameOrArn);
    return t.advancedEventSelectors
      ? { advanced: structuredClone(t.advancedEventSelectors) }
      : { basic: structuredClone(t.eventSelectors ?? []) };
  }

  /** Change a trail's delivery settings directly (no checks): e.g. drop its log group. */
  setTrailLogGroup(nameOrArn: string, logGroupArnValue: string | undefined, roleArn?: string): this {
    const t = this.#requireTrail(nameOrArn);
    if (logGroupArnValue === undefined) {
      delete t.cloudWatchLogsLogGroupArn;
      delete t.cloudWatchLogsRoleArn;
    } else {
      t.cloudWatchLogsLogGroupArn = logGroupArnValue;
      t.cloudWatchLogsRoleArn =
        roleArn ??
        t.cloudWatchLogsRoleArn ??
        `arn:${this.#core.partition}:iam::${this.id}:role/CloudTrailRoleForCloudWatchLogs`;
    }
    return this;
  }

  deleteTrail(nameOrArn: string): this {
    this.#state.deleteTrail(this.#requireTrail(nameOrArn).arn);
    return this;
  }

  // CloudWatch Logs

  /** Create a log group; returns its ARN as CloudTrail wants it (`...:log-group:<name>:*`). */
  createLogGroup(
    region: string,
    name: string,
    options: { retentionInDays?: number; tags?: Record<string, string> } = {},
  ): string {
    createLogGroup(this.#core, this.#state, region, name, options.tags, options.retentionInDays);
    return this.logGroupArn(region, name);
  }

  logGroupArn(region: string, name: string): string {
    return logGroupArn(this.#core.partition, region, this.id, name);
  }

  hasLogGroup(region: string, name: string): boolean {
    return this.#state.peekRegion(region).logGroups.has(name);
  }

  logGroupNames(region: string): string[] {
    return [...this.#state.peekRegion(region).logGroups.keys()].sort();
  }

  deleteLogGroup(region: string, name: string): this {
    this.#state.peekRegion(region).logGroups.delete(name);
    return this;
  }

  putMetricFilter(region: string, input: PutMetricFilterRequest): MetricFilter {
    return structuredClone(putMetricFilter(this.#core, this.#state, region, input));
  }

  /** Filters of one log group, or of every log group in the region. */
  metricFilters(region: string, logGroupName?: string): MetricFilter[] {
    const groups = [...this.#state.peekRegion(region).logGroups.values()].filter(
      (g) => logGroupName === undefined || g.name === logGroupName,
    );
    return structuredClone(groups.flatMap((g) => [...g.filters.values()]));
  }

  deleteMetricFilter(region: string, logGroupName: string, filterName: string): this {
    this.#state.peekRegion(region).logGroups.get(logGroupName)?.filters.delete(filterName);
    return this;
  }

  /**
   * Put raw events into a log group as PutLogEvents would (the stream is created if needed;
   * the group's metric filters run on each event). An object message is written as JSON;
   * a missing timestamp is the clock's now.
   */
  putLogEvents(
    region: string,
    logGroupName: string,
    events: readonly { readonly message: string | object; readonly timestamp?: number | Date }[],
    options: { readonly logStreamName?: string } = {},
  ): this {
    const group = this.#state.peekRegion(region).logGroups.get(logGroupName);
    if (!group) throw new Error(`no log group ${logGroupName} in ${this.id}/${region}`);
    const now = this.#core.clock.nowMs();
    const incoming = events.map((e) => ({
      timestamp:
        e.timestamp === undefined ? now : typeof e.timestamp === "number" ? e.timestamp : e.timestamp.getTime(),
      message: typeof e.message === "string" ? e.message : JSON.stringify(e.message),
    }));
    ingestLogEvents(this.#core, this.id, region, group, options.logStreamName ?? "seeded", incoming, now);
    return this;
  }

  /** Every event of a log group, in the order FilterLogEvents returns them. */
  logEvents(region: string, logGroupName: string): StoredLogEvent[] {
    const group = this.#state.peekRegion(region).logGroups.get(logGroupName);
    const store = group ? this.#core.data.peekLogEvents(group) : undefined;
    if (!store) return [];
    return Array.from({ length: store.size }, (_, i) => store.eventAt(i));
  }

  // CloudWatch metrics

  /** Datapoints of a metric, oldest first (a metric filter's match adds one). */
  metricDatapoints(
    region: string,
    metric: { readonly namespace: string; readonly metricName: string; readonly dimensions?: readonly Dimension[] },
  ): { timestamp: Date; value: number }[] {
    const series = this.#core.data
      .peekMetrics(this.id, region)
      ?.series(metric.namespace, metric.metricName, metric.dimensions);
    return (series?.datapoints() ?? []).map((d) => ({ timestamp: new Date(d.timestamp), value: d.value }));
  }

  /** Add a datapoint directly, as PutMetricData would (default: value 1 at the clock's now). */
  putMetricDatapoint(
    region: string,
    metric: {
      readonly namespace: string;
      readonly metricName: string;
      readonly dimensions?: readonly Dimension[];
      readonly value?: number;
      readonly timestamp?: Date;
    },
  ): this {
    this.#core.data
      .metrics(this.id, region)
      .add(
        metric.namespace,
        metric.metricName,
        metric.dimensions ?? [],
        metric.timestamp?.getTime() ?? this.#core.clock.nowMs(),
        metric.value ?? 1,
      );
    return this;
  }

  // CloudWatch alarms

  putMetricAlarm(region: string, input: PutMetricAlarmInput): MetricAlarm {
    return structuredClone(putMetricAlarm(this.#core, this.#state, region, input));
  }

  alarms(region: string): MetricAlarm[] {
    return structuredClone(
      sortByKeyCopy(
        [...this.#state.peekRegion(region).alarms.values()].map((a) => a.alarm),
        (a) => a.AlarmName ?? "",
      ),
    );
  }

  alarm(region: string, name: string): MetricAlarm | undefined {
    const state = this.#state.peekRegion(region).alarms.get(name);
    return state ? structuredClone(state.alarm) : undefined;
  }

  alarmTags(region: string, name: string): Record<string, string> {
    return Object.fromEntries(this.#state.peekRegion(region).alarms.get(name)?.tags ?? []);
  }

  setAlarmState(region: string, name: string, state: StateValue, reason = "Set by the simulation"): this {
    const alarm = this.#state.peekRegion(region).alarms.get(name)?.alarm;
    if (!alarm) throw new Error(`no alarm ${name} in ${this.id}/${region}`);
    const at = this.#core.clock.tick();
    Object.assign(alarm, {
      StateValue: state,
      StateReason: reason,
      StateUpdatedTimestamp: at,
      StateTransitionedTimestamp: at,
    });
    return this;
  }

  setAlarmActionsEnabled(region: string, name: string, enabled: boolean): this {
    const alarm = this.#state.peekRegion(region).alarms.get(name)?.alarm;
    if (alarm) alarm.ActionsEnabled = enabled;
    return this;
  }

  /** The alarm's history items (all alarms' without a name), oldest first; kept after a delete. */
  alarmHistory(region: string, name?: string): AlarmHistoryItem[] {
    return structuredClone(
      this.#core.data.peekAlarmHistory(this.id, region).filter((i) => name === undefined || i.AlarmName === name),
    );
  }

  deleteAlarm(region: string, name: string): this {
    this.#state.peekRegion(region).alarms.delete(name);
    return this;
  }

  // SNS

  /** Create (or find, by name) a topic; returns its ARN. */
  createTopic(
    region: string,
    name: string,
    options: { attributes?: Record<string, string>; tags?: Record<string, string> } = {},
  ): string {
    return createTopic(this.#core, this.#state, region, name, options).arn;
  }

  topicArns(region: string): string[] {
    return [...this.#state.peekRegion(region).topics.values()].map((t) => t.arn).sort();
  }

  /** Stored attributes (Policy, DisplayName, ...) and tags of a topic of this account. */
  topic(topicArn: string): { attributes: Record<string, string>; tags: Record<string, string> } | undefined {
    const t = this.#topic(topicArn);
    return t ? { attributes: Object.fromEntries(t.attributes), tags: Object.fromEntries(t.tags) } : undefined;
  }

  setTopicAttribute(topicArn: string, name: string, value: string): this {
    this.#requireTopic(topicArn).attributes.set(name, value);
    return this;
  }

  /**
   * Make GetTopicAttributes report 0 confirmed and 0 pending subscriptions for this topic (or
   * live counts again): AWS maintains the counts on its own schedule, moto never does.
   */
  setStaleSubscriptionCounts(topicArn: string, stale = true): this {
    this.#requireTopic(topicArn).staleCounts = stale;
    return this;
  }

  deleteTopic(topicArn: string): this {
    const t = this.#topic(topicArn);
    if (t) this.#state.peekRegion(arnRegion(topicArn)).topics.delete(t.name);
    return this;
  }

  /**
   * Subscribe an endpoint to a topic of this account. Email and HTTP(S) stay pending unless
   * `confirmed` is true; SQS, Lambda and the others are confirmed at once.
   */
  subscribe(
    topicArn: string,
    protocol: string,
    endpoint: string,
    options: { confirmed?: boolean } = {},
  ): SubscriptionView {
    return view(subscribe(this.#core, this.#requireTopic(topicArn), this.id, protocol, endpoint, options.confirmed));
  }

  subscriptions(topicArn: string): SubscriptionView[] {
    return [...this.#requireTopic(topicArn).subscriptions.values()].map(view);
  }

  /** What a person clicking the confirmation link does; returns the subscription ARN. */
  confirmSubscription(topicArn: string, endpoint: string): string {
    const s = [...this.#requireTopic(topicArn).subscriptions.values()].find((x) => x.endpoint === endpoint);
    if (!s) throw new Error(`no subscription of ${endpoint} to ${topicArn}`);
    s.confirmed = true;
    return s.arn;
  }

  unsubscribe(subscriptionArn: string): this {
    const topic = this.#requireTopic(subscriptionArn.slice(0, subscriptionArn.lastIndexOf(":")));
    if (topic.subscriptions.delete(subscriptionArn)) topic.deletedSubscriptions += 1;
    return this;
  }

  // SQS

  /** Create (or find, by name) a standard queue of this account; returns its URL and ARN. */
  createQueue(region: string, name: string, attributes: Record<string, string> = {}): { url: string; arn: string } {
    const q = createQueue(this.#core, this.id, region, name, attributes);
    return { url: q.url, arn: q.arn };
  }

  /** The messages of a queue of this account (by URL or ARN), oldest first, received or not. */
  queueMessages(urlOrArn: string): { messageId: string; body: string; receiveCount: number }[] {
    const parsed = urlOrArn.startsWith("arn:") ? undefined : parseQueueUrl(urlOrArn);
    const arn = parsed
      ? `arn:${this.#core.partition}:sqs:${parsed.region ?? ""}:${parsed.accountId}:${parsed.name}`
      : urlOrArn;
    const queue = this.#core.data.queues.get(arn);
    if (!queue || queue.accountId !== this.id) throw new Error(`no queue ${urlOrArn} in account ${this.id}`);
    return queue.messages.map((m) => ({ messageId: m.messageId, body: m.body, receiveCount: m.receiveCount }));
  }

  deleteQueue(urlOrArn: string): this {
    const parsed = urlOrArn.startsWith("arn:") ? undefined : parseQueueUrl(urlOrArn);
    this.#core.data.queues.delete(
      parsed ? `arn:${this.#core.partition}:sqs:${parsed.region ?? ""}:${parsed.accountId}:${parsed.name}` : urlOrArn,
    );
    return this;
  }

  // KMS

  /** Create a KMS key (KMS's default policy unless one is given, an alias if named); returns its ARN. */
  createKey(region: string, spec: KeySpec = {}): string {
    return createKey(this.#core, this.#state, region, spec).arn;
  }

  // Security Hub

  /** Enable Security Hub in a region of this account (AWS: EnableSecurityHub); off until then. */
  enableSecurityHub(region: string): this {
    enableSecurityHub(this.#state, region);
    return this;
  }

  /** The findings Security Hub holds in a region of this account, as stored (copies). */
  securityHubFindings(region: string): Record<string, unknown>[] {
    return structuredClone([...this.#state.peekRegion(region).findings.values()]);
  }

  /** Regions where this account has state (the others cost nothing). */
  touchedRegions(): string[] {
    return this.#state.touchedRegions();
  }

  #trail(nameOrArn: string) {
    const all = [...this.#state.trails()];
    return all.find((t) => t.arn === nameOrArn) ?? all.find((t) => t.name === nameOrArn);
  }

  #requireTrail(nameOrArn: string) {
    const t = this.#trail(nameOrArn);
    if (!t) throw new Error(`no trail ${nameOrArn} in account ${this.id}`);
    return t;
  }

  #topic(topicArn: string): TopicState | undefined {
    const t = findTopic(this.#core, topicArn);
    return t?.owner === this.id ? t : undefined;
  }

  #requireTopic(topicArn: string): TopicState {
    const t = this.#topic(topicArn);
    if (!t) throw new Error(`no topic ${topicArn} in account ${this.id}`);
    return t;
  }
}

function view(s: SubscriptionState): SubscriptionView {
  return {
    arn: s.arn,
    topicArn: s.topicArn,
    protocol: s.protocol,
    endpoint: s.endpoint,
    owner: s.owner,
    confirmed: s.confirmed,
  };
}
