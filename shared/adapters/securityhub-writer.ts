/**
 * Imports findings into an account's Security Hub, with that account's clients, in one region
 * (BatchImportFindings, at most 100 findings per call). The Security Hub client is loaded only
 * by runs that import: use-cases/security-hub.ts imports this module on demand.
 */
import { type AwsSecurityFinding, BatchImportFindingsCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
import { ASFF_LIMITS } from "../core/asff.ts";
import type { AccountClients } from "./aws/account-clients.ts";

export interface FailedFinding {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

export interface ImportOutcome {
  /** Findings Security Hub accepted. */
  readonly imported: number;
  /** Findings it refused, one by one (FailedFindings). */
  readonly failed: readonly FailedFinding[];
}

/**
 * Imports the findings, 100 per call. A call that fails as a whole (Security Hub not enabled,
 * access denied, throttled past the retries) rejects: the caller turns it into a note.
 */
export async function importFindings(
  clients: AccountClients,
  region: string,
  findings: readonly AwsSecurityFinding[],
): Promise<ImportOutcome> {
  const hub = clients.client(SecurityHubClient, region);
  let imported = 0;
  const failed: FailedFinding[] = [];
  for (let i = 0; i < findings.length; i += ASFF_LIMITS.findingsPerBatch) {
    const batch = findings.slice(i, i + ASFF_LIMITS.findingsPerBatch);
    const out = await hub.send(new BatchImportFindingsCommand({ Findings: batch }));
    imported += out.SuccessCount ?? batch.length - (out.FailedFindings?.length ?? 0);
    for (const f of out.FailedFindings ?? []) {
      failed.push({ id: f.Id ?? "", code: f.ErrorCode ?? "", message: f.ErrorMessage ?? "" });
    }
  }
  return { imported, failed };
}
