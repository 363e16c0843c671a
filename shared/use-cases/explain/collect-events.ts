/**
 * Reads the events of the filters that feed one metric, over one time span, within a cap:
 *  1. Ask CloudWatch Logs once per widest pattern (filter-pattern/implies.ts): tripwire's v1.2
 *     query returns every event of its v1.4 filter too, so each event is read once.
 *  2. Re-evaluate each returned event with tripwire's engine (core/explain/event-groups.ts),
 *     timing that work apart (the benchmark reports it).
 *  3. Past `maxEvents`, keep paging only to count what is left out, up to `countBeyondCap`
 *     more events; `leftOut.complete` is false when counting stopped before the end.
 */
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { filterLogEventPages } from "../../adapters/logs/log-events-reader.ts";
import { type FeedingFilter, Reevaluation } from "../../core/explain/event-groups.ts";
import type { LeftOut } from "../../core/explain/explanation.ts";
import { parseFilterPattern, widestPatterns } from "../../core/filter-pattern/index.ts";

export interface CollectRequest {
  readonly logs: CloudWatchLogsClient;
  readonly logGroupName: string;
  readonly filters: readonly FeedingFilter[];
  readonly alarmDimensions?: Readonly<Record<string, string>>;
  readonly start: Date;
  readonly end: Date;
  readonly maxEvents: number;
  /** Events counted (not kept) past the cap; 0 stops at the cap. */
  readonly countBeyondCap: number;
  readonly signal?: AbortSignal;
  /** After each page: unique events kept, events counted past the cap, pages read so far. */
  readonly onPage?: (progress: { readonly kept: number; readonly leftOut: number; readonly pages: number }) => void;
}

export interface Collected {
  readonly reevaluation: Reevaluation;
  /** The patterns asked of CloudWatch Logs. */
  readonly queried: readonly string[];
  readonly pages: number;
  /** Events in the fullest page (the page size the service gave). */
  readonly largestPage: number;
  readonly leftOut: LeftOut;
  /** Milliseconds spent re-evaluating events with the engine. */
  readonly reevaluationMs: number;
}

export async function collectEvents(request: CollectRequest): Promise<Collected> {
  const reevaluation = new Reevaluation(request.filters, request.alarmDimensions);
  const parsed = request.filters.flatMap((f) => {
    try {
      return [parseFilterPattern(f.pattern)];
    } catch {
      return [];
    }
  });
  const queried = widestPatterns(parsed).map((k) => k.pattern.text);
  const beyond = new Set<string>();
  let pages = 0;
  let largestPage = 0;
  let complete = true;
  let reevaluationMs = 0;
  const budgetSpent = () => reevaluation.size >= request.maxEvents && beyond.size >= request.countBeyondCap;
  for (const filterPattern of queried) {
    if (budgetSpent()) {
      // A further query may hold events the first ones did not.
      complete = false;
      break;
    }
    const query = {
      logGroupName: request.logGroupName,
      filterPattern,
      startTime: request.start.getTime(),
      endTime: request.end.getTime(),
    };
    for await (const page of filterLogEventPages(request.logs, query, request.signal)) {
      pages++;
      largestPage = Math.max(largestPage, page.events.length);
      const started = performance.now();
      for (const e of page.events) {
        const eventId = e.eventId ?? `${e.logStreamName}/${e.timestamp}/${e.ingestionTime}`;
        if (reevaluation.has(eventId)) continue;
        if (reevaluation.size < request.maxEvents) {
          reevaluation.add({
            eventId,
            timestamp: e.timestamp ?? 0,
            message: e.message ?? "",
            ...(e.logStreamName ? { logStreamName: e.logStreamName } : {}),
          });
        } else {
          beyond.add(eventId);
        }
      }
      reevaluationMs += performance.now() - started;
      request.onPage?.({ kept: reevaluation.size, leftOut: beyond.size, pages });
      if (page.hasNext && budgetSpent()) {
        // Stop asking: what the next pages hold is not counted.
        complete = false;
        break;
      }
    }
  }
  return { reevaluation, queried, pages, largestPage, leftOut: { count: beyond.size, complete }, reevaluationMs };
}
