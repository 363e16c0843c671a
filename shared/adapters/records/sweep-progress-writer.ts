/** Writes a sweep's progress record to the central records bucket (one PutObject). */
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { type SweepProgress, sweepProgressKey } from "../../core/sweep-progress.ts";

/** Replaces the sweep's record (the bucket is versioned: earlier states stay as noncurrent versions). */
export async function writeSweepProgress(
  s3: Pick<S3Client, "send">,
  bucket: string,
  progress: SweepProgress,
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: sweepProgressKey(progress.sweepId),
      Body: JSON.stringify(progress),
      ContentType: "application/json",
    }),
  );
}
