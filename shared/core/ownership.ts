/**
 * Ownership (pure): what proves that a resource of one of tripwire's names is tripwire's. A
 * name proves nothing: anyone may create a resource of that name.
 *
 * - Alarms and topics: the tag managed-by=tripwire that tripwire puts on what it creates.
 * - Metric filters cannot be tagged, so the mark is the whole definition: one of tripwire's
 *   two filter names, one of tripwire's two patterns, and exactly tripwire's metric
 *   transformation (metric UnauthorizedAPICalls in namespace <prefix>, value "1", nothing
 *   else). That is all AWS lets anyone check of a filter; and a filter that is exactly
 *   tripwire's definition is harmless to manage: replacing it with the other of tripwire's
 *   two patterns changes nothing that anyone else relies on.
 */
import { CIS_PATTERNS } from "./filter-pattern/index.ts";
import type { MetricFilterObservation } from "./model.ts";
import { MANAGED_BY_TAG, OWN_FILTER_KINDS, type OwnFilterKind, ownFilterName, ownMetric } from "./naming.ts";

/** The pattern of each of tripwire's filters. */
export const OWN_FILTER_PATTERNS: Readonly<Record<OwnFilterKind, string>> = Object.freeze({
  "cis-v1.2": CIS_PATTERNS.v12,
  "cis-v1.4": CIS_PATTERNS.v14Grouped,
});

/** Tags as AWS lists them (ListTagsForResource of CloudWatch or SNS). */
export type TagList = readonly { readonly Key?: string; readonly Value?: string }[];

/** Whether the tags include managed-by=tripwire. */
export function hasOwnTag(tags: TagList | undefined): boolean {
  return (tags ?? []).some((t) => t.Key === MANAGED_BY_TAG.key && t.Value === MANAGED_BY_TAG.value);
}

/** The transformation tripwire writes, and nothing else: one metric, value 1, no default, dimensions or unit. */
export function hasOwnTransformation(filter: MetricFilterObservation, prefix: string): boolean {
  const metric = ownMetric(prefix);
  const only = filter.metrics.length === 1 ? filter.metrics[0] : undefined;
  return (
    only !== undefined &&
    only.name === metric.name &&
    only.namespace === metric.namespace &&
    only.value === "1" &&
    only.defaultValue === undefined &&
    only.dimensions === undefined &&
    (only.unit === undefined || only.unit === "None")
  );
}

/** The kind of tripwire's filter the name is, if it is one of tripwire's two names. */
export function ownFilterKind(name: string, prefix: string): OwnFilterKind | undefined {
  return OWN_FILTER_KINDS.find((kind) => ownFilterName(prefix, kind) === name);
}

/** Provably tripwire's: one of its names, one of its two patterns, its exact transformation. */
export function isOwnFilter(filter: MetricFilterObservation, prefix: string): boolean {
  return (
    ownFilterKind(filter.name, prefix) !== undefined &&
    Object.values(OWN_FILTER_PATTERNS).includes(filter.pattern) &&
    hasOwnTransformation(filter, prefix)
  );
}

/** Exactly what tripwire writes under that name: nothing to do. */
export function isOwnFilterAsWritten(filter: MetricFilterObservation, prefix: string): boolean {
  const kind = ownFilterKind(filter.name, prefix);
  return kind !== undefined && filter.pattern === OWN_FILTER_PATTERNS[kind] && hasOwnTransformation(filter, prefix);
}
