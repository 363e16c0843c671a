/** Progress of a long read of log events, on stderr, only for reads that last more than a second. */
import type { CliIo } from "../io.ts";

export function eventProgress(io: CliIo, label: string, delayMs = 1000) {
  const started = Date.now();
  let lastPrint = 0;
  let printed = false;
  return {
    update: (p: { readonly kept: number; readonly leftOut: number; readonly pages: number }) => {
      const now = Date.now();
      if (now - started < delayMs || now - lastPrint < 500) return;
      lastPrint = now;
      printed = true;
      const counted = p.leftOut > 0 ? `, ${p.leftOut.toLocaleString("en-US")} more counted past the cap` : "";
      const line = `${label}: ${p.kept.toLocaleString("en-US")} events read (${p.pages} page${p.pages === 1 ? "" : "s"})${counted}`;
      io.stderr(io.isTty ? `\r${line}` : `${line}\n`);
    },
    stop: () => {
      if (printed && io.isTty) io.stderr("\n");
    },
  };
}
