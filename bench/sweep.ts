/**
 * `npm run bench`: the sweep path against the simulated organization under the latency and
 * quota model, for scan and fix at each size; then the heal of one deleted filter, and each
 * function bundle's size and load time. Prints figures and which targets they meet; asserts
 * nothing (not a timed test).
 *
 * See USAGE. Each size and mode runs in its own child process, so peak RSS is that run's alone.
 */
import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { type BundleFigures, measureBundles } from "./bundles.ts";
import { type HealFigures, measureHeal } from "./heal-cost.ts";
import { LAMBDA_MEMORY_DOC, type LambdaProjection, ONE_VCPU_MB, projectOnLambda } from "./lambda-projection.ts";
import { QUOTAS } from "./latency-model.ts";
import { BOUND_FORMULA } from "./lower-bound.ts";
import { parseFlags, type RunFigures } from "./run-size.ts";

export const USAGE = `npm run bench -- [options]
  --sizes 100x4,1000x17,5000x17   accounts × regions, each in its own node child
  --modes scan,fix
  --path lambda|cli               the deployed handlers (default) or runSweep in one process
  --concurrency 50                accounts in flight (deployed: C / batch containers)
  --batch 5                       SQS batch size (deployed path)
  --latency 40 --jitter 0         ms per call, and its seeded relative jitter
  --seed 1
  --profile-interval 10000        µs between profile samples (the CPU split); --no-profile: none
  --profile-dir DIR               also write each run's .cpuprofile there
  --skip-heal --skip-bundles
  --json                          one JSON document instead of the text
  --render saved.json             the text again, from a --json document
  --help`;

export const TARGETS = {
  compliantScanCalls: 8,
  boundRatio: 1.3,
  peakRssMb: 300,
  healCalls: 8,
  bundleBytes: 1024 * 1024,
  loadMs: 150,
} as const;

interface Size {
  readonly accounts: number;
  readonly regions: number;
}

function parseSizes(text: string): Size[] {
  return text.split(",").map((s) => {
    const m = /^(\d+)x(\d+)$/.exec(s.trim());
    if (!m) throw new Error(`--sizes: "${s}" is not ACCOUNTSxREGIONS`);
    return { accounts: Number(m[1]), regions: Number(m[2]) };
  });
}

const RUN_SIZE = fileURLToPath(new URL("./run-size.ts", import.meta.url));

/**
 * The node options the deployed functions run with, read from serverless.yml's NODE_OPTIONS so
 * the benchmark's children cannot drift from them (heap limits, in practice).
 */
export function functionNodeOptions(
  template = readFileSync(fileURLToPath(new URL("../serverless.yml", import.meta.url)), "utf8"),
): string[] {
  const line = /^\s*NODE_OPTIONS:\s*(.+)$/m.exec(template);
  if (!line?.[1]) throw new Error("serverless.yml sets no NODE_OPTIONS for the functions");
  return line[1].trim().split(/\s+/);
}
const FUNCTION_NODE_OPTIONS = functionNodeOptions();

function runChild(args: string[]): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--expose-gc", ...FUNCTION_NODE_OPTIONS, "--import", "tsx", RUN_SIZE, ...args],
      {
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`run-size ${args.join(" ")} failed: ${stderr || error.message}`));
        const line = stdout.trim().split("\n").pop() ?? "";
        resolve(JSON.parse(line) as RunFigures);
      },
    );
  });
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The machine and the code the figures come from. */
export interface Machine {
  readonly commit: string;
  readonly cpus: number;
  readonly cpuModel: string;
  /** 1, 5 and 15 minute load averages when the benchmark started. */
  readonly loadAverage: readonly number[];
  readonly date: string;
}

function describeMachine(): Machine {
  const git = (...args: string[]) => {
    try {
      return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return "";
    }
  };
  const head = git("rev-parse", "--short", "HEAD") || "unknown";
  const dirty = git("status", "--porcelain", "--untracked-files=no") !== "";
  const cores = cpus();
  return {
    commit: `${head}${dirty ? " (with uncommitted changes)" : ""}`,
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? "unknown",
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    date: new Date().toISOString(),
  };
}

const machineLine = (m: Machine) =>
  `machine: ${m.cpus} × ${m.cpuModel}; commit ${m.commit}; load average ${m.loadAverage.join(" ")} at the start; ${m.date}`;

function describeModel(latencyMs: number, jitter: number, concurrency: number, seed: number): string[] {
  const rule = (name: string, r: { rate: number; burst: number; scope: string; source: string }) =>
    `  ${name}: ${r.rate}/s, burst ${r.burst}, ${r.scope}; ${r.source}`;
  return [
    `model: each call ${latencyMs} ms${jitter ? ` ± ${Math.round(jitter * 100)}% (seeded)` : ""}; C = ${concurrency} accounts in flight; seed ${seed}; SDK retries: seeded full-jitter backoff, 1 s base doubling, 20 s cap, max 5 attempts`,
    `process: each size in its own node child, ${FUNCTION_NODE_OPTIONS.join(" ")} as the deployed functions run (serverless.yml NODE_OPTIONS)`,
    "token buckets:",
    rule("organizations (all operations)", QUOTAS.organizations.other),
    rule("sts (all operations)", QUOTAS.sts.other),
    ...Object.entries(QUOTAS.cloudtrail.byOperation).map(([op, r]) => rule(`cloudtrail:${op}`, r)),
    rule("cloudtrail (other)", QUOTAS.cloudtrail.other),
    rule("logs (each operation)", QUOTAS.logs.other),
    ...Object.entries(QUOTAS.cloudwatch.byOperation).map(([op, r]) => rule(`cloudwatch:${op}`, r)),
    rule("sns (each operation)", QUOTAS.sns.other),
    BOUND_FORMULA,
  ];
}

export function formatRun(f: RunFigures): string[] {
  const kinds = Object.entries(f.byKind)
    .map(([k, v]) => `${k} ${v.accounts}× ${v.callsMean}${v.callsMax !== v.callsMean ? ` (max ${v.callsMax})` : ""}`)
    .join(", ");
  const api = Object.entries(f.byApi)
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
  const b = f.bound;
  const ms = (x: number) => `${Math.round(x)} ms`;
  return [
    `${f.mode} ${f.accounts.toLocaleString("en-US")} × ${f.regions} (${f.path === "cli" ? "runSweep in one process" : `sweep + sweep-account handlers, SQS batches of ${f.batchSize}`}, C = ${f.concurrency})`,
    `  wall time          ${s(f.wallMs)}${f.loadAverage ? ` (load average ${f.loadAverage.start.join(" ")} at the start, ${f.loadAverage.end.join(" ")} at the end)` : ""}`,
    `  API calls          ${f.calls.toLocaleString("en-US")} (throttling errors ${f.throttled.toLocaleString("en-US")}; enumeration ${f.enumerationCalls})`,
    `  per account        ${f.callsPerAccount} on average; by kind (accounts× calls each): ${kinds}`,
    `  by API             ${api}`,
    `  statuses           ${Object.entries(f.statuses)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}`,
    `  peak RSS           ${f.peakRssMb} MB (after seeding, before the sweep: ${f.baselineRssMb} MB; maxRSS ${f.maxRssMb} MB)`,
    `  review depths      ${Object.entries(f.depths)
      .map(([k, d]) => `${k} ${d}`)
      .join(", ")} (dependent calls, on a virtual clock)`,
    `  lower bound        ${s(b.boundMs)} = ${b.binding}; L ${ms(b.callMs)}; t_s ${s(b.startMs)} (D_mgmt ${b.managementDepth}); T_list ${s(b.listingMs)} (page ${b.listingPage} of ${b.pages}, deepest review ${b.listingPageDepth}); ${b.concurrencyTerm} ${s(b.concurrencyMs)} (${b.concurrencyCalls.toLocaleString("en-US")} calls in sequence${b.concurrencyTerm === "T_batch" ? `, ${Math.max(1, Math.floor(f.concurrency / f.batchSize))} containers${b.bestPackingCalls === undefined ? "" : `; the best packing of the batches would be ${b.bestPackingCalls.toLocaleString("en-US")}`}` : ""}); T_quota ${s(b.quotaMs)} (${b.quotaBucket})`,
    `  measured / bound   ${f.ratio.toFixed(2)}`,
    ...cpuLines(f),
  ];
}

const perAccount = (totalMs: number | undefined, n: number) =>
  totalMs === undefined || n === 0 ? "n/a" : `${(totalMs / n).toFixed(2)} ms`;

function cpuLines(f: RunFigures): string[] {
  const c = f.cpu;
  if (!c) return [];
  const cores = f.wallMs > 0 ? c.totalMs / f.wallMs : 0;
  const sh = c.shares;
  return [
    `  CPU                ${s(c.totalMs)} (user ${s(c.userMs)}, system ${s(c.systemMs)}; process.cpuUsage over the sweep), ${cores.toFixed(2)} of a core on average`,
    ...(sh
      ? [
          `  CPU per account    engine ${perAccount(c.engineMs, c.reviewed)}, simulation ${perAccount(c.simulationMs, c.reviewed)} per account reviewed (${c.reviewed} reviewed, ${c.fixed} fixed); profile: engine ${Math.round(sh.sampledMs.engine)} ms, simulation ${Math.round(sh.sampledMs.simulation)} ms, GC and node ${Math.round(sh.sampledMs.unattributed)} ms (GC ${Math.round(sh.gcMs)} ms) split pro rata; ${sh.samples} samples every ${sh.intervalUs / 1000} ms`,
        ]
      : [
          `  CPU per account    ${perAccount(c.totalMs, c.reviewed)} per account reviewed, engine and simulation together (no profile)`,
        ]),
  ];
}

/**
 * CPU per account reviewed (scan) and per account fixed (the fix's CPU beyond the scan's, at the
 * same size, path and seed, over the accounts it fixed), and the Lambda projection.
 */
export function cpuSection(runs: readonly RunFigures[]): string[] {
  const withCpu = runs.filter((r) => r.cpu?.engineMs !== undefined);
  if (withCpu.length === 0) return [];
  const lines = [
    "CPU per account (engine: tripwire, the AWS SDK, middy; the simulation's share apart, from the profile):",
  ];
  for (const r of withCpu) {
    const engine = r.cpu.engineMs as number;
    const size = `${r.mode} ${r.accounts.toLocaleString("en-US")} × ${r.regions}`.padEnd(16);
    let line = `  ${size} ${perAccount(engine, r.cpu.reviewed)} per account reviewed (${r.cpu.reviewed} reviewed)`;
    const scan = withCpu.find(
      (x) =>
        x.mode === "scan" &&
        x.accounts === r.accounts &&
        x.regions === r.regions &&
        x.path === r.path &&
        x.seed === r.seed,
    );
    if (r.mode === "fix" && scan && r.cpu.fixed > 0) {
      const extra = (engine - (scan.cpu.engineMs as number)) / r.cpu.fixed;
      line += `; per account fixed: ${extra.toFixed(2)} ms on top of its review (fix − scan engine CPU, over ${r.cpu.fixed} fixed)`;
    }
    lines.push(line);
  }
  const projected = withCpu.flatMap((r) => {
    const p = projectOnLambda(r);
    return p ? [[r, p] as const] : [];
  });
  if (projected.length > 0) {
    const first = projected[0]?.[1] as LambdaProjection;
    lines.push(
      `Lambda projection (${first.memoryMb} MB = ${first.memoryMb}/${ONE_VCPU_MB} = ${first.vcpu.toFixed(3)} vCPU: CPU in proportion to memory, one vCPU at ${ONE_VCPU_MB.toLocaleString("en-US")} MB, ${LAMBDA_MEMORY_DOC}; ${first.containers} sweep-account containers; each batch max or sum of its deepest review's latency and its engine CPU / ${first.vcpu.toFixed(3)}; cold starts and HTTP, signing and parsing not counted):`,
    );
    for (const [r, p] of projected) {
      lines.push(
        `  ${`${r.mode} ${r.accounts.toLocaleString("en-US")} × ${r.regions}`.padEnd(16)} ${s(p.lowMs)} to ${s(p.highMs)} (engine ${p.cpuPerAccountMs.toFixed(2)} ms per account here; lower bound ${s(r.bound.boundMs)})`,
      );
    }
  }
  return [...lines, ""];
}

export interface Verdict {
  readonly target: string;
  readonly met: boolean;
  readonly detail: string;
}

export function judgeTargets(
  runs: readonly RunFigures[],
  heal?: HealFigures,
  bundles?: readonly BundleFigures[],
): Verdict[] {
  const out: Verdict[] = [];
  for (const r of runs.filter((x) => x.mode === "scan")) {
    out.push({
      target: `compliant account ≤ ${TARGETS.compliantScanCalls} calls in scan (${r.accounts} × ${r.regions})`,
      met: r.compliantMaxCalls <= TARGETS.compliantScanCalls,
      detail: `max ${r.compliantMaxCalls}`,
    });
  }
  for (const r of runs.filter((x) => x.accounts >= 1000)) {
    out.push({
      target: `wall ≤ ${TARGETS.boundRatio} × bound (${r.mode} ${r.accounts} × ${r.regions})`,
      met: r.ratio <= TARGETS.boundRatio,
      detail: `${r.ratio.toFixed(2)} (${s(r.wallMs)} / ${s(r.bound.boundMs)})`,
    });
  }
  for (const r of runs.filter((x) => x.accounts >= 5000)) {
    out.push({
      target: `peak RSS < ${TARGETS.peakRssMb} MB (${r.mode} ${r.accounts} × ${r.regions})`,
      met: r.peakRssMb < TARGETS.peakRssMb,
      detail: `${r.peakRssMb} MB`,
    });
  }
  if (heal)
    out.push({
      target: `heal one deleted filter ≤ ${TARGETS.healCalls} calls`,
      met: heal.calls <= TARGETS.healCalls,
      detail: `${heal.calls} calls (${heal.status})`,
    });
  for (const b of bundles ?? []) {
    out.push({
      target: `bundle ${b.name} < 1 MB minified`,
      met: !b.error && b.bytes < TARGETS.bundleBytes,
      detail: b.error ?? `${(b.bytes / 1024).toFixed(0)} KB`,
    });
    out.push({
      target: `bundle ${b.name} load < ${TARGETS.loadMs} ms`,
      met: !b.error && b.loadMs < TARGETS.loadMs,
      detail: b.error ?? `${b.loadMs} ms`,
    });
  }
  return out;
}

export interface BenchDocument {
  readonly node: string;
  /** Where and on what the figures were taken (absent in documents from before it was recorded). */
  readonly machine?: Machine;
  readonly model: {
    readonly latencyMs: number;
    readonly jitter: number;
    readonly concurrency: number;
    readonly seed: number;
  };
  readonly runs: readonly RunFigures[];
  readonly heal?: HealFigures;
  readonly bundles?: readonly BundleFigures[];
  readonly targets: readonly Verdict[];
}

function healLines(heal: HealFigures): string[] {
  return [
    `heal: one deleted filter (${heal.filterName}) repaired from its DeleteMetricFilter event: ${heal.status}, ${heal.calls} API calls`,
    `  by API             ${Object.entries(heal.byApi)
      .map(([op, n]) => `${op} ${n}`)
      .join(", ")}`,
    "",
  ];
}

function bundleLines(bundles: readonly BundleFigures[]): string[] {
  return bundles.length === 0
    ? ["bundles: no functions/*/handler.ts yet", ""]
    : [
        "bundles (esbuild, minified, ESM, node22; load = median of 3 cold imports in a fresh node):",
        ...bundles.map(
          (b) =>
            `  ${b.name.padEnd(14)} ${b.error ? `error: ${b.error}` : `${(b.bytes / 1024).toFixed(0).padStart(5)} KB  load ${b.loadMs} ms`}`,
        ),
        "",
      ];
}

const targetLines = (verdicts: readonly Verdict[]) => [
  "targets:",
  ...verdicts.map((v) => `  ${v.met ? "met   " : "MISSED"} ${v.target}: ${v.detail}`),
];

/** The text `npm run bench` prints, from a `--json` document (`--render file.json`). */
export function renderDocument(doc: BenchDocument): string {
  const m = doc.model;
  return [
    `tripwire bench: sweep path on a simulated organization, node ${doc.node}`,
    ...(doc.machine ? [machineLine(doc.machine)] : []),
    ...describeModel(m.latencyMs, m.jitter, m.concurrency, m.seed),
    "",
    ...doc.runs.flatMap((r) => [...formatRun(r), ""]),
    ...cpuSection(doc.runs),
    ...(doc.heal ? healLines(doc.heal) : []),
    ...(doc.bundles ? bundleLines(doc.bundles) : []),
    ...targetLines(doc.targets),
  ].join("\n");
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (flags.render) {
    const text = readFileSync(flags.render, "utf8");
    process.stdout.write(`${renderDocument(JSON.parse(text.slice(text.indexOf("{"))) as BenchDocument)}\n`);
    return;
  }
  const sizes = parseSizes(flags.sizes ?? "100x4,1000x17,5000x17");
  const modes = (flags.modes ?? "scan,fix").split(",").map((m) => (m.trim() === "fix" ? "fix" : "scan"));
  const concurrency = Number(flags.concurrency ?? 50);
  const latencyMs = Number(flags.latency ?? 40);
  const jitter = Number(flags.jitter ?? 0);
  const seed = Number(flags.seed ?? 1);
  const path = flags.path === "cli" ? "cli" : "lambda";
  const batch = Number(flags.batch ?? 5);
  const json = flags.json === "true";
  const machine = describeMachine();
  const say = (lines: string[]) => {
    if (!json) process.stdout.write(`${lines.join("\n")}\n`);
  };

  say([
    `tripwire bench: sweep path on a simulated organization, node ${process.version}`,
    machineLine(machine),
    ...describeModel(latencyMs, jitter, concurrency, seed),
    "",
  ]);
  const runs: RunFigures[] = [];
  for (const size of sizes) {
    for (const mode of modes) {
      const figures = await runChild([
        "--accounts",
        String(size.accounts),
        "--regions",
        String(size.regions),
        "--mode",
        mode,
        "--concurrency",
        String(concurrency),
        "--latency",
        String(latencyMs),
        "--jitter",
        String(jitter),
        "--seed",
        String(seed),
        "--path",
        path,
        "--batch",
        String(batch),
        ...(flags["no-profile"] === "true" ? ["--profile", "false"] : []),
        ...(flags["profile-interval"] ? ["--profile-interval", flags["profile-interval"]] : []),
        ...(flags["profile-dir"]
          ? ["--profile-file", `${flags["profile-dir"]}/${mode}-${size.accounts}x${size.regions}.cpuprofile`]
          : []),
      ]);
      runs.push(figures);
      say([...formatRun(figures), ""]);
    }
  }
  say(cpuSection(runs));
  const heal = flags["skip-heal"] === "true" ? undefined : await measureHeal({ latencyMs });
  if (heal) say(healLines(heal));
  const bundles = flags["skip-bundles"] === "true" ? undefined : await measureBundles();
  if (bundles) say(bundleLines(bundles));
  const targets = judgeTargets(runs, heal, bundles);
  say(targetLines(targets));
  if (json) {
    const doc: BenchDocument & { model: object } = {
      node: process.version,
      machine,
      model: {
        latencyMs,
        jitter,
        concurrency,
        seed,
        path,
        batch,
        quotas: QUOTAS,
        formula: BOUND_FORMULA,
      } as BenchDocument["model"],
      runs,
      ...(heal ? { heal } : {}),
      ...(bundles ? { bundles } : {}),
      targets,
    };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
