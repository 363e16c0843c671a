/** The proof records reader: the newest record of an account, from S3 (mocked) or a directory. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { readNewestProof } from "../../../shared/adapters/records/proof-records-reader.ts";
import { type ProofRecord, proofRecordKey } from "../../../shared/core/proof-record.ts";

const ACCOUNT = "222233334444";
const BUCKET = "tripwire-records-example";
const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: "us-east-1" });
const record = (startedAt: string, region = "us-east-1"): ProofRecord => ({
  version: 1,
  accountId: ACCOUNT,
  region,
  status: "PROVEN",
  startedAt,
  finishedAt: startedAt,
  hops: [{ code: "CANARY_DENIED", ok: true, evidence: {} }],
});
const body = (text: string) => ({ Body: { transformToString: async () => text } }) as never;
const older = record("2026-03-01T02:00:00.000Z");
const newer = record("2026-03-02T02:00:00.000Z", "eu-west-1");

beforeEach(() => s3Mock.reset());

describe("from S3", () => {
  const source = { kind: "s3" as const, bucket: BUCKET, prefix: "team/evidence" };

  it("lists under <prefix>/proofs/<account>/", async () => {
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [] });
    await readNewestProof(source, ACCOUNT, s3);
    expect(s3Mock.commandCalls(ListObjectsV2Command)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      Prefix: `team/evidence/proofs/${ACCOUNT}/`,
    });
  });

  it("reads the newest key of every page", async () => {
    s3Mock
      .on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: `team/evidence/${proofRecordKey(newer)}` }], NextContinuationToken: "t" })
      .resolvesOnce({ Contents: [{ Key: `team/evidence/${proofRecordKey(older)}` }] });
    s3Mock
      .on(GetObjectCommand, { Key: `team/evidence/${proofRecordKey(newer)}` })
      .resolves(body(JSON.stringify(newer)));
    expect(await readNewestProof(source, ACCOUNT, s3)).toEqual({
      found: true,
      location: `s3://${BUCKET}/team/evidence/${proofRecordKey(newer)}`,
      record: newer,
    });
  });

  it("finds nothing for an account without records", async () => {
    s3Mock.on(ListObjectsV2Command).resolves({});
    expect(await readNewestProof(source, ACCOUNT, s3)).toBeUndefined();
  });

  it("returns a failed listing as an error, never as a proof", async () => {
    s3Mock.on(ListObjectsV2Command).rejects(Object.assign(new Error("Access Denied"), { name: "AccessDenied" }));
    expect(await readNewestProof(source, ACCOUNT, s3)).toEqual({ found: false, error: "AccessDenied: Access Denied" });
  });

  it("returns a record that is not one as an error, with its location", async () => {
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `team/evidence/${proofRecordKey(older)}` }] });
    s3Mock.on(GetObjectCommand).resolves(body("{}"));
    expect(await readNewestProof(source, ACCOUNT, s3)).toMatchObject({
      found: false,
      location: `s3://${BUCKET}/team/evidence/${proofRecordKey(older)}`,
      error: expect.stringMatching(/^ProofRecordError: version/),
    });
  });
});

describe("from a directory", () => {
  const root = mkdtempSync(join(tmpdir(), "tripwire-proofs-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  for (const r of [older, newer]) {
    const path = join(root, proofRecordKey(r));
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, JSON.stringify(r));
  }

  it("reads the newest record across the account's regions", async () => {
    expect(await readNewestProof({ kind: "directory", path: root }, ACCOUNT)).toEqual({
      found: true,
      location: join(root, proofRecordKey(newer)),
      record: newer,
    });
  });

  it("finds nothing for an account without a directory", async () => {
    expect(await readNewestProof({ kind: "directory", path: root }, "999999999999")).toBeUndefined();
  });
});
