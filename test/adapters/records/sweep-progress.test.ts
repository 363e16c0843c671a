/** The records bucket's sweep progress reader and writer, against a mocked S3 client. */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { readSweepProgress } from "../../../shared/adapters/records/sweep-progress-reader.ts";
import { writeSweepProgress } from "../../../shared/adapters/records/sweep-progress-writer.ts";
import type { SweepProgress } from "../../../shared/core/sweep-progress.ts";

const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: "us-east-1" });
const BUCKET = "tripwire-records-example";
const SWEEP = "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa";
const progress: SweepProgress = {
  version: 1,
  sweepId: SWEEP,
  startedAt: "2025-03-05T02:00:01.000Z",
  updatedAt: "2025-03-05T02:00:09.000Z",
  attempts: 2,
  sent: ["222233334444", "333344445555"],
  complete: false,
};
/** A GetObject body as the SDK returns it, reduced to what the reader uses. */
const body = (text: string) => ({ Body: { transformToString: async () => text } }) as never;

beforeEach(() => s3Mock.reset());

describe("writeSweepProgress", () => {
  it("puts the record as JSON under sweeps/<sweep id>.json", async () => {
    s3Mock.on(PutObjectCommand).resolves({});
    await writeSweepProgress(s3, BUCKET, progress);
    const input = s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ Bucket: BUCKET, Key: `sweeps/${SWEEP}.json`, ContentType: "application/json" });
    expect(JSON.parse(String(input?.Body))).toEqual(progress);
  });

  it("refuses a sweep id that could escape the sweeps/ prefix", async () => {
    await expect(writeSweepProgress(s3, BUCKET, { ...progress, sweepId: "../proofs/x" })).rejects.toThrow(
      /is not 1 to 128 letters/,
    );
    expect(s3Mock.commandCalls(PutObjectCommand)).toEqual([]);
  });
});

describe("readSweepProgress", () => {
  it("reads back what was written", async () => {
    s3Mock
      .on(GetObjectCommand, { Bucket: BUCKET, Key: `sweeps/${SWEEP}.json` })
      .resolves(body(JSON.stringify(progress)));
    expect(await readSweepProgress(s3, BUCKET, SWEEP)).toEqual(progress);
  });

  it("answers undefined when S3 has no such key", async () => {
    s3Mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: "The specified key does not exist.", $metadata: {} }));
    expect(await readSweepProgress(s3, BUCKET, SWEEP)).toBeUndefined();
  });

  it("throws any other failure, such as a denied read", async () => {
    s3Mock.on(GetObjectCommand).rejects(Object.assign(new Error("Access Denied"), { name: "AccessDenied" }));
    await expect(readSweepProgress(s3, BUCKET, SWEEP)).rejects.toThrow("Access Denied");
  });

  it("refuses a record of another sweep", async () => {
    s3Mock.on(GetObjectCommand).resolves(body(JSON.stringify({ ...progress, sweepId: "another" })));
    await expect(readSweepProgress(s3, BUCKET, SWEEP)).rejects.toThrow(/belongs to sweep "another"/);
  });

  it("refuses a record whose sent list holds something other than account ids", async () => {
    s3Mock.on(GetObjectCommand).resolves(body(JSON.stringify({ ...progress, sent: ["12"] })));
    await expect(readSweepProgress(s3, BUCKET, SWEEP)).rejects.toThrow(/sent is not a list of account ids/);
  });
});
