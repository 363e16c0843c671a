/** Every account ends the run with a status, whatever the listing does (issue 8, item 3). */
import { DescribeOrganizationCommand, ListAccountsCommand } from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { UnknownAccountsError } from "../../shared/adapters/organization/accounts-reader.ts";
import { exitCodeOf } from "../../shared/core/report.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import { type SimulatedOrganization, throttlingError } from "../../shared/simulation/index.ts";
import { runSweep } from "../../shared/use-cases/sweep.ts";
import {
  HOME,
  newOrganization,
  SQS_NOTIFY,
  scenarios,
  settingsFor,
  sweep,
  writeCalls,
} from "../support/integration-harness.ts";
import { rejectionOf } from "../support/simulation-harness.ts";

let org: SimulatedOrganization;

beforeEach(() => {
  org = newOrganization();
});

function addMembers(n: number): string[] {
  return Array.from({ length: n }, (_, i) => org.addAccount({ name: `member-${i}` }).id);
}

/** ListAccounts pages after the first are throttled, however often they are asked for. */
function throttleLaterPages(): void {
  org.setBeforeCall((call) => {
    if (call.operation === "ListAccounts" && call.input.NextToken) throw throttlingError("organizations");
  });
}

describe("a listing that stops for good", () => {
  it("finishes the accounts it listed, each with a status", async () => {
    addMembers(24);
    throttleLaterPages();

    const report = await sweep(org, "scan", { maxAttempts: "2" });

    expect(report.accounts).toHaveLength(20);
    expect(report.accounts.filter((a) => !a.status)).toEqual([]);
  });

  it("says the listing is incomplete, naming the call that failed", async () => {
    addMembers(24);
    throttleLaterPages();

    const report = await sweep(org, "scan", { maxAttempts: "2" });

    expect(report.listing).toEqual({
      complete: false,
      error:
        "the account listing failed: ListAccounts (organizations us-east-1): TooManyRequestsException: Rate exceeded",
    });
  });

  it("makes the run's exit code 1 even when every listed account is compliant", async () => {
    for (const id of addMembers(24)) scenarios.compliantV12(org.account(id), HOME);
    scenarios.compliantV12(org.account(org.managementAccountId), HOME);
    throttleLaterPages();

    const report = await sweep(org, "scan", { maxAttempts: "2" });

    expect(report.summary.COMPLIANT).toBe(20);
    expect(exitCodeOf(report)).toBe(1);
  });

  it("stops the run before any review when the first page fails", async () => {
    scenarios.compliantV12(org.account(org.managementAccountId), HOME);
    org.faults.throttle({ operation: "ListAccounts", times: 1_000 });

    const error = await rejectionOf(sweep(org, "scan", { maxAttempts: "1" }));

    expect(error.name).toBe("AccountListingError");
    expect(org.calls.count({ operation: "DescribeTrails" })).toBe(0);
  });

  it("stops the run before any review when the OU cannot be listed", async () => {
    const ou = org.addOrganizationalUnit({ name: "workloads" });
    org.addAccount({ name: "m", parentId: ou.id });
    org.faults.throttle({ operation: "ListAccountsForParent", times: 1_000 });

    const error = await rejectionOf(sweep(org, "scan", { maxAttempts: "1", ou: ou.id }));

    expect(error.name).toBe("AccountListingError");
  });

  it("reports the management account, reviewed first, when the page that would list it fails", async () => {
    // The simulation lists the management account first; AWS promises no order. Organizations
    // answers from a mock here: members on the first page, then a failing second page.
    scenarios.compliantV12(org.account(org.managementAccountId), HOME);
    const members = addMembers(2);
    const settings = settingsFor({ maxAttempts: "1" });
    const factory = simulatedFactory(org, settings);
    const organizations = mockClient(factory.organizations());
    organizations.on(DescribeOrganizationCommand).resolves({
      Organization: { Id: org.organizationId, MasterAccountId: org.managementAccountId },
    });
    organizations
      .on(ListAccountsCommand)
      .resolvesOnce({ Accounts: members.map((Id) => ({ Id, Name: Id, Status: "ACTIVE" })), NextToken: "2" })
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" }));

    const report = await runSweep({ mode: "scan", settings, factory });

    expect(report.accounts.find((a) => a.accountId === org.managementAccountId)?.status).toBe("COMPLIANT");
  });

  it("says the listing is complete when it is", async () => {
    addMembers(21);
    expect((await sweep(org, "scan")).listing).toEqual({ complete: true });
  });
});

describe("an explicit account list with an id outside the organization", () => {
  it.each([5, 25])("stops a fix of %i accounts before any review, writing nothing", async (n) => {
    const ids = addMembers(n);
    for (const id of ids) scenarios.bareAccount(org.account(id), HOME);
    const settings = settingsFor({ accounts: [...ids, "999999999999"].join(","), notify: [SQS_NOTIFY] });

    const error = await rejectionOf(runSweep({ mode: "fix", settings, factory: simulatedFactory(org, settings) }));

    expect(error).toBeInstanceOf(UnknownAccountsError);
    expect(org.calls.count({ operation: "AssumeRole" })).toBe(0);
    expect(writeCalls(org)).toEqual([]);
  });
});
