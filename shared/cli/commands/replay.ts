/**
 * `tripwire replay --since DURATION`: per in-scope account, how often its alarm would have
 * been in ALARM over the last DURATION, and the calls behind it, with and without the
 * exclusions. Text by default; --json prints `{ since, until, listing, accounts: [...] }`.
 * Exit 0 when every account was replayed, 1 when one could not be (its error is in the
 * report) or the listing stopped part-way, 2 for bad usage.
 */
import { formatDuration, parseDuration } from "../../core/duration.ts";
import { LISTED_GROUPS, shortPrincipal } from "../../core/explain/alert-message.ts";
import { type ChainReplay, type ReplayReport, replay } from "../../use-cases/replay.ts";
import type { CommandBody } from "../command.ts";
import type { CliIo } from "../io.ts";

const MIN_SINCE_MS = 60_000;
const MAX_SINCE_MS = 90 * 86_400_000;

export const replayCommand: CommandBody = {
  async run({ settings, io, options, factoryFor, now }) {
    const text = typeof options.since === "string" ? options.since : undefined;
    if (!text) return refuse(io, "replay needs --since DURATION (90m, 24h, 7d)");
    const sinceMs = parseDuration(text);
    if (sinceMs === undefined || sinceMs < MIN_SINCE_MS || sinceMs > MAX_SINCE_MS) {
      return refuse(
        io,
        `invalid --since: ${JSON.stringify(text)} is not a duration from ${formatDuration(MIN_SINCE_MS)} to ${formatDuration(MAX_SINCE_MS)} (a whole number and a unit m, h or d: 90m, 24h, 7d)`,
      );
    }
    let lastPrint = 0;
    const started = Date.now();
    const report = await replay(sinceMs, {
      settings,
      factory: factoryFor(settings, "cli"),
      ...(now ? { now } : {}),
      onAccountDone: (done) => {
        const now = Date.now();
        if (now - started < 1000 || now - lastPrint < 500) return;
        lastPrint = now;
        io.stderr(`replay: ${done} accounts replayed\n`);
      },
    });
    io.stdout(settings.json ? `${JSON.stringify(report, null, 2)}\n` : replayText(report));
    const failed = report.accounts.some((a) => "error" in a && a.error !== undefined);
    return failed || !report.listing.complete ? 1 : 0;
  },
};

function isChain(a: ReplayReport["accounts"][number]): a is ChainReplay {
  return "logGroup" in a;
}

export function replayText(report: ReplayReport): string {
  const lines = [`replay ${report.since} to ${report.until}`];
  for (const a of report.accounts) {
    lines.push("");
    if (!isChain(a)) {
      lines.push(`${a.accountId} ${a.name}: ${a.error ? `ERROR ${a.error}` : a.note}`);
      continue;
    }
    const m = a.alarm;
    const planned = a.filters.some((f) => f.planned) ? " (tripwire's, as fix would write them: none covers yet)" : "";
    lines.push(
      `${a.accountId} ${a.name} (${a.region}, log group ${a.logGroup})`,
      `  filters   ${a.filters.map((f) => f.name).join(", ")}${planned}`,
      `  alarm     ${m.name ?? "as tripwire would create it"}: ${m.statistic} over ${m.period} s ${comparisonText(m.comparison)} ${m.threshold}, ${m.datapointsToAlarm} of ${m.evaluationPeriods}`,
      `  events    ${a.matchedEvents} matched, ${a.excludedEvents} excluded, ${a.unconfirmed} unconfirmed`,
      `  in alarm  ${a.periodsInAlarm} of ${a.periods} periods; ${a.periodsInAlarmAfterExclusions} after exclusions`,
    );
    for (const g of a.groups.slice(0, LISTED_GROUPS)) {
      const call = `${g.eventSource ?? "?"} ${g.eventName ?? "?"}${g.errorCode ? `: ${g.errorCode}` : ""}`;
      const excluded = g.excludedBy ? `  [excluded by exclusions[${g.excludedBy.index}]]` : "";
      lines.push(`  ${String(g.count).padStart(7)}  ${shortPrincipal(g.principal ?? "?")}  ${call}${excluded}`);
    }
    if (a.groups.length > LISTED_GROUPS) lines.push(`  ... and ${a.groups.length - LISTED_GROUPS} more groups`);
    for (const e of a.expiredExclusions) {
      lines.push(
        `  expired   exclusions[${e.index}] (${e.expires}, ${e.owner}) would have excluded ${e.wouldHaveExcluded}`,
      );
    }
    if (a.leftOut.count > 0 || !a.leftOut.complete) {
      lines.push(
        `  left out  ${a.leftOut.complete ? "" : "at least "}${a.leftOut.count} events past the cap (--max-events)`,
      );
    }
  }
  if (!report.listing.complete) lines.push("", `listing incomplete: ${report.listing.error}`);
  return `${lines.join("\n")}\n`;
}

function comparisonText(op: string): string {
  return (
    {
      GreaterThanOrEqualToThreshold: ">=",
      GreaterThanThreshold: ">",
      LessThanThreshold: "<",
      LessThanOrEqualToThreshold: "<=",
    }[op] ?? op
  );
}

function refuse(io: CliIo, reason: string): number {
  io.stderr(`tripwire: ${reason}\n`);
  return 2;
}
