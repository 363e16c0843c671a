/**
 * The heal use case, behind the `heal` function and `tripwire heal --event`:
 *  1. Validate the event (shape, a drift event); a bad one is refused.
 *  2. Ignore what changes nothing or what tripwire caused itself (no loops): failed calls,
 *     sessions of tripwire's own roles, told by their full ARN (never by a session name).
 *  3. Check the scope without AWS: the region and the account lists of the settings; an
 *     account with an exemption in force is ignored (nothing is written in it).
 *  4. Check with Organizations that the account is an ACTIVE member (and under the OU).
 *  5. Review the account for that region only: a change to the chain is repaired
 *     (observe → plan → apply), a change to the trail is re-evaluated and reported.
 * Refusals come back as a `refused` outcome and write nothing; only unexpected failures
 * (Organizations unreachable, ...) throw.
 */
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import { checkMembership } from "../adapters/organization/membership-reader.ts";
import type { Settings } from "../config/settings.ts";
import {
  AccountNotActiveError,
  AccountOutOfScopeError,
  HealRefusedError,
  NotOrganizationMemberError,
} from "../core/drift/heal-errors.ts";
import { mayBeOwnSession, ownSessionReason } from "../core/drift/own-sessions.ts";
import { assertRegionInScope, type DriftEvent, parseDriftEvent } from "../core/drift/parse-drift-event.ts";
import { exemptionOf } from "../core/exemptions.ts";
import type { AccountRef, AccountResult } from "../core/model.ts";
import { runModeOf } from "../core/run-mode.ts";
import { ControlRun } from "./review/control-run.ts";

export interface HealDeps {
  readonly factory: ClientFactory;
  readonly settings: Settings;
  readonly now?: () => Date;
}

export type HealOutcome =
  | {
      readonly status: "refused";
      readonly reason: string;
      readonly error: HealRefusedError;
      readonly event?: DriftEvent;
    }
  | { readonly status: "ignored"; readonly reason: string; readonly event: DriftEvent }
  | {
      /**
       * healed: writes applied; unchanged: nothing needed doing; planned: dry-run, writes
       * listed only; reported: a trail event, judged and not changed; failed: the review
       * ended in ERROR (role not assumable, a write refused).
       */
      readonly status: "healed" | "unchanged" | "planned" | "reported" | "failed";
      readonly reason: string;
      readonly event: DriftEvent;
      readonly account: AccountRef;
      readonly result: AccountResult;
      /** From the call (CloudTrail eventTime) to the end of the heal. */
      readonly latencyMs: number;
    };

export async function healFromEvent(raw: unknown, deps: HealDeps): Promise<HealOutcome> {
  const { settings } = deps;
  const now = deps.now ?? (() => new Date());
  let event: DriftEvent | undefined;
  try {
    event = parseDriftEvent(raw);
    if (event.errorCode) {
      return { status: "ignored", reason: `the call failed (${event.errorCode}): nothing changed`, event };
    }
    const own = await ownSession(event, deps);
    if (own) return { status: "ignored", reason: own, event };
    assertRegionInScope(event, settings.regions);
    assertAccountListed(event.account, settings);
    const exemption = exemptionOf(settings.exemptions, event.account, now());
    if (exemption?.state === "active") {
      const e = exemption.exemption;
      const reason = `account ${e.account} is exempt through ${e.expires} (owner ${e.owner}: ${e.reason}): tripwire writes nothing in it`;
      return { status: "ignored", reason, event };
    }
    const account = await resolveMember(deps.factory.organizations(), event.account, settings.ou);

    const run = new ControlRun(
      deps.factory,
      settings,
      runModeOf(event.kind === "repair" ? "fix" : "scan", settings.dryRun),
      { now },
    );
    const result = await run.reviewAccount(account, { region: event.region, chainOnly: event.kind === "repair" });
    const latencyMs = Math.max(0, now().getTime() - event.eventTime.getTime());
    return { ...judge(event, result), event, account, result, latencyMs };
  } catch (error) {
    if (error instanceof HealRefusedError) {
      return { status: "refused", reason: error.message, error, ...(event ? { event } : {}) };
    }
    throw error;
  }
}

/**
 * Why the event is tripwire's own, by the issuing role's full ARN (core/drift/own-sessions.ts).
 * Who tripwire is (the security account) is asked only for a role of one of tripwire's role
 * names; a function knows it from its invocation context, without a call.
 */
async function ownSession(event: DriftEvent, deps: HealDeps): Promise<string | undefined> {
  if (!mayBeOwnSession(event.actor, deps.settings)) return undefined;
  const caller = await deps.factory.callerIdentity();
  return ownSessionReason(event.actor, deps.settings, caller, event.account);
}

function judge(
  event: DriftEvent,
  result: AccountResult,
): { status: "healed" | "unchanged" | "planned" | "reported" | "failed"; reason: string } {
  const what = `${event.eventSource.split(".")[0]}:${event.eventName} in ${event.account} ${event.region}`;
  if (result.status === "ERROR") return { status: "failed", reason: `${what}: ${result.error ?? "review failed"}` };
  if (event.kind === "report")
    return { status: "reported", reason: `${what}: trail change re-evaluated, account ${result.status}` };
  const applied = result.actions.filter((a) => a.applied).length;
  if (applied > 0)
    return { status: "healed", reason: `${what}: ${applied} write(s) applied, account ${result.status}` };
  if (result.actions.length > 0)
    return { status: "planned", reason: `${what}: ${result.actions.length} write(s) planned (dry run)` };
  return { status: "unchanged", reason: `${what}: nothing to repair, account ${result.status}` };
}

function assertAccountListed(accountId: string, scope: Pick<Settings, "accounts" | "excludeAccounts">): void {
  if (scope.excludeAccounts.includes(accountId)) throw new AccountOutOfScopeError(accountId, "it is excluded");
  if (scope.accounts && !scope.accounts.includes(accountId)) {
    throw new AccountOutOfScopeError(accountId, "it is not in the configured account list");
  }
}

/** The account as Organizations knows it; refuses a stranger, an inactive member, or one outside the OU. */
async function resolveMember(org: OrganizationsClient, accountId: string, ou: string | undefined): Promise<AccountRef> {
  const membership = await checkMembership(org, accountId, ou);
  if (membership.member) return membership.account;
  switch (membership.why) {
    case "not-a-member":
      throw new NotOrganizationMemberError(accountId);
    case "not-active":
      throw new AccountNotActiveError(accountId, membership.status ?? "UNKNOWN");
    case "outside-ou":
      throw new AccountOutOfScopeError(accountId, `it is not under ${ou}`);
  }
}
