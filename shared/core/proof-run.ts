/**
 * A proof run's state (pure, plain JSON): one entry per account, which hops are confirmed and
 * what later hops need of earlier ones. The CLI keeps it in memory between its polls; the
 * deployed state machine keeps it in the records bucket between its checks. Each account ends
 * as a ProofRecord (proof-record.ts); the run ends as the `prove` report.
 */

import type { AccountStatus, Finding } from "./model.ts";
import { PROOF_HOPS, type ProofHop, type ProofHopCode, type ProofRecord, type ProofStatus } from "./proof-record.ts";
import type { ProofTarget } from "./proof-target.ts";
import type { ListingState } from "./report.ts";

/** The canary call as it was made and answered. */
export interface CanaryCall {
  readonly roleArn: string;
  readonly region: string;
  readonly sessionName: string;
  readonly requestId: string;
  /** When it was made (ISO 8601). */
  readonly at: string;
  /** The identity that made it, from the denial (or the caller's identity). */
  readonly caller?: string;
}

/** What later hops need of the earlier ones. */
export interface ProofProgress {
  /** Epoch ms of the canary record's eventTime: the metric counts it in that minute. */
  readonly eventTime?: number;
  /**
   * Epoch ms the record reached the log group (its ingestion time): nothing of the canary can
   * change the alarm before it, so an alarm's change to ALARM counts only from then on.
   */
  readonly deliveredAt?: number;
  /** The alarm that changed to ALARM, and when (epoch ms). */
  readonly fired?: { readonly alarmArn: string; readonly at: number };
  /** The topic the alarm's action published to, and when (epoch ms). */
  readonly executed?: { readonly alarmArn: string; readonly topicArn: string; readonly at: number };
  /** The topic's confirmed subscriptions of any protocol, once resolved. */
  readonly subscribers?: number;
  /** The topic's readable SQS subscribers, once resolved; empty when none is readable. */
  readonly receivers?: readonly { readonly queueArn: string; readonly queueUrl: string }[];
  /** Why subscribers of the topic could not be read, once resolved. */
  readonly unreadable?: readonly string[];
}

export interface AccountProof {
  readonly accountId: string;
  readonly name: string;
  /** The region of the chain's log group ("global" when the account has no chain to prove). */
  readonly region: string;
  readonly scanStatus: AccountStatus;
  readonly status: "RUNNING" | ProofStatus;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly target?: ProofTarget;
  readonly canary?: CanaryCall;
  /** Confirmed hops, in PROOF_HOPS order; for a FAILED proof, the failed hop last. */
  readonly hops: readonly ProofHop[];
  readonly failedHop?: ProofHopCode;
  readonly reason?: string;
  readonly findings?: readonly Finding[];
  readonly progress?: ProofProgress;
  /** What was seen of the next hop so far, short of confirming it (its evidence if it ends unconfirmed). */
  readonly pending?: Readonly<Record<string, unknown>>;
  /** The last read for the next hop that failed (retried on the next check); ERROR if the proof ends unconfirmed. */
  readonly readError?: string;
  /** Its record was written (the deployed proof writes each account's record once, when it ends). */
  readonly recorded?: boolean;
}

export interface ProofRun {
  readonly version: 1;
  readonly runId: string;
  readonly startedAt: string;
  /** After this, unconfirmed proofs end FAILED (or ERROR when their reads failed). */
  readonly deadline: string;
  readonly listing: ListingState;
  readonly accounts: readonly AccountProof[];
}

/** The hop a running proof waits for. */
export function nextHop(proof: AccountProof): ProofHopCode | undefined {
  return PROOF_HOPS[proof.hops.length];
}

export function isRunning(proof: AccountProof): boolean {
  return proof.status === "RUNNING";
}

/** The proof with `hop` confirmed (PROVEN after the last one) and `progress` merged. */
export function confirmHop(
  proof: AccountProof,
  hop: Omit<ProofHop, "code" | "ok">,
  now: Date,
  progress: ProofProgress = {},
): AccountProof {
  const code = nextHop(proof);
  if (!code || proof.status !== "RUNNING") return proof;
  const hops = [...proof.hops, { code, ok: true, ...hop }];
  const { pending: _p, readError: _e, ...rest } = proof;
  return {
    ...rest,
    hops,
    progress: { ...proof.progress, ...progress },
    ...(hops.length === PROOF_HOPS.length ? { status: "PROVEN" as const, finishedAt: now.toISOString() } : {}),
  };
}

/** The proof FAILED at its next hop, with what shows it. */
export function failHop(proof: AccountProof, evidence: Readonly<Record<string, unknown>>, now: Date): AccountProof {
  const code = nextHop(proof);
  if (!code || proof.status !== "RUNNING") return proof;
  const { pending: _p, readError: _e, ...rest } = proof;
  return {
    ...rest,
    status: "FAILED",
    failedHop: code,
    hops: [...proof.hops, { code, ok: false, evidence }],
    finishedAt: now.toISOString(),
  };
}

/** The proof ended in ERROR: tripwire could not do its part (a read or the canary failed). */
export function errorProof(proof: AccountProof, reason: string, now: Date): AccountProof {
  if (proof.status !== "RUNNING") return proof;
  const { pending: _p, readError: _e, ...rest } = proof;
  return { ...rest, status: "ERROR", reason, finishedAt: now.toISOString() };
}

/** A running proof at the deadline: FAILED at its next hop, or ERROR when the reads for it failed. */
export function expireProof(proof: AccountProof, now: Date): AccountProof {
  if (proof.status !== "RUNNING") return proof;
  if (proof.readError) {
    return errorProof(proof, `${nextHop(proof)} could not be checked: ${proof.readError}`, now);
  }
  return failHop(proof, { reason: "not seen before the deadline", ...(proof.pending ?? {}) }, now);
}

/** The proof's record: every hop listed, those after the last one seen marked as not reached. */
export function proofRecordOf(proof: AccountProof, runId: string): ProofRecord {
  const seen = new Map(proof.hops.map((h) => [h.code, h]));
  const hops: ProofHop[] =
    proof.canary || proof.hops.length > 0
      ? PROOF_HOPS.map((code) => seen.get(code) ?? { code, ok: false, evidence: { reason: "not reached" } })
      : [];
  const status: ProofStatus = proof.status === "RUNNING" ? "ERROR" : proof.status;
  return {
    version: 1,
    accountId: proof.accountId,
    region: proof.region,
    status,
    startedAt: proof.startedAt,
    finishedAt: proof.finishedAt ?? proof.startedAt,
    hops,
    ...(proof.failedHop ? { failedHop: proof.failedHop } : {}),
    ...(proof.reason
      ? { reason: proof.reason }
      : proof.status === "RUNNING"
        ? { reason: "the proof did not finish" }
        : {}),
    name: proof.name,
    runId,
    scanStatus: proof.scanStatus,
    ...(proof.findings && proof.findings.length > 0 ? { findings: proof.findings } : {}),
  };
}

/** The `tripwire prove --json` document, version 1. */
export interface ProveReport {
  readonly version: 1;
  readonly mode: "prove";
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly deadline: string;
  readonly summary: Readonly<Record<ProofStatus, number>> & { readonly total: number };
  readonly listing: ListingState;
  readonly accounts: readonly ProofRecord[];
}

export function buildProveReport(run: ProofRun, finishedAt: Date): ProveReport {
  const accounts = run.accounts.map((a) => proofRecordOf(a, run.runId));
  const summary = { total: accounts.length, PROVEN: 0, FAILED: 0, ERROR: 0, SKIPPED: 0 };
  for (const a of accounts) summary[a.status]++;
  return {
    version: 1,
    mode: "prove",
    runId: run.runId,
    startedAt: run.startedAt,
    finishedAt: finishedAt.toISOString(),
    deadline: run.deadline,
    summary,
    listing: run.listing,
    accounts,
  };
}

/**
 * 0 when the listing was complete and every in-scope ACTIVE account was proven: none FAILED,
 * none ERROR, none skipped for not being COMPLIANT (accounts that are not ACTIVE are not in
 * scope). 1 otherwise.
 */
export function proveExitCode(report: ProveReport): 0 | 1 {
  if (!report.listing.complete) return 1;
  // Not ACTIVE (SKIPPED by the scan) or documented as exempt: out of scope, never a failure.
  const outOfScope = (a: ProofRecord) => a.scanStatus === "SKIPPED" || a.scanStatus === "EXEMPT";
  return report.accounts.every((a) => a.status === "PROVEN" || (a.status === "SKIPPED" && outOfScope(a))) ? 0 : 1;
}
