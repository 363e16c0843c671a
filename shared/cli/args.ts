/** Command-line parsing: node's own parseArgs, with errors turned into one-line usage errors. */
import { parseArgs } from "node:util";
import { ConfigError, type RawSettings, SETTING_SPECS, type SettingName, shorten, show } from "../config/settings.ts";
import type { CommandSpec } from "./command.ts";
import { COMMANDS, findCommand } from "./commands/index.ts";

export interface ParsedArgs {
  /** The command to run; undefined with `help` for the general usage. */
  readonly command?: CommandSpec;
  readonly settings: RawSettings;
  readonly configFile?: string;
  /** Values of the command's own options. */
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  /** `help`, `--help` or `-h`: print the usage (the command's, if one was named) and stop. */
  readonly help: boolean;
  /** `--version` or `-V`: print the package's version and stop (before help). */
  readonly version: boolean;
}

const BOOLEAN: readonly SettingName[] = ["json", "dryRun", "dedicatedRole", "securityHub"];
const REPEATABLE: readonly SettingName[] = ["notify"];

type OptionConfig = Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;

function settingOptions(): OptionConfig {
  const options: OptionConfig = {
    config: { type: "string" },
    help: { type: "boolean", short: "h" },
    version: { type: "boolean", short: "V" },
  };
  for (const [name, spec] of Object.entries(SETTING_SPECS) as [SettingName, { cli?: string }][]) {
    if (spec.cli === undefined) continue;
    options[spec.cli] = {
      type: BOOLEAN.includes(name) ? "boolean" : "string",
      ...(REPEATABLE.includes(name) ? { multiple: true } : {}),
    };
  }
  return options;
}

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  // `help <command>` is `<command> --help`.
  const args = argv[0] === "help" && argv[1] !== undefined ? [argv[1], "--help", ...argv.slice(2)] : [...argv];
  const first = args.find((a) => !a.startsWith("-"));
  const command = first === undefined || first === "help" ? undefined : findCommand(first);
  if (first !== undefined && first !== "help" && !command) {
    throw new ConfigError(`unknown command ${show(first)} (commands: ${COMMANDS.map((c) => c.name).join(", ")})`);
  }
  const options = settingOptions();
  for (const option of command?.options ?? []) options[option.name] = { type: option.type };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const line = ((error as Error).message.split("\n")[0] ?? "bad arguments").replace(/\. To specify.*$/, "");
    throw new ConfigError(shorten(line, 120));
  }
  const extra = parsed.positionals.slice(1);
  if (extra.length > 0) throw new ConfigError(`unexpected argument ${show(extra[0])} after ${command?.name ?? "help"}`);
  const settings: RawSettings = {};
  for (const [name, spec] of Object.entries(SETTING_SPECS) as [SettingName, { cli?: string }][]) {
    if (spec.cli === undefined) continue;
    const value = parsed.values[spec.cli];
    if (value !== undefined) settings[name] = value as string | string[] | boolean;
  }
  const own: Record<string, string | boolean | undefined> = {};
  for (const option of command?.options ?? [])
    own[option.name] = parsed.values[option.name] as string | boolean | undefined;
  return {
    ...(command ? { command } : {}),
    settings,
    configFile: parsed.values.config as string | undefined,
    options: own,
    help: parsed.values.help === true || command === undefined,
    version: parsed.values.version === true,
  };
}
