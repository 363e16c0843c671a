/**
 * Why explain (and the notify function) will not explain an alarm. Each message is one line
 * naming the alarm or the account; a refusal reads nothing more and writes nothing.
 */

export type ExplainRefusal =
  /** The account is not a member of the organization (the notify function drops such messages). */
  | "not-a-member"
  /** A member, but not ACTIVE. */
  | "not-active"
  /** A member the configured scope (accounts, excludeAccounts, ou, regions) leaves out. */
  | "out-of-scope"
  /** Not tripwire's alarm, nor on the metric of a covering filter of the account's chain. */
  | "not-covering";

export class ExplainRefusedError extends Error {
  constructor(
    readonly why: ExplainRefusal,
    message: string,
  ) {
    super(message);
    this.name = "ExplainRefusedError";
  }
}
