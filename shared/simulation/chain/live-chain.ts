/**
 * The live chain, opt-in (`createSimulatedOrganization({ liveChain: {...} })`): what happens
 * in an AWS account after a call, on the simulated clock.
 *
 *  1. Each call the simulation answers or refuses, made by a principal of an organization
 *     account, becomes a CloudTrail record in the caller's account and the client's region
 *     (global services: us-east-1). Calls refused before the service saw them (injected
 *     faults, the before-call hook, unknown or expired credentials, a disabled region) are
 *     not recorded: it keeps fault injection free of side effects. (On AWS a throttled call is
 *     recorded, with its throttling errorCode.)
 *  2. Every trail that captures the record (the account's own trails and the management
 *     account's organization trails that reach the region, logging, selectors admitting it)
 *     delivers it, `deliveryDelayMs` later, as a log event of the trail's CloudWatch Logs log
 *     group, if the group exists then; the group's metric filters run on it.
 *  3. Alarms are evaluated every minute (data/alarm-evaluation.ts); a state change runs the
 *     alarm's actions (chain/alarm-transitions.ts).
 *  4. Successful write calls are handed to `onCloudTrailEvent` listeners as the EventBridge
 *     "AWS API Call via CloudTrail" event (AWS also sends failed ones; this simulation not).
 *
 * Off, none of this runs: no hook in the middleware, no task on the clock.
 */
import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { ingestLogEvents } from "../data/log-ingest.ts";
import { type AccountState, type LiveHooks, type SimulationCore, visibleTrails } from "../state.ts";
import { evaluateAlarm } from "./alarm-evaluation.ts";
import { changeAlarmState, recordAlarmConfiguration } from "./alarm-transitions.ts";
import type { AnsweredCall } from "./answered-call.ts";
import { buildRecord, recordFacts } from "./cloudtrail-record.ts";
import { trailCaptures } from "./trail-capture.ts";

export interface LiveChainOptions {
  /**
   * From a call to its CloudTrail record in the trail's log group (default 300,000 ms: AWS
   * says CloudTrail "typically delivers events to your log group within an average of about
   * 5 minutes").
   */
  readonly deliveryDelayMs?: number;
  /** How often alarms are evaluated (default 60,000 ms: CloudWatch evaluates every minute). */
  readonly alarmEvaluationIntervalMs?: number;
  /** The sourceIPAddress of recorded calls (default 198.51.100.10, a documentation address). */
  readonly sourceIPAddress?: string;
}

/** The EventBridge event of a CloudTrail-recorded call ("AWS API Call via CloudTrail"). */
export interface CloudTrailEventEnvelope {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": "AWS API Call via CloudTrail";
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

/** Receives each event; may be async (its work is awaited by `clock.sleep`). */
export type CloudTrailEventListener = (event: CloudTrailEventEnvelope) => unknown;

const DEFAULT_DELAY_MS = 300_000;
const DEFAULT_EVALUATION_MS = 60_000;

export class LiveChain implements LiveHooks {
  readonly #core: SimulationCore;
  readonly #delayMs: number;
  readonly #intervalMs: number;
  readonly #sourceIp: string;
  readonly #listeners = new Set<CloudTrailEventListener>();

  constructor(core: SimulationCore, options: LiveChainOptions) {
    this.#core = core;
    this.#delayMs = options.deliveryDelayMs ?? DEFAULT_DELAY_MS;
    this.#intervalMs = options.alarmEvaluationIntervalMs ?? DEFAULT_EVALUATION_MS;
    this.#sourceIp = options.sourceIPAddress ?? "198.51.100.10";
    if (!(this.#delayMs >= 0)) throw new Error(`liveChain.deliveryDelayMs must be 0 or more: ${this.#delayMs}`);
    if (!(this.#intervalMs > 0)) {
      throw new Error(`liveChain.alarmEvaluationIntervalMs must be more than 0: ${this.#intervalMs}`);
    }
    const now = core.clock.nowMs();
    this.#scheduleEvaluation(Math.floor(now / this.#intervalMs) * this.#intervalMs + this.#intervalMs);
  }

  onCloudTrailEvent(listener: CloudTrailEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Records the call (middleware hook, after each call that reached a service). */
  record(answered: AnsweredCall): void {
    const { call, principal, error } = answered;
    const facts = recordFacts(call, principal, error);
    if (!facts) return;
    const core = this.#core;
    const recipient = principal.accountId;
    const trails = visibleTrails(core, recipient, facts.awsRegion).filter(
      (t) => t.cloudWatchLogsLogGroupArn !== undefined && trailCaptures(t, facts),
    );
    const emit = this.#listeners.size > 0 && !facts.readOnly && !error;
    if (trails.length === 0 && !emit) return;
    const now = core.clock.nowMs();
    const eventTimeMs = Math.floor(now / 1000) * 1000;
    const record = buildRecord(core, {
      call,
      facts,
      principal,
      accessKeyId: answered.accessKeyId,
      requestId: answered.requestId,
      eventId: core.data.random.uuid(),
      eventTimeMs,
      sourceIPAddress: this.#sourceIp,
      ...(answered.userAgent ? { userAgent: answered.userAgent } : {}),
      ...(answered.output ? { output: answered.output } : {}),
      ...(error ? { error } : {}),
    });
    const message = JSON.stringify(record);
    for (const trail of trails) {
      const target = parseLogGroupArn(trail.cloudWatchLogsLogGroupArn ?? "");
      if (!target) continue;
      // CloudTrail names streams <account>_CloudTrail_<region>; an organization trail's start
      // with the organization id (the "o-exampleorgid_*" stream prefix of AWS's role policy).
      const own = `${recipient}_CloudTrail_${facts.awsRegion}`;
      const stream = trail.isOrganizationTrail ? `${core.organizationId}_${own}` : own;
      core.clock.schedule(now + this.#delayMs, () => {
        const group = core.accounts.get(target.accountId)?.peekRegion(target.region).logGroups.get(target.name);
        if (!group) return;
        const at = core.clock.nowMs();
        ingestLogEvents(
          core,
          target.accountId,
          target.region,
          group,
          stream,
          [{ timestamp: eventTimeMs, message }],
          at,
        );
      });
    }
    if (emit) {
      const event: CloudTrailEventEnvelope = {
        version: "0",
        id: core.data.random.uuid(),
        "detail-type": "AWS API Call via CloudTrail",
        source: `aws.${facts.eventSource.split(".")[0]}`,
        account: recipient,
        time: record.eventTime as string,
        region: facts.awsRegion,
        resources: [],
        detail: record,
      };
      for (const listener of this.#listeners) core.clock.run(() => listener(structuredClone(event)));
    }
  }

  alarmConfigured(accountId: string, region: string, alarm: MetricAlarm, created: boolean): void {
    recordAlarmConfiguration(this.#core, accountId, region, alarm, created);
  }

  #scheduleEvaluation(at: number): void {
    this.#core.clock.schedule(at, () => {
      this.#evaluateAlarms(at);
      this.#scheduleEvaluation(at + this.#intervalMs);
    });
  }

  #evaluateAlarms(at: number): void {
    const core = this.#core;
    for (const account of core.accountOrder) {
      for (const region of account.touchedRegions()) evaluateRegion(core, account, region, at);
    }
  }
}

function evaluateRegion(core: SimulationCore, account: AccountState, region: string, at: number): void {
  const alarms = account.peekRegion(region).alarms;
  if (alarms.size === 0) return;
  const metrics = core.data.peekMetrics(account.id, region);
  for (const state of alarms.values()) {
    const alarm = state.alarm;
    if (alarm.MetricName === undefined || alarm.Namespace === undefined) continue;
    const series = metrics?.series(alarm.Namespace, alarm.MetricName, alarm.Dimensions);
    const decision = evaluateAlarm(alarm, series, at);
    if (!decision || decision.state === "RETAIN") continue;
    changeAlarmState(core, account.id, region, state, {
      state: decision.state,
      reason: decision.reason,
      ...(decision.reasonData ? { reasonData: decision.reasonData } : {}),
      at,
    });
  }
}

function parseLogGroupArn(arn: string): { region: string; accountId: string; name: string } | undefined {
  const m = /^arn:[\w-]+:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?$/.exec(arn);
  return m ? { region: m[1] as string, accountId: m[2] as string, name: m[3] as string } : undefined;
}
