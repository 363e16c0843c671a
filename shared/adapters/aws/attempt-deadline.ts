/**
 * One hung call never hangs a run: each attempt of every call the factory's clients make is
 * raced against the call timeout. The middleware sits right below the SDK's retry middleware,
 * so a timed-out attempt is retried like any transient error (its name is `TimeoutError`, in
 * the SDK's transient list), and after the last attempt the call fails naming itself (see
 * call-naming.ts). It works wherever the attempt runs: over HTTP (where the request handler's
 * own connection and request timeouts also close the socket) and in the simulation, which
 * answers below this middleware and never reaches the HTTP handler.
 */
import { type AnyClient, ATTEMPT_DEADLINE_MIDDLEWARE, markAttemptDeadline, stackOf } from "./instrument.ts";

/** An attempt of an AWS call took longer than the call timeout. */
export class AttemptTimeoutError extends Error {
  readonly $metadata: { httpStatusCode?: number } = {};

  constructor(readonly timeoutMs: number) {
    super(`no answer within the call timeout of ${timeoutMs} ms`);
    // The SDK's retry strategy treats this name as transient.
    this.name = "TimeoutError";
  }
}

/** Adds the attempt deadline to `client`, right after the SDK's retry middleware. */
export function limitEachAttempt(client: AnyClient, timeoutMs: number): void {
  stackOf(client).addRelativeTo((next) => (args) => withinDeadline(next(args), timeoutMs), {
    relation: "after",
    toMiddleware: "retryMiddleware",
    name: ATTEMPT_DEADLINE_MIDDLEWARE,
  });
  markAttemptDeadline(client);
}

/** The attempt's outcome, or an AttemptTimeoutError when it takes longer than `timeoutMs`. */
export function withinDeadline<T>(attempt: Promise<T>, timeoutMs: number): Promise<T> {
  // One promise per attempt (no race, no async frame: this runs at every call). Once the
  // deadline has rejected it, the abandoned attempt's late outcome settles nothing.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new AttemptTimeoutError(timeoutMs)), timeoutMs);
    attempt.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
