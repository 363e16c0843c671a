/**
 * CloudWatch Logs filter patterns: parse, match, and judge how well a pattern serves the
 * "unauthorized API calls" control. Other code imports only from here.
 */
export { FilterPatternSyntaxError } from "./errors.ts";
export { parseFilterPattern, MAX_PATTERN_LENGTH, type FilterPattern, type PatternKind } from "./parse.ts";
export { matchesEvent } from "./match.ts";
export { judgeCoverage, MATCHES_EVERYTHING_SHARE, type CoverageClass, type CoverageJudgement } from "./coverage.ts";
export {
  BENIGN_RECORDS,
  UNAUTHORIZED_RECORDS,
  isDocumentedExclusion,
  type CloudTrailRecord,
  type CorpusEntry,
  type CorpusRecordRef,
} from "./corpus.ts";
export { scannerVerdicts, type ScannerVerdict, type ScannerVerdicts } from "./scanner-verdicts.ts";
export { CIS_PATTERNS } from "./cis-patterns.ts";
