/**
 * `npm run bench:prove`: `tripwire prove` of N simulated accounts (default 500), each with its
 * own trail, CIS filter, alarm, topic and SQS subscriber queue, through the real engine and SDK
 * clients, under the benchmark's latency and quota model (latency-model.ts). Prints figures;
 * asserts nothing (not a timed test).
 *
 *   npm run bench:prove -- [--accounts 500] [--latency 40] [--concurrency 10] [--shared]
 *                          [--no-baseline] [--json]
 *
 * The two times, both on one time base, "modelled time": the simulation's clock, which moves
 *  - with real time while calls are made (each call costs the model's latency, really waited,
 *    plus whatever the engine and the simulation spend), and
 *  - by the length of each wait of the polling loop, at once (a 30 s sleep costs no real time).
 * So modelled time is what a user would wait against AWS if each call took the modelled latency
 * and CloudTrail delivered in the modelled 5 minutes. From it:
 *  - wall time: from the start of `prove` (the scan included) to its end;
 *  - an account's proof time: from its canary to its last hop; the slowest one is reported.
 * The ratio wall / slowest is the figure of "500 accounts take about as long as one" (target
 * ≤ 1.2): one canary per account first, then one polling loop for all of them.
 *
 * --shared: every account's events go to one organization trail's log group in the management
 * account (one filter, one alarm, one topic and queue for all), instead of a chain per account.
 *
 * Unless --accounts is 1 or --no-baseline is given, the same bench then proves one account alone
 * and prints its wall time beside the N accounts': N at once over one alone is the other face of
 * the same figure (one polling loop follows them all).
 */
import { pathToFileURL } from "node:url";
import { loadSettings } from "../shared/config/settings.ts";
import { buildProveReport } from "../shared/core/proof-run.ts";
import { simulatedFactory } from "../shared/simulation/factory.ts";
import { createSimulatedOrganization, type SimulatedOrganization, scenarios } from "../shared/simulation/index.ts";
import {
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_PROVE_TIMEOUT_MS,
  fireCanaries,
  prepareProof,
  waitForProofs,
} from "../shared/use-cases/prove.ts";
import { createLatencyModel } from "./latency-model.ts";

export const TARGET_RATIO = 1.2;
const HOME = "us-east-1";

export interface ProveBenchOptions {
  readonly accounts: number;
  readonly latencyMs: number;
  readonly concurrency: number;
  readonly shared: boolean;
}

export interface ProveBenchFigures {
  readonly accounts: number;
  readonly shared: boolean;
  readonly latencyMs: number;
  readonly concurrency: number;
  readonly statuses: Record<string, number>;
  /** Modelled time of the whole command (scan, canaries, loop), ms. */
  readonly wallMs: number;
  /** Modelled time from the canary to the last hop of the slowest account, ms. */
  readonly slowestProofMs: number;
  readonly fastestProofMs: number;
  readonly ratio: number;
  /** Real time the benchmark process spent, ms. */
  readonly realMs: number;
  readonly calls: number;
  readonly throttled: number;
  /** Calls per proven account, every call of the run included (the scan's too). */
  readonly callsPerProven: number;
  /** "service:Operation" → calls per proven account. */
  readonly byApi: Record<string, number>;
  /** "service:Operation" → calls of the whole run. */
  readonly callsByApi: Record<string, number>;
}

const sqsSubscriber = (endpoint: string) => ({ protocol: "sqs", endpoint });

/** The seeded organization: N members with a sound chain each (or one organization trail for all). */
function seed(options: ProveBenchOptions): { org: SimulatedOrganization; members: string[] } {
  const org = createSimulatedOrganization({ regions: [HOME], liveChain: {}, recordCalls: false });
  const members: string[] = [];
  const management = org.account(org.managementAccountId);
  if (options.shared) {
    const t = scenarios.organizationTrail(org, HOME);
    const queue = management.createQueue(HOME, "security-alerts");
    scenarios.alertChain(management, HOME, t.logGroupName ?? "", { subscriptions: [sqsSubscriber(queue.arn)] });
  }
  for (let i = 0; i < options.accounts; i++) {
    const member = org.addAccount({ name: `workload-${i}` });
    members.push(member.id);
    if (options.shared) continue;
    const queue = member.createQueue(HOME, "alerts");
    scenarios.compliantV12(member, HOME, { topic: { subscriptions: [sqsSubscriber(queue.arn)] } });
  }
  return { org, members };
}

export async function runProveBench(options: ProveBenchOptions): Promise<ProveBenchFigures> {
  const { org } = seed(options);
  // Modelled time: the simulated clock, kept at start + real time spent + time slept.
  const realStart = performance.now();
  const simStart = org.clock.now().getTime();
  let slept = 0;
  const modelled = () => simStart + (performance.now() - realStart) + slept;
  const sync = () => org.clock.advanceTo(new Date(modelled()));
  const clock = {
    now: () => {
      sync();
      return org.clock.now();
    },
    sleep: async (ms: number) => {
      slept += ms;
      sync();
      await org.clock.sleep(0);
    },
  };
  const model = createLatencyModel({ latencyMs: options.latencyMs, now: modelled });
  org.setBeforeCall(async (call) => {
    await model.beforeCall(call);
    // The call is answered at the modelled time it ends, as against AWS.
    sync();
  });
  const settings = loadSettings({
    cli: {
      concurrency: String(options.concurrency),
      excludeAccounts: org.managementAccountId,
      regions: HOME,
    },
    env: {},
  });
  const deps = { settings, factory: simulatedFactory(org, settings, { sessionPurpose: "prove" }), clock };
  const started = clock.now();
  let run = await prepareProof(deps, "bench");
  run = await fireCanaries(deps, run, DEFAULT_PROVE_TIMEOUT_MS);
  run = await waitForProofs(deps, run, DEFAULT_POLL_INTERVAL_MS);
  const report = buildProveReport(run, clock.now());
  const realMs = performance.now() - realStart;

  const statuses: Record<string, number> = {};
  for (const a of report.accounts) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  const times = report.accounts
    .filter((a) => a.status === "PROVEN")
    .map((a) => Date.parse(a.finishedAt) - Date.parse(a.startedAt));
  const proven = times.length;
  const wallMs = Date.parse(report.finishedAt) - started.getTime();
  const slowestProofMs = Math.max(0, ...times);
  const byApi: Record<string, number> = {};
  const callsByApi: Record<string, number> = {};
  for (const [op, n] of [...model.counts.byOperation].sort()) {
    byApi[op] = round2(n / Math.max(1, proven));
    callsByApi[op] = n;
  }
  return {
    accounts: options.accounts,
    shared: options.shared,
    latencyMs: options.latencyMs,
    concurrency: options.concurrency,
    statuses,
    wallMs,
    slowestProofMs,
    fastestProofMs: Math.min(...times),
    ratio: round2(wallMs / Math.max(1, slowestProofMs)),
    realMs: Math.round(realMs),
    calls: model.counts.total,
    throttled: model.counts.throttled,
    callsPerProven: round2(model.counts.total / Math.max(1, proven)),
    byApi,
    callsByApi,
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** N accounts at once against one alone, same options otherwise. */
export interface ProveBaseline {
  readonly one: ProveBenchFigures;
  /** Modelled wall time of N accounts at once over that of one alone. */
  readonly ratio: number;
  /** Real time of N accounts at once over that of one alone. */
  readonly realRatio: number;
}

export async function runProveBaseline(options: ProveBenchOptions, many: ProveBenchFigures): Promise<ProveBaseline> {
  const one = await runProveBench({ ...options, accounts: 1 });
  return {
    one,
    ratio: round2(many.wallMs / Math.max(1, one.wallMs)),
    realRatio: round2(many.realMs / Math.max(1, one.realMs)),
  };
}

export function renderProveBaseline(many: ProveBenchFigures, b: ProveBaseline): string {
  return [
    `one account alone: wall ${seconds(b.one.wallMs)} (real ${seconds(b.one.realMs)}), ${b.one.calls} API calls, statuses: ${Object.entries(
      b.one.statuses,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    `${many.accounts} accounts at once / one alone: wall ${b.ratio.toFixed(2)}x, real ${b.realRatio.toFixed(2)}x`,
  ].join("\n");
}

export function renderProveBench(f: ProveBenchFigures): string {
  const lines = [
    `prove benchmark: ${f.accounts} accounts (${f.shared ? "one organization trail for all" : "a chain per account"}), ${f.latencyMs} ms per call, ${f.concurrency} in flight`,
    `statuses: ${Object.entries(f.statuses)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    "times are modelled: real time while calls are made, plus each wait of the polling loop",
    `wall time (scan, canaries, polling loop):  ${seconds(f.wallMs)}`,
    `slowest account's proof (canary to last hop): ${seconds(f.slowestProofMs)}   (fastest ${seconds(f.fastestProofMs)})`,
    `ratio wall / slowest: ${f.ratio.toFixed(2)}   target <= ${TARGET_RATIO}: ${f.ratio <= TARGET_RATIO ? "met" : "NOT met"}`,
    `real time of the benchmark: ${seconds(f.realMs)}`,
    `API calls: ${f.calls} (${f.throttled} throttled and retried), ${f.callsPerProven} per proven account:`,
    `  ${"call".padEnd(40)} ${"per account".padStart(11)} ${"in all".padStart(8)}`,
    ...Object.entries(f.byApi).map(
      ([op, n]) => `  ${op.padEnd(40)} ${String(n).padStart(11)} ${String(f.callsByApi[op] ?? 0).padStart(8)}`,
    ),
  ];
  return lines.join("\n");
}

function flag(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function positive(args: readonly string[], name: string, fallback: number): number {
  const raw = flag(args, name);
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < (name === "latency" ? 0 : 1)) {
    process.stderr.write(`bench:prove: --${name} ${JSON.stringify(raw)} is not a whole number\n`);
    process.exit(2);
  }
  return n;
}

async function main(args: readonly string[]): Promise<void> {
  const options: ProveBenchOptions = {
    accounts: positive(args, "accounts", 500),
    latencyMs: positive(args, "latency", 40),
    concurrency: positive(args, "concurrency", 10),
    shared: args.includes("--shared"),
  };
  const figures = await runProveBench(options);
  const baseline =
    options.accounts > 1 && !args.includes("--no-baseline") ? await runProveBaseline(options, figures) : undefined;
  process.stdout.write(
    args.includes("--json")
      ? `${JSON.stringify(baseline ? { ...figures, baseline } : figures, null, 2)}\n`
      : `${renderProveBench(figures)}\n${baseline ? `${renderProveBaseline(figures, baseline)}\n` : ""}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
