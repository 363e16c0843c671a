/** `tripwire scan` and `tripwire fix`: the organization-wide sweep, reported on stdout. */
import { exitCodeOf, type Report } from "../../core/report.ts";
import { runModeOf } from "../../core/run-mode.ts";
import { runSweep } from "../../use-cases/sweep.ts";
import type { CommandBody, CommandContext } from "../command.ts";
import { createProgress } from "../progress.ts";
import { printReport } from "../report-output.ts";

async function sweep(command: "scan" | "fix", { settings, io, factoryFor }: CommandContext): Promise<number> {
  const mode = runModeOf(command, settings.dryRun);
  if (mode === "fix" && settings.notify.length === 0) {
    io.stderr("note: no --notify endpoint: topics tripwire creates will have no subscriber until you add one\n");
  }
  const progress = createProgress(io, command);
  let report: Report;
  try {
    report = await runSweep({ mode, settings, factory: factoryFor(settings, "cli"), onAccountDone: progress.update });
  } finally {
    progress.stop();
  }
  printReport(report, settings, io);
  return exitCodeOf(report);
}

export const scanCommand: CommandBody = { run: (context) => sweep("scan", context) };
export const fixCommand: CommandBody = { run: (context) => sweep("fix", context) };
