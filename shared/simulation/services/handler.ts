/** What every simulated operation receives, and helpers for validating inputs. */
import { type ServiceId, serviceError } from "../errors.ts";
import type { AccountState, Principal, SimulationCore } from "../state.ts";

export interface CallContext {
  readonly core: SimulationCore;
  /** The caller's account (from the credentials). */
  readonly account: AccountState;
  readonly region: string;
  readonly principal: Principal;
}

/** An operation: validated input in, output without `$metadata` out, or an SDK-shaped error thrown. */
export type Handler = (ctx: CallContext, input: never) => object | Promise<object>;

export type HandlerTable = Readonly<Record<string, Handler>>;

/** Typed helper so each handler declares the SDK request type it accepts. */
export function op<I>(fn: (ctx: CallContext, input: I) => object | Promise<object>): Handler {
  return fn as Handler;
}

/** Throws `service`'s error `name`. */
export function raise(service: ServiceId, name: string, message: string, httpStatusCode = 400): never {
  throw serviceError(service, name, message, httpStatusCode);
}

/** A page size within the service's bounds, or the service's validation error. */
export function pageSize(
  service: ServiceId,
  errorName: string,
  field: string,
  value: number | undefined,
  max: number,
  defaultSize = max,
): number {
  if (value === undefined) return defaultSize;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    raise(service, errorName, `${field} must be between 1 and ${max}, got ${value}`);
  }
  return value;
}

/** A required string parameter, or the service's validation error. */
export function required<T>(service: ServiceId, errorName: string, field: string, value: T | undefined | null): T {
  if (value === undefined || value === null || value === "") {
    raise(service, errorName, `${field} is required`);
  }
  return value;
}

export function tagsToRecord(tags: ReadonlyMap<string, string>): Record<string, string> {
  return Object.fromEntries(tags);
}
