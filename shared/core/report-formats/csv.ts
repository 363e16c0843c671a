/**
 * The report as CSV (RFC 4180), for spreadsheets (pure): a header row, then one row per
 * account and finding; an account without findings has one row with empty finding columns.
 * Account columns repeat on each of the account's rows, so every row stands alone (a filter
 * or a sort keeps its meaning). Lines end in CRLF; a field holding a comma, a double quote,
 * CR or LF is quoted, its double quotes doubled. Values are written as they are: a
 * spreadsheet may take a value starting with `=`, `+`, `-` or `@` (an account name, say) for
 * a formula.
 */
import type { AccountResult, Finding } from "../model.ts";
import type { Report } from "../report.ts";

/** The columns, in order: the README documents each. */
export const CSV_COLUMNS = [
  "run_finished_at",
  "mode",
  "account_id",
  "account_name",
  "status",
  "error",
  "scanner_security_hub",
  "scanner_steampipe",
  "scanner_prowler",
  "actions_applied",
  "actions_planned",
  "security_hub",
  "finding_code",
  "finding_region",
  "finding_message",
] as const;

type Column = (typeof CSV_COLUMNS)[number];

export function toCsv(report: Report): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const account of report.accounts) {
    const findings: (Finding | undefined)[] = account.findings.length > 0 ? [...account.findings] : [undefined];
    for (const finding of findings) rows.push(CSV_COLUMNS.map((c) => cell(c, report, account, finding)));
  }
  return rows.map((row) => `${row.map(quote).join(",")}\r\n`).join("");
}

function cell(column: Column, report: Report, account: AccountResult, finding: Finding | undefined): string {
  switch (column) {
    case "run_finished_at":
      return report.finishedAt;
    case "mode":
      return report.mode;
    case "account_id":
      return account.accountId;
    case "account_name":
      return account.name;
    case "status":
      return account.status;
    case "error":
      return account.error ?? "";
    case "scanner_security_hub":
      return account.scanners.securityHub;
    case "scanner_steampipe":
      return account.scanners.steampipe;
    case "scanner_prowler":
      return account.scanners.prowler;
    case "actions_applied":
      return String(account.actions.filter((a) => a.applied).length);
    case "actions_planned":
      return String(account.actions.filter((a) => !a.applied && !a.error).length);
    case "security_hub":
      return account.securityHub ? (account.securityHub.imported ? "imported" : "not imported") : "";
    case "finding_code":
      return finding?.code ?? "";
    case "finding_region":
      return finding?.region ?? "";
    case "finding_message":
      return finding?.message ?? "";
  }
}

/** RFC 4180: quoted when the field holds a comma, a double quote, CR or LF. */
function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}
