/**
 * `tripwire prune [--dry-run]`: the rollback. Removes every alarm, metric filter and topic
 * tripwire created (name prefix, and the managed-by=tripwire tag where the service has tags)
 * in the in-scope accounts. Exit 0 when every account was pruned (or listed, in a dry run),
 * 1 when an account failed.
 */
import { type PruneReport, runPrune } from "../../use-cases/prune.ts";
import type { CommandBody } from "../command.ts";
import { createProgress } from "../progress.ts";
import { unsupportedOutput } from "../report-output.ts";

export const pruneCommand: CommandBody = {
  async run({ settings, io, factoryFor }) {
    const unsupported = unsupportedOutput(settings, "prune");
    if (unsupported) {
      io.stderr(`tripwire: ${unsupported}\n`);
      return 2;
    }
    const factory = factoryFor(settings, "cli");
    const progress = createProgress(io, "prune");
    let report: PruneReport;
    try {
      report = await runPrune({
        settings,
        factory,
        onAccountDone: progress.update,
      });
    } finally {
      progress.stop();
    }
    if (settings.json) {
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const verb = report.dryRun ? "would delete" : "deleted";
      for (const account of report.accounts) {
        const label = `${account.accountId}${account.name ? ` (${account.name})` : ""}`;
        if (account.status === "ERROR") io.stdout(`${label}: ERROR ${account.error}\n`);
        else if (account.actions.length === 0)
          io.stdout(`${label}: nothing to prune in ${account.regions.join(", ")}\n`);
        for (const action of account.actions) {
          const done = action.type === "finding" ? (report.dryRun ? "would archive" : "archived") : verb;
          io.stdout(`${label}: ${done} ${action.type} ${action.region} ${action.resource}\n`);
        }
        for (const note of account.notes ?? []) io.stdout(`${label}: note: ${note}\n`);
      }
      for (const skipped of report.skipped) io.stdout(`${skipped.accountId}: skipped (status ${skipped.status})\n`);
      const { deleted, planned, errors } = report.summary;
      io.stdout(
        report.dryRun
          ? `dry run: ${planned} resource(s) would be deleted in ${report.accounts.length} account(s), ${errors} error(s)\n`
          : `${deleted} resource(s) deleted in ${report.accounts.length} account(s), ${errors} error(s)\n`,
      );
    }
    return report.summary.errors > 0 ? 1 : 0;
  },
};
