/**
 * Structured logs: one JSON object per line, written to stdout directly (Lambda's patched
 * console would prefix the line and break both JSON parsing and EMF extraction).
 */
import { type EmfInput, writeEmf } from "./emf.ts";

export type LogWriter = (line: string) => void;

export const stdoutWriter: LogWriter = (line) => void process.stdout.write(line);

export function logJson(
  write: LogWriter,
  level: "INFO" | "WARN" | "ERROR",
  message: string,
  fields: Record<string, unknown> = {},
): void {
  write(`${JSON.stringify({ level, message, ...fields })}\n`);
}

/** The run's one summary line: a structured record that is also an EMF metrics document. */
export function logSummary(write: LogWriter, input: EmfInput): void {
  writeEmf(input, write);
}
