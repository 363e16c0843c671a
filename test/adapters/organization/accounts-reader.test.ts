/** The one account listing of the sweep, prune and the deployed sweep (issue 8, item 3). */
import { describe, expect, it } from "vitest";
import {
  AccountListingError,
  accountsInScope,
  listAccountsInScope,
  openAccountListing,
  UnknownAccountsError,
} from "../../../shared/adapters/organization/accounts-reader.ts";
import { describeError } from "../../../shared/core/describe-error.ts";
import type { AccountRef } from "../../../shared/core/model.ts";
import {
  createSimulatedOrganization,
  type SimulatedOrganization,
  throttlingError,
} from "../../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../../support/simulation-harness.ts";

const FAST = { pageRetryDelayMs: () => 1 };

function organizationOf(members: number): SimulatedOrganization {
  const org = createSimulatedOrganization({ regions: ["us-east-1"] });
  for (let i = 0; i < members; i++) org.addAccount({ name: `member-${i}` });
  return org;
}

/** Every page after the first is throttled, however often it is asked for. */
function throttleLaterPages(org: SimulatedOrganization): void {
  org.setBeforeCall((call) => {
    if (call.operation === "ListAccounts" && call.input.NextToken) throw throttlingError("organizations");
  });
}

async function collect(source: AsyncIterable<AccountRef>, into: AccountRef[]): Promise<void> {
  for await (const account of source) into.push(account);
}

describe("listing the organization", () => {
  it("retries a throttled page beyond the SDK's own attempts", async () => {
    const org = organizationOf(3);
    // Two SDK attempts per page: the first page attempt fails whole, the second one's retry answers.
    org.faults.throttle({ operation: "ListAccounts", times: 3 });
    const client = factoryFor(org, { maxAttempts: 2 }).organizations();

    const listing = await listAccountsInScope(client, { excludeAccounts: [] }, FAST);

    expect(listing.active).toHaveLength(4);
  });

  it("waits the given backoff before each page retry", async () => {
    const org = organizationOf(1);
    org.faults.throttle({ operation: "ListAccounts", times: 2 });
    const waits: number[] = [];
    const client = factoryFor(org, { maxAttempts: 1 }).organizations();

    const pageRetryDelayMs = (retry: number) => {
      waits.push(retry);
      return 1;
    };

    await listAccountsInScope(client, { excludeAccounts: [] }, { pageRetryDelayMs });

    expect(waits).toEqual([1, 2]);
  });

  it("ends with AccountListingError naming ListAccounts, after the accounts it did list", async () => {
    const org = organizationOf(24);
    throttleLaterPages(org);
    const client = factoryFor(org, { maxAttempts: 2 }).organizations();
    const listed: AccountRef[] = [];

    const error = await rejectionOf(collect(accountsInScope(client, { excludeAccounts: [] }, FAST), listed));

    expect(error).toBeInstanceOf(AccountListingError);
    expect(error.message).toBe(
      "the account listing failed: ListAccounts (organizations us-east-1): TooManyRequestsException: Rate exceeded",
    );
    expect(listed).toHaveLength(20);
  });

  it("asks for the failing page three times, each with the SDK's retries", async () => {
    const org = organizationOf(24);
    throttleLaterPages(org);
    const client = factoryFor(org, { maxAttempts: 2 }).organizations();

    await rejectionOf(collect(accountsInScope(client, { excludeAccounts: [] }, FAST), []));

    expect(org.calls.count({ operation: "ListAccounts", throttled: true })).toBe(6);
  });

  it("does not retry a page refused for good", async () => {
    const org = organizationOf(1);
    org.faults.fail({ operation: "ListAccounts", error: { name: "AccessDeniedException", message: "no" } });
    const client = factoryFor(org, { maxAttempts: 3 }).organizations();

    await rejectionOf(listAccountsInScope(client, { excludeAccounts: [] }, FAST));

    expect(org.calls.count({ operation: "ListAccounts" })).toBe(1);
  });
});

describe("an explicit account list", () => {
  it("refuses an id that is not in the organization among 5, naming it, before anything is listed", async () => {
    const org = organizationOf(4);
    const ids = [...org.accountIds(), "999999999999"];
    const client = factoryFor(org).organizations();

    const error = await rejectionOf(openAccountListing(client, { accounts: ids, excludeAccounts: [] }, FAST));

    expect(error).toBeInstanceOf(UnknownAccountsError);
    expect(error.message).toBe(
      'account 999999999999 is not in the organization: the account list (--accounts, TRIPWIRE_ACCOUNTS or "accounts") must name accounts of the organization',
    );
  });

  it("refuses an id that is not in the organization among 26 (resolved by the listing)", async () => {
    const org = organizationOf(24);
    const ids = [...org.accountIds(), "999999999999"];
    const client = factoryFor(org).organizations();

    const error = await rejectionOf(openAccountListing(client, { accounts: ids, excludeAccounts: [] }, FAST));

    expect(error.message).toMatch(/^account 999999999999 is not in the organization/);
    expect(org.calls.count({ operation: "DescribeAccount" })).toBe(0);
  });

  it("names every unknown id in one line", async () => {
    const org = organizationOf(1);
    const client = factoryFor(org).organizations();

    const error = await rejectionOf(
      openAccountListing(client, { accounts: ["999999999998", "999999999999"], excludeAccounts: [] }, FAST),
    );

    expect(error.message).toMatch(/^accounts 999999999998, 999999999999 are not in the organization/);
  });

  it("refuses an id of the organization that is not under the OU in scope", async () => {
    const org = organizationOf(0);
    const ou = org.addOrganizationalUnit({ name: "workloads" });
    const inside = org.addAccount({ name: "inside", parentId: ou.id });
    const outside = org.addAccount({ name: "outside" });
    const client = factoryFor(org).organizations();

    const error = await rejectionOf(
      openAccountListing(client, { accounts: [inside.id, outside.id], ou: ou.id, excludeAccounts: [] }, FAST),
    );

    expect(error.message).toMatch(new RegExp(`^account ${outside.id} is not in ${ou.id} \\(or the OUs under it\\)`));
  });

  it("lists the accounts given, once each, in the order given, without the excluded ones", async () => {
    const org = organizationOf(3);
    const [a, b, c] = org.accountIds().slice(1);
    const client = factoryFor(org).organizations();

    const listing = await listAccountsInScope(
      client,
      { accounts: [c as string, a as string, c as string, b as string], excludeAccounts: [b as string] },
      FAST,
    );

    expect(listing.active.map((x) => x.id)).toEqual([c, a]);
  });

  it("retries a throttled DescribeAccount", async () => {
    const org = organizationOf(1);
    org.faults.throttle({ operation: "DescribeAccount", times: 1 });
    const client = factoryFor(org, { maxAttempts: 1 }).organizations();

    const listing = await listAccountsInScope(client, { accounts: org.accountIds(), excludeAccounts: [] }, FAST);

    expect(listing.active).toHaveLength(2);
  });

  it("names the listing call when the listing that resolves a long list fails", async () => {
    const org = organizationOf(24);
    throttleLaterPages(org);
    const client = factoryFor(org, { maxAttempts: 1 }).organizations();

    const error = await rejectionOf(
      openAccountListing(client, { accounts: org.accountIds().slice(0, 21), excludeAccounts: [] }, FAST),
    );

    expect(describeError(error)).toMatch(/^AccountListingError: the account listing failed: ListAccounts \(/);
  });
});
