/**
 * The deployed sweep: the management account reviewed here, then one SQS message per other
 * in-scope ACTIVE account, each sent once however often the sweep is retried.
 *  1. Read the sweep's progress record (keyed by the sweep id, which Lambda's retries of the
 *     scheduled event keep). A complete record ends the sweep: it already ran.
 *  2. Ask Organizations which organization this is; refuse to run in another one than the
 *     deployment was configured for (the bus policy would not admit its events either).
 *  3. Review (and fix) the account that owns organization trails first, the same way the CLI
 *     does (review/owner-first.ts), so members that follow its chain are judged after its fix.
 *  4. List the accounts in scope (same listing as the CLI) and send one message per other
 *     ACTIVE account not in the record, 10 per SendMessageBatch, as the listing arrives. A
 *     failed call is sent again with backoff, a refused entry too; what still fails is
 *     returned (a retry of the sweep sends it). After each accepted batch the record is saved.
 *  5. A listing that fails, or an invocation about to run out of time, stops the sweep where
 *     it is: the messages in flight finish, the record is saved, and the summary says why it
 *     stopped, so the caller logs it and fails, and the retry carries on from the record.
 */
import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import { accountsInScope } from "../adapters/organization/accounts-reader.ts";
import type { Settings } from "../config/settings.ts";
import type { AccountMessage } from "../core/account-message.ts";
import { describeError } from "../core/describe-error.ts";
import type { AccountRef, AccountResult, RunMode } from "../core/model.ts";
import type { SweepProgress, SweepProgressStore } from "../core/sweep-progress.ts";
import { ControlRun } from "./review/control-run.ts";
import { reviewOwnerFirst } from "./review/owner-first.ts";

/** Messages per SendMessageBatch (the SQS maximum). */
const BATCH = 10;
/**
 * Batches that may be sent but not yet saved in the record: in flight, or accepted while the
 * record's PutObject runs. A sweep cut off at any point sends at most this many batches again
 * on its retry (bench/sweep-resume.ts measures it), for one SendMessageBatch and one PutObject
 * of latency per two batches: far less than the listing's own pace.
 */
export const UNSAVED_BATCHES = 2;
/** Attempts per batch (each with the SDK's own retries inside), then its entries fail. */
export const SEND_ATTEMPTS = 3;
/** Backoff before attempt n+1 of a batch: 200 ms, then 400 ms, plus up to 100 ms of jitter. */
const backoffMs = (attempt: number) => 200 * 2 ** (attempt - 1) + Math.floor(Math.random() * 100);
/** Time kept in hand when the invocation's clock runs out: enough to finish the sends and save. */
export const TIME_RESERVE_MS = 20_000;

/** The queue the messages go to: returns the accounts whose entry SQS refused; throws when the call fails. */
export type AccountQueue = (
  messages: readonly AccountMessage[],
) => Promise<readonly { accountId: string; reason: string }[]>;

export interface EnqueueRequest {
  readonly settings: Settings;
  readonly mode: RunMode;
  readonly factory: ClientFactory;
  readonly queue: AccountQueue;
  readonly progress: SweepProgressStore;
  /** From the deployment; when set, the caller's organization must be this one. */
  readonly organizationId?: string;
  readonly sweepId: string;
  readonly now: () => Date;
  /** Milliseconds left before the invocation is cut off (Lambda's getRemainingTimeInMillis). */
  readonly remainingMs?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface EnqueueSummary {
  readonly sweepId: string;
  /** 1 for the first invocation of this sweep, 2 for Lambda's first retry, ... */
  readonly attempt: number;
  readonly organizationId?: string;
  /** The management account's review, done by the sweep itself. */
  readonly owner?: AccountResult;
  /** Accounts whose message SQS accepted during this invocation. */
  readonly enqueued: number;
  /** Accounts listed again whose message an earlier invocation of this sweep had sent. */
  readonly alreadySent: number;
  readonly skipped: number;
  /** Accounts whose message could not be sent, with the last reason. */
  readonly failed: readonly { readonly accountId: string; readonly reason: string }[];
  /** Every in-scope account's message is accepted, now or by an earlier invocation. */
  readonly complete: boolean;
  /** Why the sweep stopped before the end of the listing. */
  readonly stopped?: { readonly reason: "listing-failed" | "out-of-time"; readonly error?: string };
  /** The progress record could not be saved: a retry may send some messages again. */
  readonly progressError?: string;
}

export async function enqueueAccounts(request: EnqueueRequest): Promise<EnqueueSummary> {
  const { settings, factory, sweepId } = request;
  const prior = await request.progress.read(sweepId);
  const attempt = (prior?.attempts ?? 0) + 1;
  if (prior?.complete) {
    return { sweepId, attempt, enqueued: 0, alreadySent: prior.sent.length, skipped: 0, failed: [], complete: true };
  }
  const record = new ProgressRecord(request.progress, request.now, prior, sweepId);
  // Written before any send: a sweep whose record cannot be kept must not send what a retry would send again.
  await record.saveNow();

  const run = new ControlRun(factory, settings, request.mode, { now: request.now });
  const { organizationId, owner } = await reviewOwnerFirst(run, request.organizationId);
  const requestedAt = request.now().toISOString();
  const sleep = request.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const failed: { accountId: string; reason: string }[] = [];
  const inFlight = new Set<Promise<void>>();
  let pending: AccountRef[] = [];
  let enqueued = 0;
  let alreadySent = 0;
  let skipped = 0;
  let stopped: EnqueueSummary["stopped"];

  const dispatch = async (accounts: readonly AccountRef[]) => {
    while (inFlight.size + record.unsavedBatches >= UNSAVED_BATCHES) await Promise.race([...inFlight, record.saved()]);
    const messages = accounts.map((a) => toMessage(a, sweepId, requestedAt));
    const send = sendWithRetry(request.queue, messages, sleep).then(({ accepted, refused }) => {
      enqueued += accepted.length;
      failed.push(...refused);
      record.markSent(accepted);
    });
    const tracked = send.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  const outOfTime = () => request.remainingMs !== undefined && request.remainingMs() < TIME_RESERVE_MS;

  try {
    for await (const account of accountsInScope(factory.organizations(), settings)) {
      if (account.status !== "ACTIVE") {
        skipped++;
        continue;
      }
      if (account.id === owner?.accountId) continue;
      if (record.has(account.id)) {
        alreadySent++;
        continue;
      }
      pending.push(account);
      if (pending.length < BATCH) continue;
      if (outOfTime()) {
        stopped = { reason: "out-of-time" };
        break;
      }
      await dispatch(pending);
      pending = [];
    }
    if (!stopped && pending.length > 0) await dispatch(pending);
  } catch (error) {
    stopped = { reason: "listing-failed", error: describeError(error) };
  }
  await Promise.all(inFlight);
  const complete = !stopped && failed.length === 0;
  await record.finish(complete);
  return {
    sweepId,
    attempt,
    organizationId,
    ...(owner ? { owner } : {}),
    enqueued,
    alreadySent,
    skipped,
    failed,
    complete,
    ...(stopped ? { stopped } : {}),
    ...(record.error ? { progressError: record.error } : {}),
  };
}

/** Sends one batch; a failed call or refused entries are sent again with backoff, up to SEND_ATTEMPTS. */
async function sendWithRetry(
  queue: AccountQueue,
  messages: readonly AccountMessage[],
  sleep: (ms: number) => Promise<void>,
): Promise<{ accepted: string[]; refused: { accountId: string; reason: string }[] }> {
  const accepted: string[] = [];
  let left = messages;
  let reasons = new Map<string, string>();
  for (let attempt = 1; attempt <= SEND_ATTEMPTS && left.length > 0; attempt++) {
    if (attempt > 1) await sleep(backoffMs(attempt - 1));
    try {
      const refused = await queue(left);
      reasons = new Map(refused.map((r) => [r.accountId, r.reason]));
    } catch (error) {
      const reason = describeError(error);
      reasons = new Map(left.map((m) => [m.accountId, reason]));
    }
    accepted.push(...left.filter((m) => !reasons.has(m.accountId)).map((m) => m.accountId));
    left = left.filter((m) => reasons.has(m.accountId));
  }
  return { accepted, refused: left.map((m) => ({ accountId: m.accountId, reason: reasons.get(m.accountId) ?? "" })) };
}

function toMessage(account: AccountRef, sweepId: string, requestedAt: string): AccountMessage {
  return { version: 1, accountId: account.id, name: account.name, sweepId, requestedAt };
}

/**
 * The sweep's record as this invocation extends it. Saves are serialised and coalesced: one
 * PutObject at a time, and the next one carries everything accepted meanwhile. A failed save
 * is remembered (the next save tries again) and does not stop the sweep.
 */
class ProgressRecord {
  readonly #store: SweepProgressStore;
  readonly #now: () => Date;
  readonly #sweepId: string;
  readonly #startedAt: string;
  readonly #attempts: number;
  readonly #sent: string[];
  readonly #known: Set<string>;
  #complete = false;
  #saving: Promise<void> | undefined;
  #dirty = false;
  #error: string | undefined;
  /** Batches marked sent that no completed save holds yet (0 once a save failed: nothing to wait for). */
  #unsaved = 0;

  constructor(store: SweepProgressStore, now: () => Date, prior: SweepProgress | undefined, sweepId: string) {
    this.#store = store;
    this.#now = now;
    this.#sweepId = sweepId;
    this.#startedAt = prior?.startedAt || now().toISOString();
    this.#attempts = (prior?.attempts ?? 0) + 1;
    this.#sent = [...(prior?.sent ?? [])];
    this.#known = new Set(this.#sent);
  }

  get error(): string | undefined {
    return this.#error;
  }

  get unsavedBatches(): number {
    return this.#unsaved;
  }

  /** Settles when the save under way (if any) ends. */
  saved(): Promise<void> {
    return this.#saving ?? Promise.resolve();
  }

  has(accountId: string): boolean {
    return this.#known.has(accountId);
  }

  /** The first save: it must succeed (throws otherwise). */
  async saveNow(): Promise<void> {
    await this.#store.write(this.#snapshot());
  }

  markSent(accountIds: readonly string[]): void {
    if (accountIds.length === 0) return;
    this.#unsaved++;
    for (const id of accountIds) {
      if (this.#known.has(id)) continue;
      this.#known.add(id);
      this.#sent.push(id);
    }
    this.#requestSave();
  }

  async finish(complete: boolean): Promise<void> {
    this.#complete = complete;
    this.#requestSave();
    while (this.#saving) await this.#saving;
  }

  #requestSave(): void {
    if (this.#saving) {
      this.#dirty = true;
      return;
    }
    this.#saving = this.#saveLoop();
  }

  async #saveLoop(): Promise<void> {
    do {
      this.#dirty = false;
      const covered = this.#unsaved;
      try {
        await this.#store.write(this.#snapshot());
        this.#error = undefined;
        this.#unsaved -= covered;
      } catch (error) {
        this.#error = describeError(error);
        this.#unsaved = 0;
      }
    } while (this.#dirty);
    this.#saving = undefined;
  }

  #snapshot(): SweepProgress {
    return {
      version: 1,
      sweepId: this.#sweepId,
      startedAt: this.#startedAt,
      updatedAt: this.#now().toISOString(),
      attempts: this.#attempts,
      sent: [...this.#sent],
      complete: this.#complete,
    };
  }
}
