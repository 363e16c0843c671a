/**
 * How long `tripwire --help` takes to print, against a bare `node -e 0` on the same machine:
 * each is spawned `--runs` times (default 20, after 2 warm-up runs each), interleaved so both
 * see the same machine load; prints the median and p90 wall time of each. The bin is the
 * built one (dist/cli/tripwire.js): `npm run bench:cli` builds it first. Prints; asserts nothing.
 *
 *   npm run bench:cli [-- --runs 50]
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../dist/cli/tripwire.js", import.meta.url));
const runsFlag = process.argv.indexOf("--runs");
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 20;
const WARM_UP = 2;

if (!existsSync(bin)) {
  console.error("cli-start: no dist/cli/tripwire.js: run `npm run build` first");
  process.exit(1);
}
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error("cli-start: --runs takes a whole number of runs");
  process.exit(2);
}

interface Subject {
  readonly label: string;
  readonly args: readonly string[];
  readonly times: number[];
}

const subjects: Subject[] = [
  { label: "node -e 0", args: ["-e", "0"], times: [] },
  { label: "tripwire --help", args: [bin, "--help"], times: [] },
  { label: "tripwire --version", args: [bin, "--version"], times: [] },
];

function runOnce(subject: Subject): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, subject.args, { stdio: ["ignore", "pipe", "pipe"] });
  const elapsed = performance.now() - started;
  if (result.status !== 0) {
    console.error(`cli-start: ${subject.label} exited ${result.status}: ${result.stderr.toString().slice(0, 400)}`);
    process.exit(1);
  }
  return elapsed;
}

for (let i = 0; i < WARM_UP + RUNS; i++) {
  for (const subject of subjects) {
    const ms = runOnce(subject);
    if (i >= WARM_UP) subject.times.push(ms);
  }
}

/** The nearest-rank percentile of a sample, in ms. */
function percentile(times: readonly number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

console.log(`cli start-up, ${RUNS} runs each (${WARM_UP} warm-up runs dropped), node ${process.version}:`);
for (const { label, times } of subjects) {
  console.log(
    `  ${label.padEnd(20)} median ${percentile(times, 0.5).toFixed(0).padStart(4)} ms   p90 ${percentile(times, 0.9).toFixed(0).padStart(4)} ms`,
  );
}
const [bare, help] = subjects;
if (bare && help) {
  console.log(
    `  --help over node -e 0: median +${(percentile(help.times, 0.5) - percentile(bare.times, 0.5)).toFixed(0)} ms`,
  );
}
