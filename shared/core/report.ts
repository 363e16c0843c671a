/**
 * The report document (`--json`), version 1. Its shape is documented in the README; a
 * change to it is a new version.
 */
import type { AccountResult, AccountStatus, RunMode } from "./model.ts";

/** Whether Organizations listed every account in scope; when not, why the listing stopped. */
export interface ListingState {
  readonly complete: boolean;
  /** The failure that ended the listing (the call named): accounts after it are not in the report. */
  readonly error?: string;
}

export interface Report {
  readonly version: 1;
  readonly mode: RunMode;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly summary: Readonly<Record<AccountStatus, number>> & { readonly total: number };
  readonly listing: ListingState;
  readonly accounts: readonly AccountResult[];
}

export function buildReport(input: {
  mode: RunMode;
  startedAt: Date;
  finishedAt: Date;
  accounts: readonly AccountResult[];
  /** Default: complete. */
  listing?: ListingState;
}): Report {
  const summary = { total: input.accounts.length, COMPLIANT: 0, NON_COMPLIANT: 0, ERROR: 0, SKIPPED: 0, EXEMPT: 0 };
  for (const a of input.accounts) summary[a.status]++;
  return {
    version: 1,
    mode: input.mode,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    summary,
    listing: input.listing ?? { complete: true },
    accounts: input.accounts,
  };
}

/**
 * Exit status of a run: 0 when the listing was complete and every in-scope ACTIVE account is
 * compliant (or documented as exempt), else 1.
 */
export function exitCodeOf(report: Report): 0 | 1 {
  return report.summary.NON_COMPLIANT > 0 || report.summary.ERROR > 0 || !report.listing.complete ? 1 : 0;
}
