/**
 * The readable text of an explanation: what `tripwire explain` prints and the body of the
 * message the notify function publishes, with an SNS subject naming the account and the top
 * principal. SNS subjects are ASCII, at most 100 characters, one line ("Subject must be ...
 * no longer than 100 characters", and no line breaks): anything else is replaced or cut.
 */
import type { AlarmNotification } from "../alarm-notification.ts";
import type { EventGroup } from "./event-groups.ts";
import type { Explanation } from "./explanation.ts";

export interface AlertMessage {
  readonly subject: string;
  readonly body: string;
}

export const MAX_SUBJECT = 100;
/** Groups listed in a message; the rest are summed up in one line. */
export const LISTED_GROUPS = 25;
const LISTED_UNCONFIRMED = 10;

/** ASCII, one line, at most 100 characters (cut with "..."). */
export function snsSubject(text: string): string {
  const ascii = text
    .replace(/\s+/g, " ")
    .replace(/[^\x20-\x7e]/g, "?")
    .trim();
  return ascii.length <= MAX_SUBJECT ? ascii : `${ascii.slice(0, MAX_SUBJECT - 3)}...`;
}

/** The part of a principal's ARN a person reads: `assumed-role/Role/session`, `user/jane`, `root`. */
export function shortPrincipal(principal: string): string {
  const m = /^arn:[\w-]+:(?:sts|iam)::\d{12}:(.+)$/.exec(principal);
  return m ? (m[1] as string) : principal;
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

/** The principal with the most events that are not excluded, or undefined when every one is. */
export function topPrincipal(groups: readonly EventGroup[]): { principal: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const g of groups) {
    if (g.excludedBy) continue;
    const key = g.principal ?? "(no principal)";
    counts.set(key, (counts.get(key) ?? 0) + g.count);
  }
  let top: { principal: string; count: number } | undefined;
  for (const [principal, count] of counts) if (!top || count > top.count) top = { principal, count };
  return top;
}

function accountLabel(x: Explanation): string {
  return x.alarm.accountName ? `${x.alarm.accountId} (${x.alarm.accountName})` : x.alarm.accountId;
}

/** The subject of an enriched alert: the account, how many calls, and who made most of them. */
export function alertSubject(x: Explanation): string {
  const top = topPrincipal(x.groups);
  const paging = x.matched - x.excluded;
  if (!top) return snsSubject(`tripwire: alarm in ${accountLabel(x)}, no matching call found`);
  const head = `tripwire: ${plural(paging, "unauthorized call")} in ${accountLabel(x)} by `;
  const who = shortPrincipal(top.principal);
  const full = `${head}${who}`;
  if (full.length <= MAX_SUBJECT) return snsSubject(full);
  // Keep the account id and as much of the principal as fits: drop the account's name first.
  const short = `tripwire: ${plural(paging, "unauthorized call")} in ${x.alarm.accountId} by ${who}`;
  return snsSubject(short);
}

function groupLines(g: EventGroup, alarmAccount: string): string[] {
  const call = [g.eventSource ?? "?", g.eventName ?? "?"].join(" ");
  const details = [
    g.errorCode ? `${call}: ${g.errorCode}` : call,
    g.sourceIPAddress ? `from ${g.sourceIPAddress}` : undefined,
    g.accountId && g.accountId !== alarmAccount ? `account ${g.accountId}` : undefined,
  ].filter(Boolean);
  const lines = [
    `  ${String(g.count).padStart(5)}  ${g.principal ?? "(no principal in the record)"}`,
    `         ${details.join(", ")}`,
    `         ${g.first === g.last ? g.first : `${g.first} to ${g.last}`}`,
  ];
  if (g.excludedBy) {
    const e = g.excludedBy;
    lines.push(`         excluded by exclusions[${e.index}]: ${e.reason} (owner ${e.owner}, expires ${e.expires})`);
  }
  return lines;
}

function listGroups(groups: readonly EventGroup[], alarmAccount: string): string[] {
  const shown = groups.slice(0, LISTED_GROUPS);
  const rest = groups.slice(LISTED_GROUPS);
  const lines = shown.flatMap((g) => groupLines(g, alarmAccount));
  if (rest.length > 0) {
    const events = rest.reduce((n, g) => n + g.count, 0);
    lines.push(`  ... and ${plural(rest.length, "more group")} (${plural(events, "event")})`);
  }
  return lines;
}

/** The whole explanation as text, for a person. */
export function explanationText(x: Explanation, options: { readonly runbookUrl?: string } = {}): string {
  const paging = x.groups.filter((g) => !g.excludedBy);
  const excluded = x.groups.filter((g) => g.excludedBy);
  const lines = [
    `Unauthorized API calls in account ${accountLabel(x)}, ${x.alarm.region}.`,
    "",
    `Alarm:    ${x.alarm.name}, ${x.alarm.state} at ${x.alarm.stateChangeTime}`,
    `Window:   ${x.window.start.toISOString()} to ${x.window.end.toISOString()}`,
    `          (${x.window.basis})`,
    `Events:   ${plural(x.matched, "matched event")} (${x.excluded.toLocaleString("en-US")} excluded), ${x.unconfirmed.length.toLocaleString("en-US")} unconfirmed`,
    `Filters:  ${x.filters.map((f) => f.name).join(", ")} on log group ${x.logGroup}`,
  ];
  if (paging.length > 0) {
    lines.push(
      "",
      "Calls (count, principal; call: error, source; first to last):",
      ...listGroups(paging, x.alarm.accountId),
    );
  } else if (x.matched === 0) {
    lines.push(
      "",
      "No event in the window matches the alarm's filters: the calls may not be delivered yet",
      "(CloudTrail delivers in about 5 minutes on average), or they fell outside the window.",
    );
  }
  if (excluded.length > 0) {
    lines.push("", "Excluded (documented exclusions):", ...listGroups(excluded, x.alarm.accountId));
  }
  if (x.expiredExclusions.length > 0) {
    lines.push("", "Expired exclusions (no longer applied; renew or remove them):");
    for (const e of x.expiredExclusions) {
      lines.push(
        `  exclusions[${e.index}] expired ${e.expires} (owner ${e.owner}): ${e.reason}; it would have excluded ${plural(e.wouldHaveExcluded, "event")}`,
      );
    }
  }
  if (x.unconfirmed.length > 0) {
    lines.push(
      "",
      "Unconfirmed (CloudWatch Logs returned them, tripwire's filter engine does not match them; not counted):",
    );
    for (const u of x.unconfirmed.slice(0, LISTED_UNCONFIRMED)) {
      lines.push(`  ${u.timestamp}  ${u.eventName ?? "?"} ${u.errorCode ?? ""}  event ${u.eventId}`.trimEnd());
    }
    if (x.unconfirmed.length > LISTED_UNCONFIRMED) {
      lines.push(`  ... and ${plural(x.unconfirmed.length - LISTED_UNCONFIRMED, "more")}`);
    }
  }
  if (x.leftOut.count > 0 || !x.leftOut.complete) {
    lines.push(
      "",
      `Left out: the cap of ${plural(x.matched + x.unconfirmed.length, "event")} read was reached; ${x.leftOut.complete ? "" : "at least "}${plural(x.leftOut.count, "more event")} in the window ${x.leftOut.count === 1 ? "was" : "were"} not grouped.`,
    );
  }
  lines.push("", `Log events: ${x.consoleUrl}`);
  if (options.runbookUrl) lines.push(`Runbook:    ${options.runbookUrl}`);
  return `${lines.join("\n")}\n`;
}

export function enrichedAlert(x: Explanation, options: { readonly runbookUrl?: string } = {}): AlertMessage {
  return { subject: alertSubject(x), body: explanationText(x, options) };
}

/**
 * The alarm as it came, forwarded when it could not be enriched: why first, then the original
 * notification. An alert is never dropped for want of an explanation.
 */
export function unenrichedAlert(
  original: { readonly subject?: string; readonly message: string; readonly alarm?: AlarmNotification },
  why: string,
  options: { readonly runbookUrl?: string } = {},
): AlertMessage {
  const alarm = original.alarm;
  const subject = snsSubject(
    alarm
      ? `tripwire (not enriched): ${alarm.newState} ${alarm.alarmName} in ${alarm.accountId}`
      : `tripwire (not enriched): ${original.subject ?? "alarm notification"}`,
  );
  let message = original.message;
  try {
    message = JSON.stringify(JSON.parse(original.message), null, 2);
  } catch {
    // Not JSON: forwarded as it is.
  }
  const lines = [
    `tripwire could not enrich this alarm: ${why}`,
    "",
    ...(alarm
      ? [`Alarm ${alarm.alarmName} in account ${alarm.accountId}, ${alarm.region}: ${alarm.newState}`, ""]
      : []),
    "The original notification follows.",
    "",
    message,
    ...(options.runbookUrl ? ["", `Runbook: ${options.runbookUrl}`] : []),
  ];
  return { subject, body: `${lines.join("\n")}\n` };
}
