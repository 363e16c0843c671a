/**
 * The one place settings are read: command-line values, TRIPWIRE_* environment variables
 * and an optional JSON config file, validated into a frozen object. Precedence: command
 * line, then environment, then file, then defaults. Every error is one line that names the
 * setting (the option, the variable, or the file and key) and the form it accepts; a value
 * too long to echo is shortened.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { DURATION_FORM, formatDuration, parseDuration } from "../core/duration.ts";
import type { Exclusion } from "../core/exclusions.ts";
import { type Exemption, latestExpiry, parseIsoDate } from "../core/exemptions.ts";
import type { FilterProfile, NotifyEndpoint, NotifyProtocol } from "../core/model.ts";
import { isAwsManagedAlias, isAwsSnsKeyAlias } from "../core/topic-key.ts";
import { ExclusionsError, parseExclusions } from "./exclusions.ts";

export type { Exemption, FilterProfile, NotifyEndpoint, NotifyProtocol };

/** How `scan` and `fix` print the report: the table, the JSON document, OCSF events or CSV rows. */
export type OutputFormat = "table" | "json" | "ocsf" | "csv";

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
  /** The report is printed as the JSON document (`output` is "json"): `--json` is short for `--output json`. */
  readonly json: boolean;
  readonly output: OutputFormat;
  /** Import one finding per account into Security Hub, from the account itself (use-cases/security-hub.ts). */
  readonly securityHub: boolean;
  /** KMS key tripwire's topic is created with: a key or alias ARN, or `alias/NAME`; unencrypted when unset. */
  readonly topicKmsKey?: string;
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
  /** Milliseconds one attempt of an AWS call may take before it is abandoned (and retried). */
  readonly callTimeout: number;
  /** Who answers tripwire's alarm: in its description and its alarm's and topic's `owner` tag. */
  readonly owner?: string;
  /** What to do when it fires: an https URL, in its description and the `runbook` tag. */
  readonly runbookUrl?: string;
  /** Documented exemptions: accounts reviewed read-only and reported EXEMPT until they expire. */
  readonly exemptions: readonly Exemption[];
  /** Documented callers whose calls explain, replay and the notify function set aside (config/exclusions.ts). */
  readonly exclusions: readonly Exclusion[];
  /** Most log events explain and replay read for one alarm or account. */
  readonly maxEvents: number;
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
  /**
   * Name on the command line (without --), in the environment (after TRIPWIRE_) and in the
   * file. A setting without a command-line name (a structured list) comes from the others only.
   */
  readonly cli?: string;
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
  output: { cli: "output", env: "OUTPUT", file: "output" },
  securityHub: { cli: "security-hub", env: "SECURITY_HUB", file: "securityHub" },
  topicKmsKey: { cli: "topic-kms-key", env: "TOPIC_KMS_KEY", file: "topicKmsKey" },
  dryRun: { cli: "dry-run", env: "DRY_RUN", file: "dryRun" },
  prefix: { cli: "prefix", env: "PREFIX", file: "prefix" },
  filterProfile: { cli: "filter-profile", env: "FILTER_PROFILE", file: "filterProfile" },
  homeRegion: { cli: "home-region", env: "HOME_REGION", file: "homeRegion" },
  maxAttempts: { cli: "max-attempts", env: "MAX_ATTEMPTS", file: "maxAttempts" },
  dedicatedRole: { cli: "dedicated-role", env: "DEDICATED_ROLE", file: "dedicatedRole" },
  callTimeout: { cli: "call-timeout", env: "CALL_TIMEOUT", file: "callTimeout" },
  owner: { cli: "owner", env: "OWNER", file: "owner" },
  runbookUrl: { cli: "runbook-url", env: "RUNBOOK_URL", file: "runbookUrl" },
  // A list of objects: the config file's `exemptions`, or the same list as JSON text in
  // TRIPWIRE_EXEMPTIONS (how the deployed functions get it). No command-line option.
  exemptions: { env: "EXEMPTIONS", file: "exemptions" },
  exclusions: { cli: "exclusions", env: "EXCLUSIONS", file: "exclusions" },
  maxEvents: { cli: "max-events", env: "MAX_EVENTS", file: "maxEvents" },
} as const satisfies Record<keyof Settings, SettingSpec>;

export type SettingName = keyof typeof SPECS;
export const SETTING_SPECS: Readonly<Record<SettingName, SettingSpec>> = SPECS;

export const DEFAULTS = {
  roleName: "OrganizationAccountAccessRole",
  concurrency: 10,
  prefix: "tripwire",
  filterProfile: "all",
  output: "table",
  homeRegion: "us-east-1",
  maxAttempts: 5,
  callTimeout: 10_000,
  maxEvents: 10_000,
} as const;

/** The variable that names the config file: read by tripwire, not a setting of its own. */
export const CONFIG_VARIABLE = "TRIPWIRE_CONFIG";
/** Config files larger than this are refused (read no further: `--config /dev/zero` stops here). */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Values longer than this are shortened in messages. */
const SHOWN_CHARACTERS = 60;

const CALL_TIMEOUT_MS = { min: 1_000, max: 900_000 } as const;
const MAX_EVENTS = 1_000_000;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT_ID = /^\d{12}$/;
const OU_OR_ROOT = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const PREFIX = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;
const PROFILE = /^[\w+=,.@:/-]{1,128}$/;
/** A whole number as people type it: no sign, no leading zero, no exponent, no spaces. */
const WHOLE_NUMBER = /^(0|[1-9]\d{0,8})$/;
const PROTOCOLS: readonly NotifyProtocol[] = ["email", "https", "sqs", "lambda"];
/**
 * An AWS tag value as every tagging service accepts it: up to 256 letters, digits, spaces and
 * `_ . : / = + - @`, not starting with `aws:` (reserved). CloudWatch and SNS publish no
 * pattern of their own; this is the set AWS documents as common to its services.
 */
const TAG_VALUE = /^[\p{L}\p{N} _.:/=+\-@]{1,256}$/u;
const OWNER_FORM =
  "an owner: 1-256 letters, digits, spaces and _.:/=+-@ (it becomes a tag value), not starting with aws:";
const RUNBOOK_FORM =
  "an https:// URL of up to 256 letters, digits and _.:/=+-@ (it becomes a tag value: no query string, fragment or %-escape)";
const FILTER_PROFILES: readonly FilterProfile[] = ["securityhub", "cis-v1.4", "all"];
const OUTPUTS: readonly OutputFormat[] = ["table", "json", "ocsf", "csv"];
const ALIAS_NAME = "alias/[A-Za-z0-9/_-]{1,250}";
const KEY_ID = "(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})";
/** A key ARN, an alias ARN or an alias name: what names one key in each account (a bare key id would not). */
const KMS_KEY = new RegExp(
  `^(?:${ALIAS_NAME}|arn:aws(?:-[a-z]+)*:kms:[a-z]{2}(?:-[a-z]+)+-\\d{1,2}:\\d{12}:(?:${ALIAS_NAME}|key/${KEY_ID}))$`,
);
const KMS_KEY_FORM = "a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), an alias ARN or alias/NAME";

/** What a list setting holds, for the message that refuses an empty one. */
const LIST_ITEMS: Partial<Record<SettingName, string>> = {
  regions: "region names like eu-west-1",
  accounts: "12-digit account ids",
  excludeAccounts: "12-digit account ids",
  notify: "protocol:endpoint subscriptions",
};

export interface SettingsSources {
  /** Values from the command line, keyed by setting. */
  readonly cli?: RawSettings;
  /** The process environment (TRIPWIRE_* variables are read from it). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Path of a JSON config file (from --config or TRIPWIRE_CONFIG). */
  readonly configFile?: string;
  /** Today, for the settings that depend on it: exemptions and exclusions end at most one year ahead. */
  readonly now?: Date;
  /**
   * TRIPWIRE_* variables the caller reads itself (a function's queue URL, say). Any other
   * TRIPWIRE_* variable that is not a setting or TRIPWIRE_CONFIG is refused, like an unknown
   * key in the config file: a typo (`TRIPWIRE_DRYRUN`) must not be ignored.
   */
  readonly knownVariables?: readonly string[];
}

type Source = "cli" | "env" | "file";

interface Picked {
  readonly value: unknown;
  /** How the user wrote the setting's name: `--concurrency`, `TRIPWIRE_CONCURRENCY`, `"concurrency" in FILE`. */
  readonly from: string;
  readonly source: Source;
}

/** Reads, merges and validates settings; throws ConfigError naming the first bad setting. */
export function loadSettings(sources: SettingsSources): Settings {
  const env = sources.env ?? {};
  refuseUnknownVariables(env, sources.knownVariables ?? []);
  const file = readConfigFile(sources.configFile ?? (env[CONFIG_VARIABLE] || undefined));
  const pick = (name: SettingName): Picked | undefined => {
    const spec: SettingSpec = SPECS[name];
    const cli = sources.cli?.[name];
    if (spec.cli !== undefined && cli !== undefined && !(Array.isArray(cli) && cli.length === 0)) {
      return { value: cli, from: `--${spec.cli}`, source: "cli" };
    }
    const fromEnv = env[`TRIPWIRE_${spec.env}`];
    // An empty variable is an unset one (a deployment passes empty parameters through).
    if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, from: `TRIPWIRE_${spec.env}`, source: "env" };
    if (file && file.values[spec.file] !== undefined) {
      return { value: file.values[spec.file], from: `"${spec.file}" in ${file.path}`, source: "file" };
    }
    return undefined;
  };
  const refuse = (got: Picked, accepted: string): never => {
    throw new ConfigError(`invalid ${got.from}: ${show(got.value)} is not ${accepted}`);
  };

  const list = (name: SettingName, check: (item: string, got: Picked) => void): string[] | undefined => {
    const got = pick(name);
    if (!got) return undefined;
    const items = toList(got, name === "notify" ? splitNotify : splitCommas);
    if (items.length === 0) {
      throw new ConfigError(
        `invalid ${got.from}: the list is empty; give one or more ${LIST_ITEMS[name]}, or leave the setting out`,
      );
    }
    for (const item of items) check(item, got);
    return dedupe(items);
  };
  const text = (name: SettingName, pattern: RegExp, accepted: string): string | undefined => {
    const got = pick(name);
    if (!got) return undefined;
    if (typeof got.value !== "string" || !pattern.test(got.value)) refuse(got, accepted);
    return got.value as string;
  };
  const choice = <T extends string>(name: SettingName, choices: readonly T[]): T | undefined => {
    const got = pick(name);
    if (!got) return undefined;
    if (typeof got.value !== "string" || !choices.includes(got.value as T)) refuse(got, `one of ${choices.join(", ")}`);
    return got.value as T;
  };
  const int = (name: SettingName, min: number, max: number): number | undefined => {
    const got = pick(name);
    if (!got) return undefined;
    const { value } = got;
    const n =
      typeof value === "number" && got.source === "file"
        ? value
        : typeof value === "string" && WHOLE_NUMBER.test(value)
          ? Number(value)
          : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) refuse(got, `a whole number from ${min} to ${max}`);
    return n;
  };
  const duration = (name: SettingName, min: number, max: number): number | undefined => {
    const got = pick(name);
    if (!got) return undefined;
    const ms = typeof got.value === "string" ? parseDuration(got.value) : undefined;
    if (ms === undefined || ms < min || ms > max) {
      refuse(got, `a duration from ${formatDuration(min)} to ${formatDuration(max)} (${DURATION_FORM})`);
    }
    return ms as number;
  };
  /** Text that is also an AWS tag value: tripwire writes it as one (and in the alarm's description). */
  const tagText = (name: SettingName, accepted: string, check: (text: string) => boolean = () => true) => {
    const got = pick(name);
    if (!got) return undefined;
    if (typeof got.value !== "string" || !isTagValue(got.value) || !check(got.value)) refuse(got, accepted);
    return got.value as string;
  };
  const flag = (name: SettingName): boolean => {
    const got = pick(name);
    if (!got) return false;
    if (typeof got.value === "boolean") return got.value;
    if (got.value === "true" || got.value === "1") return true;
    if (got.value === "false" || got.value === "0") return false;
    return refuse(got, "true or false");
  };

  const regions = list("regions", (r, got) => {
    if (!REGION.test(r)) refuse({ ...got, value: r }, "a region name like eu-west-1");
  });
  const accountCheck = (id: string, got: Picked) => {
    if (!ACCOUNT_ID.test(id)) refuse({ ...got, value: id }, "a 12-digit account id");
  };
  const notifyFrom = pick("notify")?.from;
  const notify = list("notify", () => undefined)?.map((item) => parseNotify(item, notifyFrom));

  const settings: Settings = {
    regions,
    accounts: list("accounts", accountCheck),
    excludeAccounts: list("excludeAccounts", accountCheck) ?? [],
    ou: text("ou", OU_OR_ROOT, "an organizational unit id (ou-xxxx-xxxxxxxx) or root id (r-xxxx)"),
    roleName: text("roleName", ROLE_NAME, "an IAM role name (1-64 letters, digits and +=,.@_-)") ?? DEFAULTS.roleName,
    externalId: text("externalId", EXTERNAL_ID, "an external id (2-1224 characters of letters, digits and +=,.@:/_-)"),
    notify: notify ?? [],
    awsProfile: text("awsProfile", PROFILE, "a profile name (1-128 letters, digits and +=,.@:/_-)"),
    concurrency: int("concurrency", 1, 500) ?? DEFAULTS.concurrency,
    ...outputOf(pick("json"), flag("json"), pick("output"), choice("output", OUTPUTS)),
    securityHub: flag("securityHub"),
    topicKmsKey: topicKey(pick("topicKmsKey")),
    dryRun: flag("dryRun"),
    prefix:
      text("prefix", PREFIX, "a name prefix: a letter, then up to 31 letters, digits or hyphens") ?? DEFAULTS.prefix,
    filterProfile: choice("filterProfile", FILTER_PROFILES) ?? DEFAULTS.filterProfile,
    homeRegion: text("homeRegion", REGION, "a region name like us-east-1") ?? DEFAULTS.homeRegion,
    maxAttempts: int("maxAttempts", 1, 20) ?? DEFAULTS.maxAttempts,
    dedicatedRole: flag("dedicatedRole"),
    callTimeout: duration("callTimeout", CALL_TIMEOUT_MS.min, CALL_TIMEOUT_MS.max) ?? DEFAULTS.callTimeout,
    owner: tagText("owner", OWNER_FORM),
    runbookUrl: tagText("runbookUrl", RUNBOOK_FORM, isHttpsUrl),
    exemptions: exemptionList(pick("exemptions"), sources.now ?? new Date()),
    exclusions: exclusionList(pick("exclusions"), sources.now ?? new Date()),
    maxEvents: int("maxEvents", 1, MAX_EVENTS) ?? DEFAULTS.maxEvents,
  };
  return Object.freeze(settings);
}

const PRECEDENCE: Readonly<Record<Source, number>> = { cli: 0, env: 1, file: 2 };

/**
 * `--json` is short for `--output json`. Given together with another output at the same level
 * (both on the command line, say), they contradict each other: one line says so. At different
 * levels the higher one wins, as for every setting.
 */
function outputOf(
  jsonGot: Picked | undefined,
  json: boolean,
  outputGot: Picked | undefined,
  output: OutputFormat | undefined,
): { json: boolean; output: OutputFormat } {
  let chosen = output ?? DEFAULTS.output;
  if (json && jsonGot) {
    if (output && output !== "json" && outputGot) {
      if (PRECEDENCE[jsonGot.source] === PRECEDENCE[outputGot.source]) {
        throw new ConfigError(
          `${jsonGot.from} and ${outputGot.from} ${show(output)} disagree: ${jsonGot.from} is short for --output json; give one of them`,
        );
      }
      if (PRECEDENCE[jsonGot.source] < PRECEDENCE[outputGot.source]) chosen = "json";
    } else chosen = "json";
  }
  return { json: chosen === "json", output: chosen };
}

/** The topic key, in one of the forms that name a key; the AWS managed keys are refused. */
function topicKey(got: Picked | undefined): string | undefined {
  if (!got) return undefined;
  const value = got.value;
  if (typeof value !== "string" || !KMS_KEY.test(value)) {
    throw new ConfigError(`invalid ${got.from}: ${show(value)} is not ${KMS_KEY_FORM}`);
  }
  if (isAwsSnsKeyAlias(value)) {
    throw new ConfigError(
      `invalid ${got.from}: ${show(value)} is the AWS managed key of SNS, and a CloudWatch alarm cannot publish to a topic encrypted with it (its key policy cannot admit cloudwatch.amazonaws.com); give a customer managed key`,
    );
  }
  if (isAwsManagedAlias(value)) {
    throw new ConfigError(
      `invalid ${got.from}: ${show(value)} is an AWS managed key, whose policy cannot admit cloudwatch.amazonaws.com; give a customer managed key`,
    );
  }
  return value;
}

/** The exclusions list: a JSON list in the file, JSON text on the command line and in the environment. */
function exclusionList(got: Picked | undefined, now: Date): readonly Exclusion[] {
  if (!got) return [];
  if (got.source === "file" ? !Array.isArray(got.value) : typeof got.value !== "string") {
    throw new ConfigError(`invalid ${got.from}: ${show(got.value)} is not a list of {match, reason, owner, expires}`);
  }
  try {
    return Object.freeze(parseExclusions(got.value, now));
  } catch (error) {
    if (error instanceof ExclusionsError) throw new ConfigError(`invalid ${got.from}: ${error.message}`);
    throw error;
  }
}

const ENDPOINT_FORMS: Readonly<Record<NotifyProtocol, string>> = {
  email: "an email address (local part up to 64 letters, digits and ._%+-, a domain name; 254 characters at most)",
  https: "an https:// URL (https://host/path, no user name or password; 2048 characters at most)",
  sqs: "an SQS queue ARN (arn:aws:sqs:REGION:ACCOUNT:QUEUE)",
  lambda: "a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME)",
};

/**
 * Parses `protocol:endpoint`, checking the endpoint is of the protocol's kind. An https URL
 * may also be given alone (`https://hooks.example.com/x`).
 */
export function parseNotify(item: string, from = "--notify"): NotifyEndpoint {
  if (item.startsWith("https://")) return checkedEndpoint("https", item, from);
  const colon = item.indexOf(":");
  const protocol = item.slice(0, colon) as NotifyProtocol;
  if (colon < 1 || !PROTOCOLS.includes(protocol)) {
    throw new ConfigError(
      `invalid ${from}: ${show(item)} is not protocol:endpoint with protocol one of ${PROTOCOLS.join(", ")}`,
    );
  }
  return checkedEndpoint(protocol, item.slice(colon + 1), from);
}

function checkedEndpoint(protocol: NotifyProtocol, endpoint: string, from: string): NotifyEndpoint {
  if (!ENDPOINT_CHECKS[protocol](endpoint)) {
    // A comma-joined list given to one --notify: say how to give several.
    const several = /,\s*(email|https|sqs|lambda):/.test(endpoint) ? `; give ${from} once per endpoint` : "";
    throw new ConfigError(
      `invalid ${from}: ${show(endpoint)} is not ${ENDPOINT_FORMS[protocol]} for ${protocol}${several}`,
    );
  }
  return { protocol, endpoint };
}

const PARTITION = "aws(?:-[a-z]+)*";
const REGION_PART = "[a-z]{2}(?:-[a-z]+)+-\\d{1,2}";
const SQS_ARN = new RegExp(`^arn:${PARTITION}:sqs:${REGION_PART}:\\d{12}:[A-Za-z0-9_-]{1,75}(?:\\.fifo)?$`);
const LAMBDA_ARN = new RegExp(
  `^arn:${PARTITION}:lambda:${REGION_PART}:\\d{12}:function:[A-Za-z0-9_-]{1,64}(?::(?:\\$LATEST|[A-Za-z0-9_-]{1,128}))?$`,
);
/** A conservative dot-atom: what mail systems accept everywhere, nothing a shell would read. */
const EMAIL_LOCAL = /^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*$/;
const DNS_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const URL_HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)$/;

const ENDPOINT_CHECKS: Readonly<Record<NotifyProtocol, (endpoint: string) => boolean>> = {
  email: isEmailAddress,
  https: isHttpsUrl,
  sqs: (arn) => SQS_ARN.test(arn),
  lambda: (arn) => LAMBDA_ARN.test(arn),
};

/** Within RFC 5321's limits: local part <= 64, domain <= 255, path <= 256 (so the address <= 254). */
function isEmailAddress(address: string): boolean {
  if (address.length > 254) return false;
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (at < 1 || local.length > 64 || domain.length > 255 || !EMAIL_LOCAL.test(local)) return false;
  const labels = domain.split(".");
  return labels.length >= 2 && labels.every((l) => DNS_LABEL.test(l)) && !/^\d+$/.test(labels.at(-1) ?? "");
}

function isTagValue(text: string): boolean {
  return TAG_VALUE.test(text) && !/^aws:/i.test(text) && text.trim() === text;
}

function isHttpsUrl(text: string): boolean {
  // Checked on the text as given: URL parsing would quietly drop or encode these.
  if (text.length > 2048 || !/^https:\/\/[^/?#]/.test(text) || /[\s\p{Cc}\\]/u.test(text)) return false;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return url.protocol === "https:" && URL_HOST.test(url.hostname) && url.username === "" && url.password === "";
}

function refuseUnknownVariables(env: Readonly<Record<string, string | undefined>>, known: readonly string[]): void {
  const settings = Object.values(SPECS).map((s) => `TRIPWIRE_${s.env}`);
  const allowed = new Set([CONFIG_VARIABLE, ...settings, ...known]);
  const unknown = Object.keys(env)
    .filter((name) => name.startsWith("TRIPWIRE_") && env[name] !== undefined && !allowed.has(name))
    .sort();
  const [first] = unknown;
  if (first === undefined) return;
  const squash = (name: string) => name.replaceAll("_", "");
  const near = [...allowed].find((name) => squash(name) === squash(first));
  throw new ConfigError(
    `unknown environment variable ${first}${near ? ` (did you mean ${near}?)` : ""}; ` +
      `tripwire reads ${[...settings, CONFIG_VARIABLE, ...known].join(", ")}`,
  );
}

function readConfigFile(path: string | undefined): { path: string; values: Record<string, unknown> } | undefined {
  if (!path) return undefined;
  const text = readCapped(path);
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${shorten((error as Error).message, 120)}`);
  }
  if (typeof values !== "object" || values === null || Array.isArray(values)) {
    throw new ConfigError(`config file ${path} must hold a JSON object of settings`);
  }
  const known = new Set<string>(Object.values(SPECS).map((s) => s.file));
  const unknown = Object.keys(values).find((k) => !known.has(k));
  if (unknown !== undefined) {
    throw new ConfigError(`config file ${path}: unknown setting ${show(unknown)} (known: ${[...known].join(", ")})`);
  }
  return { path, values: values as Record<string, unknown> };
}

/** The file's text, reading no more than MAX_CONFIG_BYTES + 1 bytes whatever the file is. */
function readCapped(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_CONFIG_BYTES) {
        throw new ConfigError(`config file ${path} is larger than 1 MiB: a settings file must be 1 MiB at most`);
      }
    }
    return buffer.toString("utf8", 0, length);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  } finally {
    closeSync(fd);
  }
}

/** Every other list: split on each comma. */
function splitCommas(text: string): string[] {
  return text.split(",");
}

/** Subscriptions: split only before a `protocol:` prefix, so a URL may hold commas. */
function splitNotify(text: string): string[] {
  return text.split(/,(?=\s*(?:email|https|sqs|lambda):)/);
}

function toList(got: Picked, split: (text: string) => string[]): string[] {
  const { value } = got;
  // Each --notify (repeatable) and each item of a file's notify list is one subscription, never split.
  const whole = split === splitNotify && (got.source === "cli" || Array.isArray(value));
  const items =
    typeof value === "string"
      ? whole
        ? [value]
        : split(value)
      : Array.isArray(value) && value.every((v) => typeof v === "string")
        ? whole
          ? (value as string[])
          : value.flatMap((v: string) => split(v))
        : undefined;
  if (!items)
    throw new ConfigError(`invalid ${got.from}: ${show(value)} is not a comma-separated list or a list of strings`);
  return items.map((s) => s.trim()).filter(Boolean);
}

function dedupe<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** A value as it appears in a message: JSON, shortened past 60 characters (`"…"… (N characters)`). */
export function show(value: unknown): string {
  if (typeof value === "string") {
    return value.length > SHOWN_CHARACTERS
      ? `${JSON.stringify(value.slice(0, SHOWN_CHARACTERS))}… (${value.length} characters)`
      : JSON.stringify(value);
  }
  const json = JSON.stringify(value) ?? String(value);
  return json.length > SHOWN_CHARACTERS
    ? `${json.slice(0, SHOWN_CHARACTERS)}… (${json.length} characters of JSON)`
    : json;
}

/** `text`, cut after `max` characters with the length it had. */
export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

const EXEMPTION_KEYS = ["account", "reason", "owner", "expires"] as const;
const EXEMPTION_FORM =
  "a list of { account, reason, owner, expires } (a 12-digit id, two texts, and an ISO date YYYY-MM-DD at most one year ahead)";
/** Free text in an exemption: printable (no control character), trimmed, not empty. */
const PRINTABLE = /^[^\p{Cc}\p{Cs}]+$/u;
const EXEMPTION_TEXT_MAX = { reason: 1024, owner: 256 } as const;

/**
 * The exemptions list: JSON text from the environment (the deployed functions' parameter), or a
 * list from the file. Every entry needs all four fields, nothing else; one entry per account.
 */
function exemptionList(got: Picked | undefined, now: Date): Exemption[] {
  if (!got) return [];
  let value = got.value;
  if (typeof value === "string" && got.source === "env") {
    try {
      value = JSON.parse(value);
    } catch {
      throw new ConfigError(`invalid ${got.from}: ${show(got.value)} is not JSON; give ${EXEMPTION_FORM}`);
    }
  }
  if (!Array.isArray(value)) throw new ConfigError(`invalid ${got.from}: ${show(value)} is not ${EXEMPTION_FORM}`);
  const latest = latestExpiry(now);
  const seen = new Set<string>();
  return value.map((entry: unknown, index) => {
    const where = `invalid ${got.from}: entry ${index + 1}`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new ConfigError(`${where} is ${show(entry)}, not an object { account, reason, owner, expires }`);
    }
    const fields = entry as Record<string, unknown>;
    const unknown = Object.keys(fields).find((k) => !(EXEMPTION_KEYS as readonly string[]).includes(k));
    if (unknown !== undefined) {
      throw new ConfigError(`${where}: unknown field ${show(unknown)} (fields: ${EXEMPTION_KEYS.join(", ")})`);
    }
    const missing = EXEMPTION_KEYS.find((k) => fields[k] === undefined);
    if (missing !== undefined) {
      throw new ConfigError(`${where}: ${missing} is missing; every exemption needs ${EXEMPTION_KEYS.join(", ")}`);
    }
    const { account, reason, owner, expires } = fields;
    if (typeof account !== "string" || !ACCOUNT_ID.test(account)) {
      throw new ConfigError(`${where}: account ${show(account)} is not a 12-digit account id`);
    }
    const at = `${where} (account ${account})`;
    for (const [name, text] of [
      ["reason", reason],
      ["owner", owner],
    ] as const) {
      const max = EXEMPTION_TEXT_MAX[name];
      if (typeof text !== "string" || text.trim() === "" || text.length > max || !PRINTABLE.test(text)) {
        throw new ConfigError(`${at}: ${name} ${show(text)} is not a text of 1 to ${max} printable characters`);
      }
    }
    if (typeof expires !== "string" || !parseIsoDate(expires)) {
      throw new ConfigError(`${at}: expires ${show(expires)} is not an ISO date (YYYY-MM-DD)`);
    }
    if (expires > latest) {
      throw new ConfigError(`${at}: expires ${expires} is more than one year ahead (at most ${latest})`);
    }
    if (seen.has(account)) throw new ConfigError(`${at}: the account has another exemption; give one per account`);
    seen.add(account);
    return Object.freeze({
      account,
      reason: (reason as string).trim(),
      owner: (owner as string).trim(),
      expires,
    });
  });
}
