/** Proof records and proof runs in the records bucket, against a mocked S3 client. */
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { readProofRun, writeProofRecord, writeProofRun } from "../../../shared/adapters/records/proof-record-writer.ts";
import type { ProofRecord } from "../../../shared/core/proof-record.ts";
import type { ProofRun } from "../../../shared/core/proof-run.ts";

const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: "us-east-1" });
const record: ProofRecord = {
  version: 1,
  accountId: "222233334444",
  region: "eu-west-1",
  status: "PROVEN",
  startedAt: "2025-03-05T02:00:01.000Z",
  finishedAt: "2025-03-05T02:06:31.000Z",
  hops: [],
};
const run: ProofRun = {
  version: 1,
  runId: "exec-1",
  startedAt: record.startedAt,
  deadline: "2025-03-05T02:20:01.000Z",
  listing: { complete: true },
  accounts: [],
};

beforeEach(() => s3Mock.reset());

describe("writeProofRecord", () => {
  it("puts the record as JSON at <prefix>proofs/<account>/<region>/<time>.json", async () => {
    s3Mock.on(PutObjectCommand).resolves({});

    const key = await writeProofRecord(s3, "evidence", "audit/", record);

    expect(key).toBe("audit/proofs/222233334444/eu-west-1/2025-03-05T02-00-01-000Z.json");
    expect(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: "evidence",
      Key: key,
      Body: JSON.stringify(record),
      ContentType: "application/json",
    });
  });
});

describe("the proof run's state", () => {
  it("is read back as it was written", async () => {
    s3Mock.on(PutObjectCommand).resolves({});
    await writeProofRun(s3, "records", run);
    const written = s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input;
    s3Mock.on(GetObjectCommand, { Key: "proof-runs/exec-1.json" }).resolves({
      Body: { transformToString: async () => written?.Body as string } as never,
    });

    expect(await readProofRun(s3, "records", "exec-1")).toEqual(run);
  });

  it("is refused when the object is another run's", async () => {
    s3Mock.on(GetObjectCommand).resolves({
      Body: { transformToString: async () => JSON.stringify({ ...run, runId: "exec-2" }) } as never,
    });

    await expect(readProofRun(s3, "records", "exec-1")).rejects.toThrow(/is not proof run exec-1/);
  });
});
