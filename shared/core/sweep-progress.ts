/**
 * The progress record of one deployed sweep: which accounts' messages SQS has accepted, so a
 * retried sweep (Lambda retries a failed scheduled invocation with the same event, hence the
 * same sweep id) sends only what is left. Kept as one JSON object per sweep, version 1, in the
 * central records bucket under `sweeps/`; written after each accepted SendMessageBatch.
 */

export interface SweepProgress {
  readonly version: 1;
  readonly sweepId: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** Invocations that worked on this sweep: 1, then one more per retry. */
  readonly attempts: number;
  /** Accounts whose message SQS accepted, in the order they were sent. */
  readonly sent: readonly string[];
  /** Listed to the end and every message accepted: a retry has nothing left to do. */
  readonly complete: boolean;
}

/** Where the records are kept: the port the use case writes through (adapters/records/). */
export interface SweepProgressStore {
  /** The sweep's record; undefined when none was written yet. Throws when it cannot be read. */
  read(sweepId: string): Promise<SweepProgress | undefined>;
  write(progress: SweepProgress): Promise<void>;
}

/** A stored record that is not a version-1 sweep progress document. */
export class MalformedSweepProgressError extends Error {
  constructor(message: string) {
    super(`malformed sweep progress record: ${message}`);
    this.name = "MalformedSweepProgressError";
  }
}

/** A sweep id that cannot name an object key: letters, digits, `.`, `_` and `-`, up to 128. */
export class InvalidSweepIdError extends Error {
  constructor(sweepId: string) {
    super(`sweep id ${JSON.stringify(sweepId.slice(0, 140))} is not 1 to 128 letters, digits, ".", "_" or "-"`);
    this.name = "InvalidSweepIdError";
  }
}

const SWEEP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isSweepId(value: unknown): value is string {
  return typeof value === "string" && SWEEP_ID.test(value);
}

/** Object key of a sweep's record. */
export function sweepProgressKey(sweepId: string): string {
  if (!isSweepId(sweepId)) throw new InvalidSweepIdError(sweepId);
  return `sweeps/${sweepId}.json`;
}

export function parseSweepProgress(text: string, sweepId: string): SweepProgress {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MalformedSweepProgressError("not JSON");
  }
  const p = value as Partial<SweepProgress> | null;
  if (typeof p !== "object" || p === null) throw new MalformedSweepProgressError("not a JSON object");
  if (p.version !== 1) throw new MalformedSweepProgressError(`unknown version ${JSON.stringify(p.version)}`);
  if (p.sweepId !== sweepId) throw new MalformedSweepProgressError(`it belongs to sweep ${JSON.stringify(p.sweepId)}`);
  if (!Array.isArray(p.sent) || !p.sent.every((id) => typeof id === "string" && /^\d{12}$/.test(id))) {
    throw new MalformedSweepProgressError("sent is not a list of account ids");
  }
  if (typeof p.attempts !== "number" || !Number.isInteger(p.attempts) || p.attempts < 1) {
    throw new MalformedSweepProgressError("attempts is not a positive whole number");
  }
  return {
    version: 1,
    sweepId,
    startedAt: typeof p.startedAt === "string" ? p.startedAt : "",
    updatedAt: typeof p.updatedAt === "string" ? p.updatedAt : "",
    attempts: p.attempts,
    sent: p.sent,
    complete: p.complete === true,
  };
}
