/**
 * Size and module load time of each function bundle:
 *  1. esbuild-bundle every functions/<name>/handler.ts as the deployment does (bundle, minify,
 *     node, ESM, node22) into a temporary directory;
 *  2. time `import()` of the bundle in a fresh `node` process (median of 3), so each load
 *     starts cold, with the environment a deployed function has.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

export interface BundleFigures {
  readonly name: string;
  readonly bytes: number;
  /** Median of 3 cold imports, ms. */
  readonly loadMs: number;
  readonly error?: string;
}

const ROOT = new URL("..", import.meta.url).pathname;

/** The environment a deployed function starts with (enough for its cold start to succeed). */
const FUNCTION_ENV: Record<string, string> = {
  AWS_REGION: "us-east-1",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  TRIPWIRE_NOTIFY: "sqs:arn:aws:sqs:us-east-1:999999999999:secops-alerts",
  TRIPWIRE_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/999999999999/tripwire-accounts",
  TRIPWIRE_ACCOUNT_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/999999999999/tripwire-accounts",
  QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/999999999999/tripwire-accounts",
  AWS_LAMBDA_FUNCTION_NAME: "tripwire-bench",
};

export function handlerNames(): string[] {
  const dir = join(ROOT, "functions");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, "handler.ts")))
    .sort();
}

export async function measureBundles(): Promise<BundleFigures[]> {
  const names = handlerNames();
  const out: BundleFigures[] = [];
  const dir = mkdtempSync(join(tmpdir(), "tripwire-bundles-"));
  try {
    for (const name of names) {
      const outfile = join(dir, `${name}.mjs`);
      try {
        await build({
          entryPoints: [join(ROOT, "functions", name, "handler.ts")],
          bundle: true,
          minify: true,
          platform: "node",
          format: "esm",
          target: "node22",
          outfile,
          logLevel: "silent",
          // ESM bundles of CommonJS dependencies need a `require` (as serverless-esbuild adds).
          banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
        });
      } catch (error) {
        out.push({ name, bytes: 0, loadMs: 0, error: (error as Error).message.split("\n")[0] });
        continue;
      }
      const bytes = statSync(outfile).size;
      const url = pathToFileURL(outfile).href;
      const script = `const t=performance.now();await import(${JSON.stringify(url)});process.stdout.write(String(performance.now()-t));`;
      const times: number[] = [];
      let error: string | undefined;
      for (let i = 0; i < 3 && !error; i++) {
        try {
          const text = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
            env: { PATH: process.env.PATH ?? "", ...FUNCTION_ENV },
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
          });
          times.push(Number(text));
        } catch (e) {
          error =
            String((e as { stderr?: string }).stderr ?? e)
              .split("\n")
              .find((l) => /Error/.test(l)) ?? "import failed";
        }
      }
      times.sort((a, b) => a - b);
      out.push({ name, bytes, loadMs: Math.round((times[1] ?? times[0] ?? 0) * 10) / 10, ...(error ? { error } : {}) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
