/**
 * The events of one log group, stored compactly: parallel arrays (timestamp, ingestion order,
 * ingestion time, stream index, message) kept sorted by (timestamp, ingestion order), which is
 * the order FilterLogEvents returns them in. Streams are named once and referred to by index.
 * The event id is derived from (timestamp, ingestion order), so it costs no storage.
 */

export interface LogStreamState {
  readonly name: string;
  readonly creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
  /** Counts PutLogEvents batches: the (deprecated) sequence token is derived from it. */
  batches: number;
}

/** One event as FilterLogEvents returns it. */
export interface StoredLogEvent {
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
  readonly eventId: string;
}

/** A position in the order: after the event of this timestamp and ingestion order. */
export interface LogEventCursor {
  readonly timestamp: number;
  readonly order: number;
}

/** 56 digits, like CloudWatch Logs event ids: the timestamp, then the ingestion order. */
export function logEventId(timestamp: number, order: number): string {
  return `${String(timestamp).padStart(20, "0")}${String(order).padStart(36, "0")}`;
}

export class LogEventStore {
  readonly streams = new Map<string, LogStreamState>();
  readonly #streamIndex = new Map<string, number>();
  readonly #streamNames: string[] = [];
  readonly #timestamps: number[] = [];
  readonly #orders: number[] = [];
  readonly #ingestionTimes: number[] = [];
  readonly #streamOf: number[] = [];
  readonly #messages: string[] = [];

  get size(): number {
    return this.#timestamps.length;
  }

  /** The stream, created when `create` is true; undefined when it does not exist. */
  stream(name: string, creationTime: number, create: boolean): LogStreamState | undefined {
    let s = this.streams.get(name);
    if (!s && create) {
      s = { name, creationTime, storedBytes: 0, batches: 0 };
      this.streams.set(name, s);
      this.#streamIndex.set(name, this.#streamNames.length);
      this.#streamNames.push(name);
    }
    return s;
  }

  /** Adds one event to an existing stream; `order` must grow with each call. */
  add(stream: LogStreamState, timestamp: number, message: string, ingestionTime: number, order: number): void {
    const index = this.#streamIndex.get(stream.name);
    if (index === undefined) throw new Error(`simulation bug: unknown log stream ${stream.name}`);
    // Usually an append: deliveries arrive in time order. A late event is inserted in place.
    const at = this.#upperBound(timestamp);
    if (at === this.#timestamps.length) {
      this.#timestamps.push(timestamp);
      this.#orders.push(order);
      this.#ingestionTimes.push(ingestionTime);
      this.#streamOf.push(index);
      this.#messages.push(message);
    } else {
      this.#timestamps.splice(at, 0, timestamp);
      this.#orders.splice(at, 0, order);
      this.#ingestionTimes.splice(at, 0, ingestionTime);
      this.#streamOf.splice(at, 0, index);
      this.#messages.splice(at, 0, message);
    }
    stream.firstEventTimestamp = Math.min(stream.firstEventTimestamp ?? timestamp, timestamp);
    stream.lastEventTimestamp = Math.max(stream.lastEventTimestamp ?? timestamp, timestamp);
    stream.lastIngestionTime = ingestionTime;
    stream.storedBytes += message.length;
  }

  /** The index of the first event at or after `startTime`, or after `cursor` when given. */
  startIndex(startTime: number | undefined, cursor: LogEventCursor | undefined): number {
    let i = startTime === undefined ? 0 : this.#lowerBound(startTime);
    if (cursor) {
      let j = this.#lowerBound(cursor.timestamp);
      while (
        j < this.#timestamps.length &&
        this.#timestamps[j] === cursor.timestamp &&
        (this.#orders[j] as number) <= cursor.order
      ) {
        j++;
      }
      i = Math.max(i, j);
    }
    return i;
  }

  timestampAt(i: number): number {
    return this.#timestamps[i] as number;
  }

  messageAt(i: number): string {
    return this.#messages[i] as string;
  }

  streamNameAt(i: number): string {
    return this.#streamNames[this.#streamOf[i] as number] as string;
  }

  cursorAt(i: number): LogEventCursor {
    return { timestamp: this.#timestamps[i] as number, order: this.#orders[i] as number };
  }

  eventAt(i: number): StoredLogEvent {
    const timestamp = this.#timestamps[i] as number;
    return {
      logStreamName: this.streamNameAt(i),
      timestamp,
      message: this.#messages[i] as string,
      ingestionTime: this.#ingestionTimes[i] as number,
      eventId: logEventId(timestamp, this.#orders[i] as number),
    };
  }

  #lowerBound(timestamp: number): number {
    const ts = this.#timestamps;
    let lo = 0;
    let hi = ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ts[mid] as number) < timestamp) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #upperBound(timestamp: number): number {
    const ts = this.#timestamps;
    let lo = 0;
    let hi = ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ts[mid] as number) <= timestamp) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
