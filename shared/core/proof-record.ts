/**
 * The record of one account's proof of the alert path (`tripwire prove`, and the scheduled
 * proof of the central stack): kept as evidence, in the records bucket under
 * `proofs/<account>/<region>/<time>.json`, and read back by `tripwire evidence`.
 * Version 1; a new field is additive.
 */

/** The hops of the alert path, in the order a proof confirms them. */
export const PROOF_HOPS = [
  "CANARY_DENIED",
  "DELIVERED_TO_LOG_GROUP",
  "METRIC_INCREMENTED",
  "ALARM_FIRED",
  "ACTION_EXECUTED",
  "NOTIFICATION_RECEIVED",
] as const;

export type ProofHopCode = (typeof PROOF_HOPS)[number];

export interface ProofHop {
  readonly code: ProofHopCode;
  /** Confirmed (true), not confirmed in time (false). */
  readonly ok: boolean;
  /** When the hop was seen (ISO 8601), absent when it was not. */
  readonly at?: string;
  /** What shows it: a request id, a log event id, a datapoint, a history item, a message id; or why not. */
  readonly evidence: Readonly<Record<string, unknown>>;
}

export type ProofStatus = "PROVEN" | "FAILED" | "ERROR" | "SKIPPED";

export interface ProofRecord {
  readonly version: 1;
  readonly accountId: string;
  /** Region of the chain's log group, where the proof ran. */
  readonly region: string;
  readonly status: ProofStatus;
  /** When the canary fired (ISO 8601). */
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly hops: readonly ProofHop[];
  /** The first hop not confirmed in time, for a FAILED proof. */
  readonly failedHop?: ProofHopCode;
  /** Why the account is ERROR or SKIPPED (or, for FAILED, why the hop was not confirmed). */
  readonly reason?: string;
  // Additive fields (still version 1):
  /** The account's name, as Organizations lists it. */
  readonly name?: string;
  /** The proof run this record belongs to (the CLI's run, or the state machine's execution). */
  readonly runId?: string;
  /** The account's status by the scan the proof starts with: a proof needs COMPLIANT. */
  readonly scanStatus?: "COMPLIANT" | "NON_COMPLIANT" | "ERROR" | "SKIPPED" | "EXEMPT";
  /** The scan's findings, for an account that was not proven because it is not COMPLIANT. */
  readonly findings?: readonly { readonly code: string; readonly region: string; readonly message: string }[];
}

/** `proofs/<account>/<region>/<time>.json`, with the time in a form that sorts as it reads. */
export function proofRecordKey(record: Pick<ProofRecord, "accountId" | "region" | "startedAt">): string {
  return `proofs/${record.accountId}/${record.region}/${record.startedAt.replace(/[:.]/g, "-")}.json`;
}

/** The key prefix of one account's proof records, newest last when listed in key order. */
export function proofRecordPrefix(accountId: string): string {
  return `proofs/${accountId}/`;
}
