/** The readable form of a report: one block per account, then the summary. */
import type { Report } from "../core/report.ts";

export function renderReport(report: Report, options: { color?: boolean } = {}): string {
  const paint = (code: number, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const statusColor = { COMPLIANT: 32, NON_COMPLIANT: 31, ERROR: 33, SKIPPED: 90, EXEMPT: 36 } as const;
  const lines: string[] = [];
  const width = Math.max(12, ...report.accounts.map((a) => a.name.length));
  for (const a of report.accounts) {
    const s = a.scanners;
    lines.push(
      `${a.accountId}  ${a.name.padEnd(width)}  ${paint(statusColor[a.status], a.status.padEnd(13))}  ` +
        `securityhub=${s.securityHub} steampipe=${s.steampipe} prowler=${s.prowler}`,
    );
    if (a.status === "EXEMPT" && a.exemption) {
      const e = a.exemption;
      lines.push(`    exempt through ${e.expires} (owner ${e.owner}): ${e.reason}`);
    }
    for (const f of a.findings) lines.push(`    ${f.code.padEnd(42)} ${f.region.padEnd(14)} ${f.message}`);
    for (const x of a.actions) {
      const state = x.applied ? "applied" : x.error ? `FAILED: ${x.error}` : "planned";
      lines.push(`    ${(`+ ${x.type}`).padEnd(42)} ${x.region.padEnd(14)} ${x.resource} (${state})`);
    }
    if (a.error && !a.findings.some((f) => f.message === a.error)) lines.push(`    error: ${a.error}`);
    for (const note of a.securityHub?.notes ?? []) lines.push(`    security hub: ${note}`);
  }
  const m = report.summary;
  lines.push(
    "",
    `${report.mode}: ${m.total} account(s): ${m.COMPLIANT} compliant, ${m.NON_COMPLIANT} non-compliant, ${m.ERROR} error, ${m.SKIPPED} skipped${m.EXEMPT > 0 ? `, ${m.EXEMPT} exempt` : ""}`,
  );
  const hub = report.accounts.filter((a) => a.securityHub);
  if (hub.length > 0) {
    const imported = hub.filter((a) => a.securityHub?.imported).length;
    lines.push(`security hub: ${imported} finding(s) imported, ${hub.length - imported} not (see the notes above)`);
  }
  if (!report.listing.complete) {
    lines.push(
      paint(33, `listing incomplete: ${report.listing.error ?? "unknown error"}`),
      "accounts Organizations did not list are not in this report",
    );
  }
  return lines.join("\n");
}
