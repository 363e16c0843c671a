/**
 * CloudWatch Logs filter patterns: parse, match, and judge how well a pattern serves the
 * "unauthorized API calls" control. Other code imports only from here.
 */

export { CIS_PATTERNS } from "./cis-patterns.ts";
export {
  BENIGN_RECORDS,
  type CloudTrailRecord,
  type CorpusEntry,
  type CorpusRecordRef,
  isDocumentedExclusion,
  UNAUTHORIZED_RECORDS,
} from "./corpus.ts";
export { type CoverageClass, type CoverageJudgement, judgeCoverage, MATCHES_EVERYTHING_SHARE } from "./coverage.ts";
export { FilterPatternSyntaxError } from "./errors.ts";
export { patternImplies, widestPatterns } from "./implies.ts";
export { matchesEvent } from "./match.ts";
export { type FilterPattern, MAX_PATTERN_LENGTH, type PatternKind, parseFilterPattern } from "./parse.ts";
export { type ScannerVerdict, type ScannerVerdicts, scannerVerdicts } from "./scanner-verdicts.ts";
