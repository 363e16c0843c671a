/** Fault injection: throttling, forced errors, hung calls and denied role assumptions, for tests and demos. */
import type { SimulatedCall } from "./call-log.ts";
import { SeededRandom } from "./determinism.ts";
import { type ServiceId, serviceError, throttlingError } from "./errors.ts";

/** Which calls a fault applies to; an omitted field matches everything. */
export interface CallMatcher {
  readonly service?: ServiceId;
  readonly operation?: string;
  readonly accountId?: string;
  readonly region?: string;
}

export interface ThrottleFault extends CallMatcher {
  /** Throttle this many matching calls, then stop (default 1 when `fraction` is not given). */
  readonly times?: number;
  /** Throttle each matching call with this probability (seeded), up to `times` if given. */
  readonly fraction?: number;
}

export interface ErrorSpec {
  /** The service's error code, e.g. "InternalErrorException" or "ServiceUnavailableException". */
  readonly name: string;
  readonly message?: string;
  readonly httpStatusCode?: number;
}

export interface FailFault extends CallMatcher {
  readonly error: ErrorSpec | ((call: SimulatedCall) => Error);
  /** Fail this many matching calls, then stop (default: every matching call until removed). */
  readonly times?: number;
}

export interface HangFault extends CallMatcher {
  /** Hold this many matching calls, then stop (default: every matching call until removed). */
  readonly times?: number;
  /** Hold each matching call with this probability (seeded), up to `times` if given. */
  readonly fraction?: number;
}

/** What a fault does to a call: fail it with an error, or never answer it. */
export type FaultOutcome = { readonly error: Error } | { readonly hang: true };

/** The error name a hung call is logged with: it never got an answer. */
export const HUNG = "Hung";

export interface FaultHandle {
  /** How many calls this fault has hit so far. */
  readonly hits: number;
  remove(): void;
}

interface ActiveFault {
  readonly matcher: CallMatcher;
  readonly limit: number;
  readonly fraction: number;
  readonly outcome: (call: SimulatedCall) => FaultOutcome;
  hits: number;
}

function matches(m: CallMatcher, call: SimulatedCall): boolean {
  return (
    (m.service === undefined || m.service === call.service) &&
    (m.operation === undefined || m.operation === call.operation) &&
    (m.accountId === undefined || m.accountId === call.accountId) &&
    (m.region === undefined || m.region === call.region)
  );
}

export class Faults {
  readonly #active: ActiveFault[] = [];
  readonly #random: SeededRandom;

  constructor(
    seed: number,
    private readonly denied: Set<string>,
  ) {
    this.#random = new SeededRandom(seed);
  }

  /** Throttle matching calls with the service's own throttling error (the SDK retries it). */
  throttle(fault: ThrottleFault): FaultHandle {
    const limit = fault.times ?? (fault.fraction === undefined ? 1 : Infinity);
    return this.#add(fault, limit, fault.fraction ?? 1, (call) => ({ error: throttlingError(call.service) }));
  }

  /** Fail matching calls with the given error. */
  fail(fault: FailFault): FaultHandle {
    const { error } = fault;
    const makeError =
      typeof error === "function"
        ? error
        : (call: SimulatedCall) =>
            serviceError(call.service, error.name, error.message ?? error.name, error.httpStatusCode ?? 400);
    return this.#add(fault, fault.times ?? Infinity, 1, (call) => ({ error: makeError(call) }));
  }

  /**
   * Matching calls never answer, as a request held open by a stuck endpoint: the SDK's retries
   * do not help, only the client factory's call timeout ends the attempt. A held call stays
   * held (removing the fault frees only later calls); it is logged at once with error "Hung".
   */
  hang(fault: HangFault): FaultHandle {
    return this.#add(fault, fault.times ?? Infinity, fault.fraction ?? 1, () => ({ hang: true }));
  }

  /** AssumeRole into `accountId` (only `roleName`, if given) is refused with AccessDenied. */
  denyAssumeRole(accountId: string, roleName?: string): void {
    this.denied.add(roleName ? `${accountId}/${roleName}` : accountId);
  }

  allowAssumeRole(accountId: string, roleName?: string): void {
    this.denied.delete(roleName ? `${accountId}/${roleName}` : accountId);
  }

  /** Remove every fault, denied assumptions included. */
  clear(): void {
    this.#active.length = 0;
    this.denied.clear();
  }

  /** What happens to this call, if a fault applies to it: the first active fault that matches. */
  outcomeFor(call: SimulatedCall): FaultOutcome | undefined {
    for (const fault of this.#active) {
      if (fault.hits >= fault.limit || !matches(fault.matcher, call)) continue;
      if (fault.fraction < 1 && this.#random.next() >= fault.fraction) continue;
      fault.hits += 1;
      return fault.outcome(call);
    }
    return undefined;
  }

  #add(
    matcher: CallMatcher,
    limit: number,
    fraction: number,
    outcome: (call: SimulatedCall) => FaultOutcome,
  ): FaultHandle {
    const fault: ActiveFault = { matcher: { ...matcher }, limit, fraction, outcome, hits: 0 };
    this.#active.push(fault);
    const active = this.#active;
    return {
      get hits() {
        return fault.hits;
      },
      remove() {
        const i = active.indexOf(fault);
        if (i >= 0) active.splice(i, 1);
      },
    };
  }
}
