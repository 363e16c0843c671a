/**
 * FilterLogEvents, page by page: read-only. A page holds "up to 1 MB of log events or up to
 * 10,000 log events" and "partially full or empty pages don't necessarily mean that
 * pagination is finished": the pages go on while the service returns a nextToken.
 * startTime and endTime are inclusive (milliseconds since the epoch).
 */
import {
  type CloudWatchLogsClient,
  type FilteredLogEvent,
  FilterLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";

export interface LogEventQuery {
  readonly logGroupName: string;
  readonly filterPattern: string;
  readonly startTime: number;
  readonly endTime: number;
}

/** The most events FilterLogEvents returns in one page. */
export const FILTER_PAGE_LIMIT = 10_000;

export interface LogEventPage {
  readonly events: readonly FilteredLogEvent[];
  /** The service returned a nextToken: another page may hold more. */
  readonly hasNext: boolean;
}

/** The pages of one query; stops early when `signal` aborts (between pages). */
export async function* filterLogEventPages(
  client: CloudWatchLogsClient,
  query: LogEventQuery,
  signal?: AbortSignal,
): AsyncGenerator<LogEventPage> {
  let nextToken: string | undefined;
  do {
    signal?.throwIfAborted();
    const out = await client.send(
      new FilterLogEventsCommand({ ...query, limit: FILTER_PAGE_LIMIT, ...(nextToken ? { nextToken } : {}) }),
      signal ? { abortSignal: signal } : {},
    );
    nextToken = out.nextToken;
    yield { events: out.events ?? [], hasNext: nextToken !== undefined };
  } while (nextToken);
}
