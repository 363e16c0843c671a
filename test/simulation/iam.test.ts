import { GetRoleCommand } from "@aws-sdk/client-iam";
import { describe, expect, it } from "vitest";
import { createSimulatedOrganization, ORGANIZATION_ACCESS_ROLE } from "../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../support/simulation-harness.ts";

describe("simulated IAM", () => {
  it("returns a role the account has", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "a" });
    const clients = await factoryFor(org).forAccount(member.id);

    const out = await clients.iam("us-east-1").send(new GetRoleCommand({ RoleName: ORGANIZATION_ACCESS_ROLE }));

    expect(out.Role?.Arn).toBe(`arn:aws:iam::${member.id}:role/${ORGANIZATION_ACCESS_ROLE}`);
  });

  it("answers NoSuchEntity, 404, for a role the account does not have", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "a" });
    const clients = await factoryFor(org).forAccount(member.id);

    const error = await rejectionOf(clients.iam("eu-west-1").send(new GetRoleCommand({ RoleName: "absent" })));

    expect(error).toMatchObject({
      name: "NoSuchEntityException",
      message: expect.stringContaining("The role with name absent cannot be found."),
      $metadata: { httpStatusCode: 404 },
    });
  });
});
