/**
 * Parse once, match many: events per second over the CloudTrail corpus for each CIS
 * pattern, on one core. Every match includes JSON.parse of the raw record, as CloudWatch
 * Logs receives it. Prints; asserts nothing.
 */
import {
  BENIGN_RECORDS,
  CIS_PATTERNS,
  matchesEvent,
  parseFilterPattern,
  UNAUTHORIZED_RECORDS,
} from "../shared/core/filter-pattern/index.ts";

const messages = [...UNAUTHORIZED_RECORDS, ...BENIGN_RECORDS].map((e) => e.message);
// Machines running other work skew a single long run; report the median of short rounds.
const ROUNDS = 9;
const ROUND_MS = 300;

function measure(text: string): { eventsPerSecond: number; low: number; high: number; matched: number } {
  const pattern = parseFilterPattern(text);
  let matched = 0;
  for (let i = 0; i < 2000; i++) for (const m of messages) matchesEvent(pattern, m);
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let events = 0;
    matched = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < ROUND_MS) {
      for (const m of messages) if (matchesEvent(pattern, m)) matched++;
      events += messages.length;
      elapsed = performance.now() - start;
    }
    rates.push((events / elapsed) * 1000);
    matched = (matched * messages.length) / events;
  }
  rates.sort((a, b) => a - b);
  const at = (i: number) => Math.round(rates[i] ?? 0);
  return { eventsPerSecond: at(ROUNDS >> 1), low: at(0), high: at(ROUNDS - 1), matched };
}

const avgBytes = Math.round(messages.reduce((n, m) => n + m.length, 0) / messages.length);
console.log(`corpus: ${messages.length} CloudTrail records, ${avgBytes} bytes on average; node ${process.version}`);
for (const [name, text] of Object.entries(CIS_PATTERNS)) {
  const { eventsPerSecond, low, high, matched } = measure(text);
  const fmt = (n: number) => n.toLocaleString("en-US");
  console.log(
    `${name.padEnd(11)} ${fmt(eventsPerSecond).padStart(9)} events/s median of ${ROUNDS} rounds ` +
      `(range ${fmt(low)}–${fmt(high)}; ${matched} of ${messages.length} records match)`,
  );
}
