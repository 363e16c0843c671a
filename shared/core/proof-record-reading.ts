/**
 * Reading proof records back (pure): which of an account's records is the newest, and whether
 * a stored record is one (core/proof-record.ts fixes the format; `tripwire prove` writes it).
 */
import { PROOF_HOPS, type ProofRecord, type ProofStatus } from "./proof-record.ts";

const STATUSES: readonly ProofStatus[] = ["PROVEN", "FAILED", "ERROR", "SKIPPED"];
/** `<account>/<region>/<time>.json` after the prefix, the time as proofRecordKey writes it. */
const RECORD_KEY = /(?:^|\/)proofs\/(\d{12})\/([a-z0-9-]+)\/([0-9TZ-]+)\.json$/;

/** A record that is not one: its key and what is wrong with it. */
export class ProofRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProofRecordError";
  }
}

/**
 * The newest of an account's record keys (any region): the latest time in the key, which
 * proofRecordKey writes so that it sorts as it reads; keys of another shape are ignored.
 */
export function newestProofKey(keys: readonly string[]): string | undefined {
  let best: { key: string; time: string } | undefined;
  for (const key of keys) {
    const m = RECORD_KEY.exec(key);
    const time = m?.[3];
    if (time === undefined) continue;
    if (!best || time > best.time || (time === best.time && key > best.key)) best = { key, time };
  }
  return best?.key;
}

/** The record a stored text holds, checked against the format and the account it was listed for. */
export function parseProofRecord(text: string, accountId: string): ProofRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProofRecordError("not JSON");
  }
  const r = value as Partial<ProofRecord> | null;
  if (typeof r !== "object" || r === null) throw new ProofRecordError("not a JSON object");
  if (r.version !== 1) throw new ProofRecordError(`version ${JSON.stringify(r.version)}, not 1`);
  if (r.accountId !== accountId) {
    throw new ProofRecordError(`it is about account ${JSON.stringify(r.accountId)}, not ${accountId}`);
  }
  if (typeof r.status !== "string" || !STATUSES.includes(r.status)) {
    throw new ProofRecordError(`status ${JSON.stringify(r.status)} is not one of ${STATUSES.join(", ")}`);
  }
  for (const field of ["region", "startedAt", "finishedAt"] as const) {
    if (typeof r[field] !== "string") throw new ProofRecordError(`${field} is missing`);
  }
  if (!Array.isArray(r.hops) || !r.hops.every((h) => PROOF_HOPS.includes(h?.code) && typeof h.ok === "boolean")) {
    throw new ProofRecordError("hops is not a list of the proof's hops");
  }
  return r as ProofRecord;
}
