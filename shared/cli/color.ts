/**
 * Whether text written to a stream gets ANSI colour: decided per stream, by the stream it is
 * written to (the report table goes to stdout, progress and errors to stderr), then by the
 * environment, as Node's own console decides it:
 *  1. FORCE_COLOR, when set, decides alone, as Node and chalk read it: "", "1", "2", "3" and
 *     "true" colour, any other value ("0", "false", ...) does not; it wins over NO_COLOR
 *     (Node warns that it ignores NO_COLOR then).
 *  2. NO_COLOR present and not empty (https://no-color.org), NODE_DISABLE_COLORS, or
 *     TERM=dumb: no colour.
 *  3. Otherwise colour exactly when the stream is a terminal.
 */
import type { CliIo } from "./io.ts";

const FORCED_ON = new Set(["", "1", "2", "3", "true"]);

export function colorEnabled(env: CliIo["env"], streamIsTty: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return FORCED_ON.has(force);
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.NODE_DISABLE_COLORS !== undefined || env.TERM === "dumb") return false;
  return streamIsTty;
}

/** Colour for what the CLI writes to that stream of `io`. */
export function colorFor(io: CliIo, stream: "stdout" | "stderr"): boolean {
  return colorEnabled(io.env, stream === "stdout" ? io.stdoutIsTty === true : io.isTty);
}
