/**
 * `npm run bench`: the sweep path against the simulated organization under the latency and
 * quota model, for scan and fix at each size; then the heal of one deleted filter, and each
 * function bundle's size and load time. Prints figures and which targets they meet; asserts
 * nothing (not a timed test).
 *
 *   npm run bench -- [--sizes 100x4,1000x17,5000x17] [--modes scan,fix] [--concurrency 50]
 *                    [--latency 40] [--jitter 0] [--seed 1] [--path lambda|cli] [--batch 5]
 *                    [--skip-bundles] [--skip-heal] [--json]
 *   npm run bench -- --render saved.json     (the text, from a --json document)
 *
 * Each size and mode runs in its own child process, so peak RSS is that run's alone.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type BundleFigures, measureBundles } from "./bundles.ts";
import { type HealFigures, measureHeal } from "./heal-cost.ts";
import { QUOTAS } from "./latency-model.ts";
import { BOUND_FORMULA } from "./lower-bound.ts";
import { parseFlags, type RunFigures } from "./run-size.ts";

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

/** The heap limit the deployed functions run with (serverless.yml, NODE_OPTIONS). */
export const FUNCTION_HEAP_FLAG = "--max-old-space-size=256";

function runChild(args: string[]): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--expose-gc", FUNCTION_HEAP_FLAG, "--import", "tsx", RUN_SIZE, ...args],
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

function describeModel(latencyMs: number, jitter: number, concurrency: number, seed: number): string[] {
  const rule = (name: string, r: { rate: number; burst: number; scope: string; source: string }) =>
    `  ${name}: ${r.rate}/s, burst ${r.burst}, ${r.scope}; ${r.source}`;
  return [
    `model: each call ${latencyMs} ms${jitter ? ` ± ${Math.round(jitter * 100)}% (seeded)` : ""}; C = ${concurrency} accounts in flight; seed ${seed}; SDK retries: seeded full-jitter backoff, 1 s base doubling, 20 s cap, max 5 attempts`,
    `process: each size in its own node child, ${FUNCTION_HEAP_FLAG} as the deployed functions run (serverless.yml NODE_OPTIONS)`,
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
    `  wall time          ${s(f.wallMs)}`,
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
    `  lower bound        ${s(b.boundMs)} = ${b.binding}; L ${ms(b.callMs)}; t_s ${s(b.startMs)} (D_mgmt ${b.managementDepth}); T_list ${s(b.listingMs)} (page ${b.listingPage} of ${b.pages}, deepest review ${b.listingPageDepth}); ${b.concurrencyTerm} ${s(b.concurrencyMs)} (${b.concurrencyCalls.toLocaleString("en-US")} calls in sequence${b.concurrencyTerm === "T_batch" ? `, ${Math.max(1, Math.floor(f.concurrency / f.batchSize))} containers` : ""}); T_quota ${s(b.quotaMs)} (${b.quotaBucket})`,
    `  measured / bound   ${f.ratio.toFixed(2)}`,
  ];
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
    ...describeModel(m.latencyMs, m.jitter, m.concurrency, m.seed),
    "",
    ...doc.runs.flatMap((r) => [...formatRun(r), ""]),
    ...(doc.heal ? healLines(doc.heal) : []),
    ...(doc.bundles ? bundleLines(doc.bundles) : []),
    ...targetLines(doc.targets),
  ].join("\n");
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
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
  const say = (lines: string[]) => {
    if (!json) process.stdout.write(`${lines.join("\n")}\n`);
  };

  say([
    `tripwire bench: sweep path on a simulated organization, node ${process.version}`,
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
      ]);
      runs.push(figures);
      say([...formatRun(figures), ""]);
    }
  }
  const heal = flags["skip-heal"] === "true" ? undefined : await measureHeal({ latencyMs });
  if (heal) say(healLines(heal));
  const bundles = flags["skip-bundles"] === "true" ? undefined : await measureBundles();
  if (bundles) say(bundleLines(bundles));
  const targets = judgeTargets(runs, heal, bundles);
  say(targetLines(targets));
  if (json) {
    const doc: BenchDocument & { model: object } = {
      node: process.version,
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
