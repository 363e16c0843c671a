/**
 * Reads the newest proof record of an account, from where `tripwire prove` keeps them: an S3
 * bucket under a prefix (the central records bucket, or `prove --record s3://bucket/prefix`),
 * or a local directory laid out the same way (`DIR/proofs/<account>/<region>/<time>.json`).
 * S3: ListObjectsV2 under `<prefix>/proofs/<account>/` (every page), the newest key, one
 * GetObject. Reads only; a record that is not one, or a failed read, is returned as an error
 * for the page to show, never as a proof.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import { describeError } from "../../core/describe-error.ts";
import type { ProofRecord } from "../../core/proof-record.ts";
import { proofRecordPrefix } from "../../core/proof-record.ts";
import { newestProofKey, parseProofRecord } from "../../core/proof-record-reading.ts";

export type ProofSource =
  | { readonly kind: "s3"; readonly bucket: string; readonly prefix: string }
  | { readonly kind: "directory"; readonly path: string };

/** The newest record of an account, what went wrong reading it, or nothing when it has none. */
export type ProofLookup =
  | { readonly found: true; readonly location: string; readonly record: ProofRecord }
  | { readonly found: false; readonly location?: string; readonly error: string }
  | undefined;

/** Where the source is, as people write it: `s3://bucket/prefix` or the directory. */
export function describeProofSource(source: ProofSource): string {
  return source.kind === "s3" ? `s3://${source.bucket}${source.prefix ? `/${source.prefix}` : ""}` : source.path;
}

/** The account's key prefix under the source's prefix. */
export function accountPrefix(source: { readonly prefix: string }, accountId: string): string {
  return `${source.prefix ? `${source.prefix}/` : ""}${proofRecordPrefix(accountId)}`;
}

export async function readNewestProof(
  source: ProofSource,
  accountId: string,
  s3?: Pick<S3Client, "send">,
): Promise<ProofLookup> {
  return source.kind === "s3" ? readFromS3(source, accountId, s3) : readFromDirectory(source.path, accountId);
}

async function readFromS3(
  source: Extract<ProofSource, { kind: "s3" }>,
  accountId: string,
  s3: Pick<S3Client, "send"> | undefined,
): Promise<ProofLookup> {
  if (!s3) throw new Error("an S3 client is needed to read proof records from S3");
  const keys: string[] = [];
  let key: string | undefined;
  try {
    const pages = paginateListObjectsV2(
      { client: s3 as S3Client },
      { Bucket: source.bucket, Prefix: accountPrefix(source, accountId) },
    );
    for await (const page of pages) for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    key = newestProofKey(keys);
    if (!key) return undefined;
    const out = await s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: key }));
    const text = (await out.Body?.transformToString("utf8")) ?? "";
    const location = `s3://${source.bucket}/${key}`;
    return { found: true, location, record: parseProofRecord(text, accountId) };
  } catch (error) {
    return {
      found: false,
      ...(key ? { location: `s3://${source.bucket}/${key}` } : {}),
      error: describeError(error),
    };
  }
}

function readFromDirectory(root: string, accountId: string): ProofLookup {
  const base = join(root, proofRecordPrefix(accountId));
  let regions: string[];
  try {
    regions = readdirSync(base).filter((r) => statSync(join(base, r)).isDirectory());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    return { found: false, error: describeError(error) };
  }
  const keys = regions.flatMap((region) =>
    readdirSync(join(base, region)).map((file) => `${proofRecordPrefix(accountId)}${region}/${file}`),
  );
  const key = newestProofKey(keys);
  if (!key) return undefined;
  const location = join(root, key);
  try {
    return { found: true, location, record: parseProofRecord(readFileSync(location, "utf8"), accountId) };
  } catch (error) {
    return { found: false, location, error: describeError(error) };
  }
}
