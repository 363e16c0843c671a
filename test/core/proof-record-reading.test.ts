/** Reading proof records back: the newest key, and what counts as a record. */
import { describe, expect, it } from "vitest";
import { type ProofRecord, proofRecordKey } from "../../shared/core/proof-record.ts";
import { newestProofKey, parseProofRecord } from "../../shared/core/proof-record-reading.ts";

const ACCOUNT = "222233334444";
const record: ProofRecord = {
  version: 1,
  accountId: ACCOUNT,
  region: "us-east-1",
  status: "PROVEN",
  startedAt: "2026-03-01T02:00:00.000Z",
  finishedAt: "2026-03-01T02:06:10.000Z",
  hops: [{ code: "CANARY_DENIED", ok: true, at: "2026-03-01T02:00:01.000Z", evidence: { requestId: "r-1" } }],
};

describe("newestProofKey", () => {
  it("takes the latest time across the account's regions", () => {
    const keys = [
      proofRecordKey({ ...record, region: "us-east-1", startedAt: "2026-03-01T02:00:00.000Z" }),
      proofRecordKey({ ...record, region: "eu-west-1", startedAt: "2026-03-02T02:00:00.000Z" }),
      proofRecordKey({ ...record, region: "us-east-1", startedAt: "2026-02-28T02:00:00.000Z" }),
    ];
    expect(newestProofKey(keys)).toBe(`proofs/${ACCOUNT}/eu-west-1/2026-03-02T02-00-00-000Z.json`);
  });

  it("reads keys under a prefix", () => {
    expect(newestProofKey([`records/${proofRecordKey(record)}`])).toBe(`records/${proofRecordKey(record)}`);
  });

  it("ignores keys of another shape", () => {
    expect(newestProofKey([`proofs/${ACCOUNT}/us-east-1/notes.txt`])).toBeUndefined();
  });
});

describe("parseProofRecord", () => {
  it("reads a record of the account", () => {
    expect(parseProofRecord(JSON.stringify(record), ACCOUNT)).toEqual(record);
  });

  it("refuses a record of another account", () => {
    expect(() => parseProofRecord(JSON.stringify({ ...record, accountId: "999999999999" }), ACCOUNT)).toThrow(
      /about account "999999999999", not 222233334444/,
    );
  });

  it("refuses another version", () => {
    expect(() => parseProofRecord(JSON.stringify({ ...record, version: 2 }), ACCOUNT)).toThrow(/version 2, not 1/);
  });

  it("refuses a status that is not one of the four", () => {
    expect(() => parseProofRecord(JSON.stringify({ ...record, status: "OK" }), ACCOUNT)).toThrow(/status "OK"/);
  });

  it("refuses a hop it does not know", () => {
    const hops = [{ code: "PAGED", ok: true, evidence: {} }];
    expect(() => parseProofRecord(JSON.stringify({ ...record, hops }), ACCOUNT)).toThrow(/hops/);
  });

  it("refuses a text that is not JSON", () => {
    expect(() => parseProofRecord("<html>", ACCOUNT)).toThrow(/not JSON/);
  });
});
