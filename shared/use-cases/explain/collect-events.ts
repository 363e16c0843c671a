/**
 * Reads the events of the filters that feed one metric, over one time span, within a cap:
 *  1. Ask CloudWatch Logs once per widest pattern (filter-pattern/implies.ts): tripwire's v1.2
 *     query returns every event of its v1.4 filter too, so each event is read once.
 *  2. As each page arrives, count its events (each id once; past `maxEvents` only counted as
 *     left out), report progress and decide whether to read on: none of that needs the
 *     evaluation, so the next page is asked for at once.
 *  3. While that page is on the wire, re-evaluate the previous page's events with tripwire's
 *     engine and count them into their groups (core/explain/event-groups.ts), in small chunks
 *     that give way to the network between them. The pages are evaluated in the order they
 *     came, one after the other, so the result does not depend on timing; the local work adds
 *     to the wall time only what the calls do not hide (the benchmark measures it).
 *  4. Past `maxEvents`, keep paging only to count what is left out, up to `countBeyondCap`
 *     more events; `leftOut.complete` is false when counting stopped before the end.
 */
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { filterLogEventPages, type LogEventPage } from "../../adapters/logs/log-events-reader.ts";
import { type FeedingFilter, type ReadLogEvent, Reevaluation } from "../../core/explain/event-groups.ts";
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
  /** Milliseconds spent on local work: counting the pages' events, re-evaluating them with the engine. */
  readonly reevaluationMs: number;
}

/** Events evaluated between two turns of the event loop (a few milliseconds of work). */
const EVALUATION_CHUNK = 256;

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

  async function* everyPage(): AsyncGenerator<LogEventPage> {
    for (const filterPattern of queried) {
      if (budgetSpent()) {
        // A further query may hold events the first ones did not.
        complete = false;
        return;
      }
      const query = {
        logGroupName: request.logGroupName,
        filterPattern,
        startTime: request.start.getTime(),
        endTime: request.end.getTime(),
      };
      yield* filterLogEventPages(request.logs, query, request.signal);
    }
  }

  /** Counts a page's events; returns the ones kept, to evaluate. */
  function admit(page: LogEventPage): ReadLogEvent[] {
    const started = performance.now();
    const kept: ReadLogEvent[] = [];
    for (const e of page.events) {
      const eventId = e.eventId ?? `${e.logStreamName}/${e.timestamp}/${e.ingestionTime}`;
      if (reevaluation.has(eventId)) continue;
      if (reevaluation.size < request.maxEvents) {
        reevaluation.admit(eventId);
        kept.push({
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
    return kept;
  }

  async function evaluate(events: readonly ReadLogEvent[]): Promise<void> {
    for (let from = 0; from < events.length; from += EVALUATION_CHUNK) {
      // Give way first: the next page's request goes out, and a response that came is read.
      await turnOfTheEventLoop();
      const started = performance.now();
      const to = Math.min(events.length, from + EVALUATION_CHUNK);
      for (let i = from; i < to; i++) reevaluation.evaluate(events[i] as ReadLogEvent);
      reevaluationMs += performance.now() - started;
    }
  }

  const source = everyPage();
  let next = source.next();
  for (;;) {
    const { done, value: page } = await next;
    if (done) break;
    pages++;
    largestPage = Math.max(largestPage, page.events.length);
    const kept = admit(page);
    request.onPage?.({ kept: reevaluation.size, leftOut: beyond.size, pages });
    if (page.hasNext && budgetSpent()) {
      // Stop asking: what the next pages hold is not counted.
      complete = false;
      await source.return(undefined);
      await evaluate(kept);
      break;
    }
    // The next page is asked for before this one is evaluated; a failure of it surfaces below,
    // where it is awaited (the handler only keeps it from counting as unhandled meanwhile).
    next = source.next();
    next.catch(() => undefined);
    await evaluate(kept);
  }
  return { reevaluation, queried, pages, largestPage, leftOut: { count: beyond.size, complete }, reevaluationMs };
}

/** Resolves on the event loop's next turn, after pending I/O callbacks (setImmediate). */
function turnOfTheEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
