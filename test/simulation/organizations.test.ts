import {
  DescribeAccountCommand,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListChildrenCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  paginateListAccounts,
} from "@aws-sdk/client-organizations";
import { describe, expect, it } from "vitest";
import { createSimulatedOrganization } from "../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../support/simulation-harness.ts";

describe("simulated Organizations", () => {
  it("pages ListAccounts 20 at a time over 45 members and the management account", async () => {
    const org = createSimulatedOrganization();
    for (let i = 0; i < 45; i++) org.addAccount({ name: `member-${i}` });
    const client = factoryFor(org).organizations();

    const pageSizes: number[] = [];
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client }, {})) {
      pageSizes.push(page.Accounts?.length ?? 0);
      ids.push(...(page.Accounts ?? []).map((a) => a.Id ?? ""));
    }

    expect(pageSizes).toEqual([20, 20, 6]);
    expect(new Set(ids).size).toBe(46);
    expect(ids).toContain(org.managementAccountId);
  });

  it("rejects MaxResults above 20 with InvalidInputException", async () => {
    const org = createSimulatedOrganization();
    const client = factoryFor(org).organizations();

    const error = await rejectionOf(client.send(new ListAccountsCommand({ MaxResults: 21 })));

    expect(error.name).toBe("InvalidInputException");
  });

  it("returns account fields with status, ARN and join time", async () => {
    const org = createSimulatedOrganization({ organizationId: "o-abcdefghij" });
    const member = org.addAccount({ id: "222222222222", name: "suspended one", status: "SUSPENDED" });
    const client = factoryFor(org).organizations();

    const out = await client.send(new DescribeAccountCommand({ AccountId: member.id }));

    expect(out.Account).toMatchObject({
      Id: "222222222222",
      Name: "suspended one",
      Status: "SUSPENDED",
      Arn: `arn:aws:organizations::111111111111:account/o-abcdefghij/222222222222`,
    });
    expect(out.Account?.JoinedTimestamp).toBeInstanceOf(Date);
  });

  it("answers DescribeAccount for an unknown id with AccountNotFoundException", async () => {
    const org = createSimulatedOrganization();
    const client = factoryFor(org).organizations();

    const error = await rejectionOf(client.send(new DescribeAccountCommand({ AccountId: "999999999999" })));

    expect(error.name).toBe("AccountNotFoundException");
  });

  it("refuses ListAccounts from a member account with AccessDeniedException", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const client = factoryFor(org, { callerAccountId: member.id, maxAttempts: 1 }).organizations();

    const error = await rejectionOf(client.send(new ListAccountsCommand({})));

    expect(error.name).toBe("AccessDeniedException");
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it("lets a member describe its organization", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const client = factoryFor(org, { callerAccountId: member.id }).organizations();

    const out = await client.send(new DescribeOrganizationCommand({}));

    expect(out.Organization?.MasterAccountId).toBe(org.managementAccountId);
  });

  it("walks the tree: root, OUs and the accounts under each", async () => {
    const org = createSimulatedOrganization();
    const workloads = org.addOrganizationalUnit({ name: "Workloads" });
    const prod = org.addOrganizationalUnit({ name: "Prod", parentId: workloads.id });
    const app = org.addAccount({ name: "app", parentId: prod.id });
    const client = factoryFor(org).organizations();

    const roots = await client.send(new ListRootsCommand({}));
    const rootId = roots.Roots?.[0]?.Id ?? "";
    const ous = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: rootId }));
    const nested = await client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: workloads.id }));
    const accounts = await client.send(new ListChildrenCommand({ ParentId: prod.id, ChildType: "ACCOUNT" }));

    expect(rootId).toBe(org.rootId);
    expect(ous.OrganizationalUnits?.map((o) => o.Name)).toEqual(["Workloads"]);
    expect(nested.OrganizationalUnits?.map((o) => o.Id)).toEqual([prod.id]);
    expect(accounts.Children).toEqual([{ Id: app.id, Type: "ACCOUNT" }]);
  });

  it("answers an unknown parent with ParentNotFoundException", async () => {
    const org = createSimulatedOrganization();
    const client = factoryFor(org).organizations();

    const error = await rejectionOf(
      client.send(new ListChildrenCommand({ ParentId: "ou-none-00000000", ChildType: "ACCOUNT" })),
    );

    expect(error.name).toBe("ParentNotFoundException");
  });
});
