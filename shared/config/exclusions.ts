/**
 * Validation of the `exclusions` setting (core/exclusions.ts says what an exclusion means):
 * a JSON list, in the config file (`"exclusions": [...]`), or as JSON text in
 * TRIPWIRE_EXCLUSIONS or --exclusions. Every entry needs `match` (one to five of principal,
 * eventSource, eventName, errorCode, sourceIPAddress, non-empty strings, `*` wildcards) and
 * `reason`, `owner` and `expires` (a date, YYYY-MM-DD, at most one year after today, UTC). An
 * expired entry is valid: it stops applying and is reported. Anything else is refused in one
 * line naming the entry and the field.
 */
import { EXCLUSION_FIELDS, type Exclusion, type ExclusionField } from "../core/exclusions.ts";

/** An exclusions value tripwire cannot use; `message` names the entry and the field. */
export class ExclusionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExclusionsError";
  }
}

const KEYS = ["match", "reason", "owner", "expires"] as const;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_VALUE = 2048;
const MAX_TEXT = 1024;
const MAX_ENTRIES = 500;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Validates a raw exclusions value (a parsed JSON list, or JSON text); `now` decides what
 * "one year ahead" is.
 *
 * @throws ExclusionsError for the first bad entry (the message has no setting name: the
 * settings loader puts it in front).
 */
export function parseExclusions(raw: unknown, now: Date): Exclusion[] {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ExclusionsError("is not JSON: give a list of {match, reason, owner, expires}");
    }
  }
  if (!Array.isArray(value)) throw new ExclusionsError("is not a list of {match, reason, owner, expires}");
  if (value.length > MAX_ENTRIES) throw new ExclusionsError(`holds ${value.length} entries; at most ${MAX_ENTRIES}`);
  const latest = oneYearAfter(now);
  return value.map((entry, i) => Object.freeze(parseEntry(entry, `exclusions[${i}]`, latest)));
}

function parseEntry(entry: unknown, at: string, latest: string): Exclusion {
  if (!isObject(entry)) throw new ExclusionsError(`${at} is not an object {match, reason, owner, expires}`);
  const unknown = Object.keys(entry).find((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown !== undefined) {
    throw new ExclusionsError(`${at} has an unknown key ${JSON.stringify(unknown)} (keys: ${KEYS.join(", ")})`);
  }
  return {
    match: parseMatch(entry.match, `${at}.match`),
    reason: text(entry.reason, `${at}.reason`, "why the calls are expected (required)"),
    owner: text(entry.owner, `${at}.owner`, "who answers for the exclusion (required)"),
    expires: expiry(entry.expires, `${at}.expires`, latest),
  };
}

function parseMatch(value: unknown, at: string): Exclusion["match"] {
  if (!isObject(value)) {
    throw new ExclusionsError(`${at} is required: an object of one or more of ${EXCLUSION_FIELDS.join(", ")}`);
  }
  const keys = Object.keys(value);
  const unknown = keys.find((k) => !(EXCLUSION_FIELDS as readonly string[]).includes(k));
  if (unknown !== undefined) {
    throw new ExclusionsError(
      `${at} has an unknown field ${JSON.stringify(unknown)} (fields: ${EXCLUSION_FIELDS.join(", ")})`,
    );
  }
  if (keys.length === 0) {
    throw new ExclusionsError(`${at} is empty: it would exclude every call; name at least one field`);
  }
  const match: Partial<Record<ExclusionField, string>> = {};
  for (const field of keys as ExclusionField[]) {
    const v = value[field];
    if (typeof v !== "string" || v === "" || v.length > MAX_VALUE) {
      throw new ExclusionsError(`${at}.${field} is not a non-empty string of at most ${MAX_VALUE} characters`);
    }
    match[field] = v;
  }
  if (Object.values(match).every((v) => /^\*+$/.test(v as string))) {
    throw new ExclusionsError(`${at} is only wildcards: it would exclude every call that has these fields`);
  }
  return Object.freeze(match);
}

function text(value: unknown, at: string, what: string): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > MAX_TEXT) {
    throw new ExclusionsError(`${at} is not ${what}: a non-empty string of at most ${MAX_TEXT} characters`);
  }
  return value;
}

function expiry(value: unknown, at: string, latest: string): string {
  const m = typeof value === "string" ? DATE.exec(value) : null;
  const [year, month, day] = m ? m.slice(1).map(Number) : [];
  const date = m ? new Date(Date.UTC(year as number, (month as number) - 1, day as number)) : undefined;
  if (!m || !date || date.getUTCMonth() !== (month as number) - 1 || date.getUTCDate() !== day) {
    throw new ExclusionsError(`${at} ${JSON.stringify(value)} is not a date YYYY-MM-DD (required)`);
  }
  if ((value as string) > latest) {
    throw new ExclusionsError(`${at} ${JSON.stringify(value)} is more than one year ahead: at most ${latest}`);
  }
  return value as string;
}

/** The same date next year (UTC); 29 February gives 28 February. */
function oneYearAfter(now: Date): string {
  const y = now.getUTCFullYear() + 1;
  const m = now.getUTCMonth();
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const d = Math.min(now.getUTCDate(), lastDay);
  return new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
}
