/**
 * The report document (`--json`), version 1. Its shape is documented in the README; a
 * change to it is a new version.
 */
import type { AccountResult, AccountStatus, RunMode } from "./model.ts";

export interface Report {
  readonly version: 1;
  readonly mode: RunMode;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly summary: Readonly<Record<AccountStatus, number>> & { readonly total: number };
  readonly accounts: readonly AccountResult[];
}

export function buildReport(input: {
  mode: RunMode;
  startedAt: Date;
  finishedAt: Date;
  accounts: readonly AccountResult[];
}): Report {
  const summary = { total: input.accounts.length, COMPLIANT: 0, NON_COMPLIANT: 0, ERROR: 0, SKIPPED: 0 };
  for (const a of input.accounts) summary[a.status]++;
  return {
    version: 1,
    mode: input.mode,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    summary,
    accounts: input.accounts,
  };
}

/** Exit status of a run: 0 when every in-scope ACTIVE account is compliant, else 1. */
export function exitCodeOf(report: Report): 0 | 1 {
  return report.summary.NON_COMPLIANT > 0 || report.summary.ERROR > 0 ? 1 : 0;
}
