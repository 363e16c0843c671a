/**
 * From the log events CloudWatch Logs returned to the people who made the calls:
 *  1. Re-evaluate every event with tripwire's own filter engine against each filter that feeds
 *     the alarm's metric. An event the engine matches with none of them is `unconfirmed`: listed
 *     apart and not counted, so a disagreement between the service (or an emulator) and the
 *     engine is visible instead of silently trusted. Each event counts once, however many
 *     filters match it.
 *  2. Group the confirmed events by account (recipientAccountId), principal (userIdentity.arn),
 *     eventSource, eventName, errorCode and sourceIPAddress, with counts and first/last times.
 *  3. Apply the exclusions: a group matched by an active exclusion is `excludedBy` it (the
 *     fields an exclusion compares are the group's own, so a group is excluded whole).
 * Pure: the caller reads the events.
 */

import type { Exclusion } from "../exclusions.ts";
import { type ExclusionRef, exclusionMatches, exclusionsAt, firstMatchingExclusion } from "../exclusions.ts";
import { type FilterPattern, parseFilterPattern, patternImplies } from "../filter-pattern/index.ts";

/** One event as FilterLogEvents returns it. */
export interface ReadLogEvent {
  readonly eventId: string;
  readonly timestamp: number;
  readonly message: string;
  readonly logStreamName?: string;
}

/** A metric filter that feeds the alarm's metric (one metric transformation of it). */
export interface FeedingFilter {
  readonly name: string;
  readonly pattern: string;
  /** The transformation's metricValue: "1", "2.5" or `$.field`. */
  readonly metricValue: string;
  /** The transformation's dimensions (name → `$.field` or a literal), when it has any. */
  readonly dimensions?: Readonly<Record<string, string>>;
}

/** The fields a group is keyed by; null when the record lacks the field. */
export interface CallFacts {
  readonly accountId: string | null;
  readonly principal: string | null;
  readonly eventSource: string | null;
  readonly eventName: string | null;
  readonly errorCode: string | null;
  readonly sourceIPAddress: string | null;
}

export interface ConfirmedEvent {
  readonly eventId: string;
  readonly timestamp: number;
  readonly facts: CallFacts;
  /** What each matching filter adds to the metric: [filter index, value]. */
  readonly contributions: readonly (readonly [number, number])[];
}

export interface UnconfirmedEvent {
  readonly eventId: string;
  readonly timestamp: string;
  readonly logStreamName: string | null;
  readonly eventName: string | null;
  readonly errorCode: string | null;
  readonly reason: string;
}

export interface EventGroup extends CallFacts {
  readonly count: number;
  readonly first: string;
  readonly last: string;
  readonly excludedBy: ExclusionRef | null;
}

export interface ExpiredExclusion extends ExclusionRef {
  /** Confirmed events it would have excluded, had it not expired. */
  readonly wouldHaveExcluded: number;
}

export interface GroupedEvents {
  readonly matched: number;
  readonly excluded: number;
  readonly groups: readonly EventGroup[];
  readonly expiredExclusions: readonly ExpiredExclusion[];
  /** Events set aside per exclusion index (the ones that apply). */
  readonly excludedByExclusion: readonly { readonly exclusion: ExclusionRef; readonly events: number }[];
}

interface CompiledFilter {
  readonly filter: FeedingFilter;
  readonly pattern: FilterPattern | undefined;
  readonly value: (doc: Record<string, unknown> | undefined) => number | undefined;
  /**
   * What every match adds when the metricValue is a literal: [index, value], or null when the
   * literal is not a number; undefined when the value is read from the event.
   */
  readonly constant: readonly [number, number] | null | undefined;
  readonly dimensions: readonly (readonly [string, string])[];
  /** Filters tested before this one whose match proves this one's pattern matches too (patternImplies). */
  readonly impliedBy: readonly number[];
}

/**
 * Re-evaluates each event once (by id) against every feeding filter. `add` does both steps;
 * a reader that must decide what to read next before the evaluation is done (explain, which
 * evaluates one page while the next is read) calls `admit` for each event id as its page
 * arrives, then `evaluate` for the ones admitted. The confirmed events are counted into their
 * groups as they are evaluated (`grouped`).
 */
export class Reevaluation {
  readonly #filters: readonly CompiledFilter[];
  /** Filter indexes in the order they are tested: those that provably imply more of the others first. */
  readonly #order: readonly number[];
  readonly #hit: Uint8Array;
  /** Contributions by the set of matching filters (a bit each), when every metricValue is a literal. */
  readonly #contributions: Map<number, readonly (readonly [number, number])[]> | undefined;
  readonly #alarmDimensions: Readonly<Record<string, string>>;
  readonly #unconfirmedReason: string;
  readonly #seen = new Set<string>();
  readonly #tally = new GroupTally();
  readonly confirmed: ConfirmedEvent[] = [];
  readonly unconfirmed: UnconfirmedEvent[] = [];

  constructor(filters: readonly FeedingFilter[], alarmDimensions: Readonly<Record<string, string>> = {}) {
    const patterns = filters.map((f) => tryParse(f.pattern));
    // A filter that implies more of the others is tested first: when it matches, they match too.
    const implies = (j: number, i: number) => {
      const narrow = patterns[j];
      const wide = patterns[i];
      return j !== i && narrow !== undefined && wide !== undefined && patternImplies(narrow, wide);
    };
    const implied = patterns.map((_, j) => patterns.filter((_, i) => implies(j, i)).length);
    this.#order = patterns.map((_, i) => i).sort((a, b) => (implied[b] as number) - (implied[a] as number) || a - b);
    const position = new Map(this.#order.map((i, at) => [i, at]));
    this.#filters = filters.map((filter, i) => {
      const value = metricValueOf(filter);
      const literal = !filter.metricValue.trim().startsWith("$.");
      const v = literal ? value(undefined) : undefined;
      return {
        filter,
        pattern: patterns[i],
        value,
        constant: literal ? (v === undefined ? null : Object.freeze([i, v] as const)) : undefined,
        dimensions: Object.entries(filter.dimensions ?? {}),
        impliedBy: patterns
          .map((_, j) => j)
          .filter((j) => (position.get(j) as number) < (position.get(i) as number) && implies(j, i)),
      };
    });
    this.#hit = new Uint8Array(filters.length);
    this.#contributions =
      filters.length <= 30 && this.#filters.every((f) => f.constant !== undefined) ? new Map() : undefined;
    this.#alarmDimensions = alarmDimensions;
    this.#unconfirmedReason = `tripwire's filter engine matches it with none of ${filters.map((f) => f.name).join(", ")}`;
  }

  /** Events read so far, each counted once. */
  get size(): number {
    return this.#seen.size;
  }

  has(eventId: string): boolean {
    return this.#seen.has(eventId);
  }

  /** Adds one returned event; an event already seen (from another filter's query) is skipped. */
  add(event: ReadLogEvent): void {
    if (this.admit(event.eventId)) this.evaluate(event);
  }

  /** Counts an event id as read; false when it was read already (and is not to be evaluated again). */
  admit(eventId: string): boolean {
    if (this.#seen.has(eventId)) return false;
    this.#seen.add(eventId);
    return true;
  }

  /** Evaluates one admitted event: confirmed (and counted into its group) or unconfirmed. */
  evaluate(event: ReadLogEvent): void {
    const doc = parseObject(event.message);
    const filters = this.#filters;
    const hit = this.#hit;
    let matched = false;
    let mask = 0;
    for (const i of this.#order) {
      hit[i] = 0;
      const f = filters[i] as CompiledFilter;
      const pattern = f.pattern;
      if (!pattern) continue;
      let patternHit = false;
      for (const j of f.impliedBy) {
        if (hit[j] !== 0) {
          patternHit = true;
          break;
        }
      }
      if (!patternHit)
        patternHit = pattern.testDocument && doc ? pattern.testDocument(doc) : pattern.test(event.message);
      if (!patternHit) continue;
      // 1: the pattern matches; 2: it matches and the filter counts the event.
      hit[i] = 1;
      if (f.dimensions.length > 0 && !this.#dimensionsMatch(f.dimensions, doc)) continue;
      hit[i] = 2;
      matched = true;
      mask |= 1 << i;
    }
    const facts = callFacts(doc);
    if (!matched) {
      this.unconfirmed.push({
        eventId: event.eventId,
        timestamp: new Date(event.timestamp).toISOString(),
        logStreamName: event.logStreamName ?? null,
        eventName: facts.eventName,
        errorCode: facts.errorCode,
        reason: this.#unconfirmedReason,
      });
      return;
    }
    const confirmed: ConfirmedEvent = {
      eventId: event.eventId,
      timestamp: event.timestamp,
      facts,
      contributions: this.#contributionsOf(mask, doc),
    };
    this.confirmed.push(confirmed);
    this.#tally.add(confirmed);
  }

  /** The confirmed events' groups, with the exclusions as they stand at `now` (groupEvents of `confirmed`). */
  grouped(exclusions: readonly Exclusion[], now: Date): GroupedEvents {
    return this.#tally.grouped(exclusions, now);
  }

  /** What the matching filters add to the metric, in filter order. */
  #contributionsOf(mask: number, doc: Record<string, unknown> | undefined): readonly (readonly [number, number])[] {
    const cached = this.#contributions?.get(mask);
    if (cached) return cached;
    const contributions: (readonly [number, number])[] = [];
    this.#filters.forEach((f, i) => {
      if (this.#hit[i] !== 2) return;
      // A match whose metricValue is not a number publishes nothing (as CloudWatch Logs does).
      if (f.constant !== undefined) {
        if (f.constant) contributions.push(f.constant);
        return;
      }
      const value = f.value(doc);
      if (value !== undefined) contributions.push([i, value]);
    });
    if (this.#contributions) {
      Object.freeze(contributions);
      this.#contributions.set(mask, contributions);
    }
    return contributions;
  }

  /** A filter with dimensions feeds the alarm's series only when the event's values are the alarm's. */
  #dimensionsMatch(dimensions: CompiledFilter["dimensions"], doc: Record<string, unknown> | undefined): boolean {
    for (const [name, spec] of dimensions) {
      const value = spec.startsWith("$.") ? select(doc, spec) : spec;
      if (value === undefined || value === null || typeof value === "object") return false;
      if (String(value) !== this.#alarmDimensions[name]) return false;
    }
    return true;
  }
}

/** One group as it is counted: its fields, events, and the first and last times (ms). */
interface Tally {
  readonly facts: CallFacts;
  count: number;
  first: number;
  last: number;
}

/** A level of the group index: one field's values, each to the next field's level (or, last, the group). */
type Level = Map<string | null, unknown>;

/**
 * Confirmed events counted into their groups as they come (explain adds each page's while the
 * next page is read), then the groups, sorted, with the exclusions applied.
 * The index is one map per field, nested in the groups' key order, so counting an event into a
 * group it joins allocates nothing: no key is built per event (a JSON key per event, 10,000 of
 * them, was most of the grouping's time), only per group.
 */
export class GroupTally {
  readonly #index: Level = new Map();
  readonly #groups: Tally[] = [];
  #events = 0;

  /** Events counted so far. */
  get events(): number {
    return this.#events;
  }

  add(event: ConfirmedEvent): void {
    const f = event.facts;
    const bySource = level(
      level(level(level(level(this.#index, f.accountId), f.principal), f.eventSource), f.eventName),
      f.errorCode,
    );
    const t = event.timestamp;
    const g = bySource.get(f.sourceIPAddress) as Tally | undefined;
    this.#events++;
    if (g) {
      g.count++;
      if (t < g.first) g.first = t;
      if (t > g.last) g.last = t;
      return;
    }
    const tally: Tally = { facts: f, count: 1, first: t, last: t };
    bySource.set(f.sourceIPAddress, tally);
    this.#groups.push(tally);
  }

  /** The groups, largest first, with the exclusions as they stand at `now`. */
  grouped(exclusions: readonly Exclusion[], now: Date): GroupedEvents {
    const { active, expired } = exclusionsAt(exclusions, now);
    const perExclusion = new Map<number, number>();
    const sortable = this.#groups.map((g) => {
      const excludedBy = active.length > 0 ? (firstMatchingExclusion(active, excludable(g.facts)) ?? null) : null;
      if (excludedBy) perExclusion.set(excludedBy.index, (perExclusion.get(excludedBy.index) ?? 0) + g.count);
      const f = g.facts;
      // Written out: a spread (`...g.facts`) then more fields takes V8's slow path, about 10 µs
      // a group where this costs well under one.
      const group: EventGroup = {
        accountId: f.accountId,
        principal: f.principal,
        eventSource: f.eventSource,
        eventName: f.eventName,
        errorCode: f.errorCode,
        sourceIPAddress: f.sourceIPAddress,
        count: g.count,
        first: new Date(g.first).toISOString(),
        last: new Date(g.last).toISOString(),
        excludedBy,
      };
      return { group, key: JSON.stringify(factsKey(f)) };
    });
    // Most events first, then the earliest, then by the group's fields: code-unit order, the same
    // on every machine (localeCompare depends on the locale, and costs far more per comparison).
    sortable.sort(
      (a, b) => b.group.count - a.group.count || compareText(a.group.first, b.group.first) || compareText(a.key, b.key),
    );
    const groups = sortable.map((s) => s.group);
    const expiredExclusions = expired.map((ref) => {
      const exclusion = exclusions[ref.index] as Exclusion;
      const would = groups.filter((g) => exclusionMatches(exclusion, excludable(g))).reduce((n, g) => n + g.count, 0);
      return { ...ref, wouldHaveExcluded: would };
    });
    const excluded = groups.filter((g) => g.excludedBy).reduce((n, g) => n + g.count, 0);
    return {
      matched: this.#events,
      excluded,
      groups,
      expiredExclusions,
      excludedByExclusion: active
        .filter((e) => perExclusion.has(e.index))
        .map((e) => ({
          exclusion: { index: e.index, reason: e.reason, owner: e.owner, expires: e.expires },
          events: perExclusion.get(e.index) as number,
        })),
    };
  }
}

function level(parent: Level, value: string | null): Level {
  let child = parent.get(value) as Level | undefined;
  if (!child) {
    child = new Map();
    parent.set(value, child);
  }
  return child;
}

/** Groups confirmed events (counting each once) and applies the exclusions as they stand at `now`. */
export function groupEvents(
  events: readonly ConfirmedEvent[],
  exclusions: readonly Exclusion[],
  now: Date,
): GroupedEvents {
  const tally = new GroupTally();
  for (const e of events) tally.add(e);
  return tally.grouped(exclusions, now);
}

function factsKey(f: CallFacts): (string | null)[] {
  return [f.accountId, f.principal, f.eventSource, f.eventName, f.errorCode, f.sourceIPAddress];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The fields exclusions compare; a missing one stays missing (and matches nothing). */
export function excludable(f: CallFacts) {
  const present = (v: string | null) => v ?? undefined;
  return {
    principal: present(f.principal),
    eventSource: present(f.eventSource),
    eventName: present(f.eventName),
    errorCode: present(f.errorCode),
    sourceIPAddress: present(f.sourceIPAddress),
  };
}

/**
 * The fields of a CloudTrail record. The principal is `userIdentity.arn`; calls made by an AWS
 * service on a customer's behalf have none, and are named by `invokedBy`, then `principalId`.
 */
export function callFacts(doc: Record<string, unknown> | undefined): CallFacts {
  const identity = doc && isObject(doc.userIdentity) ? doc.userIdentity : NO_IDENTITY;
  return {
    accountId: str(doc?.recipientAccountId) ?? str(identity.accountId),
    principal: str(identity.arn) ?? str(identity.invokedBy) ?? str(identity.principalId),
    eventSource: str(doc?.eventSource),
    eventName: str(doc?.eventName),
    errorCode: str(doc?.errorCode),
    sourceIPAddress: str(doc?.sourceIPAddress),
  };
}

const NO_IDENTITY: Readonly<Record<string, unknown>> = Object.freeze({});

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseObject(message: string): Record<string, unknown> | undefined {
  if (message.charCodeAt(0) !== 123 /* { */ && !/^\s*\{/.test(message)) return undefined;
  try {
    const doc: unknown = JSON.parse(message);
    return isObject(doc) ? doc : undefined;
  } catch {
    return undefined;
  }
}

function tryParse(pattern: string): FilterPattern | undefined {
  try {
    return parseFilterPattern(pattern);
  } catch {
    // CloudWatch Logs would not have stored it; it matches nothing.
    return undefined;
  }
}

/** What one match adds: the metricValue, a number or `$.field` read from the event. */
function metricValueOf(filter: FeedingFilter): (doc: Record<string, unknown> | undefined) => number | undefined {
  const spec = filter.metricValue.trim();
  if (!spec.startsWith("$.")) {
    const n = Number(spec);
    return () => (spec !== "" && Number.isFinite(n) ? n : undefined);
  }
  return (doc) => {
    const raw = select(doc, spec);
    const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
    return Number.isFinite(n) ? n : undefined;
  };
}

/** Reads `$.a.b[0]` from a parsed event; undefined when a step is missing. */
function select(root: unknown, selector: string): unknown {
  let node = root;
  for (const step of selector.slice(2).split(/\.|(?=\[)/)) {
    if (step === "") continue;
    const index = /^\[(\d+)\]$/.exec(step);
    if (index) {
      if (!Array.isArray(node)) return undefined;
      node = node[Number(index[1])];
    } else {
      if (!isObject(node)) return undefined;
      node = node[step];
    }
    if (node === undefined) return undefined;
  }
  return node;
}
