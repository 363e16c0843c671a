/**
 * The accounts in scope, as Organizations lists them: the one listing the sweep, prune and
 * the deployed sweep share.
 *  - The whole organization, or the accounts under an OU (recursively), page by page, so a
 *    large run can start reviewing the first page while the next ones are fetched.
 *  - An explicit account list is resolved whole before anything is reviewed: DescribeAccount
 *    for up to 20 ids, else the listing; an id that is not in the organization (or not under
 *    the OU) is refused (UnknownAccountsError), never dropped.
 *  - Each page is retried beyond the SDK's own attempts, with a backoff, when its error is
 *    one a retry can cure (throttling, timeouts, 5xx). When a page still fails, the listing
 *    ends with AccountListingError after the accounts it did list.
 */
import {
  type Account,
  DescribeAccountCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  type ListOrganizationalUnitsForParentCommandOutput,
  type OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { isServerError, isThrottlingError, isTransientError } from "@smithy/core/retry";
import { describeError } from "../../core/describe-error.ts";
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

export interface ListingOptions {
  /** Attempts per page (or per DescribeAccount), each one a whole SDK call with its own retries. Default 3. */
  readonly pageAttempts?: number;
  /** Wait before page retry n (1-based), in ms. Default 1 s, 2 s, 4 s... */
  readonly pageRetryDelayMs?: (retry: number) => number;
}

/** Up to this many explicit ids are resolved with DescribeAccount; more, with the listing. */
const DESCRIBE_EACH_LIMIT = 20;
const DEFAULT_PAGE_ATTEMPTS = 3;
const defaultPageRetryDelayMs = (retry: number) => 1_000 * 2 ** (retry - 1);

/** A page of the listing failed on every attempt: the accounts after it are not known. */
export class AccountListingError extends Error {
  constructor(options: { cause: unknown }) {
    super(`the account listing failed: ${describeError(options.cause)}`, options);
    this.name = "AccountListingError";
  }
}

/** Accounts of an explicit list that are not in the organization (or not under the OU in scope). */
export class UnknownAccountsError extends Error {
  constructor(
    readonly accountIds: readonly string[],
    where: string,
  ) {
    const one = accountIds.length === 1;
    super(
      `${one ? "account" : "accounts"} ${accountIds.join(", ")} ${one ? "is" : "are"} not in ${where}: ` +
        `the account list (--accounts, TRIPWIRE_ACCOUNTS or "accounts") must name accounts of ${where}`,
    );
    this.name = "UnknownAccountsError";
  }
}

/**
 * Opens the listing of the accounts in scope. An explicit list is resolved here, whole, so an
 * unknown id is refused before the caller reviews anything; of the whole organization (or an
 * OU) the first page is read here, the others as the caller iterates. So a listing that cannot
 * start fails here; iteration may end with AccountListingError.
 */
export async function openAccountListing(
  org: OrganizationsClient,
  scope: AccountScope,
  options: ListingOptions = {},
): Promise<AsyncIterable<AccountRef>> {
  const retry = retrying(options);
  const excluded = new Set(scope.excludeAccounts);
  if (scope.accounts) {
    const resolved = await resolveAccounts(org, scope.accounts, scope.ou, retry);
    return fromList(resolved.filter((a) => !excluded.has(a.id)));
  }
  const pages = scope.ou ? pagesUnderParent(org, scope.ou, retry) : allPages(org, retry);
  // The first page is read now: a listing that cannot start (no access, no such OU) fails
  // before the caller reviews anything.
  const first = await pages.next();
  const inScope = (page: readonly Account[]) => page.map(toRef).filter((ref) => !excluded.has(ref.id));
  return (async function* () {
    if (first.done) return;
    yield* inScope(first.value);
    for await (const page of pages) yield* inScope(page);
  })();
}

/** The accounts in scope, one by one (see openAccountListing). */
export async function* accountsInScope(
  org: OrganizationsClient,
  scope: AccountScope,
  options: ListingOptions = {},
): AsyncGenerator<AccountRef> {
  yield* await openAccountListing(org, scope, options);
}

/** All accounts in scope at once, split into ACTIVE ones and the others (reported SKIPPED). */
export async function listAccountsInScope(
  org: OrganizationsClient,
  scope: AccountScope,
  options: ListingOptions = {},
): Promise<AccountListing> {
  const active: AccountRef[] = [];
  const inactive: AccountRef[] = [];
  for await (const ref of accountsInScope(org, scope, options)) (ref.status === "ACTIVE" ? active : inactive).push(ref);
  return { active, inactive };
}

type Retrying = <T>(call: () => Promise<T>) => Promise<T>;

/** Runs a call up to `pageAttempts` times while its error is one a retry can cure. */
function retrying(options: ListingOptions): Retrying {
  const attempts = options.pageAttempts ?? DEFAULT_PAGE_ATTEMPTS;
  const delay = options.pageRetryDelayMs ?? defaultPageRetryDelayMs;
  return async (call) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (attempt >= attempts || !curable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay(attempt)));
      }
    }
  };
}

function curable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Parameters<typeof isTransientError>[0];
  return isThrottlingError(e) || isTransientError(e) || isServerError(e);
}

function toRef(account: Account): AccountRef {
  return { id: account.Id ?? "", name: account.Name ?? "", status: account.Status ?? "UNKNOWN" };
}

async function* fromList(refs: readonly AccountRef[]): AsyncGenerator<AccountRef> {
  yield* refs;
}

async function resolveAccounts(
  org: OrganizationsClient,
  ids: readonly string[],
  ou: string | undefined,
  retry: Retrying,
): Promise<AccountRef[]> {
  const wanted = [...new Set(ids)];
  if (!ou && wanted.length <= DESCRIBE_EACH_LIMIT) {
    const described = await Promise.all(wanted.map((id) => describeAccount(org, id, retry)));
    const unknown = wanted.filter((_, i) => described[i] === undefined);
    if (unknown.length > 0) throw new UnknownAccountsError(unknown, "the organization");
    return described as AccountRef[];
  }
  const found = new Map<string, AccountRef>();
  const wantedSet = new Set(wanted);
  for await (const page of ou ? pagesUnderParent(org, ou, retry) : allPages(org, retry)) {
    for (const account of page) if (wantedSet.has(account.Id ?? "")) found.set(account.Id ?? "", toRef(account));
  }
  const unknown = wanted.filter((id) => !found.has(id));
  if (unknown.length > 0)
    throw new UnknownAccountsError(unknown, ou ? `${ou} (or the OUs under it)` : "the organization");
  return wanted.map((id) => found.get(id) as AccountRef);
}

/** The account, or undefined when Organizations says there is no such account. */
async function describeAccount(org: OrganizationsClient, id: string, retry: Retrying): Promise<AccountRef | undefined> {
  try {
    const out = await retry(() => org.send(new DescribeAccountCommand({ AccountId: id })));
    return toRef(out.Account ?? { Id: id });
  } catch (error) {
    if ((error as Error).name === "AccountNotFoundException") return undefined;
    throw error;
  }
}

/** One page, retried; a page that still fails ends the listing. */
async function page<T>(retry: Retrying, call: () => Promise<T>): Promise<T> {
  try {
    return await retry(call);
  } catch (cause) {
    throw new AccountListingError({ cause });
  }
}

async function* allPages(org: OrganizationsClient, retry: Retrying): AsyncGenerator<Account[]> {
  let token: string | undefined;
  do {
    const NextToken = token;
    const out = await page(retry, () => org.send(new ListAccountsCommand({ NextToken, MaxResults: 20 })));
    yield out.Accounts ?? [];
    token = out.NextToken;
  } while (token);
}

async function* pagesUnderParent(
  org: OrganizationsClient,
  parentId: string,
  retry: Retrying,
): AsyncGenerator<Account[]> {
  let token: string | undefined;
  do {
    const NextToken = token;
    const out = await page(retry, () =>
      org.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken, MaxResults: 20 })),
    );
    yield out.Accounts ?? [];
    token = out.NextToken;
  } while (token);
  const children: string[] = [];
  token = undefined;
  do {
    const NextToken = token;
    const out: ListOrganizationalUnitsForParentCommandOutput = await page(retry, () =>
      org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken, MaxResults: 20 })),
    );
    children.push(...(out.OrganizationalUnits ?? []).map((ou) => ou.Id ?? "").filter(Boolean));
    token = out.NextToken;
  } while (token);
  for (const child of children) yield* pagesUnderParent(org, child, retry);
}
