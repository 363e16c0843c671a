/**
 * "Members wait for the owner", one mechanism for the CLI and the deployed sweep alike: the
 * account that owns organization trails (the management account) is reviewed, and in a fix
 * repaired, before any member is, so members that follow its chain are judged on the chain as
 * it stands after its fix. The CLI then streams the members into its review pool; the
 * deployed sweep enqueues them.
 */
import { DescribeOrganizationCommand } from "@aws-sdk/client-organizations";
import type { Settings } from "../../config/settings.ts";
import type { AccountResult } from "../../core/model.ts";
import type { ControlRun } from "./control-run.ts";

export interface OwnerReview {
  readonly organizationId: string;
  readonly managementAccountId?: string;
  /** The owner's review, when the management account is in scope. */
  readonly owner?: AccountResult;
}

/** Whether the settings' scope takes in the account before Organizations is asked (an OU scope reviews it when listed). */
export function ownerInScope(
  settings: Pick<Settings, "ou" | "excludeAccounts" | "accounts">,
  accountId: string,
): boolean {
  return (
    !settings.ou &&
    !settings.excludeAccounts.includes(accountId) &&
    (!settings.accounts || settings.accounts.includes(accountId))
  );
}

/** The caller's organization is not the one this deployment was configured for. */
export class OrganizationMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`this deployment is configured for organization ${expected}, but the caller is in ${actual}`);
    this.name = "OrganizationMismatchError";
  }
}

/**
 * Asks Organizations which account is the management account and reviews it first. With
 * `expectedOrganizationId` (a deployment's), another organization is refused before any read
 * of an account.
 */
export async function reviewOwnerFirst(run: ControlRun, expectedOrganizationId?: string): Promise<OwnerReview> {
  const out = await run.factory.organizations().send(new DescribeOrganizationCommand({}));
  const organizationId = out.Organization?.Id ?? "";
  if (expectedOrganizationId && organizationId !== expectedOrganizationId) {
    throw new OrganizationMismatchError(expectedOrganizationId, organizationId);
  }
  const managementAccountId = out.Organization?.MasterAccountId;
  if (!managementAccountId || !ownerInScope(run.settings, managementAccountId))
    return { organizationId, managementAccountId };
  // Its name comes with its page of the listing.
  const owner = await run.reviewAccount({ id: managementAccountId, name: "", status: "ACTIVE" });
  return { organizationId, managementAccountId, owner };
}
