import { judgeCoverage } from "./filter-pattern/index.ts";
import type { MetricFilterObservation } from "./model.ts";
import { isOwnName } from "./naming.ts";

/** A filter counts as aimed at this control when it is tripwire's or catches any unauthorized call. */
export function isAimedAtControl(filter: MetricFilterObservation, prefix: string): boolean {
  return isOwnName(filter.name, prefix) || judgeCoverage(filter.pattern).matchedUnauthorized > 0;
}
