/**
 * middy middleware: an error that escapes the handler is logged as one structured line
 * (name, message, the cause's name) before Lambda records the failure and retries.
 */
import type { MiddlewareObj } from "@middy/core";
import { type LogWriter, logJson, stdoutWriter } from "./log.ts";

/**
 * `writer` is asked at error time (the handler's dependencies are built lazily); when it
 * cannot answer, e.g. because building them is what failed, the line goes to stdout.
 */
export function logErrors(functionName: string, writer: () => LogWriter): MiddlewareObj {
  return {
    onError: async (request) => {
      const error = request.error;
      let write = stdoutWriter;
      try {
        write = writer();
      } catch {
        // The dependencies could not be built: that error is the one being logged.
      }
      logJson(write, "ERROR", `${functionName} failed`, {
        function: functionName,
        error: describeError(error),
        ...(error?.cause ? { cause: describeError(error.cause) } : {}),
      });
    },
  };
}

/** Name and message, never a stack (same as the engine's describeError, kept here so the
 * sweep bundle does not import the engine's client factory and every SDK client with it). */
function describeError(error: unknown): string {
  if (error instanceof Error)
    return error.message && error.message !== error.name ? `${error.name}: ${error.message}` : error.name;
  return String(error);
}
