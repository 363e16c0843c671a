/**
 * Whether an account is, right now, an ACTIVE member of the caller's organization, and under
 * the configured OU when there is one: DescribeAccount, then ListParents upwards from the
 * account (each account and OU has one parent, and OUs nest at most five deep), a few calls
 * however large the OU, instead of listing the OU per event. Heal asks it of every event's
 * account; the deployed sweep-account of messages too old to take the sweep's listing on trust.
 */
import {
  type Account,
  DescribeAccountCommand,
  ListParentsCommand,
  type OrganizationsClient,
} from "@aws-sdk/client-organizations";
import type { AccountRef } from "../../core/model.ts";

export type Membership =
  | { readonly member: true; readonly account: AccountRef }
  /** The account is not one to touch; `reason` is one line naming it. */
  | {
      readonly member: false;
      readonly why: "not-a-member" | "not-active" | "outside-ou";
      /** The account's status, when it is a member that is not ACTIVE. */
      readonly status?: string;
      readonly reason: string;
    };

/** Asks Organizations; an answer of "no" is a result, a failed call (throttled, denied) throws. */
export async function checkMembership(
  org: OrganizationsClient,
  accountId: string,
  ou: string | undefined,
): Promise<Membership> {
  let account: Account | undefined;
  try {
    account = (await org.send(new DescribeAccountCommand({ AccountId: accountId }))).Account;
  } catch (error) {
    if ((error as Error).name === "AccountNotFoundException") return notMember(accountId);
    throw error;
  }
  if (!account) return notMember(accountId);
  const status = account.Status ?? "UNKNOWN";
  if (status !== "ACTIVE") {
    return {
      member: false,
      why: "not-active",
      status,
      reason: `account ${accountId} is not ACTIVE (status ${status})`,
    };
  }
  if (ou && !(await isUnder(org, accountId, ou))) {
    return { member: false, why: "outside-ou", reason: `account ${accountId} is out of scope: it is not under ${ou}` };
  }
  return { member: true, account: { id: accountId, name: account.Name ?? "", status } };
}

function notMember(accountId: string): Membership {
  return { member: false, why: "not-a-member", reason: `account ${accountId} is not a member of this organization` };
}

async function isUnder(org: OrganizationsClient, accountId: string, ou: string): Promise<boolean> {
  let child = accountId;
  for (let depth = 0; depth < MAX_OU_DEPTH + 1; depth++) {
    const parent = (await org.send(new ListParentsCommand({ ChildId: child }))).Parents?.[0];
    if (!parent?.Id) return false;
    if (parent.Id === ou) return true;
    if (parent.Type === "ROOT") return false;
    child = parent.Id;
  }
  return false;
}

/** AWS Organizations allows OUs five levels deep under the root. */
const MAX_OU_DEPTH = 5;
