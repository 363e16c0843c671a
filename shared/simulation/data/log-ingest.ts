/**
 * Ingestion into a log group, as CloudWatch Logs does it for every event it accepts (from
 * PutLogEvents or from CloudTrail's delivery): store the event, then run each of the group's
 * metric filters on it with the project's filter engine. A match adds a datapoint at the
 * event's timestamp (the filter's metricValue: a number, or a `$.field` of the JSON event);
 * an event a filter does not match adds the filter's defaultValue when it has one.
 */
import type { Dimension } from "@aws-sdk/client-cloudwatch";
import type { MetricFilter, MetricTransformation } from "@aws-sdk/client-cloudwatch-logs";
import { matchesEvent } from "../../core/filter-pattern/index.ts";
import type { LogGroupState, SimulationCore } from "../state.ts";

export interface IncomingLogEvent {
  readonly timestamp: number;
  readonly message: string;
}

/** Stores the events in `streamName` (created if needed) and applies the group's metric filters. */
export function ingestLogEvents(
  core: SimulationCore,
  accountId: string,
  region: string,
  group: LogGroupState,
  streamName: string,
  events: readonly IncomingLogEvent[],
  ingestionTime: number,
): void {
  const store = core.data.logEvents(group);
  const stream = store.stream(streamName, ingestionTime, true);
  if (!stream) return;
  stream.batches += 1;
  for (const event of events) {
    store.add(stream, event.timestamp, event.message, ingestionTime, core.data.nextLogEventOrder());
    if (group.filters.size > 0) applyMetricFilters(core, accountId, region, group, event);
  }
}

function applyMetricFilters(
  core: SimulationCore,
  accountId: string,
  region: string,
  group: LogGroupState,
  event: IncomingLogEvent,
): void {
  let json: unknown;
  let parsed = false;
  const document = () => {
    if (!parsed) {
      parsed = true;
      try {
        json = JSON.parse(event.message);
      } catch {
        json = undefined;
      }
    }
    return json;
  };
  for (const filter of group.filters.values()) {
    const transformation = filter.metricTransformations?.[0];
    if (!transformation?.metricName || !transformation.metricNamespace) continue;
    if (matches(filter, event.message)) {
      const value = metricValue(transformation.metricValue ?? "", document);
      const dimensions = dimensionsOf(transformation, document);
      if (value === undefined || dimensions === undefined) continue;
      core.data
        .metrics(accountId, region)
        .add(
          transformation.metricNamespace,
          transformation.metricName,
          dimensions,
          event.timestamp,
          value,
          transformation.unit,
        );
    } else if (transformation.defaultValue !== undefined && transformation.defaultValue !== null) {
      core.data
        .metrics(accountId, region)
        .add(
          transformation.metricNamespace,
          transformation.metricName,
          [],
          event.timestamp,
          transformation.defaultValue,
          transformation.unit,
        );
    }
  }
}

/** A pattern the engine rejects matches nothing (CloudWatch Logs would not have stored it). */
function matches(filter: MetricFilter, message: string): boolean {
  try {
    return matchesEvent(filter.filterPattern ?? "", message);
  } catch {
    return false;
  }
}

/** "1", "2.5", or `$.field` read from the JSON event; undefined when it is not a number. */
function metricValue(spec: string, document: () => unknown): number | undefined {
  const text = spec.trim();
  const raw = text.startsWith("$.") ? select(document(), text) : text;
  const value = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
  return Number.isFinite(value) ? value : undefined;
}

/**
 * The filter's dimensions, each value read from the event. An event that lacks a dimension's
 * field publishes nothing for that filter (a simplification: not confirmed against AWS).
 */
function dimensionsOf(t: MetricTransformation, document: () => unknown): Dimension[] | undefined {
  const entries = Object.entries(t.dimensions ?? {});
  if (entries.length === 0) return [];
  const out: Dimension[] = [];
  for (const [name, spec] of entries) {
    const value = spec.startsWith("$.") ? select(document(), spec) : spec;
    if (value === undefined || value === null || typeof value === "object") return undefined;
    out.push({ Name: name, Value: String(value) });
  }
  return out;
}

/** Reads `$.a.b[0]` from a parsed JSON document; undefined when any step is missing. */
export function select(root: unknown, selector: string): unknown {
  const steps = selector
    .slice(2)
    .split(/\.|(?=\[)/)
    .filter((s) => s !== "");
  let node = root;
  for (const step of steps) {
    const index = /^\[(\d+)\]$/.exec(step);
    if (index) {
      if (!Array.isArray(node)) return undefined;
      node = node[Number(index[1])];
    } else {
      if (typeof node !== "object" || node === null || Array.isArray(node)) return undefined;
      node = (node as Record<string, unknown>)[step];
    }
    if (node === undefined) return undefined;
  }
  return node;
}
