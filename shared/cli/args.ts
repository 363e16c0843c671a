/** Command-line parsing: node's own parseArgs, with errors turned into one-line usage errors. */
import { parseArgs } from "node:util";
import { ConfigError, SETTING_SPECS, type RawSettings, type SettingName } from "../config/settings.ts";

export const COMMANDS = ["scan", "fix", "demo", "heal", "prune", "help"] as const;
export type Command = (typeof COMMANDS)[number];

export interface ParsedArgs {
  readonly command: Command;
  readonly settings: RawSettings;
  readonly configFile?: string;
  readonly event?: string;
  readonly help: boolean;
}

const BOOLEAN: readonly SettingName[] = ["json", "dryRun"];
const REPEATABLE: readonly SettingName[] = ["notify"];

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  const options: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {
    config: { type: "string" },
    event: { type: "string" },
    help: { type: "boolean" },
  };
  for (const [name, spec] of Object.entries(SETTING_SPECS) as [SettingName, { cli: string }][]) {
    options[spec.cli] = { type: BOOLEAN.includes(name) ? "boolean" : "string", ...(REPEATABLE.includes(name) ? { multiple: true } : {}) };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError(((error as Error).message.split("\n")[0] ?? "bad arguments").replace(/\. To specify.*$/, ""));
  }
  const [command = "help", ...extra] = parsed.positionals;
  if (!COMMANDS.includes(command as Command)) {
    throw new ConfigError(`unknown command "${command}" (commands: ${COMMANDS.filter((c) => c !== "help").join(", ")})`);
  }
  if (extra.length > 0) throw new ConfigError(`unexpected argument "${extra[0]}" after ${command}`);
  const settings: RawSettings = {};
  for (const [name, spec] of Object.entries(SETTING_SPECS) as [SettingName, { cli: string }][]) {
    const value = parsed.values[spec.cli];
    if (value !== undefined) settings[name] = value as string | string[] | boolean;
  }
  return {
    command: command as Command,
    settings,
    configFile: parsed.values.config as string | undefined,
    event: parsed.values.event as string | undefined,
    help: parsed.values.help === true || command === "help",
  };
}

export const USAGE = `usage: tripwire <command> [options]

commands:
  scan                 read-only: judge every in-scope account (exit 0 compliant, 1 not or error, 2 bad usage)
  fix [--dry-run]      plan and (unless --dry-run) create what is missing; exit code judged after the run
  heal --event FILE    repair one account and region from an EventBridge drift event
  prune [--dry-run]    remove everything tripwire created in the in-scope accounts
  demo                 the whole flow on a simulated organization (no AWS needed)

options (each also as TRIPWIRE_<NAME> in the environment, or in a JSON file given by --config):
  --regions a,b            regions in scope (default: every enabled region of each account)
  --accounts id,...        only these accounts          --exclude-accounts id,...
  --ou ou-...              accounts under this OU, recursively
  --role-name NAME         role assumed in member accounts (default OrganizationAccountAccessRole)
  --external-id ID         external id for that role
  --notify proto:endpoint  subscribe to tripwire's topic (repeatable; email, https, sqs, lambda)
  --filter-profile P       securityhub | cis-v1.4 | all (default all): which CIS filters fix writes
  --prefix NAME            name prefix of created resources (default tripwire)
  --profile NAME           AWS named profile for the caller's credentials
  --home-region REGION     region for Organizations/STS and the first trail look-up (default us-east-1)
  --concurrency N          accounts in flight (default 10)
  --max-attempts N         attempts per AWS call, retries included (default 5)
  --json                   print the report as one JSON document on stdout
  --config FILE            JSON file of settings (keys: regions, accounts, excludeAccounts, ou, roleName,
                           externalId, notify, profile, filterProfile, prefix, homeRegion, concurrency, ...)
`;
