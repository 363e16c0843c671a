/**
 * Why the heal refuses an event. One class per reason; each message is one line and names
 * the account when the account is the reason. A refused event causes no write.
 */

/** Base of every refusal, so callers can tell a refusal from a failure. */
export class HealRefusedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HealRefusedError";
  }
}

/** The event is not an EventBridge envelope of a CloudTrail API call as AWS delivers it. */
export class MalformedEventError extends HealRefusedError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`malformed event: ${message}`, options);
    this.name = "MalformedEventError";
  }
}

/** A well-formed CloudTrail event, but not one of the drift events tripwire heals. */
export class NotADriftEventError extends HealRefusedError {
  constructor(
    readonly eventSource: string,
    readonly eventName: string,
  ) {
    super(`not a drift event: ${eventSource} ${eventName} is not one of the calls tripwire heals`);
    this.name = "NotADriftEventError";
  }
}

/** The call was made in a region outside the configured regions. */
export class RegionOutOfScopeError extends HealRefusedError {
  constructor(
    readonly region: string,
    readonly regions: readonly string[],
  ) {
    super(`region ${region} is not in scope (regions: ${regions.join(", ")})`);
    this.name = "RegionOutOfScopeError";
  }
}

/** The account is not a member of the caller's organization. */
export class NotOrganizationMemberError extends HealRefusedError {
  constructor(
    readonly accountId: string,
    options?: { cause?: unknown },
  ) {
    super(`account ${accountId} is not a member of this organization`, options);
    this.name = "NotOrganizationMemberError";
  }
}

/** The account is a member, but not ACTIVE (suspended, pending closure). */
export class AccountNotActiveError extends HealRefusedError {
  constructor(
    readonly accountId: string,
    readonly status: string,
  ) {
    super(`account ${accountId} is not ACTIVE (status ${status})`);
    this.name = "AccountNotActiveError";
  }
}

/** The account is a member, but the configured scope (accounts, exclusions, OU) leaves it out. */
export class AccountOutOfScopeError extends HealRefusedError {
  constructor(
    readonly accountId: string,
    why: string,
  ) {
    super(`account ${accountId} is out of scope: ${why}`);
    this.name = "AccountOutOfScopeError";
  }
}
