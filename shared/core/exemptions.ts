/**
 * Documented exemptions (pure): an account a person decided to leave out of the control for a
 * while, with the reason, who owns that decision and when it ends. An exempt account is
 * reviewed read-only (its state is still reported, so the evidence shows what the exemption
 * covers), nothing is written in it, and it does not fail the run. From the day after
 * `expires` on it is judged like any other account, with an EXEMPTION_EXPIRED finding.
 */

export interface Exemption {
  /** 12-digit account id. */
  readonly account: string;
  readonly reason: string;
  /** Who answers for the exemption (a person or a team). */
  readonly owner: string;
  /** Last day of the exemption, `YYYY-MM-DD` (UTC): the account is exempt through that day. */
  readonly expires: string;
}

/** What a report says of an account's exemption. */
export interface ExemptionReport {
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
}

export type ExemptionState =
  | { readonly state: "active"; readonly exemption: Exemption }
  | { readonly state: "expired"; readonly exemption: Exemption };

const DAY_MS = 24 * 3600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The date `YYYY-MM-DD` at 00:00 UTC, or undefined when the text is not a real calendar date. */
export function parseIsoDate(text: string): Date | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? date
    : undefined;
}

/** The first moment the exemption no longer holds: 00:00 UTC of the day after `expires`. */
export function exemptionEnd(exemption: Pick<Exemption, "expires">): Date {
  const day = parseIsoDate(exemption.expires);
  if (!day) throw new RangeError(`not an ISO date: ${JSON.stringify(exemption.expires)}`);
  return new Date(day.getTime() + DAY_MS);
}

/** The latest `expires` accepted on `now`: the same day one year later (28 February for 29 February). */
export function latestExpiry(now: Date): string {
  const year = now.getUTCFullYear() + 1;
  const month = now.getUTCMonth();
  const lastOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(now.getUTCDate(), lastOfMonth))).toISOString().slice(0, 10);
}

/** Whether the account has an exemption, and whether it still holds at `now`. */
export function exemptionOf(
  exemptions: readonly Exemption[],
  accountId: string,
  now: Date,
): ExemptionState | undefined {
  const exemption = exemptions.find((e) => e.account === accountId);
  if (!exemption) return undefined;
  return { state: now < exemptionEnd(exemption) ? "active" : "expired", exemption };
}

export function exemptionReport(exemption: Exemption): ExemptionReport {
  return { reason: exemption.reason, owner: exemption.owner, expires: exemption.expires };
}
