import { BENIGN_RECORDS, type CorpusRecordRef, isDocumentedExclusion, UNAUTHORIZED_RECORDS } from "./corpus.ts";
import { FilterPatternSyntaxError } from "./errors.ts";
import { parseFilterPattern } from "./parse.ts";

export type CoverageClass = "COVERS" | "MISSES_UNAUTHORIZED_EVENTS" | "MATCHES_EVERYTHING" | "INVALID";

export interface CoverageJudgement {
  classification: CoverageClass;
  /** How many unauthorized records it matches. */
  matchedUnauthorized: number;
  totalUnauthorized: number;
  missedUnauthorized: CorpusRecordRef[];
  matchedBenign: CorpusRecordRef[];
  totalBenign: number;
  /** Matched benign records outside the documented exclusions (a subset of matchedBenign). */
  unexpectedBenign: CorpusRecordRef[];
  /** For INVALID: the syntax error's one-line message with position. */
  error?: string;
  /** For INVALID: the 0-based position of the syntax error. */
  errorPosition?: number;
}

/** More than this share of benign records matched means the alarm would fire on ordinary traffic. */
export const MATCHES_EVERYTHING_SHARE = 0.5;

const cache = new Map<string, CoverageJudgement>();
const CACHE_LIMIT = 1024;

/**
 * Runs `pattern` over the CloudTrail corpus and classifies it:
 * - INVALID: CloudWatch Logs would reject the pattern.
 * - MATCHES_EVERYTHING: it matches more than half of the benign records (checked before
 *   misses: such an alarm is noise whatever else it catches), or it matches every
 *   unauthorized record but also benign records beyond the documented exclusions.
 * - MISSES_UNAUTHORIZED_EVENTS: at least one unauthorized record goes unmatched.
 * - COVERS: every unauthorized record, and no benign record but documented exclusions.
 *
 * Memoized by pattern text; the result is frozen, do not mutate it.
 */
export function judgeCoverage(pattern: string): CoverageJudgement {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const judgement = deepFreeze(evaluate(pattern));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, judgement);
  return judgement;
}

function evaluate(pattern: string): CoverageJudgement {
  const base = { totalUnauthorized: UNAUTHORIZED_RECORDS.length, totalBenign: BENIGN_RECORDS.length };
  let test: (message: string) => boolean;
  try {
    test = parseFilterPattern(pattern).test;
  } catch (e) {
    if (!(e instanceof FilterPatternSyntaxError)) throw e;
    return {
      ...base,
      classification: "INVALID",
      matchedUnauthorized: 0,
      missedUnauthorized: [],
      matchedBenign: [],
      unexpectedBenign: [],
      error: e.message,
      errorPosition: e.position,
    };
  }
  const missedUnauthorized = UNAUTHORIZED_RECORDS.filter((e) => !test(e.message)).map((e) => e.ref);
  const benignHits = BENIGN_RECORDS.filter((e) => test(e.message));
  const matchedBenign = benignHits.map((e) => e.ref);
  const unexpectedBenign = benignHits.filter((e) => !isDocumentedExclusion(e.record)).map((e) => e.ref);

  let classification: CoverageClass;
  if (matchedBenign.length > BENIGN_RECORDS.length * MATCHES_EVERYTHING_SHARE) classification = "MATCHES_EVERYTHING";
  else if (missedUnauthorized.length > 0) classification = "MISSES_UNAUTHORIZED_EVENTS";
  else if (unexpectedBenign.length > 0) classification = "MATCHES_EVERYTHING";
  else classification = "COVERS";

  return {
    ...base,
    classification,
    matchedUnauthorized: UNAUTHORIZED_RECORDS.length - missedUnauthorized.length,
    missedUnauthorized,
    matchedBenign,
    unexpectedBenign,
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
