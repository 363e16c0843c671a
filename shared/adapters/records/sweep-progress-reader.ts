/** Reads a sweep's progress record from the central records bucket (one GetObject). */
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { parseSweepProgress, type SweepProgress, sweepProgressKey } from "../../core/sweep-progress.ts";

/**
 * The record of `sweepId`, or undefined when the bucket holds none (S3 says NoSuchKey, which
 * it does only to a caller allowed s3:ListBucket; otherwise a missing key is AccessDenied,
 * and that is thrown like any other failure).
 */
export async function readSweepProgress(
  s3: Pick<S3Client, "send">,
  bucket: string,
  sweepId: string,
): Promise<SweepProgress | undefined> {
  let text: string | undefined;
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: sweepProgressKey(sweepId) }));
    text = await out.Body?.transformToString("utf8");
  } catch (error) {
    if ((error as Error).name === "NoSuchKey") return undefined;
    throw error;
  }
  return parseSweepProgress(text ?? "", sweepId);
}
