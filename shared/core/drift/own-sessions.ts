/**
 * Loop prevention, by full role ARN, never by a name: tripwire's own writes raise the very
 * events the heal listens to. A session is tripwire's when the role that issued it (CloudTrail's
 * `userIdentity.sessionContext.sessionIssuer.arn`) is
 *  - one of the function roles of the security account, the account tripwire runs in:
 *    `arn:<partition>:iam::<security account>:role/<prefix>-{sweep,sweep-account,heal,notify,prove}-role`
 *    (notify and prove only read, but their roles are tripwire's like the others);
 *  - the member role in the event's own account, `arn:<partition>:iam::<account>:role/<roleName>`,
 *    only when that role is dedicated to tripwire (setting `dedicatedRole`: the member stack's
 *    role, which trusts tripwire's function roles alone).
 * A session name proves nothing: whoever may assume a role chooses the session's name, and a
 * member account can create a role of any name. On a role people assume too
 * (OrganizationAccountAccessRole), tripwire's own event is handled like anyone's: a heal that
 * finds nothing missing writes nothing, so no loop follows.
 */
import type { DriftActor } from "./parse-drift-event.ts";

export type FunctionName = "sweep" | "sweep-account" | "heal" | "notify" | "prove";
export const FUNCTION_NAMES: readonly FunctionName[] = ["sweep", "sweep-account", "heal", "notify", "prove"];

/** Name of a function's execution role in the security account (serverless.yml uses the same). */
export function functionRoleName(prefix: string, fn: FunctionName): string {
  return `${prefix}-${fn}-role`;
}

export interface OwnSessionRules {
  readonly prefix: string;
  /** The role tripwire assumes in member accounts. */
  readonly roleName: string;
  /** The member role trusts only tripwire's function roles (the member stack's role). */
  readonly dedicatedRole: boolean;
}

/** The account tripwire runs in (the client factory's caller). */
export interface SecurityAccount {
  readonly accountId: string;
  readonly partition: string;
}

/** The roles whose sessions are tripwire's in an event of `eventAccount`. */
export function ownRoleArns(rules: OwnSessionRules, security: SecurityAccount, eventAccount: string): string[] {
  const functionRoles = FUNCTION_NAMES.map(
    (fn) => `arn:${security.partition}:iam::${security.accountId}:role/${functionRoleName(rules.prefix, fn)}`,
  );
  return rules.dedicatedRole
    ? [...functionRoles, `arn:${security.partition}:iam::${eventAccount}:role/${rules.roleName}`]
    : functionRoles;
}

/**
 * Whether the issuing role has one of the names of tripwire's roles: only then does its ARN
 * need comparing, and tripwire's own account knowing (no call for anyone else's event).
 */
export function mayBeOwnSession(actor: DriftActor, rules: OwnSessionRules): boolean {
  if (actor.type !== "AssumedRole" || !actor.issuerArn) return false;
  const name = actor.issuerArn.split("/").pop() ?? "";
  return (
    FUNCTION_NAMES.some((fn) => functionRoleName(rules.prefix, fn) === name) ||
    (rules.dedicatedRole && name === rules.roleName)
  );
}

/** Why the actor is tripwire itself, or undefined when it is anyone else. */
export function ownSessionReason(
  actor: DriftActor,
  rules: OwnSessionRules,
  security: SecurityAccount,
  eventAccount: string,
): string | undefined {
  if (actor.type !== "AssumedRole" || !actor.issuerArn) return undefined;
  if (!ownRoleArns(rules, security, eventAccount).includes(actor.issuerArn)) return undefined;
  return `caused by tripwire's own role ${actor.issuerArn}${actor.sessionName ? ` (session ${actor.sessionName})` : ""}`;
}
