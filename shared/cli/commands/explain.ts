/**
 * `tripwire explain --alarm FILE` (`-` for standard input): who did what to raise one alarm,
 * from its SNS notification (envelope, Lambda event or bare message). Text by default, one
 * JSON document with --json. Exit 0 when explained; 2 with one line on stderr when the input
 * is not an alarm notification, the alarm is not tripwire's nor on a covering filter's metric,
 * or the account is outside the organization or the scope (nothing read beyond the refusal,
 * nothing written); 1 when an AWS call failed.
 */
import { ConfigError } from "../../config/settings.ts";
import { NotAnAlarmNotificationError, parseAlarmNotification } from "../../core/alarm-notification.ts";
import { describeError } from "../../core/describe-error.ts";
import { explanationText } from "../../core/explain/alert-message.ts";
import { ExplainRefusedError } from "../../core/explain/errors.ts";
import type { Explanation } from "../../core/explain/explanation.ts";
import { explainAlarm } from "../../use-cases/explain.ts";
import type { CommandBody } from "../command.ts";
import type { CliIo } from "../io.ts";
import { readInput } from "../read-input.ts";
import { eventProgress } from "./event-progress.ts";

export const explainCommand: CommandBody = {
  async run({ settings, io, options, factoryFor, now }) {
    const file = typeof options.alarm === "string" ? options.alarm : undefined;
    if (!file) return refuse(io, "explain needs --alarm FILE (the alarm's SNS notification, - for standard input)");
    let alarm: ReturnType<typeof parseAlarmNotification>;
    try {
      alarm = parseAlarmNotification(await readInput(file, io, "an alarm notification"));
    } catch (error) {
      if (error instanceof ConfigError || error instanceof NotAnAlarmNotificationError) {
        return refuse(io, error.message);
      }
      throw error;
    }
    const progress = eventProgress(io, "explain");
    let explanation: Explanation;
    try {
      explanation = await explainAlarm(alarm, {
        settings,
        factory: factoryFor(settings, "cli"),
        onProgress: progress.update,
        ...(now ? { now } : {}),
      });
    } catch (error) {
      progress.stop();
      if (error instanceof ExplainRefusedError) return refuse(io, error.message);
      io.stderr(`tripwire: could not explain alarm ${alarm.alarmName}: ${describeError(error)}\n`);
      return 1;
    }
    progress.stop();
    io.stdout(
      settings.json ? `${JSON.stringify(explanationJson(explanation), null, 2)}\n` : explanationText(explanation),
    );
    return 0;
  },
};

/** The document of `--json`: the shape first, then what else the run saw. */
export function explanationJson(x: Explanation): Record<string, unknown> {
  return {
    alarm: x.alarm,
    window: { start: x.window.start.toISOString(), end: x.window.end.toISOString(), basis: x.window.basis },
    matched: x.matched,
    excluded: x.excluded,
    unconfirmed: x.unconfirmed,
    groups: x.groups,
    expiredExclusions: x.expiredExclusions,
    leftOut: x.leftOut,
    logGroup: x.logGroup,
    filters: x.filters,
    consoleUrl: x.consoleUrl,
  };
}

function refuse(io: CliIo, reason: string): number {
  io.stderr(`tripwire: ${reason}\n`);
  return 2;
}
