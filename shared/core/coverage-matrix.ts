/**
 * The coverage matrix of the evidence package (pure): accounts × regions, each cell a status.
 *
 * The control is met per account: one multi-region trail records every region's calls and
 * delivers them to one log group, where the filter, alarm and topic live. So a cell says:
 *  - in the region of the account's chain (its log group's region, the account's own or, for
 *    an account covered by an organization trail, the owning account's): the account's status;
 *  - in every other region: COVERED when the account is COMPLIANT (that region's calls reach
 *    the chain through the multi-region trail), NOT_COVERED when it is NON_COMPLIANT, and the
 *    account's status otherwise (ERROR: not known; EXEMPT; SKIPPED).
 * Columns are the regions in scope, plus any region a chain lives in outside them (marked so).
 */
import type { AccountResult, AccountStatus } from "./model.ts";
import type { Report } from "./report.ts";

export type CellStatus = AccountStatus | "COVERED" | "NOT_COVERED";

export interface MatrixCell {
  readonly region: string;
  readonly status: CellStatus;
  /** The account's chain (its log group) is in this region. */
  readonly chain: boolean;
  /** The account whose log group holds the chain, when it is another (an organization trail). */
  readonly chainAccountId?: string;
}

export interface MatrixRow {
  readonly accountId: string;
  readonly name: string;
  readonly status: AccountStatus;
  readonly cells: readonly MatrixCell[];
}

export interface CoverageMatrix {
  readonly regions: readonly { readonly region: string; readonly inScope: boolean }[];
  readonly rows: readonly MatrixRow[];
}

/** Where an account's chains live: the log groups of its evidence, or the regions of its findings. */
export function chainRegions(account: AccountResult): { region: string; accountId: string }[] {
  const fromEvidence = account.evidence.chains.flatMap((c) =>
    c.logGroup ? [{ region: c.logGroup.region, accountId: c.logGroup.accountId }] : [],
  );
  if (fromEvidence.length > 0) return dedupe(fromEvidence);
  // A broken chain has no evidence of a log group: the regions its findings name are where it stands.
  return dedupe(
    account.findings
      .filter((f) => f.region !== "global" && f.code !== "EXEMPTION_EXPIRED")
      .map((f) => ({ region: f.region, accountId: account.accountId })),
  );
}

/**
 * The matrix of a report. `scope` is the regions the run was given (`--regions`); without it,
 * the regions the chains live in (tripwire cannot list an account's enabled regions with the
 * permissions it has).
 */
export function coverageMatrix(report: Report, scope: readonly string[] | undefined): CoverageMatrix {
  const chains = new Map(report.accounts.map((a) => [a.accountId, chainRegions(a)]));
  const seen = [...new Set([...chains.values()].flat().map((c) => c.region))].sort();
  const inScope = scope ?? seen;
  const regions = [
    ...inScope.map((region) => ({ region, inScope: true })),
    ...seen.filter((r) => !inScope.includes(r)).map((region) => ({ region, inScope: false })),
  ];
  const rows = report.accounts.map((account) => {
    const own = chains.get(account.accountId) ?? [];
    return {
      accountId: account.accountId,
      name: account.name,
      status: account.status,
      cells: regions.map(({ region }): MatrixCell => {
        const chain = own.find((c) => c.region === region);
        return {
          region,
          status: chain ? account.status : elsewhere(account.status),
          chain: chain !== undefined,
          ...(chain && chain.accountId !== account.accountId ? { chainAccountId: chain.accountId } : {}),
        };
      }),
    };
  });
  return { regions, rows };
}

function elsewhere(status: AccountStatus): CellStatus {
  return status === "COMPLIANT" ? "COVERED" : status === "NON_COMPLIANT" ? "NOT_COVERED" : status;
}

function dedupe(items: { region: string; accountId: string }[]): { region: string; accountId: string }[] {
  const seen = new Map(items.map((i) => [`${i.accountId}/${i.region}`, i]));
  return [...seen.values()];
}
