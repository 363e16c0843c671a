/**
 * The proof of the alert path, for the CLI and the deployed state machine alike:
 *  1. prepare: scan the accounts in scope (the sweep's read-only review, sessions named
 *     `<prefix>-prove`) and take, for each COMPLIANT one, the chain that satisfies the control;
 *     every other account is reported at once (SKIPPED with its findings, or ERROR).
 *  2. fire: one canary per account (proof-target.ts), all of them before any waiting, after
 *     checking that the canary's role does not exist.
 *  3. check: one round of reads for every running proof at once, grouped so that a shared
 *     log group, metric, alarm or queue is read once per round whatever the number of
 *     accounts behind it; each proof moves on by every hop the round confirms. At the
 *     deadline, what is still running ends FAILED at its next hop (ERROR when its reads failed).
 * The CLI waits between rounds with its clock (`proveAndWait`); the state machine with its Wait
 * state, never a function that sleeps.
 */
import type { AccountClients } from "../adapters/aws/account-clients.ts";
import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import { RoleNotAssumableError } from "../adapters/aws/role-not-assumable-error.ts";
import { fireCanary, roleExists } from "../adapters/proof/canary.ts";
import {
  confirmedSubscribers,
  peekQueue,
  queueAccess,
  readAlarmHistory,
  readCanaryRecords,
  readMetricSums,
} from "../adapters/proof/hop-reader.ts";
import type { Settings } from "../config/settings.ts";
import { parseArn } from "../core/arn.ts";
import type { Clock } from "../core/clock.ts";
import { mapWithConcurrency } from "../core/concurrency.ts";
import { describeError } from "../core/describe-error.ts";
import { parseFilterPattern } from "../core/filter-pattern/index.ts";
import type { AccountResult } from "../core/model.ts";
import {
  actionOutcome,
  alarmFiredAfter,
  CLOCK_SKEW_MS,
  callerInDenial,
  findCanaryRecord,
  type HistoryItemView,
  inAlarmAt,
  matchNotification,
  minuteOf,
} from "../core/proof-hops.ts";
import type { ProofHop, ProofRecord } from "../core/proof-record.ts";
import {
  type AccountProof,
  confirmHop,
  errorProof,
  expireProof,
  failHop,
  isRunning,
  nextHop,
  type ProofRun,
  proofRecordOf,
} from "../core/proof-run.ts";
import {
  canaryRoleArn,
  canaryRoleName,
  type ProofTarget,
  proofTargetOf,
  proveSessionName,
} from "../core/proof-target.ts";
import { runSweep } from "./sweep.ts";

export interface ProveDeps {
  readonly settings: Settings;
  /** A factory whose member sessions are named `<prefix>-prove` (purpose "prove"). */
  readonly factory: ClientFactory;
  readonly clock: Clock;
  /** Each hop confirmed or failed, and each account's end, as it happens (progress output). */
  readonly onEvent?: (event: ProofEvent) => void;
}

export type ProofEvent =
  | { readonly kind: "hop"; readonly proof: AccountProof; readonly hop: ProofHop }
  | { readonly kind: "finished"; readonly proof: AccountProof };

/** Default time the hops are waited for: CloudTrail's "about 5 minutes" to the log group, then the alarm's period. */
export const DEFAULT_PROVE_TIMEOUT_MS = 20 * 60_000;
/** Time between two rounds of checks in the CLI. */
export const DEFAULT_POLL_INTERVAL_MS = 30_000;

/** Step 1: the scan, and the run with one entry per account (the proofs to make RUNNING, without canary yet). */
export async function prepareProof(deps: ProveDeps, runId: string): Promise<ProofRun> {
  const startedAt = deps.clock.now();
  const report = await runSweep({
    mode: "scan",
    // The scan only chooses what to prove: it imports nothing into Security Hub, whatever the
    // securityHub setting (a proof writes nothing but its records).
    settings: { ...deps.settings, securityHub: false },
    factory: deps.factory,
    now: () => deps.clock.now(),
  });
  const at = startedAt.toISOString();
  const accounts = report.accounts.map((result): AccountProof => entryFor(result, at));
  return { version: 1, runId, startedAt: at, deadline: at, listing: report.listing, accounts };
}

function entryFor(result: AccountResult, at: string): AccountProof {
  const base = {
    accountId: result.accountId,
    name: result.name,
    scanStatus: result.status,
    startedAt: at,
    hops: [],
  };
  if (result.status === "ERROR") {
    return {
      ...base,
      region: "global",
      status: "ERROR",
      finishedAt: at,
      reason: `the scan could not review the account: ${result.error ?? "error"}`,
      findings: result.findings,
    };
  }
  if (result.status === "SKIPPED") {
    return { ...base, region: "global", status: "SKIPPED", finishedAt: at, reason: result.error ?? "not in scope" };
  }
  if (result.status === "EXEMPT") {
    // A documented exemption puts the account out of scope: no canary pages anybody for it.
    const why = result.exemption ? `exempt: ${result.exemption.reason} (owner ${result.exemption.owner})` : "exempt";
    return { ...base, region: "global", status: "SKIPPED", finishedAt: at, reason: why };
  }
  const planned = proofTargetOf(result);
  if ("reason" in planned) {
    return {
      ...base,
      region: result.evidence.chains[0]?.logGroup?.region ?? "global",
      status: "SKIPPED",
      finishedAt: at,
      reason: planned.reason,
      findings: result.findings,
    };
  }
  return { ...base, region: planned.target.region, status: "RUNNING", target: planned.target };
}

/** The targets of a prepared run (what the canaries will page). */
export function targetsOf(run: ProofRun): ProofTarget[] {
  return run.accounts.flatMap((a) => (isRunning(a) && a.target ? [a.target] : []));
}

/** Step 2: every running proof's canary, then the deadline `timeoutMs` after the last one. */
export async function fireCanaries(deps: ProveDeps, run: ProofRun, timeoutMs: number): Promise<ProofRun> {
  const accounts = await mapWithConcurrency(run.accounts, deps.settings.concurrency, async (proof) => {
    if (!isRunning(proof) || !proof.target || proof.canary) return proof;
    const done = await fireOne(deps, proof, proof.target);
    announce(deps, proof, done);
    return done;
  });
  const deadline = new Date(deps.clock.now().getTime() + timeoutMs).toISOString();
  return { ...run, deadline, accounts };
}

async function fireOne(deps: ProveDeps, proof: AccountProof, target: ProofTarget): Promise<AccountProof> {
  const { settings, factory, clock } = deps;
  let clients: AccountClients;
  try {
    clients = await factory.forAccount(target.accountId);
  } catch (error) {
    const why = error instanceof RoleNotAssumableError ? error.message : describeError(error);
    return errorProof(proof, `cannot open the account for the canary: ${why}`, clock.now());
  }
  const roleName = canaryRoleName(settings.prefix);
  const roleArn = canaryRoleArn(clients.partition, target.accountId, settings.prefix);
  try {
    if (await roleExists(clients, target.region, roleName)) {
      return errorProof(
        proof,
        `a role named ${roleName} exists in account ${target.accountId}: tripwire will not call it`,
        clock.now(),
      );
    }
  } catch (error) {
    return errorProof(proof, `cannot check that role ${roleName} does not exist: ${describeError(error)}`, clock.now());
  }
  const sessionName = proveSessionName(settings.prefix);
  const at = clock.now();
  const answer = await fireCanary(clients, { region: target.region, roleArn, sessionName });
  const call = { call: "sts:AssumeRole", roleArn, region: target.region, roleSessionName: sessionName };
  if (answer.outcome === "error") {
    return errorProof(proof, `the canary call failed: ${describeError(answer.error)}`, clock.now());
  }
  const caller = answer.outcome === "denied" ? callerInDenial(answer.message) : undefined;
  const withCanary: AccountProof = {
    ...proof,
    startedAt: at.toISOString(),
    canary: {
      roleArn,
      region: target.region,
      sessionName,
      requestId: answer.requestId,
      at: at.toISOString(),
      ...(caller ? { caller } : {}),
    },
  };
  if (answer.outcome === "allowed") {
    return failHop(
      withCanary,
      {
        ...call,
        requestId: answer.requestId,
        reason:
          "STS granted the AssumeRole of a role that does not exist: nothing enforces the deny here (an emulator?), so no denial reaches CloudTrail",
        ...(answer.assumedRoleArn ? { assumedRoleArn: answer.assumedRoleArn } : {}),
      },
      clock.now(),
    );
  }
  return confirmHop(
    withCanary,
    {
      at: at.toISOString(),
      evidence: {
        ...call,
        requestId: answer.requestId,
        errorCode: answer.errorCode,
        errorMessage: answer.message,
        ...(caller ? { caller } : {}),
      },
    },
    clock.now(),
  );
}

/** Step 3: one round of checks; proofs still running at the deadline end then. */
export async function checkProofs(deps: ProveDeps, run: ProofRun): Promise<ProofRun> {
  const proofs = [...run.accounts];
  const round = new Round(deps, proofs);
  await round.delivered();
  await round.metric();
  await round.alarm();
  await round.notification();
  const now = deps.clock.now();
  if (now.getTime() >= Date.parse(run.deadline)) await round.expire(now);
  return { ...run, accounts: proofs };
}

/** Where ended proofs' records go (the records bucket, or --record's location). */
export type ProofRecordSink = (record: ProofRecord) => Promise<unknown>;

/**
 * Writes the record of each proof that has ended and was not recorded yet, and marks it
 * recorded; a write that fails leaves its proof unmarked for the next call, and the first
 * failure is returned beside the run.
 */
export async function recordEnded(
  run: ProofRun,
  sink: ProofRecordSink,
  concurrency: number,
): Promise<{ run: ProofRun; error?: unknown }> {
  let failure: unknown;
  const accounts = await mapWithConcurrency(run.accounts, concurrency, async (proof) => {
    if (isRunning(proof) || proof.recorded) return proof;
    try {
      await sink(proofRecordOf(proof, run.runId));
      return { ...proof, recorded: true };
    } catch (error) {
      failure ??= error;
      return proof;
    }
  });
  return { run: { ...run, accounts }, ...(failure !== undefined ? { error: failure } : {}) };
}

/** Whether every proof of the run has ended. */
export function runFinished(run: ProofRun): boolean {
  return !run.accounts.some(isRunning);
}

/**
 * The CLI's loop: checks every `pollIntervalMs` until every proof has ended or the deadline
 * passed, sleeping on the clock in between (one loop for every account).
 */
export async function waitForProofs(deps: ProveDeps, run: ProofRun, pollIntervalMs: number): Promise<ProofRun> {
  let current = run;
  while (!runFinished(current)) {
    const left = Date.parse(current.deadline) - deps.clock.now().getTime();
    await deps.clock.sleep(Math.max(0, Math.min(pollIntervalMs, left)));
    current = await checkProofs(deps, current);
  }
  return current;
}

function announce(deps: ProveDeps, before: AccountProof, after: AccountProof): void {
  if (!deps.onEvent) return;
  for (const hop of after.hops.slice(before.hops.length)) deps.onEvent({ kind: "hop", proof: after, hop });
  if (isRunning(before) && !isRunning(after)) deps.onEvent({ kind: "finished", proof: after });
}

type Group = { readonly key: string; readonly members: number[] };

function groupBy(indexes: readonly number[], keyOf: (i: number) => string): Group[] {
  const groups = new Map<string, number[]>();
  for (const i of indexes) {
    const key = keyOf(i);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  return [...groups].map(([key, members]) => ({ key, members }));
}

/** The most messages one ReceiveMessage returns. */
const MAX_LOOK = 10;

const canaryAt = (p: AccountProof) => Date.parse(p.canary?.at ?? "");
/** From when the canary can have moved the alarm: its record's delivery (the canary, before that is known). */
const deliveredAt = (p: AccountProof) => p.progress?.deliveredAt ?? canaryAt(p);

/** One round of checks over the running proofs (mutates the array it is given, one entry at a time). */
class Round {
  readonly #deps: ProveDeps;
  readonly #proofs: AccountProof[];
  readonly #history = new Map<string, Promise<HistoryItemView[]>>();

  constructor(deps: ProveDeps, proofs: AccountProof[]) {
    this.#deps = deps;
    this.#proofs = proofs;
  }

  #now(): Date {
    return this.#deps.clock.now();
  }

  #waiting(code: string): number[] {
    return this.#proofs.flatMap((p, i) => (isRunning(p) && p.target && p.canary && nextHop(p) === code ? [i] : []));
  }

  #set(i: number, next: AccountProof): void {
    const before = this.#proofs[i] as AccountProof;
    this.#proofs[i] = next;
    announce(this.#deps, before, next);
  }

  #note(i: number, fields: { pending?: Record<string, unknown>; readError?: string }): void {
    const p = this.#proofs[i] as AccountProof;
    const { readError: _e, ...rest } = p;
    this.#proofs[i] = { ...rest, ...fields };
  }

  #target(i: number): ProofTarget {
    return (this.#proofs[i] as AccountProof).target as ProofTarget;
  }

  async #forEachGroup(groups: readonly Group[], read: (group: Group) => Promise<void>): Promise<void> {
    await mapWithConcurrency(groups, this.#deps.settings.concurrency, async (group) => {
      try {
        await read(group);
      } catch (error) {
        for (const i of group.members) this.#note(i, { readError: describeError(error) });
      }
    });
  }

  #clients(accountId: string): Promise<AccountClients> {
    return this.#deps.factory.forAccount(accountId);
  }

  /** DELIVERED_TO_LOG_GROUP: one read per log group of the denied AssumeRole records since the earliest canary. */
  async delivered(): Promise<void> {
    const groups = groupBy(this.#waiting("DELIVERED_TO_LOG_GROUP"), (i) => {
      const g = this.#target(i).logGroup;
      return `${g.accountId}|${g.region}|${g.name}`;
    });
    await this.#forEachGroup(groups, async ({ members }) => {
      const group = this.#target(members[0] as number).logGroup;
      const since = Math.min(...members.map((i) => canaryAt(this.#proofs[i] as AccountProof))) - CLOCK_SKEW_MS;
      const clients = await this.#clients(group.accountId);
      const { events, complete } = await readCanaryRecords(
        clients.logs(group.region),
        group.name,
        since,
        this.#now().getTime() + 60_000,
      );
      for (const i of members) {
        const proof = this.#proofs[i] as AccountProof;
        const canary = proof.canary;
        if (!canary) continue;
        const found = findCanaryRecord(events, {
          requestId: canary.requestId,
          at: Date.parse(canary.at),
          ...(canary.caller ? { caller: canary.caller } : {}),
        });
        if (!found) {
          this.#note(i, {
            pending: {
              logGroup: group.arn,
              deniedAssumeRoleRecordsRead: events.length,
              ...(complete ? {} : { note: "more records than one check reads; the next check reads on" }),
            },
          });
          continue;
        }
        const ingested = found.event.ingestionTime;
        const matching = this.#target(i)
          .filters.filter((f) => safeTest(f.pattern, found.event.message))
          .map((f) => f.name);
        this.#set(
          i,
          confirmHop(
            proof,
            {
              at: new Date(ingested ?? this.#now().getTime()).toISOString(),
              evidence: {
                logGroup: group.arn,
                ...(found.event.logStreamName ? { logStream: found.event.logStreamName } : {}),
                ...(found.event.eventId ? { eventId: found.event.eventId } : {}),
                requestId: found.record.requestID ?? null,
                cloudTrailEventId: found.record.eventID ?? null,
                eventTime: found.record.eventTime ?? null,
                errorCode: found.record.errorCode ?? null,
                ...(ingested !== undefined ? { ingestionTime: new Date(ingested).toISOString() } : {}),
                filtersMatchingTheRecord: matching,
              },
            },
            this.#now(),
            { eventTime: found.eventTime, deliveredAt: ingested ?? found.eventTime },
          ),
        );
      }
    });
  }

  /** METRIC_INCREMENTED: the covering filters' metrics, summed per minute, at the record's minute. */
  async metric(): Promise<void> {
    const groups = groupBy(this.#waiting("METRIC_INCREMENTED"), (i) => {
      const g = this.#target(i).logGroup;
      return `${g.accountId}|${g.region}`;
    });
    await this.#forEachGroup(groups, async ({ members }) => {
      const group = this.#target(members[0] as number).logGroup;
      const ids = new Map<string, string>();
      for (const i of members)
        for (const f of this.#target(i).filters) {
          const key = `${f.metric.namespace}\u0000${f.metric.name}`;
          if (!ids.has(key)) ids.set(key, `m${ids.size}`);
        }
      const queries = [...ids].map(([key, id]) => {
        const [namespace, name] = key.split("\u0000") as [string, string];
        return { id, namespace, name };
      });
      const minutes = members.map((i) => minuteOf((this.#proofs[i] as AccountProof).progress?.eventTime ?? 0));
      const clients = await this.#clients(group.accountId);
      const sums = await readMetricSums(
        clients.cloudWatch(group.region),
        queries,
        Math.min(...minutes),
        Math.max(...minutes) + 60_000,
      );
      members.forEach((i, k) => {
        const proof = this.#proofs[i] as AccountProof;
        const minute = minutes[k] as number;
        const delivered = proof.hops.find((h) => h.code === "DELIVERED_TO_LOG_GROUP");
        const matching = (delivered?.evidence.filtersMatchingTheRecord as string[] | undefined) ?? [];
        const seen = this.#target(i).filters.map((f) => ({
          filter: f.name,
          namespace: f.metric.namespace,
          metricName: f.metric.name,
          sum: sums.get(ids.get(`${f.metric.namespace}\u0000${f.metric.name}`) ?? "")?.get(minute) ?? 0,
        }));
        const hit = seen.find((s) => s.sum >= 1);
        const minuteText = new Date(minute).toISOString();
        if (!hit) {
          this.#note(i, { pending: { minute: minuteText, metrics: seen, filtersMatchingTheRecord: matching } });
          return;
        }
        this.#set(
          i,
          confirmHop(
            proof,
            {
              at: this.#now().toISOString(),
              evidence: {
                ...hit,
                minute: minuteText,
                statistic: "Sum",
                period: 60,
                patternMatchesRecord: matching.includes(hit.filter),
              },
            },
            this.#now(),
          ),
        );
      });
    });
  }

  #historyOf(alarm: ProofTarget["alarms"][number], since: number): Promise<HistoryItemView[]> {
    let items = this.#history.get(alarm.arn);
    if (!items) {
      items = this.#clients(alarm.accountId).then((c) =>
        readAlarmHistory(c.cloudWatch(alarm.region), alarm.name, new Date(since)),
      );
      this.#history.set(alarm.arn, items);
    }
    return items;
  }

  /** ALARM_FIRED and ACTION_EXECUTED: one history read per alarm, since the earliest canary among its proofs. */
  async alarm(): Promise<void> {
    const waiting = [...this.#waiting("ALARM_FIRED"), ...this.#waiting("ACTION_EXECUTED")];
    const since = new Map<string, number>();
    for (const i of waiting)
      for (const alarm of this.#target(i).alarms) {
        const at = canaryAt(this.#proofs[i] as AccountProof) - 1000;
        since.set(alarm.arn, Math.min(since.get(alarm.arn) ?? at, at));
      }
    await this.#forEachGroup(
      waiting.map((i) => ({ key: String(i), members: [i] })),
      async ({ members }) => {
        const i = members[0] as number;
        const target = this.#target(i);
        const histories = await Promise.all(
          target.alarms.map(async (a) => ({ alarm: a, items: await this.#historyOf(a, since.get(a.arn) ?? 0) })),
        );
        this.#judgeAlarm(i, histories);
        this.#judgeAction(i, histories);
      },
    );
  }

  #judgeAlarm(i: number, histories: { alarm: ProofTarget["alarms"][number]; items: HistoryItemView[] }[]): void {
    const proof = this.#proofs[i] as AccountProof;
    if (nextHop(proof) !== "ALARM_FIRED") return;
    const fired = histories
      .map((h) => ({ alarm: h.alarm, item: alarmFiredAfter(h.items, this.#alarmFrom(proof, h.alarm.arn)) }))
      .filter((f) => f.item !== undefined)
      .sort((a, b) => (a.item?.timestamp ?? 0) - (b.item?.timestamp ?? 0))[0];
    if (!fired?.item) {
      this.#note(i, {
        pending: {
          alarms: histories.map((h) => ({
            alarm: h.alarm.name,
            stateUpdatesSinceDelivery: h.items
              .filter((x) => x.type === "StateUpdate" && x.timestamp >= this.#alarmFrom(proof, h.alarm.arn))
              .map((x) => x.summary),
          })),
        },
      });
      return;
    }
    this.#set(
      i,
      confirmHop(
        proof,
        {
          at: new Date(fired.item.timestamp).toISOString(),
          evidence: { alarm: fired.alarm.name, alarmArn: fired.alarm.arn, summary: fired.item.summary },
        },
        this.#now(),
        { fired: { alarmArn: fired.alarm.arn, at: fired.item.timestamp } },
      ),
    );
  }

  #judgeAction(i: number, histories: { alarm: ProofTarget["alarms"][number]; items: HistoryItemView[] }[]): void {
    const proof = this.#proofs[i] as AccountProof;
    const fired = proof.progress?.fired;
    if (nextHop(proof) !== "ACTION_EXECUTED" || !fired) return;
    const history = histories.find((h) => h.alarm.arn === fired.alarmArn);
    if (!history) return;
    const topics = history.alarm.topics.map((t) => t.arn);
    const outcome = actionOutcome(history.items, fired.at, topics);
    if (!outcome) {
      this.#note(i, { pending: { alarm: history.alarm.name, topics, actionItemsSinceAlarm: 0 } });
      return;
    }
    if ("failed" in outcome) {
      this.#set(
        i,
        failHop(
          proof,
          { alarm: history.alarm.name, topics, failures: outcome.failed.map((f) => f.summary) },
          this.#now(),
        ),
      );
      return;
    }
    this.#set(
      i,
      confirmHop(
        proof,
        {
          at: new Date(outcome.executed.timestamp).toISOString(),
          evidence: { alarm: history.alarm.name, topicArn: outcome.topicArn, summary: outcome.executed.summary },
        },
        this.#now(),
        { executed: { alarmArn: fired.alarmArn, topicArn: outcome.topicArn, at: outcome.executed.timestamp } },
      ),
    );
  }

  /**
   * NOTIFICATION_RECEIVED: the topic's confirmed SQS subscribers that tripwire may read
   * (resolved once per proof), each looked into once per round. With none readable, the hop
   * is confirmed as published, its receipt not verifiable; with no confirmed subscription of
   * any protocol (removed since the scan), nobody receives it: FAILED.
   */
  async notification(): Promise<void> {
    const waiting = this.#waiting("NOTIFICATION_RECEIVED");
    const unresolved = waiting.filter((i) => (this.#proofs[i] as AccountProof).progress?.receivers === undefined);
    const resolved = new Map<
      string,
      Promise<{ subscribers: number; receivers: { queueArn: string; queueUrl: string }[]; unreadable: string[] }>
    >();
    await this.#forEachGroup(
      groupBy(unresolved, (i) => (this.#proofs[i] as AccountProof).progress?.executed?.topicArn ?? ""),
      async ({ key: topicArn, members }) => {
        let found = resolved.get(topicArn);
        if (!found) {
          found = this.#receiversOf(topicArn);
          resolved.set(topicArn, found);
        }
        const { subscribers, receivers, unreadable } = await found;
        for (const i of members) {
          const p = this.#proofs[i] as AccountProof;
          this.#proofs[i] = { ...p, progress: { ...p.progress, subscribers, receivers, unreadable } };
        }
      },
    );
    for (const i of waiting) {
      const proof = this.#proofs[i] as AccountProof;
      const executed = proof.progress?.executed;
      if (!executed || proof.progress?.receivers === undefined || proof.progress.receivers.length > 0) continue;
      if (proof.progress.subscribers === 0) {
        this.#set(
          i,
          failHop(
            proof,
            {
              topicArn: executed.topicArn,
              reason: "published to a topic with no confirmed subscription: nobody receives it",
            },
            this.#now(),
          ),
        );
        continue;
      }
      this.#set(
        i,
        confirmHop(
          proof,
          {
            at: new Date(executed.at).toISOString(),
            evidence: {
              topicArn: executed.topicArn,
              receipt: "published; receipt not verifiable",
              why: proof.progress.unreadable?.length
                ? proof.progress.unreadable
                : ["no SQS subscriber tripwire can read"],
            },
          },
          this.#now(),
        ),
      );
    }
    const peeking = this.#waiting("NOTIFICATION_RECEIVED").filter(
      (i) => ((this.#proofs[i] as AccountProof).progress?.receivers?.length ?? 0) > 0,
    );
    const byQueue = new Map<string, { queueArn: string; queueUrl: string; members: number[] }>();
    for (const i of peeking)
      for (const r of (this.#proofs[i] as AccountProof).progress?.receivers ?? []) {
        const entry = byQueue.get(r.queueUrl) ?? { ...r, members: [] };
        entry.members.push(i);
        byQueue.set(r.queueUrl, entry);
      }
    await this.#forEachGroup(
      [...byQueue.values()].map((q) => ({ key: q.queueUrl, members: q.members })),
      async ({ key: queueUrl, members }) => {
        const queue = byQueue.get(queueUrl);
        if (!queue) return;
        const clients = await this.#clients(parseArn(queue.queueArn)?.accountId ?? "");
        const messages = await peekQueue(clients.sqs(parseArn(queue.queueArn)?.region ?? ""), queueUrl);
        for (const i of members) {
          const proof = this.#proofs[i] as AccountProof;
          const executed = proof.progress?.executed;
          if (nextHop(proof) !== "NOTIFICATION_RECEIVED" || !executed) continue;
          const alarmName = proof.target?.alarms.find((a) => a.arn === executed.alarmArn)?.name ?? "";
          const match = messages
            .map((m) => ({
              m,
              hit: matchNotification(m.body, { alarmName, topicArn: executed.topicArn, since: executed.at }),
            }))
            .find((x) => x.hit);
          if (!match?.hit) {
            // How many messages the last look at each queue returned: a look returns at most
            // 10, so a queue that always answers 10 may hold the notification beyond them.
            const looked = { ...((proof.pending?.lastLook as Record<string, number> | undefined) ?? {}) };
            looked[queue.queueArn] = messages.length;
            this.#note(i, {
              pending: {
                queues: proof.progress?.receivers?.map((r) => r.queueArn),
                lastLook: looked,
                note: "not seen yet; a consumer that deletes messages at once would hide it",
              },
            });
            continue;
          }
          this.#set(
            i,
            confirmHop(
              proof,
              {
                at: this.#now().toISOString(),
                evidence: {
                  queueArn: queue.queueArn,
                  ...(match.m.messageId ? { sqsMessageId: match.m.messageId } : {}),
                  ...(match.hit.messageId ? { snsMessageId: match.hit.messageId } : {}),
                  stateChangeTime: match.hit.stateChangeTime,
                  ...(match.hit.sentAt ? { sentAt: match.hit.sentAt } : {}),
                },
              },
              this.#now(),
            ),
          );
        }
      },
    );
  }

  async #receiversOf(
    topicArn: string,
  ): Promise<{ subscribers: number; receivers: { queueArn: string; queueUrl: string }[]; unreadable: string[] }> {
    const topic = parseArn(topicArn);
    const owner = await this.#clients(topic?.accountId ?? "");
    const { confirmed, queues } = await confirmedSubscribers(owner.sns(topic?.region ?? ""), topicArn);
    const receivers: { queueArn: string; queueUrl: string }[] = [];
    const unreadable: string[] = [];
    for (const queueArn of queues) {
      const arn = parseArn(queueArn);
      try {
        const clients = await this.#clients(arn?.accountId ?? "");
        const access = await queueAccess(clients.sqs(arn?.region ?? ""), queueArn);
        if (access.readable) receivers.push({ queueArn, queueUrl: access.queueUrl });
        else unreadable.push(access.reason);
      } catch (error) {
        unreadable.push(`${queueArn}: ${describeError(error)}`);
      }
    }
    if (queues.length === 0) unreadable.push(`topic ${topicArn} has no confirmed SQS subscriber`);
    return { subscribers: confirmed, receivers, unreadable };
  }

  /** The deadline: what is still running ends; an alarm that never changed to ALARM says what it was doing. */
  async expire(now: Date): Promise<void> {
    for (let i = 0; i < this.#proofs.length; i++) {
      const proof = this.#proofs[i] as AccountProof;
      if (!isRunning(proof)) continue;
      if (nextHop(proof) === "ALARM_FIRED" && !proof.readError && proof.target) {
        const before = await this.#alreadyInAlarm(proof).catch(() => undefined);
        if (before) this.#note(i, { pending: { ...(proof.pending ?? {}), ...before } });
      }
      const executed = proof.progress?.executed;
      if (nextHop(proof) === "NOTIFICATION_RECEIVED" && !proof.readError && executed && this.#lookedFull(proof)) {
        // Published (the action succeeded), but every readable queue held more than one look
        // returns: tripwire takes nobody's messages to look further, so it cannot tell.
        this.#set(
          i,
          confirmHop(
            proof,
            {
              at: new Date(executed.at).toISOString(),
              evidence: {
                topicArn: executed.topicArn,
                receipt: "published; receipt not verifiable",
                why: [
                  `every look at ${Object.keys(proof.pending?.lastLook ?? {}).join(", ")} returned ${MAX_LOOK} messages without it: the queue holds more than a look returns, and tripwire takes no message to look further`,
                ],
              },
            },
            now,
          ),
        );
        continue;
      }
      this.#set(
        i,
        proof.canary
          ? expireProof(this.#proofs[i] as AccountProof, now)
          : errorProof(proof, "no canary was fired", now),
      );
    }
  }

  /**
   * From when a change of `alarmArn` to ALARM counts for `proof`: after its canary, and after
   * the first of this run's canary records reached the alarm's log group. For a chain of its
   * own that is its own record's delivery: nothing of the canary can move the alarm before it,
   * and an earlier change (a previous proof's) is not this one's. An alarm shared by many
   * accounts (an organization trail's) changes once, on the first of their records: that one
   * change, after all their canaries, is each one's.
   */
  #alarmFrom(proof: AccountProof, alarmArn: string): number {
    const firsts = this.#proofs
      .filter((p) => p.progress?.deliveredAt !== undefined && p.target?.alarms.some((a) => a.arn === alarmArn))
      .map((p) => p.progress?.deliveredAt as number);
    const first = firsts.length > 0 ? Math.min(...firsts) : deliveredAt(proof);
    return Math.max(canaryAt(proof), first);
  }

  /** Whether the last look at each of the proof's queues returned as many messages as a look can. */
  #lookedFull(proof: AccountProof): boolean {
    const looks = Object.values((proof.pending?.lastLook as Record<string, number> | undefined) ?? {});
    const queues = proof.progress?.receivers?.length ?? 0;
    return queues > 0 && looks.length === queues && looks.every((n) => n >= MAX_LOOK);
  }

  /** Whether an alarm of the proof was already in ALARM when the canary fired: then it had no change to make. */
  async #alreadyInAlarm(proof: AccountProof): Promise<Record<string, unknown> | undefined> {
    for (const alarm of proof.target?.alarms ?? []) {
      const from = this.#alarmFrom(proof, alarm.arn);
      const clients = await this.#clients(alarm.accountId);
      const items = await readAlarmHistory(
        clients.cloudWatch(alarm.region),
        alarm.name,
        new Date(from - 14 * 86_400_000),
      );
      const last = inAlarmAt(items, from);
      if (last) {
        return {
          alreadyInAlarm: alarm.name,
          since: new Date(last.timestamp).toISOString(),
          explanation:
            "the alarm was already in ALARM when the canary's record arrived, so the record could not change its state: a proof needs a change to ALARM after it; prove again once the alarm is back in OK",
        };
      }
    }
    return undefined;
  }
}

function safeTest(pattern: string, message: string): boolean {
  try {
    return parseFilterPattern(pattern).test(message);
  } catch {
    return false;
  }
}
