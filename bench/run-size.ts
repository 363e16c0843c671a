/**
 * One benchmark run: N accounts × R regions, scan or fix, C accounts in flight.
 *  1. Seed the mixed organization (seeded), attach the latency and quota model.
 *  2. Run the sweep path in process: `runSweep` (list the accounts, the management account
 *     first, then a pool of C reviews), the same engine calls the `sweep` + `sweep-account`
 *     functions make, through the real SDK clients and their retry middleware.
 *  3. Count calls in the model's hook, sample RSS, compute the lower bound and the ratio.
 * Run as a script (`tsx bench/run-size.ts --accounts N ...`) it prints one JSON document: the
 * entry point runs each size in its own child process so sizes do not share a heap.
 */
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { loadSettings, type Settings } from "../shared/config/settings.ts";
import type { RunMode } from "../shared/core/model.ts";
import { simulatedFactory } from "../shared/simulation/factory.ts";
import { runSweep } from "../shared/use-cases/sweep.ts";
import { type CpuShares, startProfiler } from "./cpu-profile.ts";
import { type AccountOutcome, runLambdaSweep } from "./lambda-path.ts";
import { createLatencyModel, ENUMERATION, type QuotaTable, seededSdkBackoff } from "./latency-model.ts";
import { type LowerBound, lowerBound, measureDepths } from "./lower-bound.ts";
import { type AccountKind, buildMixedOrganization } from "./organization-mix.ts";

export interface RunOptions {
  readonly accounts: number;
  readonly regions: number;
  readonly mode: RunMode;
  readonly concurrency: number;
  readonly latencyMs: number;
  readonly jitter?: number;
  readonly seed?: number;
  readonly maxAttempts?: number;
  /** Base of the SDK's throttling backoff, ms (default 1,000, as the SDK's). */
  readonly backoffBaseMs?: number;
  /**
   * "lambda" (default): the sweep and sweep-account handlers with an in-memory queue, SQS
   * batches of `batchSize`; "cli": runSweep, one process reviewing C accounts at a time.
   */
  readonly path?: "lambda" | "cli";
  readonly batchSize?: number;
  /** Only these member kinds, in turn (default: the seeded mix). */
  readonly only?: readonly Exclude<AccountKind, "management">[];
  /** The rates the model enforces (default QUOTAS). */
  readonly quotas?: QuotaTable;
  /** Sample the sweep with V8's profiler to split its CPU between engine and simulation (default true). */
  readonly profile?: boolean;
  readonly profileIntervalUs?: number;
  /** Write the sweep's profile here (a .cpuprofile, for Chrome DevTools or speedscope). */
  readonly profileFile?: string;
}

/** CPU time of the sweep (process.cpuUsage: user + system, ms), and its split. */
export interface CpuFigures {
  readonly userMs: number;
  readonly systemMs: number;
  readonly totalMs: number;
  /** The engine's share of totalMs (tripwire, the SDK), from the profile's shares; undefined without a profile. */
  readonly engineMs?: number;
  /** The simulation's share (simulated services, latency model, in-memory queue). */
  readonly simulationMs?: number;
  readonly shares?: CpuShares;
  /** Accounts reviewed (not SKIPPED) and accounts with at least one write applied. */
  readonly reviewed: number;
  readonly fixed: number;
}

export interface BatchShape {
  readonly accounts: number;
  readonly deepest: number;
}

export interface KindFigures {
  readonly accounts: number;
  /** API calls per account (throttled attempts excluded): min, mean, max. */
  readonly callsMin: number;
  readonly callsMean: number;
  readonly callsMax: number;
  /** Mean calls per account by "service:Operation". */
  readonly byApi: Record<string, number>;
  /** Result statuses of these accounts. */
  readonly statuses: Record<string, number>;
}

export interface RunFigures {
  readonly accounts: number;
  readonly regions: number;
  readonly mode: RunMode;
  readonly path: "lambda" | "cli";
  readonly batchSize: number;
  readonly concurrency: number;
  readonly latencyMs: number;
  readonly seed: number;
  readonly wallMs: number;
  /** Attempts, throttled ones included. */
  readonly calls: number;
  readonly throttled: number;
  /** Calls per reviewed account (enumeration and run-wide calls excluded), throttled excluded. */
  readonly callsPerAccount: number;
  readonly enumerationCalls: number;
  readonly byApi: Record<string, number>;
  readonly byKind: Record<string, KindFigures>;
  /** Most calls any compliant member account cost (the ≤ 8 target is checked in scan). */
  readonly compliantMaxCalls: number;
  readonly statuses: Record<string, number>;
  readonly peakRssMb: number;
  /** RSS after seeding the simulation, before the sweep: the simulation's own share. */
  readonly baselineRssMb: number;
  readonly maxRssMb: number;
  readonly bound: LowerBound;
  readonly ratio: number;
  readonly depths: Record<string, number>;
  /** Deployed path: each batch as the queue handed it out, its size and its deepest review (calls). */
  readonly batches?: readonly BatchShape[];
  readonly cpu: CpuFigures;
  /** The machine's load average (1, 5, 15 min) when the sweep started and when it ended. */
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
}

const MB = 1024 * 1024;

function settingsFor(options: RunOptions, homeRegion: string): Settings {
  return loadSettings({
    cli: {
      // The Lambda path scans as the deployed functions do: sweep-account in dry-run.
      ...(options.path !== "cli" && options.mode === "scan" ? { dryRun: true } : {}),
      concurrency: String(Math.min(500, options.concurrency)),
      maxAttempts: String(options.maxAttempts ?? 5),
      homeRegion,
      notify: ["sqs:arn:aws:sqs:us-east-1:999999999999:secops-alerts"],
    },
    env: {},
  });
}

const sortedRecord = (map: Map<string, number>, divide = 1): Record<string, number> =>
  Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, round(v / divide)]));

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runOnce(options: RunOptions): Promise<RunFigures> {
  const seed = options.seed ?? 1;
  const model = createLatencyModel({
    latencyMs: options.latencyMs,
    jitter: options.jitter ?? 0,
    seed,
    ...(options.quotas ? { quotas: options.quotas } : {}),
  });
  const { org, homeRegion, kinds } = buildMixedOrganization({
    accounts: options.accounts,
    regions: options.regions,
    seed,
    beforeCall: model.beforeCall,
    ...(options.only ? { only: options.only } : {}),
  });
  const settings = settingsFor(options, homeRegion);
  const factory = simulatedFactory(org, settings, { retryDelayMs: seededSdkBackoff(seed, options.backoffBaseMs) });

  const presentKinds = [...new Set(kinds.values())].filter(
    (k): k is Exclude<AccountKind, "management"> => k !== "management",
  );
  const path = options.path ?? "lambda";
  const batchSize = options.batchSize ?? 5;
  // sweep-account always runs the fix use case (dry-run when scanning).
  const depths = await measureDepths({
    path,
    mode: options.mode,
    settings,
    regions: options.regions,
    kinds: presentKinds,
  });

  globalThis.gc?.();
  const baselineRss = process.memoryUsage.rss();
  let peakRss = baselineRss;
  // memoryUsage.rss() reads the RSS alone: memoryUsage() also walks the heap's spaces, which
  // every 20 ms cost the sweep's thread about 1 % of its time (the profile's memoryUsage).
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
  const loadAtStart = loadavg();
  const profiler = options.profile === false ? undefined : await startProfiler(options.profileIntervalUs);
  const batches: (readonly string[])[] = [];
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const outcomes: Map<string, AccountOutcome> =
    path === "cli"
      ? new Map(
          (await runSweep({ mode: options.mode, settings, factory })).accounts.map((a) => [
            a.accountId,
            { status: a.status as string, applied: a.actions.filter((x) => x.applied).length },
          ]),
        )
      : await runLambdaSweep({
          settings,
          factory: (caller, clientPool) =>
            simulatedFactory(org, settings, {
              retryDelayMs: seededSdkBackoff(seed, options.backoffBaseMs),
              sessionPurpose: "sweep",
              ...(caller ? { caller } : {}),
              ...(clientPool ? { clientPool } : {}),
            }),
          concurrency: options.concurrency,
          batchSize,
          managementAccountId: org.managementAccountId,
          onBatch: (ids) => batches.push(ids),
        });
  const wallMs = performance.now() - start;
  const cpuUsed = process.cpuUsage(cpuStart);
  const loadAtEnd = loadavg();
  const profiled = await profiler?.stop();
  if (profiled && options.profileFile) writeFileSync(options.profileFile, JSON.stringify(profiled.profile));
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const statusOf = new Map([...outcomes].map(([id, o]) => [id, o.status]));
  const fixedAccounts = [...outcomes.values()].filter((o) => o.applied > 0).length;

  const counts = model.counts;
  const byKind = new Map<AccountKind, { ids: string[] }>();
  for (const [id, kind] of kinds) {
    let entry = byKind.get(kind);
    if (!entry) {
      entry = { ids: [] };
      byKind.set(kind, entry);
    }
    entry.ids.push(id);
  }
  const kindFigures: Record<string, KindFigures> = {};
  let reviewedCalls = 0;
  let reviewed = 0;
  let compliantMaxCalls = 0;
  for (const [kind, { ids }] of [...byKind.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const perApi = new Map<string, number>();
    const statuses = new Map<string, number>();
    let min = Infinity;
    let max = 0;
    let sum = 0;
    for (const id of ids) {
      const ops = counts.byOwner.get(id);
      let n = 0;
      for (const [op, c] of ops ?? []) {
        n += c;
        perApi.set(op, (perApi.get(op) ?? 0) + c);
      }
      min = Math.min(min, n);
      max = Math.max(max, n);
      sum += n;
      const status = statusOf.get(id) ?? (kind === "suspended" ? "SKIPPED" : "MISSING");
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status !== "SKIPPED") {
        reviewed++;
        reviewedCalls += n;
      }
    }
    if (kind === "compliant") compliantMaxCalls = max;
    kindFigures[kind] = {
      accounts: ids.length,
      callsMin: min === Infinity ? 0 : min,
      callsMean: round(sum / ids.length),
      callsMax: max,
      byApi: sortedRecord(perApi, ids.length),
      statuses: sortedRecord(statuses),
    };
  }
  const enumerationOps = counts.byOwner.get(ENUMERATION) ?? new Map<string, number>();
  const enumerationCalls = [...enumerationOps.values()].reduce((a, b) => a + b, 0);
  const batchKinds = batches.map((ids) => ids.map((id) => kinds.get(id) as AccountKind));
  const bound = lowerBound({
    path,
    latencyMs: options.latencyMs,
    jitter: options.jitter ?? 0,
    concurrency: options.concurrency,
    batchSize,
    listing: org.accountIds().map((id) => kinds.get(id) as AccountKind),
    depths,
    ...(path === "lambda" ? { batches: batchKinds } : {}),
    buckets: model.bucketUse(),
    quotas: model.quotas,
  });
  const statuses = new Map<string, number>();
  for (const kind of Object.values(kindFigures))
    for (const [k, n] of Object.entries(kind.statuses)) statuses.set(k, (statuses.get(k) ?? 0) + n);

  return {
    accounts: options.accounts,
    regions: options.regions,
    mode: options.mode,
    path,
    batchSize,
    concurrency: options.concurrency,
    latencyMs: options.latencyMs,
    seed,
    wallMs: Math.round(wallMs),
    calls: counts.total,
    throttled: counts.throttled,
    callsPerAccount: round(reviewedCalls / Math.max(1, reviewed)),
    enumerationCalls,
    byApi: sortedRecord(counts.byOperation),
    byKind: kindFigures,
    compliantMaxCalls,
    statuses: sortedRecord(statuses),
    peakRssMb: Math.round(peakRss / MB),
    baselineRssMb: Math.round(baselineRss / MB),
    maxRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / MB),
    bound: { ...bound, boundMs: Math.round(bound.boundMs) },
    ratio: round(wallMs / bound.boundMs),
    depths: Object.fromEntries([...depths.entries()].sort(([a], [b]) => a.localeCompare(b))),
    ...(path === "lambda"
      ? {
          batches: batchKinds.map((batch) => ({
            accounts: batch.length,
            deepest: Math.max(0, ...batch.map((k) => depths.get(k) ?? 0)),
          })),
        }
      : {}),
    cpu: cpuFigures(cpuUsed, profiled?.shares, reviewed, fixedAccounts),
    loadAverage: { start: loadAtStart.map((x) => round(x)), end: loadAtEnd.map((x) => round(x)) },
  };
}

function cpuFigures(used: NodeJS.CpuUsage, shares: CpuShares | undefined, reviewed: number, fixed: number): CpuFigures {
  const userMs = used.user / 1000;
  const systemMs = used.system / 1000;
  const totalMs = userMs + systemMs;
  const split = shares
    ? {
        engineMs: round(totalMs * shares.engineFraction, 0),
        simulationMs: round(totalMs * (1 - shares.engineFraction), 0),
      }
    : {};
  return {
    userMs: round(userMs, 0),
    systemMs: round(systemMs, 0),
    totalMs: round(totalMs, 0),
    ...split,
    ...(shares ? { shares } : {}),
    reviewed,
    fixed,
  };
}

/** `--name value` pairs into a record. */
export function parseFlags(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    if (inline !== undefined) out[name] = inline;
    else if (i + 1 < argv.length && !(argv[i + 1] as string).startsWith("--")) out[name] = argv[++i] as string;
    else out[name] = "true";
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flags = parseFlags(process.argv.slice(2));
  const figures = await runOnce({
    accounts: Number(flags.accounts ?? 100),
    regions: Number(flags.regions ?? 4),
    mode: flags.mode === "fix" ? "fix" : "scan",
    concurrency: Number(flags.concurrency ?? 50),
    latencyMs: Number(flags.latency ?? 40),
    jitter: Number(flags.jitter ?? 0),
    seed: Number(flags.seed ?? 1),
    path: flags.path === "cli" ? "cli" : "lambda",
    batchSize: Number(flags.batch ?? 5),
    profile: flags.profile !== "false",
    ...(flags["profile-interval"] ? { profileIntervalUs: Number(flags["profile-interval"]) } : {}),
    ...(flags["profile-file"] ? { profileFile: flags["profile-file"] } : {}),
  });
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
