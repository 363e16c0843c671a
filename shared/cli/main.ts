/**
 * The `tripwire` command. Bad usage or configuration: one line on stderr, exit 2, nothing
 * written. A run: the report on stdout (a table, or one JSON document with --json), progress
 * on stderr, exit 0 when every in-scope account is compliant and 1 otherwise.
 */
import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import { productionFactory, type SessionPurpose } from "../adapters/aws/production-factory.ts";
import { ConfigError, loadSettings, type Settings } from "../config/settings.ts";
import { runSweep } from "../use-cases/sweep.ts";
import { exitCodeOf, type Report } from "../core/report.ts";
import { renderReport } from "./render-table.ts";
import { parseCommandLine, USAGE } from "./args.ts";
import { createProgress } from "./progress.ts";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isTty: boolean;
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  isTty: process.stderr.isTTY === true,
};

export interface CliDeps {
  /** Builds the AWS client factory for a run (tests pass one on a simulated organization). */
  readonly factoryFor: (settings: Settings, sessionPurpose: SessionPurpose) => ClientFactory;
}

const productionDeps: CliDeps = { factoryFor: (settings, purpose) => productionFactory(settings, purpose) };

export async function main(argv: readonly string[], io: CliIo = processIo, deps: CliDeps = productionDeps): Promise<number> {
  let settings: Settings;
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
    if (parsed.help) {
      io.stdout(USAGE);
      return 0;
    }
    settings = loadSettings({ cli: parsed.settings, env: io.env, configFile: parsed.configFile });
  } catch (error) {
    return usageError(io, error);
  }
  try {
    switch (parsed.command) {
      case "scan":
      case "fix":
        return await sweep(parsed.command, settings, deps.factoryFor(settings, "cli"), io);
      case "heal": {
        const { runHealCommand } = await import("./commands/heal.ts");
        return await runHealCommand(settings, parsed.event, io, deps.factoryFor(settings, "cli"));
      }
      case "prune": {
        const { runPruneCommand } = await import("./commands/prune.ts");
        return await runPruneCommand(settings, io, deps.factoryFor(settings, "cli"));
      }
      case "demo": {
        const { runDemo } = await import("./commands/demo.ts");
        return await runDemo(settings, io);
      }
      default:
        return usageError(io, new ConfigError(`unknown command ${parsed.command}`));
    }
  } catch (error) {
    return runError(io, error);
  }
}

export async function sweep(
  mode: "scan" | "fix",
  settings: Settings,
  factory: ClientFactory,
  io: CliIo,
): Promise<number> {
  if (mode === "fix" && settings.notify.length === 0 && !settings.dryRun) {
    io.stderr("note: no --notify endpoint: topics tripwire creates will have no subscriber until you add one\n");
  }
  const progress = createProgress(io, mode);
  let report: Report;
  try {
    report = await runSweep({ mode, settings, factory, onAccountDone: progress.update });
  } finally {
    progress.stop();
  }
  io.stdout(settings.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderReport(report, { color: io.isTty })}\n`);
  return exitCodeOf(report);
}

function usageError(io: CliIo, error: unknown): number {
  io.stderr(`tripwire: ${error instanceof Error ? error.message : String(error)}\n`);
  io.stderr("run 'tripwire help' for usage\n");
  return 2;
}

/** A failure before any account could be reviewed (no credentials, no Organizations access). */
function runError(io: CliIo, error: unknown): number {
  const e = error as Error;
  const hint =
    e.name === "CredentialsProviderError"
      ? " (no AWS credentials found: set AWS_PROFILE or --profile, or run in an environment with credentials)"
      : e.name === "AWSOrganizationsNotInUseException" || e.name === "AccessDeniedException"
        ? " (run from the organization's management account or a delegated administrator)"
        : /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN/.test(String((e as NodeJS.ErrnoException).code ?? e.message))
          ? " (the AWS endpoint cannot be reached: check the network, or AWS_ENDPOINT_URL if you set one)"
          : "";
  io.stderr(`tripwire: ${e.name && e.message ? `${e.name}: ${e.message}` : String(error)}${hint}\n`);
  return 2;
}
