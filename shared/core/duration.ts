/**
 * Durations as people write them in settings: one whole number and one unit, `90s`, `20m`,
 * `2h`, `7d`. Strict on purpose: no sign, no fraction, no space, no leading zero, no
 * compound form (`1m30s`), so a typo is refused instead of read as something else.
 */

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const DURATION = /^(0|[1-9]\d{0,8})([smhd])$/;

/** How a duration is written, for messages that say what is accepted. */
export const DURATION_FORM = "a duration: a whole number and a unit s, m, h or d (90s, 20m, 2h, 7d)";

/** Milliseconds in `text`, or undefined when it is not one whole number and one unit. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const [, amount, unit] = match as unknown as [string, string, keyof typeof UNIT_MS];
  return Number(amount) * UNIT_MS[unit];
}

/** The shortest exact form of a whole number of seconds or more (`90000` → `90s`, `120000` → `2m`). */
export function formatDuration(ms: number): string {
  for (const unit of ["d", "h", "m", "s"] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
