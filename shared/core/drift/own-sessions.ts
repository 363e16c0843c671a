/**
 * Loop prevention: tripwire's own writes raise the very events the heal listens to. Its
 * sessions are recognisable: the member role assumed with a session named `${prefix}-<purpose>`
 * (see the client factory), or a function role of the central stack acting in its own account.
 */
import type { DriftActor } from "./parse-drift-event.ts";

export type FunctionName = "sweep" | "sweep-account" | "heal";
export const FUNCTION_NAMES: readonly FunctionName[] = ["sweep", "sweep-account", "heal"];

/** Name of a function's execution role in the security account (serverless.yml uses the same). */
export function functionRoleName(prefix: string, fn: FunctionName): string {
  return `${prefix}-${fn}-role`;
}

export interface OwnSessionRules {
  readonly prefix: string;
  /** The role tripwire assumes in member accounts. */
  readonly roleName: string;
}

/** Why the actor is tripwire itself, or undefined when it is someone else. */
export function ownSessionReason(actor: DriftActor, rules: OwnSessionRules): string | undefined {
  if (actor.type !== "AssumedRole") return undefined;
  if (actor.roleName === rules.roleName && actor.sessionName?.startsWith(`${rules.prefix}-`)) {
    return `caused by tripwire's own session ${actor.roleName}/${actor.sessionName}`;
  }
  const own = FUNCTION_NAMES.map((fn) => functionRoleName(rules.prefix, fn));
  if (actor.issuerRoleName && own.includes(actor.issuerRoleName)) {
    return `caused by tripwire's function role ${actor.issuerRoleName}`;
  }
  return undefined;
}
