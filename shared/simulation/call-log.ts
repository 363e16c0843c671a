/** The record of every call the simulation answered (or refused), for tests and the benchmark. */
import type { ServiceId } from "./errors.ts";

/** One simulated call as it arrives, before it is answered. */
export interface SimulatedCall {
  /** Position in the run, from 1. */
  readonly seq: number;
  /** Account of the caller's credentials ("unknown" when the sim did not issue them). */
  readonly accountId: string;
  readonly region: string;
  readonly service: ServiceId;
  /** Operation name without the "Command" suffix, e.g. "DescribeMetricFilters". */
  readonly operation: string;
  /** ARN of the calling principal, when known. */
  readonly principalArn?: string;
  /** Host the SDK resolved for the request (shows AWS_ENDPOINT_URL or `endpoint` is honoured). */
  readonly endpoint?: string;
  /** The command input, as the engine passed it (not copied). */
  readonly input: Readonly<Record<string, unknown>>;
}

/** A call and its outcome. Each SDK attempt is one record: a retried call appears once per try. */
export interface CallRecord extends SimulatedCall {
  /** Error name when the call failed. */
  readonly error?: string;
  /** True when the call failed with the service's throttling error. */
  readonly throttled: boolean;
}

export interface CallFilter {
  readonly accountId?: string;
  readonly region?: string;
  readonly service?: ServiceId;
  readonly operation?: string;
  readonly errored?: boolean;
  readonly throttled?: boolean;
}

function matches(record: CallRecord, filter: CallFilter): boolean {
  return (
    (filter.accountId === undefined || record.accountId === filter.accountId) &&
    (filter.region === undefined || record.region === filter.region) &&
    (filter.service === undefined || record.service === filter.service) &&
    (filter.operation === undefined || record.operation === filter.operation) &&
    (filter.errored === undefined || (record.error !== undefined) === filter.errored) &&
    (filter.throttled === undefined || record.throttled === filter.throttled)
  );
}

export class CallLog {
  #records: CallRecord[] = [];
  #seq = 0;

  constructor(private readonly keepRecords: boolean) {}

  /** Next sequence number (counted even when records are not kept). */
  nextSeq(): number {
    return ++this.#seq;
  }

  /** Records a call's outcome; the record is built only when records are kept (the benchmark keeps none). */
  record(call: SimulatedCall, throttled: boolean, error?: string): void {
    if (!this.keepRecords) return;
    this.#records.push(error === undefined ? { ...call, throttled } : { ...call, error, throttled });
  }

  /** All records since the last reset, oldest first. */
  get all(): readonly CallRecord[] {
    return this.#records;
  }

  /** Total number of calls seen since the last reset, kept or not. */
  get total(): number {
    return this.#seq;
  }

  list(filter: CallFilter = {}): CallRecord[] {
    return this.#records.filter((r) => matches(r, filter));
  }

  count(filter: CallFilter = {}): number {
    let n = 0;
    for (const r of this.#records) if (matches(r, filter)) n++;
    return n;
  }

  /** Calls per account id. */
  byAccount(filter: CallFilter = {}): Map<string, number> {
    return this.#group(filter, (r) => r.accountId);
  }

  /** Calls per "service:Operation". */
  byOperation(filter: CallFilter = {}): Map<string, number> {
    return this.#group(filter, (r) => `${r.service}:${r.operation}`);
  }

  reset(): void {
    this.#records = [];
    this.#seq = 0;
  }

  #group(filter: CallFilter, keyOf: (r: CallRecord) => string): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.#records) {
      if (!matches(r, filter)) continue;
      const key = keyOf(r);
      out.set(key, (out.get(key) ?? 0) + 1);
    }
    return out;
  }
}
