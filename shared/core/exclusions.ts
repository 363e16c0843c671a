/**
 * Exclusions: known, documented callers whose denied calls should not page anyone. They act
 * on what a person receives (explain, replay, the notify function), never on a filter
 * pattern: the CIS filters stay exactly as Security Hub demands, and so the scanners keep
 * passing. Each names who owns it, why it exists, and when it stops applying.
 *
 * Matching: every field given must match the event's field (AND); an event without that
 * field (no errorCode, say) matches nothing, not even `*`. Values are compared whole and
 * case-sensitively, like ARNs and API names; `*` stands for any run of characters, empty
 * included, wherever it is written: `arn:aws:sts::*:assumed-role/ci-deployer/*`, `*Bucket*`,
 * `Describe*`. (Unlike a filter pattern's value, where `*` is a wildcard only at the ends.)
 * There is no escape: a literal `*` cannot be matched, and no AWS name contains one.
 *
 * Expiry: `expires` is a date (YYYY-MM-DD, UTC); the exclusion applies up to the end of that
 * day and stops at 00:00 UTC the day after. An expired exclusion is not an error: it stops
 * applying, and explain, replay and the notify message say so.
 */

export const EXCLUSION_FIELDS = ["principal", "eventSource", "eventName", "errorCode", "sourceIPAddress"] as const;
export type ExclusionField = (typeof EXCLUSION_FIELDS)[number];

export type ExclusionMatch = Readonly<Partial<Record<ExclusionField, string>>>;

export interface Exclusion {
  readonly match: ExclusionMatch;
  readonly reason: string;
  readonly owner: string;
  /** YYYY-MM-DD: the last day (UTC) the exclusion applies. */
  readonly expires: string;
}

/** What an exclusion is compared with: one call's fields (absent when the record lacks them). */
export type ExcludableFields = Readonly<Partial<Record<ExclusionField, string | undefined>>>;

/** An exclusion as reports name it: its place in the configured list, and its documentation. */
export interface ExclusionRef {
  /** 0-based index in the `exclusions` list. */
  readonly index: number;
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
}

const DAY_MS = 86_400_000;

/** When the exclusion stops applying: 00:00 UTC the day after `expires`. */
export function exclusionEnd(exclusion: Pick<Exclusion, "expires">): Date {
  return new Date(Date.parse(`${exclusion.expires}T00:00:00Z`) + DAY_MS);
}

export function isExpired(exclusion: Pick<Exclusion, "expires">, now: Date): boolean {
  return now.getTime() >= exclusionEnd(exclusion).getTime();
}

const compiled = new Map<string, (value: string) => boolean>();

/** A whole-value matcher where `*` stands for any run of characters. */
export function wildcardMatcher(pattern: string): (value: string) => boolean {
  let test = compiled.get(pattern);
  if (!test) {
    if (!pattern.includes("*")) {
      test = (value) => value === pattern;
    } else {
      const source = pattern
        .split("*")
        .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
        .join("[\\s\\S]*");
      const re = new RegExp(`^${source}$`);
      test = (value) => re.test(value);
    }
    compiled.set(pattern, test);
  }
  return test;
}

/** Whether every field the exclusion names matches the call's. */
export function exclusionMatches(exclusion: Pick<Exclusion, "match">, fields: ExcludableFields): boolean {
  for (const field of EXCLUSION_FIELDS) {
    const pattern = exclusion.match[field];
    if (pattern === undefined) continue;
    const value = fields[field];
    if (value === undefined || !wildcardMatcher(pattern)(value)) return false;
  }
  return true;
}

export function exclusionRef(exclusion: Exclusion, index: number): ExclusionRef {
  return { index, reason: exclusion.reason, owner: exclusion.owner, expires: exclusion.expires };
}

/**
 * The exclusions of a list as they stand at `now`: the ones that apply (in list order: the
 * first that matches a call is the one reported) and the expired ones.
 */
export function exclusionsAt(
  exclusions: readonly Exclusion[],
  now: Date,
): { readonly active: readonly (Exclusion & { readonly index: number })[]; readonly expired: readonly ExclusionRef[] } {
  const active: (Exclusion & { index: number })[] = [];
  const expired: ExclusionRef[] = [];
  exclusions.forEach((e, index) => {
    if (isExpired(e, now)) expired.push(exclusionRef(e, index));
    else active.push({ ...e, index });
  });
  return { active, expired };
}

/** The first active exclusion that matches the call, or undefined. */
export function firstMatchingExclusion(
  active: readonly (Exclusion & { readonly index: number })[],
  fields: ExcludableFields,
): ExclusionRef | undefined {
  const found = active.find((e) => exclusionMatches(e, fields));
  return found ? exclusionRef(found, found.index) : undefined;
}
