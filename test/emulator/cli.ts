/**
 * Runs the real `tripwire` command as a subprocess, the way a user does: the bin that
 * package.json declares (the built dist/cli/tripwire.js, which vitest's globalSetup builds
 * before the suites run), on this Node, against an emulator endpoint, with an environment of
 * its own (a temporary HOME and empty AWS config files), so the developer's AWS profiles,
 * credentials and TRIPWIRE_* settings never reach it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The path package.json's `bin.tripwire` names, absolute. */
export function tripwireBin(): string {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { bin?: { tripwire?: string } };
  const bin = manifest.bin?.tripwire;
  if (!bin) throw new Error("package.json has no bin.tripwire");
  return join(REPO_ROOT, bin);
}

export interface CliResult {
  /** Exit code; null when the process was killed (see timedOut). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The run did not finish within the guard time and was killed. */
  readonly timedOut: boolean;
}

export interface CliOptions {
  /** AWS endpoint the CLI talks to (the fault proxy or moto). */
  readonly endpoint: string;
  /** Extra environment (TRIPWIRE_* settings). */
  readonly env?: Readonly<Record<string, string>>;
  /** The run is killed after this long: a hung CLI fails its test instead of hanging the suite. */
  readonly killAfterMs?: number;
}

export interface TripwireCli {
  run(args: readonly string[], options?: Partial<CliOptions>): Promise<CliResult>;
  /** Writes a file in the CLI's temporary directory (an event file, a config file); returns its path. */
  writeFile(name: string, content: string): string;
  dispose(): void;
}

/** A CLI bound to an endpoint, with a temporary HOME that `dispose` removes. */
export function tripwireCli(defaults: CliOptions): TripwireCli {
  const home = mkdtempSync(join(tmpdir(), "tripwire-emulator-"));
  const configFile = join(home, "aws-config");
  const credentialsFile = join(home, "aws-credentials");
  writeFileSync(configFile, "");
  writeFileSync(credentialsFile, "");
  const bin = tripwireBin();
  return {
    run(args, options = {}) {
      const endpoint = options.endpoint ?? defaults.endpoint;
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        TMPDIR: home,
        AWS_CONFIG_FILE: configFile,
        AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
        AWS_ENDPOINT_URL: endpoint,
        // moto accepts any key; this pair maps to its default account, 123456789012, which
        // the suite makes the organization's management account.
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_REGION: "us-east-1",
        AWS_EC2_METADATA_DISABLED: "true",
        // The CLI lets the SDK warn on Node 20 that its 2027 releases need Node 22; the suite
        // runs on Node 20 on purpose and reads stderr line by line.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        ...defaults.env,
        ...options.env,
      };
      return runProcess(process.execPath, [bin, ...args], env, options.killAfterMs ?? defaults.killAfterMs ?? 60_000);
    },
    writeFile(name, content) {
      const path = join(home, name);
      writeFileSync(path, content);
      return path;
    },
    dispose() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function runProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  killAfterMs: number,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, killAfterMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** stdout as the JSON document `--json` prints; the error names what came out instead. */
export function jsonOf<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(
      `expected one JSON document on stdout; exit ${result.code}${result.timedOut ? " (killed: did not finish)" : ""}, ` +
        `stdout ${JSON.stringify(result.stdout.slice(0, 400))}, stderr ${JSON.stringify(result.stderr.slice(-600))}`,
    );
  }
}
