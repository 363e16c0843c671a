import type { RunMode } from "./model.ts";

/**
 * The run mode, decided once from what was asked: `scan` only reads; a fix plans, and applies
 * unless it is a dry run. Everything downstream reads the mode, never the dry-run flag.
 */
export function runModeOf(command: "scan" | "fix", dryRun: boolean): RunMode {
  if (command === "scan") return "scan";
  return dryRun ? "dry-run" : "fix";
}
