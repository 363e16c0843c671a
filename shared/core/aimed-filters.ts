import { judgeCoverage } from "./filter-pattern/index.ts";
import type { MetricFilterObservation } from "./model.ts";
import { ownFilterNames } from "./naming.ts";

/**
 * A filter counts as aimed at this control when it catches any unauthorized call, or when it
 * holds one of tripwire's exact filter names (so a filter in tripwire's place is judged, even
 * one that catches nothing). A name that merely starts with the prefix proves nothing.
 */
export function isAimedAtControl(filter: MetricFilterObservation, prefix: string): boolean {
  return ownFilterNames(prefix).includes(filter.name) || judgeCoverage(filter.pattern).matchedUnauthorized > 0;
}
