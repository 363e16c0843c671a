/**
 * The one place settings are read: command-line values, TRIPWIRE_* environment variables
 * and an optional JSON config file, validated into a frozen object. Precedence: command
 * line, then environment, then file, then defaults. Every error names the setting.
 */
import { readFileSync } from "node:fs";

import type { FilterProfile, NotifyEndpoint, NotifyProtocol } from "../core/model.ts";

export type { FilterProfile, NotifyEndpoint, NotifyProtocol };

export interface Settings {
  /** Regions in scope; undefined means every region enabled in each account. */
  readonly regions?: readonly string[];
  readonly accounts?: readonly string[];
  readonly excludeAccounts: readonly string[];
  readonly ou?: string;
  readonly roleName: string;
  readonly externalId?: string;
  readonly notify: readonly NotifyEndpoint[];
  /** Named AWS profile for the caller's credentials. */
  readonly awsProfile?: string;
  readonly concurrency: number;
  readonly json: boolean;
  readonly dryRun: boolean;
  /** Name prefix of every resource tripwire creates. */
  readonly prefix: string;
  /** Which filters the fix writes: the Security Hub (CIS v1.2) one, the CIS v1.4 one, or both. */
  readonly filterProfile: FilterProfile;
  /** Region used for Organizations, STS and the first trail look-up. */
  readonly homeRegion: string;
  /** Attempts per AWS call, first included. */
  readonly maxAttempts: number;
  /** The member role trusts only tripwire's functions (the member stack's role): its sessions are tripwire's own. */
  readonly dedicatedRole: boolean;
}

/** A setting has a value tripwire cannot use. The message names the setting and what is accepted. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Raw values as strings (or string lists for repeatable options), before validation. */
export type RawSettings = Partial<Record<SettingName, string | readonly string[] | boolean>>;

interface SettingSpec {
  /** Name on the command line (without --), in the environment (after TRIPWIRE_) and in the file. */
  readonly cli: string;
  readonly env: string;
  readonly file: string;
}

const SPECS = {
  regions: { cli: "regions", env: "REGIONS", file: "regions" },
  accounts: { cli: "accounts", env: "ACCOUNTS", file: "accounts" },
  excludeAccounts: { cli: "exclude-accounts", env: "EXCLUDE_ACCOUNTS", file: "excludeAccounts" },
  ou: { cli: "ou", env: "OU", file: "ou" },
  roleName: { cli: "role-name", env: "ROLE_NAME", file: "roleName" },
  externalId: { cli: "external-id", env: "EXTERNAL_ID", file: "externalId" },
  notify: { cli: "notify", env: "NOTIFY", file: "notify" },
  awsProfile: { cli: "profile", env: "PROFILE", file: "profile" },
  concurrency: { cli: "concurrency", env: "CONCURRENCY", file: "concurrency" },
  json: { cli: "json", env: "JSON", file: "json" },
  dryRun: { cli: "dry-run", env: "DRY_RUN", file: "dryRun" },
  prefix: { cli: "prefix", env: "PREFIX", file: "prefix" },
  filterProfile: { cli: "filter-profile", env: "FILTER_PROFILE", file: "filterProfile" },
  homeRegion: { cli: "home-region", env: "HOME_REGION", file: "homeRegion" },
  maxAttempts: { cli: "max-attempts", env: "MAX_ATTEMPTS", file: "maxAttempts" },
  dedicatedRole: { cli: "dedicated-role", env: "DEDICATED_ROLE", file: "dedicatedRole" },
} as const satisfies Record<keyof Settings, SettingSpec>;

export type SettingName = keyof typeof SPECS;
export const SETTING_SPECS: Readonly<Record<SettingName, SettingSpec>> = SPECS;

export const DEFAULTS = {
  roleName: "OrganizationAccountAccessRole",
  concurrency: 10,
  prefix: "tripwire",
  filterProfile: "all",
  homeRegion: "us-east-1",
  maxAttempts: 5,
} as const;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT_ID = /^\d{12}$/;
const OU_OR_ROOT = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const PREFIX = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;
const PROFILE = /^[\w+=,.@:/-]{1,128}$/;
const PROTOCOLS: readonly NotifyProtocol[] = ["email", "https", "sqs", "lambda"];
const FILTER_PROFILES: readonly FilterProfile[] = ["securityhub", "cis-v1.4", "all"];

export interface SettingsSources {
  /** Values from the command line, keyed by setting. */
  readonly cli?: RawSettings;
  /** The process environment (TRIPWIRE_* variables are read from it). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Path of a JSON config file (from --config or TRIPWIRE_CONFIG). */
  readonly configFile?: string;
}

/** Reads, merges and validates settings; throws ConfigError naming the first bad setting. */
export function loadSettings(sources: SettingsSources): Settings {
  const env = sources.env ?? {};
  const file = readConfigFile(sources.configFile ?? env.TRIPWIRE_CONFIG);
  const pick = (name: SettingName): { value: unknown; from: string } | undefined => {
    const spec = SPECS[name];
    const cli = sources.cli?.[name];
    if (cli !== undefined && !(Array.isArray(cli) && cli.length === 0)) return { value: cli, from: `--${spec.cli}` };
    const fromEnv = env[`TRIPWIRE_${spec.env}`];
    if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, from: `TRIPWIRE_${spec.env}` };
    if (file && file.values[spec.file] !== undefined) {
      return { value: file.values[spec.file], from: `"${spec.file}" in ${file.path}` };
    }
    return undefined;
  };

  const list = (name: SettingName, check: (item: string, from: string) => void): string[] | undefined => {
    const got = pick(name);
    if (!got) return undefined;
    const items = toList(got.value, got.from);
    for (const item of items) check(item, got.from);
    return items;
  };
  const text = (name: SettingName, pattern: RegExp, accepted: string): string | undefined => {
    const got = pick(name);
    if (!got) return undefined;
    if (typeof got.value !== "string" || !pattern.test(got.value)) {
      throw new ConfigError(`invalid ${got.from}: ${show(got.value)} is not ${accepted}`);
    }
    return got.value;
  };
  const int = (name: SettingName, min: number, max: number): number | undefined => {
    const got = pick(name);
    if (!got) return undefined;
    const n = typeof got.value === "number" ? got.value : Number(got.value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new ConfigError(`invalid ${got.from}: ${show(got.value)} is not a whole number from ${min} to ${max}`);
    }
    return n;
  };
  const flag = (name: SettingName): boolean => {
    const got = pick(name);
    if (!got) return false;
    if (typeof got.value === "boolean") return got.value;
    if (got.value === "true" || got.value === "1") return true;
    if (got.value === "false" || got.value === "0") return false;
    throw new ConfigError(`invalid ${got.from}: ${show(got.value)} is not true or false`);
  };

  const regions = list("regions", (r, from) => {
    if (!REGION.test(r)) throw new ConfigError(`invalid ${from}: ${show(r)} is not a region name like eu-west-1`);
  });
  if (regions && regions.length === 0) throw new ConfigError(`invalid --regions: the list is empty`);
  const accountCheck = (id: string, from: string) => {
    if (!ACCOUNT_ID.test(id)) throw new ConfigError(`invalid ${from}: ${show(id)} is not a 12-digit account id`);
  };
  const notify = list("notify", () => undefined)?.map((item) => parseNotify(item, pick("notify")?.from ?? "--notify"));
  const filterProfile = text("filterProfile", /^.*$/, "") ?? DEFAULTS.filterProfile;
  if (!FILTER_PROFILES.includes(filterProfile as FilterProfile)) {
    throw new ConfigError(
      `invalid ${pick("filterProfile")?.from}: ${show(filterProfile)} is not one of ${FILTER_PROFILES.join(", ")}`,
    );
  }

  const settings: Settings = {
    regions: regions ? dedupe(regions) : undefined,
    accounts: list("accounts", accountCheck),
    excludeAccounts: list("excludeAccounts", accountCheck) ?? [],
    ou: text("ou", OU_OR_ROOT, "an organizational unit id (ou-xxxx-xxxxxxxx) or root id (r-xxxx)"),
    roleName: text("roleName", ROLE_NAME, "an IAM role name") ?? DEFAULTS.roleName,
    externalId: text("externalId", EXTERNAL_ID, "an external id (2-1224 characters of letters, digits and +=,.@:/-)"),
    notify: notify ?? [],
    awsProfile: text("awsProfile", PROFILE, "a profile name"),
    concurrency: int("concurrency", 1, 500) ?? DEFAULTS.concurrency,
    json: flag("json"),
    dryRun: flag("dryRun"),
    prefix:
      text("prefix", PREFIX, "a name prefix: a letter, then up to 31 letters, digits or hyphens") ?? DEFAULTS.prefix,
    filterProfile: filterProfile as FilterProfile,
    homeRegion: text("homeRegion", REGION, "a region name like us-east-1") ?? DEFAULTS.homeRegion,
    maxAttempts: int("maxAttempts", 1, 20) ?? DEFAULTS.maxAttempts,
    dedicatedRole: flag("dedicatedRole"),
  };
  return Object.freeze(settings);
}

/** Parses `protocol:endpoint`, checking the endpoint is of the protocol's kind. */
export function parseNotify(item: string, from = "--notify"): NotifyEndpoint {
  const colon = item.indexOf(":");
  const protocol = item.slice(0, colon) as NotifyProtocol;
  const endpoint = item.slice(colon + 1);
  if (colon < 1 || !PROTOCOLS.includes(protocol)) {
    throw new ConfigError(
      `invalid ${from}: ${show(item)} is not protocol:endpoint with protocol one of ${PROTOCOLS.join(", ")}`,
    );
  }
  const ok =
    protocol === "email"
      ? /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(endpoint)
      : protocol === "https"
        ? /^https:\/\/[^\s]+$/.test(endpoint)
        : new RegExp(`^arn:aws[\\w-]*:${protocol}:[a-z0-9-]+:\\d{12}:\\S+$`).test(endpoint);
  if (!ok) {
    const want = {
      email: "an email address",
      https: "an https:// URL",
      sqs: "an SQS queue ARN",
      lambda: "a Lambda function ARN",
    }[protocol];
    throw new ConfigError(`invalid ${from}: ${show(endpoint)} is not ${want} for ${protocol}`);
  }
  return { protocol, endpoint };
}

function readConfigFile(path: string | undefined): { path: string; values: Record<string, unknown> } | undefined {
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof values !== "object" || values === null || Array.isArray(values)) {
    throw new ConfigError(`config file ${path} must hold a JSON object of settings`);
  }
  const known = new Set(Object.values(SPECS).map((s) => s.file));
  const unknown = Object.keys(values).find((k) => !known.has(k as never));
  if (unknown) {
    throw new ConfigError(`config file ${path}: unknown setting "${unknown}" (known: ${[...known].join(", ")})`);
  }
  return { path, values: values as Record<string, unknown> };
}

function toList(value: unknown, from: string): string[] {
  if (typeof value === "string")
    return value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    return value
      .flatMap((v: string) => v.split(","))
      .map((s) => s.trim())
      .filter(Boolean);
  }
  throw new ConfigError(`invalid ${from}: expected a comma-separated list or a list of strings`);
}

function dedupe<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
}
