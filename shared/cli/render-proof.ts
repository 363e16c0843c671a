/** The readable form of a proof: one block per account (its hops with their times), then the summary. */
import type { ProofHop, ProofRecord } from "../core/proof-record.ts";
import type { ProveReport } from "../core/proof-run.ts";

/** "+5m30s": time since the canary. */
export function elapsed(fromIso: string, toIso: string | undefined): string {
  if (!toIso) return "";
  const s = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
  const m = Math.floor(s / 60);
  return m > 0 ? `+${m}m${String(s % 60).padStart(2, "0")}s` : `+${s}s`;
}

/** What a hop's evidence says in a few words. */
function hopDetail(hop: ProofHop): string {
  const e = hop.evidence;
  const pick = (...keys: string[]) => keys.map((k) => e[k]).find((v) => typeof v === "string") as string | undefined;
  if (!hop.ok) {
    const why = pick("reason", "explanation") ?? (Array.isArray(e.failures) ? e.failures.join("; ") : undefined);
    const extra = typeof e.explanation === "string" && e.explanation !== why ? ` (${e.explanation})` : "";
    return `${why ?? "not confirmed"}${extra}`;
  }
  switch (hop.code) {
    case "CANARY_DENIED":
      return `${e.errorCode} for ${e.roleArn} (request ${e.requestId})`;
    case "DELIVERED_TO_LOG_GROUP":
      return `record ${e.cloudTrailEventId ?? e.requestId} in ${e.logStream ?? e.logGroup}`;
    case "METRIC_INCREMENTED":
      return `${e.namespace}/${e.metricName} = ${e.sum} at ${e.minute} (filter ${e.filter})`;
    case "ALARM_FIRED":
      return `${e.alarm}: ${e.summary}`;
    case "ACTION_EXECUTED":
      return `${e.summary}`;
    case "NOTIFICATION_RECEIVED":
      return typeof e.receipt === "string"
        ? `${e.receipt} (${e.topicArn})`
        : `message ${e.sqsMessageId} in ${e.queueArn}`;
  }
}

export function renderProofRecord(record: ProofRecord, options: { color?: boolean } = {}): string[] {
  const paint = (code: number, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const color = { PROVEN: 32, FAILED: 31, ERROR: 33, SKIPPED: 90 } as const;
  const lines = [
    `${record.accountId}  ${(record.name ?? "").padEnd(16)}  ${record.region.padEnd(14)}  ${paint(color[record.status], record.status)}` +
      (record.failedHop ? ` at ${record.failedHop}` : "") +
      (record.status === "PROVEN" ? ` in ${elapsed(record.startedAt, record.finishedAt).slice(1)}` : ""),
  ];
  for (const hop of record.hops) {
    if (!hop.ok && hop.code !== record.failedHop) continue;
    const mark = hop.ok ? "ok  " : "FAIL";
    const at = hop.at ?? "";
    lines.push(
      `    ${hop.code.padEnd(22)} ${mark} ${at.padEnd(24)} ${elapsed(record.startedAt, hop.at).padEnd(8)} ${hopDetail(hop)}`,
    );
  }
  if (record.reason && record.status !== "FAILED") lines.push(`    ${record.reason}`);
  for (const f of record.findings ?? []) lines.push(`    ${f.code.padEnd(42)} ${f.region.padEnd(14)} ${f.message}`);
  return lines;
}

export function renderProveReport(report: ProveReport, options: { color?: boolean } = {}): string {
  const lines = report.accounts.flatMap((a) => renderProofRecord(a, options));
  const m = report.summary;
  lines.push(
    "",
    `prove: ${m.total} account(s): ${m.PROVEN} proven, ${m.FAILED} failed, ${m.ERROR} error, ${m.SKIPPED} skipped`,
  );
  if (!report.listing.complete) {
    lines.push(`listing incomplete: ${report.listing.error ?? "unknown error"}`);
  }
  return lines.join("\n");
}
