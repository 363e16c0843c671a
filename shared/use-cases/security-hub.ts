/**
 * Security Hub, behind the securityHub setting (loaded only then, so a run without it costs
 * nothing), in two steps per account:
 *  1. Build the account's finding (core/asff.ts) for the region its verdict is about
 *     (core/control-finding.ts judgedRegion): one finding per account.
 *  2. Import it with the account's own clients (adapters/securityhub-writer.ts): Security Hub
 *     takes a finding of the default product only from the account it is about, in its region.
 * Whatever goes wrong (Security Hub not enabled there, access denied, a refused finding) is a
 * note on the account's result, never a change of its status: the verdict stands on what was
 * read, and the import is a copy of it.
 *
 * prune archives the finding (RecordState ARCHIVED) in each region it searches, when
 * Security Hub has one of tripwire's Id there.
 */
import type { AccountClients } from "../adapters/aws/account-clients.ts";
import { findFinding } from "../adapters/securityhub-reader.ts";
import { importFindings } from "../adapters/securityhub-writer.ts";
import { accountFinding, archivedFinding, defaultProductArn } from "../core/asff.ts";
import { findingId } from "../core/control-finding.ts";
import { describeError } from "../core/describe-error.ts";
import type { AccountResult, RunMode, SecurityHubImport } from "../core/model.ts";

export interface PublishContext {
  /** The region the verdict is about (judgedRegion). */
  readonly region: string;
  readonly mode: RunMode;
  /** When the account was judged (the finding's UpdatedAt). */
  readonly now: Date;
}

/** Imports the account's finding with the account's own clients; never throws. */
export async function publishAccountFinding(
  clients: AccountClients,
  result: AccountResult,
  ctx: PublishContext,
): Promise<SecurityHubImport> {
  const base = { region: ctx.region, findingId: findingId(result.accountId, ctx.region) };
  const finding = accountFinding(result, {
    partition: clients.partition,
    region: ctx.region,
    now: ctx.now,
    mode: ctx.mode,
  });
  try {
    const outcome = await importFindings(clients, ctx.region, [finding]);
    const notes = outcome.failed.map((f) => refusedNote(result.accountId, ctx.region, f.code, f.message));
    return { ...base, imported: outcome.imported > 0 && outcome.failed.length === 0, notes };
  } catch (error) {
    return {
      ...base,
      imported: false,
      notes: [failureNote(result.accountId, ctx.region, error, finding.ProductArn ?? "")],
    };
  }
}

/** The note of a result whose account could not be opened: nothing can be imported without its clients. */
export function notImported(result: AccountResult, region: string, why: string): SecurityHubImport {
  return { region, findingId: findingId(result.accountId, region), imported: false, notes: [why] };
}

export interface ArchiveOutcome {
  readonly findingId: string;
  /** There was an active finding of tripwire's, and it is archived (or, in a dry run, would be). */
  readonly found: boolean;
  readonly archived: boolean;
  readonly note?: string;
}

/**
 * Archives tripwire's finding of the account in the region, if Security Hub has an active one;
 * in a dry run only says whether it would. Never throws.
 */
export async function archiveAccountFinding(
  clients: AccountClients,
  region: string,
  options: { readonly now: Date; readonly dryRun: boolean },
): Promise<ArchiveOutcome> {
  const id = findingId(clients.accountId, region);
  const productArn = defaultProductArn(clients.partition, region, clients.accountId);
  try {
    const existing = await findFinding(clients, region, productArn, id);
    if (!existing || existing.RecordState === "ARCHIVED") return { findingId: id, found: false, archived: false };
    if (options.dryRun) return { findingId: id, found: true, archived: false };
    const outcome = await importFindings(clients, region, [
      archivedFinding(clients.accountId, { partition: clients.partition, region, now: options.now }),
    ]);
    const [failed] = outcome.failed;
    return failed
      ? {
          findingId: id,
          found: true,
          archived: false,
          note: refusedNote(clients.accountId, region, failed.code, failed.message),
        }
      : { findingId: id, found: true, archived: true };
  } catch (error) {
    return {
      findingId: id,
      found: false,
      archived: false,
      note: failureNote(clients.accountId, region, error, productArn),
    };
  }
}

function notEnabled(accountId: string, region: string, detail: string): string {
  return `Security Hub is not enabled in account ${accountId} in ${region}: no finding imported (${detail})`;
}

function failureNote(accountId: string, region: string, error: unknown, productArn: string): string {
  const name = (error as Error).name;
  const text = describeError(error);
  if (name === "InvalidAccessException") return notEnabled(accountId, region, text);
  if (name === "AccessDeniedException" || name === "AccessDenied") {
    return `Security Hub refused the import in account ${accountId} in ${region} (${text}): the role needs securityhub:BatchImportFindings on ${productArn}`;
  }
  return `the Security Hub import in account ${accountId} in ${region} failed: ${text}`;
}

function refusedNote(accountId: string, region: string, code: string, message: string): string {
  if (code === "InvalidAccess") return notEnabled(accountId, region, `${code}: ${message}`);
  return `Security Hub refused the finding in account ${accountId} in ${region}: ${code}: ${message}`;
}
