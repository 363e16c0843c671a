/**
 * Short text for an error: its name and message, never a stack. An error that a failed AWS
 * call threw carries the call's label (see `labelCall`), and the text starts with it:
 * `GetTrailStatus (cloudtrail us-east-1): ThrottlingException: Rate exceeded`.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const call = callOf(error);
  let message = error.message;
  if (call !== undefined && message === call) message = "";
  else if (call !== undefined && message.startsWith(`${call}: `)) message = message.slice(call.length + 2);
  const text = message && message !== error.name ? `${error.name}: ${message}` : error.name;
  return call === undefined ? text : `${call}: ${text}`;
}

const CALL = Symbol.for("tripwire.call");

type Labelled = Error & { [CALL]?: string };

/** The label of the AWS call that threw `error` (`DescribeMetricFilters (logs us-east-1)`), if any. */
export function callOf(error: unknown): string | undefined {
  return error instanceof Error ? (error as Labelled)[CALL] : undefined;
}

/**
 * Marks `error` as thrown by the call `label`, in place, so its name, class, `$metadata` and
 * `cause` stay what callers test: the label goes in front of the message (for whoever reads
 * only the message) and in a property `describeError` reads. An error already labelled keeps
 * its label: the innermost call is the one that failed (a credentials provider's AssumeRole,
 * say, under the call that needed the credentials).
 */
export function labelCall<E>(error: E, label: string): E {
  if (!(error instanceof Error) || callOf(error) !== undefined) return error;
  Object.defineProperty(error, CALL, { value: label, enumerable: false, configurable: true });
  try {
    error.message = error.message ? `${label}: ${error.message}` : label;
  } catch {
    // A frozen error keeps its message; describeError still names the call.
  }
  return error;
}
