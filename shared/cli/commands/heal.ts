/**
 * `tripwire heal --event FILE`: the heal use case on one EventBridge event file, with the
 * same role options as `fix`. Exit 0 when the event was ignored or the account is compliant
 * after the heal (healed, or nothing needed doing); 1 when it is still not compliant or the
 * review failed; 2 with one line on stderr when the event is refused or malformed (nothing
 * is written then).
 */
import { readFile } from "node:fs/promises";
import { type HealOutcome, healFromEvent } from "../../use-cases/heal.ts";
import type { CommandBody } from "../command.ts";
import type { CliIo } from "../io.ts";
import { unsupportedOutput } from "../report-output.ts";

export const healCommand: CommandBody = {
  async run({ settings, io, options, factoryFor }) {
    const unsupported = unsupportedOutput(settings, "heal");
    if (unsupported) return refuse(io, unsupported);
    const eventFile = typeof options.event === "string" ? options.event : undefined;
    const factory = factoryFor(settings, "cli");
    if (!eventFile) return refuse(io, "heal needs --event FILE (an EventBridge event as JSON)");
    let text: string;
    try {
      text = await readFile(eventFile, "utf8");
    } catch (error) {
      return refuse(
        io,
        `cannot read event file ${eventFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch (error) {
      return refuse(io, `malformed event: ${eventFile} is not valid JSON (${(error as Error).message})`);
    }
    const outcome = await healFromEvent(event, { settings, factory });
    if (outcome.status === "refused") return refuse(io, `heal refused: ${outcome.reason}`);
    io.stdout(
      settings.json
        ? `${JSON.stringify(healOutcomeJson(outcome), null, 2)}\n`
        : `${outcome.status}: ${outcome.reason}\n`,
    );
    if (outcome.status === "ignored") return 0;
    if (outcome.status !== "failed" && !settings.json) {
      for (const action of outcome.result.actions) {
        io.stdout(
          `  ${action.applied ? "applied" : "planned"} ${action.type} ${action.region} ${action.resource}${action.error ? ` (${action.error})` : ""}\n`,
        );
      }
      for (const finding of outcome.result.findings)
        io.stdout(`  finding ${finding.code} ${finding.region}: ${finding.message}\n`);
    }
    return outcome.result.status === "COMPLIANT" ? 0 : 1;
  },
};

/** The JSON form of a heal outcome, as `heal --json` prints it (and `demo --json` embeds it). */
export function healOutcomeJson(outcome: Exclude<HealOutcome, { status: "refused" }>): Record<string, unknown> {
  return {
    status: outcome.status,
    reason: outcome.reason,
    event: {
      ...outcome.event,
      eventTime: outcome.event.eventTime.toISOString(),
    },
    ...("result" in outcome ? { account: outcome.result, latencyMs: outcome.latencyMs } : {}),
  };
}

function refuse(io: CliIo, reason: string): number {
  io.stderr(`tripwire: ${reason}\n`);
  return 2;
}
