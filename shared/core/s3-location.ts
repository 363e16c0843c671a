/** `s3://bucket/prefix` as people write it for `--record`: a bucket name and an optional key prefix. */
export interface S3Location {
  readonly bucket: string;
  /** "" or a prefix ending with "/". */
  readonly prefix: string;
}

/** S3's bucket naming rules: 3 to 63 characters, lower-case letters, digits, dots and hyphens. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The location, or undefined when the text is not `s3://<bucket>[/<prefix>]`. */
export function parseS3Location(text: string): S3Location | undefined {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(text);
  if (!m) return undefined;
  const bucket = m[1] as string;
  if (!BUCKET.test(bucket) || bucket.includes("..")) return undefined;
  const raw = (m[2] ?? "").replace(/^\/+/, "");
  // No control characters in a key prefix.
  if ([...raw].some((c) => c.charCodeAt(0) < 0x20)) return undefined;
  return { bucket, prefix: raw === "" || raw.endsWith("/") ? raw : `${raw}/` };
}
