import {
  type Account,
  DescribeAccountCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  type ListOrganizationalUnitsForParentCommandOutput,
  type OrganizationsClient,
} from "@aws-sdk/client-organizations";
import type { AccountRef } from "../../core/model.ts";

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
 * The accounts in scope as Organizations lists them, page by page, so a large run can start
 * reviewing the first page while the next ones are fetched: the whole organization, or the
 * accounts under an OU (recursively), narrowed by an explicit account list and exclusions.
 * An explicit list of up to 20 accounts is resolved with DescribeAccount instead of paging
 * through the organization.
 */
export async function* accountsInScope(org: OrganizationsClient, scope: AccountScope): AsyncGenerator<AccountRef> {
  const wanted = scope.accounts ? new Set(scope.accounts) : undefined;
  const excluded = new Set(scope.excludeAccounts);
  const pages =
    scope.accounts && !scope.ou && scope.accounts.length <= 20
      ? describeEach(org, scope.accounts)
      : scope.ou
        ? pagesUnderParent(org, scope.ou)
        : allPages(org);
  for await (const page of pages) {
    for (const account of page) {
      const id = account.Id ?? "";
      if ((wanted && !wanted.has(id)) || excluded.has(id)) continue;
      yield { id, name: account.Name ?? "", status: account.Status ?? "UNKNOWN" };
    }
  }
}

/** All accounts in scope at once, split into ACTIVE ones and the others (reported SKIPPED). */
export async function listAccountsInScope(org: OrganizationsClient, scope: AccountScope): Promise<AccountListing> {
  const active: AccountRef[] = [];
  const inactive: AccountRef[] = [];
  for await (const ref of accountsInScope(org, scope)) (ref.status === "ACTIVE" ? active : inactive).push(ref);
  return { active, inactive };
}

async function* describeEach(org: OrganizationsClient, ids: readonly string[]): AsyncGenerator<Account[]> {
  yield await Promise.all(
    ids.map(async (id) => (await org.send(new DescribeAccountCommand({ AccountId: id }))).Account ?? { Id: id }),
  );
}

async function* allPages(org: OrganizationsClient): AsyncGenerator<Account[]> {
  let token: string | undefined;
  do {
    const page = await org.send(new ListAccountsCommand({ NextToken: token, MaxResults: 20 }));
    yield page.Accounts ?? [];
    token = page.NextToken;
  } while (token);
}

async function* pagesUnderParent(org: OrganizationsClient, parentId: string): AsyncGenerator<Account[]> {
  let token: string | undefined;
  do {
    const page = await org.send(
      new ListAccountsForParentCommand({ ParentId: parentId, NextToken: token, MaxResults: 20 }),
    );
    yield page.Accounts ?? [];
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
  for (const child of children) yield* pagesUnderParent(org, child);
}
