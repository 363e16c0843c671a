/** Progress on stderr, only for runs that last more than a second. */
import type { CliIo } from "./io.ts";

export function createProgress(io: CliIo, label: string, delayMs = 1000) {
  const started = Date.now();
  let lastPrint = 0;
  let printed = false;
  return {
    update: (_result: unknown, done: number, total: number) => {
      const now = Date.now();
      if (now - started < delayMs || (now - lastPrint < 500 && done < total)) return;
      lastPrint = now;
      printed = true;
      const line = `${label}: ${done}/${total} accounts reviewed`;
      io.stderr(io.isTty ? `\r${line}` : `${line}\n`);
    },
    stop: () => {
      if (printed && io.isTty) io.stderr("\n");
    },
  };
}
