/**
 * The evidence use case behind `tripwire evidence`, in four steps, all read-only:
 *  1. Who asks, and of which organization (GetCallerIdentity, DescribeOrganization): a failure
 *     here stops the run before any account is read.
 *  2. A fresh scan of every account in scope (the sweep of `tripwire scan`).
 *  3. Each reviewed account's raw configuration, as AWS returns it (adapters/evidence), C at a
 *     time; SKIPPED accounts are not read.
 *  4. The newest proof record of each account, when a source of records was given.
 * What it returns is the data of the package; writing it (and redacting it) is the caller's.
 */
import { DescribeOrganizationCommand } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import type { CallerIdentity, ClientFactory } from "../adapters/aws/client-factory.ts";
import { type AccountExport, ALARM_HISTORY_DAYS, exportAccount } from "../adapters/evidence/configuration-reader.ts";
import { type ProofLookup, type ProofSource, readNewestProof } from "../adapters/records/proof-records-reader.ts";
import type { Settings } from "../config/settings.ts";
import { mapWithConcurrency } from "../core/concurrency.ts";
import type { AccountResult } from "../core/model.ts";
import type { Report } from "../core/report.ts";
import { runSweep } from "./sweep.ts";

export interface EvidenceRequest {
  readonly settings: Settings;
  readonly factory: ClientFactory;
  readonly proofs?: ProofSource;
  readonly now?: () => Date;
  /** Called after each account of the scan, for progress output. */
  readonly onAccountDone?: (result: AccountResult, done: number, total: number) => void;
}

export interface EvidenceBundle {
  readonly generatedAt: string;
  readonly organizationId: string;
  readonly caller: CallerIdentity;
  readonly report: Report;
  /** One per account read (every account of the report but the SKIPPED ones), in report order. */
  readonly exports: readonly AccountExport[];
  /** The newest proof record per account id, when a source was given; absent: none found. */
  readonly proofs: Readonly<Record<string, Exclude<ProofLookup, undefined>>>;
  readonly proofSource?: ProofSource;
  /** Days of alarm history asked for (AWS keeps 14). */
  readonly historyDays: number;
}

/** The S3 client for proof records: the caller's credentials, following the bucket to its region. */
class RecordsS3Client extends S3Client {
  constructor(config: Record<string, unknown>) {
    super({ ...config, followRegionRedirects: true });
  }
}

export async function gatherEvidence(request: EvidenceRequest): Promise<EvidenceBundle> {
  const now = request.now ?? (() => new Date());
  const { settings, factory } = request;
  const caller = await factory.callerIdentity();
  const described = await factory.organizations().send(new DescribeOrganizationCommand({}));
  const organizationId = described.Organization?.Id ?? "";

  const report = await runSweep({
    mode: "scan",
    settings,
    factory,
    now,
    ...(request.onAccountDone ? { onAccountDone: request.onAccountDone } : {}),
  });

  const read = report.accounts.filter((a) => a.status !== "SKIPPED");
  const exportOptions = {
    prefix: settings.prefix,
    region: settings.regions?.[0] ?? settings.homeRegion,
    now: now(),
    historyDays: ALARM_HISTORY_DAYS,
  };
  const exports = await mapWithConcurrency(read, settings.concurrency, (a) =>
    exportAccount(factory, a.accountId, exportOptions),
  );

  const proofs: Record<string, Exclude<ProofLookup, undefined>> = {};
  const source = request.proofs;
  if (source) {
    const s3 = source.kind === "s3" ? factory.caller(RecordsS3Client) : undefined;
    await mapWithConcurrency(read, settings.concurrency, async (a) => {
      const found = await readNewestProof(source, a.accountId, s3);
      if (found) proofs[a.accountId] = found;
    });
  }
  return {
    generatedAt: now().toISOString(),
    organizationId,
    caller,
    report,
    exports,
    proofs,
    ...(source ? { proofSource: source } : {}),
    historyDays: ALARM_HISTORY_DAYS,
  };
}
