import type { AwsCredentialIdentity } from "@smithy/types";

/**
 * Any SDK v3 client. `instrument` receives each client the factory builds, so a simulation
 * or a latency model can add middleware below the engine without the engine knowing.
 */
export interface AnyClient {
  middlewareStack: { addRelativeTo: (...args: never[]) => unknown; identify: () => string[] };
  config: { credentials: () => Promise<AwsCredentialIdentity>; region: () => Promise<string> };
}

export type ClientInstrument = (client: AnyClient) => void;

/** A middleware as tripwire writes them: around the next handler, with the command's context. */
export type Middleware = (
  next: (args: unknown) => Promise<unknown>,
  context: { readonly clientName?: string; readonly commandName?: string },
) => (args: unknown) => Promise<unknown>;

/** The part of a client's middleware stack tripwire uses, typed for its own middleware. */
export interface MiddlewareStack {
  add(middleware: Middleware, options: { step: "initialize"; priority: "high"; name: string }): void;
  addRelativeTo(middleware: Middleware, options: { relation: "after"; toMiddleware: string; name: string }): void;
  identify(): string[];
}

/** The stack of `client`, typed for tripwire's middleware. */
export function stackOf(client: AnyClient): MiddlewareStack {
  return client.middlewareStack as unknown as MiddlewareStack;
}

/** Clients that carry the attempt deadline (attempt-deadline.ts marks them as it adds it). */
const withDeadline = new WeakSet<object>();

/** Marks `client` as having the attempt deadline. */
export function markAttemptDeadline(client: AnyClient): void {
  withDeadline.add(client);
}

/**
 * Whether `client` has the attempt deadline: a look-up, where asking the stack (`identify()`)
 * lists and names every middleware (a tenth of a millisecond per client, thousands per sweep).
 */
export function hasAttemptDeadline(client: AnyClient): boolean {
  return withDeadline.has(client);
}

/**
 * Name of the middleware that limits each attempt of a call (attempt-deadline.ts), right after
 * the SDK's retry middleware. An instrument that answers calls itself (the simulation) places
 * its middleware after this one, so the call timeout applies to simulated calls too.
 */
export const ATTEMPT_DEADLINE_MIDDLEWARE = "tripwireAttemptDeadline";

/** Name of the middleware that labels a failed call's error with the call (call-naming.ts). */
export const CALL_NAMING_MIDDLEWARE = "tripwireCallNaming";
