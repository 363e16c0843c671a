/**
 * How `scan` and `fix` print their report (`--output`): the table, the JSON document, OCSF
 * events (a JSON array) or CSV. The other commands print their own outcome, as text or
 * `--json`; asking them for OCSF or CSV is bad usage.
 */
import type { Settings } from "../config/settings.ts";
import type { Report } from "../core/report.ts";
import { toCsv } from "../core/report-formats/csv.ts";
import { toOcsfEvents } from "../core/report-formats/ocsf.ts";
import { colorFor } from "./color.ts";
import type { CliIo } from "./io.ts";
import { renderReport } from "./render-table.ts";
import { VERSION } from "./version.ts";

export function printReport(report: Report, settings: Settings, io: CliIo): void {
  switch (settings.output) {
    case "json":
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      return;
    case "ocsf": {
      const fallbackRegion = settings.regions?.[0] ?? settings.homeRegion;
      io.stdout(`${JSON.stringify(toOcsfEvents(report, { productVersion: VERSION, fallbackRegion }), null, 2)}\n`);
      break;
    }
    case "csv":
      io.stdout(toCsv(report));
      break;
    case "table":
      io.stdout(`${renderReport(report, { color: colorFor(io, "stdout") })}\n`);
      return;
  }
  // Formats without a place for it: the listing's failure goes to stderr, as a note.
  if (!report.listing.complete) {
    io.stderr(
      `note: listing incomplete: ${report.listing.error ?? "unknown error"}; accounts Organizations did not list are not in this report\n`,
    );
  }
}

/** The one-line refusal of an output only `scan` and `fix` print, or undefined when the output is fine. */
export function unsupportedOutput(settings: Settings, command: string): string | undefined {
  return settings.output === "ocsf" || settings.output === "csv"
    ? `--output ${settings.output} is for scan and fix; ${command} prints text, or JSON with --json`
    : undefined;
}
