/** The clock of a real run: the system's time, and a timer to wait on. */
import type { Clock } from "../core/clock.ts";

export const realClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
