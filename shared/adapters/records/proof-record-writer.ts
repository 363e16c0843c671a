/**
 * Proof records in S3: one object per account and proof, at `<prefix>proofs/<account>/<region>/<time>.json`
 * (core/proof-record.ts), and, for the deployed state machine, the run's working state between
 * its checks at `proof-runs/<run id>.json`.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { type ProofRecord, proofRecordKey } from "../../core/proof-record.ts";
import type { ProofRun } from "../../core/proof-run.ts";

/** Writes the record; returns its key. */
export async function writeProofRecord(
  s3: Pick<S3Client, "send">,
  bucket: string,
  prefix: string,
  record: ProofRecord,
): Promise<string> {
  const key = `${prefix}${proofRecordKey(record)}`;
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(record), ContentType: "application/json" }),
  );
  return key;
}

export function proofRunKey(runId: string): string {
  return `proof-runs/${runId}.json`;
}

export async function writeProofRun(s3: Pick<S3Client, "send">, bucket: string, run: ProofRun): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: proofRunKey(run.runId),
      Body: JSON.stringify(run),
      ContentType: "application/json",
    }),
  );
}

export async function readProofRun(s3: Pick<S3Client, "send">, bucket: string, runId: string): Promise<ProofRun> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: proofRunKey(runId) }));
  const text = await out.Body?.transformToString("utf8");
  const run = JSON.parse(text ?? "") as ProofRun;
  if (run?.version !== 1 || run.runId !== runId) throw new Error(`${proofRunKey(runId)} is not proof run ${runId}`);
  return run;
}
