/**
 * What `tripwire explain` costs on a window of 10,000 matching events (issue 11's bound: at
 * most ceil(10,000 / page size) + 5 API calls, and its local evaluation under 10% of its wall
 * time):
 *  1. One member account whose trail tripwire fixed (its two filters, alarm, topic, an SQS
 *     subscriber), on the simulated live chain.
 *  2. 10,000 unauthorized-call records (the corpus's, re-addressed to the member, 25 principals,
 *     4 source addresses) and 5,000 ordinary ones land in the trail's log group in one period;
 *     tripwire's alarm fires and notifies the queue.
 *  3. explain reads that notification; the calls it makes are counted by API, with the latency
 *     model (no quota pressure), and its local work (re-evaluating every returned event with
 *     the engine, grouping, exclusions) is timed apart from its wall time.
 * Page size is what the simulated FilterLogEvents returned: at most 10,000 events or 1 MB, as
 * AWS documents; CloudTrail records of about 1.4 KB fill a megabyte first.
 * The share of local work depends on how long the calls take: it is printed with no latency
 * (the wall time is then local work only, the simulated service's included), with the latency
 * model's 40 ms per call (each run in a fresh organization, after a first, cold run), and with FilterLogEvents at --page-latency ms per page (AWS publishes
 * no figure for a 1 MB page; the default, 500 ms, is an assumption), and the page latency at
 * which the local share falls to 10% is derived from the first run.
 * Prints; asserts nothing. Flags: --events N (default 10000), --latency MS (default 40),
 * --page-latency MS (default 500).
 */
import { parseArgs } from "node:util";
import { loadSettings } from "../shared/config/settings.ts";
import { parseAlarmNotification } from "../shared/core/alarm-notification.ts";
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
  const start = performance.now();
  const x = await explainAlarm(alarm, {
    settings,
    factory: simulatedFactory(org, settings),
    now: () => org.clock.now(),
  });
  const wallMs = performance.now() - start;
  hook = undefined;
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
    },
  });
  const events = Number(values.events);
  const latency = Number(values.latency);
  const pageLatency = Number(values["page-latency"]);
  const n = (v: number) => v.toLocaleString("en-US");
  console.log(`tripwire explain on a window of ${n(events)} matching events (and 5,000 ordinary ones), one account,`);
  console.log("tripwire's two filters, simulated organization; latency model without quota pressure.\n");
  const runs = [
    {
      label: "no latency, cold (the process's first explain: the JIT has not warmed up)",
      latencyMs: 0,
      pageLatencyMs: 0,
    },
    { label: "no latency (local work only, the simulated service's included)", latencyMs: 0, pageLatencyMs: 0 },
    { label: `${latency} ms per call`, latencyMs: latency, pageLatencyMs: latency },
    {
      label: `${latency} ms per call, FilterLogEvents ${pageLatency} ms per page (assumed)`,
      latencyMs: latency,
      pageLatencyMs: pageLatency,
    },
  ];
  let warm: ExplainFigures | undefined;
  for (const run of runs) {
    const f = await measureExplain({ events, latencyMs: run.latencyMs, pageLatencyMs: run.pageLatencyMs });
    if (run !== runs[0]) warm ??= f;
    const share = (f.localMs / f.wallMs) * 100;
    console.log(`${run.label}:`);
    console.log(`  matched events:   ${n(f.matched)} in ${n(f.groups)} groups`);
    console.log(
      `  API calls:        ${f.calls} (bound ceil(${n(events)} / ${n(f.pageSize)}) + 5 = ${f.callBound}: ${f.calls <= f.callBound ? "within" : "OVER"})`,
    );
    console.log(
      `                    ${Object.entries(f.byApi)
        .map(([api, c]) => `${api} ${c}`)
        .join(", ")}`,
    );
    console.log(`  FilterLogEvents:  ${f.pages} pages, largest ${n(f.pageSize)} events`);
    console.log(
      `  wall time:        ${n(Math.round(f.wallMs))} ms; local evaluation ${n(Math.round(f.localMs))} ms = ${share.toFixed(1)}% (bound 10%: ${share < 10 ? "within" : "OVER"})`,
    );
    console.log("");
  }
  if (warm) {
    const first = warm;
    // local / (wall at no latency + others × latency + pages × page latency) < 10%
    const others = first.calls - first.pages;
    const breakEven = (first.localMs / 0.1 - first.wallMs - others * latency) / first.pages;
    console.log(
      `local evaluation: ${((first.localMs * 1000) / Math.max(1, first.matched)).toFixed(0)} µs per event; under 10% of the wall time once a FilterLogEvents page takes ${n(Math.max(0, Math.ceil(breakEven)))} ms or more (others at ${latency} ms)`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
