import benignLog from "../../../events/cloudtrail/benign.json" with { type: "json" };
import unauthorizedLog from "../../../events/cloudtrail/unauthorized.json" with { type: "json" };

/** The fields of a CloudTrail record that reports and tests refer to. */
export interface CloudTrailRecord {
  readonly eventVersion: string;
  readonly eventID: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly sourceIPAddress: string;
  readonly errorCode?: string;
  readonly [field: string]: unknown;
}

export interface CorpusRecordRef {
  eventID: string;
  eventSource: string;
  eventName: string;
  errorCode?: string;
}

export interface CorpusEntry {
  readonly record: CloudTrailRecord;
  /** The record as CloudTrail delivers it to CloudWatch Logs: one JSON line. */
  readonly message: string;
  readonly ref: CorpusRecordRef;
}

function entries(log: { Records: readonly unknown[] }): readonly CorpusEntry[] {
  return Object.freeze(
    log.Records.map((raw) => {
      const record = raw as CloudTrailRecord;
      const ref: CorpusRecordRef = {
        eventID: record.eventID,
        eventSource: record.eventSource,
        eventName: record.eventName,
      };
      if (record.errorCode !== undefined) ref.errorCode = record.errorCode;
      return Object.freeze({ record, message: JSON.stringify(record), ref: Object.freeze(ref) });
    }),
  );
}

// Static JSON imports keep the corpus inside esbuild bundles (no fs at run time).
export const UNAUTHORIZED_RECORDS: readonly CorpusEntry[] = entries(unauthorizedLog);
export const BENIGN_RECORDS: readonly CorpusEntry[] = entries(benignLog);

/**
 * Benign records that CIS v1.4+ explicitly carves out: S3 `HeadBucket` probes by the log
 * delivery service. The v1.2 pattern predates the carve-out, so it may match these when
 * they carry an AccessDenied-style error without losing COVERS.
 */
export function isDocumentedExclusion(record: CloudTrailRecord): boolean {
  return (
    record.eventSource === "s3.amazonaws.com" &&
    record.eventName === "HeadBucket" &&
    record.sourceIPAddress === "delivery.logs.amazonaws.com"
  );
}
