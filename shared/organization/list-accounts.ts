import {
  DescribeAccountCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  type Account,
  type ListOrganizationalUnitsForParentCommandOutput,
  type OrganizationsClient,
} from "@aws-sdk/client-organizations";
import type { AccountRef } from "../control/model.ts";

export interface AccountScope {
  readonly accounts?: readonly string[];
  readonly excludeAccounts: readonly string[];
  readonly ou?: string;
}

export interface AccountListing {
  /** ACTIVE accounts in scope, in the order Organizations listed them. */
  readonly active: readonly AccountRef[];
  /** In-scope accounts that are not ACTIVE (suspended, pending closure): reported SKIPPED. */
  readonly inactive: readonly AccountRef[];
}

/**
 * Lists the accounts in scope: the whole organization (paginated), or the accounts under an
 * OU (recursively), narrowed by an explicit account list and exclusions. An explicit account
 * list is resolved with DescribeAccount when it is short, so a small run does not page
 * through thousands of accounts.
 */
export async function listAccountsInScope(org: OrganizationsClient, scope: AccountScope): Promise<AccountListing> {
  let listed: Account[];
  if (scope.accounts && !scope.ou && scope.accounts.length <= 20) {
    listed = await Promise.all(
      scope.accounts.map(async (id) => (await org.send(new DescribeAccountCommand({ AccountId: id }))).Account ?? { Id: id }),
    );
  } else if (scope.ou) {
    listed = await listUnderParent(org, scope.ou);
  } else {
    listed = await listAll(org);
  }
  const wanted = scope.accounts ? new Set(scope.accounts) : undefined;
  const excluded = new Set(scope.excludeAccounts);
  const active: AccountRef[] = [];
  const inactive: AccountRef[] = [];
  for (const account of listed) {
    const id = account.Id ?? "";
    if ((wanted && !wanted.has(id)) || excluded.has(id)) continue;
    const ref: AccountRef = { id, name: account.Name ?? "", status: account.Status ?? "UNKNOWN" };
    (ref.status === "ACTIVE" ? active : inactive).push(ref);
  }
  return { active, inactive };
}

async function listAll(org: OrganizationsClient): Promise<Account[]> {
  const accounts: Account[] = [];
  let token: string | undefined;
  do {
    const page = await org.send(new ListAccountsCommand({ NextToken: token, MaxResults: 20 }));
    accounts.push(...(page.Accounts ?? []));
    token = page.NextToken;
  } while (token);
  return accounts;
}

async function listUnderParent(org: OrganizationsClient, parentId: string): Promise<Account[]> {
  const accounts: Account[] = [];
  let token: string | undefined;
  do {
    const page = await org.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken: token, MaxResults: 20 }));
    accounts.push(...(page.Accounts ?? []));
    token = page.NextToken;
  } while (token);
  const children: string[] = [];
  token = undefined;
  do {
    const page: ListOrganizationalUnitsForParentCommandOutput = await org.send(
      new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken: token, MaxResults: 20 }),
    );
    children.push(...(page.OrganizationalUnits ?? []).map((ou) => ou.Id ?? "").filter(Boolean));
    token = page.NextToken;
  } while (token);
  for (const child of await Promise.all(children.map((id) => listUnderParent(org, id)))) accounts.push(...child);
  return accounts;
}
