/**
 * CloudWatch Logs events: streams, PutLogEvents, FilterLogEvents and TestMetricFilter, with
 * patterns evaluated by the project's own filter engine (shared/core/filter-pattern). The
 * events are those the live chain delivers from CloudTrail and those put through the API or
 * seeded; every accepted event runs the group's metric filters (data/log-ingest.ts).
 */
import type {
  CreateLogStreamRequest,
  DescribeLogStreamsRequest,
  FilteredLogEvent,
  FilterLogEventsRequest,
  LogStream,
  PutLogEventsRequest,
  TestMetricFilterRequest,
} from "@aws-sdk/client-cloudwatch-logs";
import { type FilterPattern, parseFilterPattern } from "../../core/filter-pattern/index.ts";
import type { LogEventCursor, LogEventStore } from "../data/log-events.ts";
import { ingestLogEvents } from "../data/log-ingest.ts";
import { pageByPosition, sortByKey } from "../pagination.ts";
import { type AccountState, type LogGroupState, logGroupArn } from "../state.ts";
import { type CallContext, type HandlerTable, op, pageSize, raise, required } from "./handler.ts";

/** FilterLogEvents: "up to 1 MB of log events or up to 10,000 log events" per page. */
export const FILTER_PAGE_EVENTS = 10_000;
export const FILTER_PAGE_BYTES = 1_048_576;
/** PutLogEvents: events more than 2 hours ahead or 14 days behind the clock are rejected. */
const TOO_NEW_MS = 2 * 3600_000;
const TOO_OLD_MS = 14 * 24 * 3600_000;
const MAX_BATCH_SPAN_MS = 24 * 3600_000;
const MAX_BATCH_EVENTS = 10_000;
const STREAM_NAME = /^[^:*]{1,512}$/;
const TOKEN_PREFIX = "simlog1:";

function invalid(message: string): never {
  return raise("logs", "InvalidParameterException", message);
}

function noGroup(): never {
  return raise("logs", "ResourceNotFoundException", "The specified log group does not exist.");
}

function noStream(): never {
  return raise("logs", "ResourceNotFoundException", "The specified log stream does not exist.");
}

/** The group a request names, by name or by identifier (a name or an ARN of this account and region). */
function groupOf(ctx: CallContext, input: { logGroupName?: string; logGroupIdentifier?: string }): LogGroupState {
  const { logGroupName, logGroupIdentifier } = input;
  if (logGroupName !== undefined && logGroupIdentifier !== undefined) {
    invalid("LogGroup name and LogGroup identifier are mutually exclusive parameters.");
  }
  const key = logGroupName ?? logGroupIdentifier;
  if (key === undefined || key === "") invalid("Either logGroupName or logGroupIdentifier must be provided.");
  let name = key;
  if (key.startsWith("arn:")) {
    const m = /^arn:[\w-]+:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?$/.exec(key);
    if (!m || m[1] !== ctx.region || m[2] !== ctx.account.id) noGroup();
    name = m[3] as string;
  }
  return ctx.account.peekRegion(ctx.region).logGroups.get(name) ?? noGroup();
}

function parsePattern(text: string | undefined): FilterPattern {
  try {
    return parseFilterPattern(text ?? "");
  } catch (error) {
    return invalid(`Invalid filter pattern: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function encodeCursor(cursor: LogEventCursor): string {
  return TOKEN_PREFIX + Buffer.from(`${cursor.timestamp}.${cursor.order}`, "utf8").toString("base64url");
}

function decodeCursor(token: string): LogEventCursor {
  const bad = (): never => invalid("The specified nextToken is invalid.");
  if (!token.startsWith(TOKEN_PREFIX)) return bad();
  const m = /^(-?\d+)\.(\d+)$/.exec(Buffer.from(token.slice(TOKEN_PREFIX.length), "base64url").toString("utf8"));
  if (!m) return bad();
  return { timestamp: Number(m[1]), order: Number(m[2]) };
}

function toLogStream(core: CallContext["core"], account: AccountState, region: string, group: LogGroupState) {
  const groupArn = logGroupArn(core.partition, region, account.id, group.name).slice(0, -2);
  return (s: NonNullable<ReturnType<LogEventStore["stream"]>>): LogStream => ({
    logStreamName: s.name,
    creationTime: s.creationTime,
    ...(s.firstEventTimestamp === undefined ? {} : { firstEventTimestamp: s.firstEventTimestamp }),
    ...(s.lastEventTimestamp === undefined ? {} : { lastEventTimestamp: s.lastEventTimestamp }),
    ...(s.lastIngestionTime === undefined ? {} : { lastIngestionTime: s.lastIngestionTime }),
    uploadSequenceToken: String(s.batches + 1).padStart(56, "4"),
    arn: `${groupArn}:log-stream:${s.name}`,
    storedBytes: 0,
  });
}

interface FilterOutcome {
  readonly events: FilteredLogEvent[];
  readonly nextToken?: string;
}

/** One page of matching events, in (timestamp, ingestion) order. */
export function filterEvents(store: LogEventStore | undefined, input: FilterLogEventsRequest): FilterOutcome {
  const limit = pageSize("logs", "InvalidParameterException", "limit", input.limit, FILTER_PAGE_EVENTS);
  if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
    invalid("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
  }
  if (input.logStreamNames !== undefined && (input.logStreamNames.length < 1 || input.logStreamNames.length > 100)) {
    invalid("logStreamNames must contain between 1 and 100 names.");
  }
  const { startTime, endTime } = input;
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
    invalid("startTime must be less than or equal to endTime.");
  }
  const pattern = parsePattern(input.filterPattern);
  const cursor = input.nextToken === undefined ? undefined : decodeCursor(input.nextToken);
  if (!store) return { events: [] };
  const names = input.logStreamNames === undefined ? undefined : new Set(input.logStreamNames);
  const prefix = input.logStreamNamePrefix;
  const end = endTime ?? Infinity;
  const events: FilteredLogEvent[] = [];
  let bytes = 0;
  let i = store.startIndex(startTime, cursor);
  for (; i < store.size && store.timestampAt(i) <= end; i++) {
    const stream = store.streamNameAt(i);
    if (names !== undefined && !names.has(stream)) continue;
    if (prefix !== undefined && !stream.startsWith(prefix)) continue;
    const message = store.messageAt(i);
    if (!pattern.test(message)) continue;
    if (events.length === limit || (events.length > 0 && bytes + message.length > FILTER_PAGE_BYTES)) {
      // A further match exists: the next page starts right before it.
      return { events, nextToken: encodeCursor(store.cursorAt(i - 1)) };
    }
    events.push(store.eventAt(i));
    bytes += message.length;
  }
  return { events };
}

export const logEventHandlers: HandlerTable = {
  CreateLogStream: op<CreateLogStreamRequest>((ctx, input) => {
    const name = required("logs", "InvalidParameterException", "logStreamName", input.logStreamName);
    if (!STREAM_NAME.test(name)) {
      invalid(`1 validation error detected: Value '${name}' at 'logStreamName' failed to satisfy constraint`);
    }
    const group = groupOf(ctx, {
      logGroupName: required("logs", "InvalidParameterException", "logGroupName", input.logGroupName),
    });
    const store = ctx.core.data.logEvents(group);
    if (store.streams.has(name))
      raise("logs", "ResourceAlreadyExistsException", "The specified log stream already exists");
    store.stream(name, ctx.core.clock.nowMs(), true);
    return {};
  }),

  DescribeLogStreams: op<DescribeLogStreamsRequest>((ctx, input) => {
    const limit = pageSize("logs", "InvalidParameterException", "limit", input.limit, 50);
    const group = groupOf(ctx, input);
    const orderBy = input.orderBy ?? "LogStreamName";
    if (orderBy === "LastEventTime" && input.logStreamNamePrefix !== undefined) {
      invalid("Cannot order by LastEventTime with a logStreamNamePrefix.");
    }
    const streams = [...(ctx.core.data.peekLogEvents(group)?.streams.values() ?? [])].filter(
      (s) => input.logStreamNamePrefix === undefined || s.name.startsWith(input.logStreamNamePrefix),
    );
    const sorted =
      orderBy === "LastEventTime"
        ? sortByKey(streams, (s) => `${String(s.lastEventTimestamp ?? 0).padStart(16, "0")}\u0000${s.name}`)
        : sortByKey(streams, (s) => s.name);
    if (input.descending) sorted.reverse();
    let page: ReturnType<typeof pageByPosition<(typeof sorted)[number]>>;
    try {
      page = pageByPosition(sorted, limit, input.nextToken);
    } catch {
      return invalid("The specified nextToken is invalid.");
    }
    return {
      logStreams: page.items.map(toLogStream(ctx.core, ctx.account, ctx.region, group)),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }),

  PutLogEvents: op<PutLogEventsRequest>((ctx, input) => {
    const groupName = required("logs", "InvalidParameterException", "logGroupName", input.logGroupName);
    const streamName = required("logs", "InvalidParameterException", "logStreamName", input.logStreamName);
    const events = input.logEvents ?? [];
    if (events.length < 1 || events.length > MAX_BATCH_EVENTS) {
      invalid(`logEvents must contain between 1 and ${MAX_BATCH_EVENTS} events.`);
    }
    const group = groupOf(ctx, { logGroupName: groupName });
    const now = ctx.core.clock.nowMs();
    if (!ctx.core.data.peekLogEvents(group)?.streams.has(streamName)) noStream();
    for (let i = 1; i < events.length; i++) {
      if ((events[i]?.timestamp ?? 0) < (events[i - 1]?.timestamp ?? 0)) {
        invalid("Log events in a single PutLogEvents request must be in chronological order.");
      }
    }
    const first = events[0]?.timestamp ?? 0;
    const last = events[events.length - 1]?.timestamp ?? 0;
    if (last - first > MAX_BATCH_SPAN_MS)
      invalid("A batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
    const oldest = now - Math.min(TOO_OLD_MS, (group.retentionInDays ?? 14) * 24 * 3600_000);
    let tooOldEnd = -1;
    let tooNewStart = events.length;
    events.forEach((e, i) => {
      if ((e.timestamp ?? 0) < oldest) tooOldEnd = i;
      if ((e.timestamp ?? 0) > now + TOO_NEW_MS && i < tooNewStart) tooNewStart = i;
    });
    const accepted = events.slice(tooOldEnd + 1, tooNewStart).map((e) => ({
      timestamp: e.timestamp ?? 0,
      message: required("logs", "InvalidParameterException", "message", e.message),
    }));
    if (accepted.length > 0) ingestLogEvents(ctx.core, ctx.account.id, ctx.region, group, streamName, accepted, now);
    const rejected = {
      ...(tooOldEnd >= 0 ? { tooOldLogEventEndIndex: tooOldEnd } : {}),
      ...(tooNewStart < events.length ? { tooNewLogEventStartIndex: tooNewStart } : {}),
    };
    return {
      nextSequenceToken: String(now).padStart(56, "4"),
      ...(Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {}),
    };
  }),

  FilterLogEvents: op<FilterLogEventsRequest>((ctx, input) => {
    const group = groupOf(ctx, input);
    const { events, nextToken } = filterEvents(ctx.core.data.peekLogEvents(group), input);
    return { events, searchedLogStreams: [], ...(nextToken ? { nextToken } : {}) };
  }),

  TestMetricFilter: op<TestMetricFilterRequest>((_ctx, input) => {
    const messages = input.logEventMessages ?? [];
    if (messages.length < 1 || messages.length > 50)
      invalid("logEventMessages must contain between 1 and 50 messages.");
    if (input.filterPattern === undefined || input.filterPattern === null) invalid("filterPattern is required");
    const pattern = parsePattern(input.filterPattern);
    // eventNumber is the index into logEventMessages, from 0, as in AWS's examples. The values a
    // space-delimited pattern extracts are not computed: extractedValues stays empty.
    const matches = messages.flatMap((eventMessage, eventNumber) =>
      pattern.test(eventMessage) ? [{ eventNumber, eventMessage, extractedValues: {} }] : [],
    );
    return { matches };
  }),
};
