/**
 * The `tripwire` command. Bad usage or configuration: one line on stderr, exit 2, nothing
 * written. A run: its report on stdout, progress on stderr, and the command's exit code.
 */
import { loadSettings, type Settings } from "../config/settings.ts";
import { describeError } from "../core/describe-error.ts";
import { parseCommandLine } from "./args.ts";
import type { CommandContext } from "./command.ts";
import { type CliIo, processIo } from "./io.ts";
import { commandUsage, generalUsage } from "./usage.ts";
import { VERSION } from "./version.ts";

export type { CliIo };

export interface CliDeps {
  readonly factoryFor: CommandContext["factoryFor"];
  /** The time (tests on a simulated clock): what "expired" and "the last 24h" are measured from. */
  readonly now?: () => Date;
  /** The clock of commands that wait (`prove`); default real time. */
  readonly clock?: CommandContext["clock"];
}

/**
 * The real AWS factory, imported only when a command runs: `tripwire --help` and
 * `--version` load no AWS SDK module (test/cli/start-up.test.ts checks the built bin).
 */
async function productionDeps(): Promise<CliDeps> {
  const { productionFactory } = await import("../adapters/aws/production-factory.ts");
  return { factoryFor: (settings, purpose) => productionFactory(settings, purpose) };
}

export async function main(argv: readonly string[], io: CliIo = processIo, deps?: CliDeps): Promise<number> {
  let settings: Settings;
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
    if (parsed.version) {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (parsed.help || !parsed.command) {
      io.stdout(parsed.command ? commandUsage(parsed.command) : generalUsage());
      return 0;
    }
    settings = loadSettings({
      cli: parsed.settings,
      env: io.env,
      configFile: parsed.configFile,
      ...(deps?.now ? { now: deps.now() } : {}),
    });
    if (settings.awsProfile && !parsed.command.offline) {
      const { checkProfileExists } = await import("../adapters/aws/profile-check.ts");
      await checkProfileExists(settings.awsProfile, io.env);
    }
  } catch (error) {
    return usageError(io, error);
  }
  try {
    const body = await parsed.command.load();
    const { factoryFor, clock } = deps ?? (await productionDeps());
    return await body.run({
      settings,
      io,
      options: parsed.options,
      factoryFor,
      ...(deps?.now ? { now: deps.now } : {}),
      ...(clock ? { clock } : {}),
    });
  } catch (error) {
    return runError(io, error);
  }
}

function usageError(io: CliIo, error: unknown): number {
  io.stderr(`tripwire: ${error instanceof Error ? error.message : String(error)}\n`);
  io.stderr("run 'tripwire help' for usage\n");
  return 2;
}

/** Errors whose message says all: the class name would add nothing. */
const SELF_EXPLAINING = new Set(["UnknownAccountsError", "AccountListingError"]);

/**
 * A failure before any account could be reviewed (no credentials, no Organizations access, an
 * account list naming accounts outside the organization, a listing that cannot start).
 */
function runError(io: CliIo, error: unknown): number {
  const e = error as Error;
  // A listing that failed is explained by why it failed.
  const root = (e.name === "AccountListingError" ? e.cause : e) as Error | undefined;
  const hint =
    root?.name === "CredentialsProviderError"
      ? " (no AWS credentials found: set AWS_PROFILE or --profile, or run in an environment with credentials)"
      : root?.name === "AWSOrganizationsNotInUseException" || root?.name === "AccessDeniedException"
        ? " (run from the organization's management account or a delegated administrator)"
        : /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN/.test(
              String((root as NodeJS.ErrnoException | undefined)?.code ?? root?.message),
            )
          ? " (the AWS endpoint cannot be reached: check the network, or AWS_ENDPOINT_URL if you set one)"
          : "";
  const text = error instanceof Error && SELF_EXPLAINING.has(e.name) ? e.message : describeError(error);
  io.stderr(`tripwire: ${text}${hint}\n`);
  return 2;
}
