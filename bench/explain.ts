/**
 * What `tripwire explain` costs on a window of 10,000 matching events (issue 11's bound: at
 * most ceil(10,000 / page size) + 5 API calls, and its local evaluation adds under 10% to its
 * wall time):
 *  1. One member account whose trail tripwire fixed (its two filters, alarm, topic, an SQS
 *     subscriber), on the simulated live chain.
 *  2. 10,000 unauthorized-call records (the corpus's, re-addressed to the member, 25 principals,
 *     4 source addresses) and 5,000 ordinary ones land in the trail's log group in one period;
 *     tripwire's alarm fires and notifies the queue.
 *  3. explain reads that notification; the calls it makes are counted by API, with the latency
 *     model (no quota pressure), and its local work (counting each page's events, re-evaluating
 *     them with the engine, grouping, exclusions) is timed apart from its wall time.
 * Page size is what the simulated FilterLogEvents returned: at most 10,000 events or 1 MB, as
 * AWS documents; CloudTrail records of about 1.2 KB fill a megabyte first.
 * What the local work adds to the wall time: explain evaluates each page while the next one is
 * on the wire, so only the part the calls do not hide adds to it. That part is measured, not
 * inferred: the same window is explained with the engine's evaluation and with a no-op one
 * (Reevaluation.prototype.evaluate replaced for that run: every event is still read and
 * counted, the same calls are made, none is parsed, matched or grouped), alternately, --repeat
 * times each, every run in a fresh organization; added = median wall time with − median
 * without. Printed with no latency (nothing to hide behind: the wall time is local work and
 * the simulated service's), with the latency model's 40 ms per call, and with FilterLogEvents
 * at --page-latency ms per page (AWS publishes no figure for a 1 MB page; the default, 500 ms,
 * is an assumption). The simulated service runs on the same thread as explain, after each
 * call's latency; over a network it would not compete for the CPU.
 * Prints; asserts nothing. Flags: --events N (default 10000), --latency MS (default 40),
 * --page-latency MS (default 500), --repeat N (default 3).
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { loadSettings } from "../shared/config/settings.ts";
import { parseAlarmNotification } from "../shared/core/alarm-notification.ts";
import { Reevaluation } from "../shared/core/explain/event-groups.ts";
import {
  BENIGN_RECORDS,
  CIS_PATTERNS,
  matchesEvent,
  parseFilterPattern,
  UNAUTHORIZED_RECORDS,
} from "../shared/core/filter-pattern/index.ts";
import { simulatedFactory } from "../shared/simulation/factory.ts";
import { type BeforeCallHook, createSimulatedOrganization, scenarios } from "../shared/simulation/index.ts";
import { explainAlarm } from "../shared/use-cases/explain.ts";
import { runSweep } from "../shared/use-cases/sweep.ts";
import { createLatencyModel } from "./latency-model.ts";

const REGION = "us-east-1";
const PERIOD_MS = 300_000;
const PRINCIPALS = 25;
const SOURCES = ["198.51.100.23", "203.0.113.7", "192.0.2.44", "ec2.amazonaws.com"];

export interface ExplainFigures {
  readonly events: number;
  readonly matched: number;
  readonly groups: number;
  readonly calls: number;
  readonly byApi: Record<string, number>;
  readonly pages: number;
  readonly pageSize: number;
  readonly callBound: number;
  readonly wallMs: number;
  readonly localMs: number;
}

/** Unauthorized records the widest of tripwire's filters matches, re-addressed to `accountId`. */
function unauthorizedMessages(accountId: string, count: number): string[] {
  const v12 = parseFilterPattern(CIS_PATTERNS.v12);
  const templates = UNAUTHORIZED_RECORDS.filter((e) => matchesEvent(v12, e.message)).map((e) => e.record);
  return Array.from({ length: count }, (_, i) => {
    const t = templates[i % templates.length] as Record<string, unknown>;
    const session = `session-${String(i % PRINCIPALS).padStart(2, "0")}`;
    return JSON.stringify({
      ...t,
      userIdentity: {
        type: "AssumedRole",
        principalId: `AROAEXAMPLEBENCH00001:${session}`,
        arn: `arn:aws:sts::${accountId}:assumed-role/Automation/${session}`,
        accountId,
      },
      sourceIPAddress: SOURCES[i % SOURCES.length],
      recipientAccountId: accountId,
      eventID: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    });
  });
}

function benignMessages(accountId: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const t = BENIGN_RECORDS[i % BENIGN_RECORDS.length]?.record as Record<string, unknown>;
    return JSON.stringify({ ...t, recipientAccountId: accountId, eventID: `benign-${i}` });
  });
}

export async function measureExplain(options: {
  events: number;
  latencyMs: number;
  /** Latency of one FilterLogEvents page (default: latencyMs). */
  pageLatencyMs?: number;
  /** False: the same explain with a no-op evaluation (events read and counted, none evaluated). */
  evaluate?: boolean;
}): Promise<ExplainFigures> {
  let hook: BeforeCallHook | undefined;
  const org = createSimulatedOrganization({
    regions: [REGION],
    liveChain: { deliveryDelayMs: PERIOD_MS },
    beforeCall: (call) => hook?.(call),
    recordCalls: false,
  });
  const member = org.addAccount({ name: "workload" });
  const trail = scenarios.bareAccount(member, REGION);
  const logGroup = trail.logGroupName as string;
  const queue = org.account(org.managementAccountId).createQueue(REGION, "security-alerts");
  const settings = loadSettings({
    cli: { notify: [`sqs:${queue.arn}`], maxEvents: String(Math.max(10_000, options.events)) },
    env: {},
    now: org.clock.now(),
  });
  await runSweep({ mode: "fix", settings, factory: simulatedFactory(org, settings) });

  const messages = [...unauthorizedMessages(member.id, options.events), ...benignMessages(member.id, 5_000)];
  const at = org.clock.now().getTime();
  for (let i = 0; i < messages.length; i += 10_000) {
    member.putLogEvents(
      REGION,
      logGroup,
      messages.slice(i, i + 10_000).map((message) => ({ message, timestamp: at })),
      { logStreamName: `${member.id}_CloudTrail_${REGION}` },
    );
  }
  await org.clock.sleep(PERIOD_MS + 60_000);
  const alarm = org
    .account(org.managementAccountId)
    .queueMessages(queue.arn)
    .map((m) => parseAlarmNotification(m.body))
    .find((n) => n.accountId === member.id && n.newState === "ALARM");
  if (!alarm) throw new Error("the alarm did not notify the queue");

  const model = createLatencyModel({ latencyMs: options.latencyMs, unlimited: true });
  const pageExtraMs = Math.max(0, (options.pageLatencyMs ?? options.latencyMs) - options.latencyMs);
  hook = async (call) => {
    await model.beforeCall(call);
    if (pageExtraMs > 0 && call.operation === "FilterLogEvents") await new Promise((r) => setTimeout(r, pageExtraMs));
  };
  const evaluate = Reevaluation.prototype.evaluate;
  if (options.evaluate === false) Reevaluation.prototype.evaluate = () => undefined;
  let x: Awaited<ReturnType<typeof explainAlarm>>;
  let wallMs: number;
  try {
    const start = performance.now();
    x = await explainAlarm(alarm, {
      settings,
      factory: simulatedFactory(org, settings),
      now: () => org.clock.now(),
    });
    wallMs = performance.now() - start;
  } finally {
    Reevaluation.prototype.evaluate = evaluate;
    hook = undefined;
  }
  const byApi = Object.fromEntries([...model.counts.byOperation.entries()].sort(([a], [b]) => a.localeCompare(b)));
  return {
    events: options.events,
    matched: x.matched,
    groups: x.groups.length,
    calls: model.counts.total,
    byApi,
    pages: x.pages,
    pageSize: x.largestPage,
    callBound: Math.ceil(options.events / Math.max(1, x.largestPage)) + 5,
    wallMs,
    localMs: x.reevaluationMs,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: "string", default: "10000" },
      latency: { type: "string", default: "40" },
      "page-latency": { type: "string", default: "500" },
      repeat: { type: "string", default: "3" },
    },
  });
  const events = Number(values.events);
  const latency = Number(values.latency);
  const pageLatency = Number(values["page-latency"]);
  const repeat = Math.max(1, Number(values.repeat));
  const n = (v: number) => v.toLocaleString("en-US");
  const ms = (v: number) => `${n(Math.round(v))} ms`;
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(", ");
  console.log(`tripwire explain on a window of ${n(events)} matching events (and 5,000 ordinary ones), one account,`);
  console.log("tripwire's two filters, simulated organization; latency model without quota pressure.");
  console.log(`load average at the start: ${load()}\n`);

  const cold = await measureExplain({ events, latencyMs: 0, pageLatencyMs: 0 });
  console.log("no latency, cold (the process's first explain: the JIT has not warmed up):");
  console.log(`  wall time:          ${ms(cold.wallMs)}; local work ${ms(cold.localMs)}\n`);

  const cases = [
    { label: "no latency (nothing to hide behind: local work and the simulated service's)", latencyMs: 0, pageMs: 0 },
    { label: `${latency} ms per call`, latencyMs: latency, pageMs: latency },
    {
      label: `${latency} ms per call, FilterLogEvents ${pageLatency} ms per page (assumed)`,
      latencyMs: latency,
      pageMs: pageLatency,
    },
  ];
  let perEventUs: number | undefined;
  for (const c of cases) {
    const withLocal: ExplainFigures[] = [];
    const without: ExplainFigures[] = [];
    for (let i = 0; i < repeat; i++) {
      withLocal.push(await measureExplain({ events, latencyMs: c.latencyMs, pageLatencyMs: c.pageMs }));
      without.push(await measureExplain({ events, latencyMs: c.latencyMs, pageLatencyMs: c.pageMs, evaluate: false }));
    }
    const f = withLocal[0] as ExplainFigures;
    const wall = median(withLocal.map((r) => r.wallMs));
    const bare = median(without.map((r) => r.wallMs));
    const local = median(withLocal.map((r) => r.localMs));
    const added = wall - bare;
    const share = (added / wall) * 100;
    perEventUs ??= (local * 1000) / Math.max(1, f.matched);
    const runs = (rs: ExplainFigures[]) => rs.map((r) => n(Math.round(r.wallMs))).join(", ");
    const sameCalls = without.every((r) => r.calls === f.calls) && withLocal.every((r) => r.calls === f.calls);
    console.log(`${c.label}, ${repeat} run(s) each way:`);
    console.log(`  matched events:     ${n(f.matched)} in ${n(f.groups)} groups`);
    console.log(
      `  API calls:          ${f.calls} (bound ceil(${n(events)} / ${n(f.pageSize)}) + 5 = ${f.callBound}: ${f.calls <= f.callBound ? "within" : "OVER"})${sameCalls ? "" : "; NOT the same in every run"}`,
    );
    console.log(
      `                      ${Object.entries(f.byApi)
        .map(([api, count]) => `${api} ${count}`)
        .join(", ")}`,
    );
    console.log(`  FilterLogEvents:    ${f.pages} pages, largest ${n(f.pageSize)} events`);
    console.log(`  wall time:          ${ms(wall)} (median of ${runs(withLocal)})`);
    console.log(`  no-op evaluation:   ${ms(bare)} (median of ${runs(without)})`);
    console.log(
      `  local work:         ${ms(local)} (median), ${ms(Math.max(0, local - added))} of it hidden behind the calls`,
    );
    console.log(
      `  added to the wall:  ${ms(added)} = ${share.toFixed(1)}% of the wall time (bound 10%: ${share < 10 ? "within" : "OVER"})\n`,
    );
  }
  console.log(
    `local work: ${(perEventUs ?? 0).toFixed(0)} µs per event (no latency, median); load average at the end: ${load()}`,
  );
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
