/**
 * The `tripwire` command. Bad usage or configuration: one line on stderr, exit 2, nothing
 * written. A run: its report on stdout, progress on stderr, and the command's exit code.
 */
import { productionFactory } from "../adapters/aws/production-factory.ts";
import { loadSettings, type Settings } from "../config/settings.ts";
import { parseCommandLine } from "./args.ts";
import type { CommandContext } from "./command.ts";
import { type CliIo, processIo } from "./io.ts";
import { commandUsage, generalUsage } from "./usage.ts";

export type { CliIo };

export interface CliDeps {
  readonly factoryFor: CommandContext["factoryFor"];
}

const productionDeps: CliDeps = { factoryFor: (settings, purpose) => productionFactory(settings, purpose) };

export async function main(
  argv: readonly string[],
  io: CliIo = processIo,
  deps: CliDeps = productionDeps,
): Promise<number> {
  let settings: Settings;
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
    if (parsed.help || !parsed.command) {
      io.stdout(parsed.command ? commandUsage(parsed.command) : generalUsage());
      return 0;
    }
    settings = loadSettings({ cli: parsed.settings, env: io.env, configFile: parsed.configFile });
  } catch (error) {
    return usageError(io, error);
  }
  try {
    const body = await parsed.command.load();
    return await body.run({ settings, io, options: parsed.options, factoryFor: deps.factoryFor });
  } catch (error) {
    return runError(io, error);
  }
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
