/**
 * Parse once, match many: events per second over the CloudTrail corpus for each CIS
 * pattern, on one core. Every match includes JSON.parse of the raw record, as CloudWatch
 * Logs receives it. Prints; asserts nothing.
 */
import { BENIGN_RECORDS, CIS_PATTERNS, matchesEvent, parseFilterPattern, UNAUTHORIZED_RECORDS } from "../shared/filter-pattern/index.ts";

const messages = [...UNAUTHORIZED_RECORDS, ...BENIGN_RECORDS].map((e) => e.message);
const TARGET_MS = 1000;

function measure(text: string): { eventsPerSecond: number; matched: number } {
  const pattern = parseFilterPattern(text);
  let matched = 0;
  for (let i = 0; i < 2000; i++) for (const m of messages) if (matchesEvent(pattern, m)) matched++;
  matched = 0;
  let events = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < TARGET_MS) {
    for (let r = 0; r < 100; r++) {
      for (const m of messages) if (matchesEvent(pattern, m)) matched++;
    }
    events += 100 * messages.length;
    elapsed = performance.now() - start;
  }
  return { eventsPerSecond: Math.round((events / elapsed) * 1000), matched: matched / (events / messages.length) };
}

const avgBytes = Math.round(messages.reduce((n, m) => n + m.length, 0) / messages.length);
console.log(`corpus: ${messages.length} CloudTrail records, ${avgBytes} bytes on average; node ${process.version}`);
for (const [name, text] of Object.entries(CIS_PATTERNS)) {
  const { eventsPerSecond, matched } = measure(text);
  console.log(`${name.padEnd(11)} ${eventsPerSecond.toLocaleString("en-US").padStart(11)} events/s  (${matched} of ${messages.length} match)`);
}
