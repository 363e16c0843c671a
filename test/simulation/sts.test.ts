import { DescribeMetricFiltersCommand } from "@aws-sdk/client-cloudwatch-logs";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { RoleNotAssumableError } from "../../shared/adapters/aws/role-not-assumable-error.ts";
import { createSimulatedOrganization, scenarios } from "../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../support/simulation-harness.ts";

const REGION = "eu-west-1";

describe("simulated STS", () => {
  it("identifies the caller as the management account's user", async () => {
    const org = createSimulatedOrganization();
    const factory = factoryFor(org);

    const identity = await factory.callerIdentity();

    expect(identity).toEqual({
      accountId: org.managementAccountId,
      partition: "aws",
      arn: `arn:aws:iam::${org.managementAccountId}:user/admin`,
    });
  });

  it("assumes the organization role into a member whose calls then see only that member's state", async () => {
    const org = createSimulatedOrganization();
    const a = org.addAccount({ name: "a" });
    const b = org.addAccount({ name: "b" });
    const fixtureA = scenarios.compliantV12(a, REGION);
    scenarios.bareAccount(b, REGION);
    const factory = factoryFor(org);

    const clients = await factory.forAccount(a.id);
    const filters = await clients.logs(REGION).send(new DescribeMetricFiltersCommand({}));

    expect(filters.metricFilters?.map((f) => f.logGroupName)).toEqual([fixtureA.trail.logGroupName]);
    const calls = org.calls.list({ operation: "DescribeMetricFilters" });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.accountId).toBe(a.id);
    expect(calls[0]?.principalArn).toBe(`arn:aws:sts::${a.id}:assumed-role/OrganizationAccountAccessRole/tripwire`);
  });

  it("returns credentials that expire after DurationSeconds and name the role session", async () => {
    const now = Date.UTC(2030, 0, 1);
    const org = createSimulatedOrganization({ credentialClock: () => now });
    const member = org.addAccount({ name: "member" });
    const sts = factoryFor(org).sts();

    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${member.id}:role/OrganizationAccountAccessRole`,
        RoleSessionName: "audit",
        DurationSeconds: 900,
      }),
    );

    expect(out.Credentials?.Expiration?.getTime()).toBe(now + 900_000);
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${member.id}:assumed-role/OrganizationAccountAccessRole/audit`);
  });

  it("rejects calls made with expired session credentials with ExpiredTokenException", async () => {
    let now = Date.UTC(2030, 0, 1);
    const org = createSimulatedOrganization({ credentialClock: () => now });
    const member = org.addAccount({ name: "member" });
    const sts = factoryFor(org).sts();
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${member.id}:role/OrganizationAccountAccessRole`,
        RoleSessionName: "audit",
        DurationSeconds: 900,
      }),
    );
    const { STSClient } = await import("@aws-sdk/client-sts");
    const memberSts = new STSClient({
      region: REGION,
      maxAttempts: 1,
      credentials: {
        accessKeyId: out.Credentials?.AccessKeyId ?? "",
        secretAccessKey: out.Credentials?.SecretAccessKey ?? "",
        sessionToken: out.Credentials?.SessionToken ?? "",
      },
    });
    org.instrument(memberSts as never);

    now += 901_000;
    const error = await rejectionOf(memberSts.send(new GetCallerIdentityCommand({})));

    expect(error.name).toBe("ExpiredTokenException");
  });

  it("denies AssumeRole with the real AccessDenied error, and the factory reports RoleNotAssumableError", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "locked" });
    org.faults.denyAssumeRole(member.id);
    const factory = factoryFor(org, { maxAttempts: 1 });

    const error = await rejectionOf(factory.forAccount(member.id));

    expect(error).toBeInstanceOf(RoleNotAssumableError);
    const cause = (error as RoleNotAssumableError).cause as Error & { $metadata: { httpStatusCode: number } };
    expect(cause.name).toBe("AccessDenied");
    expect(cause.$metadata.httpStatusCode).toBe(403);
    expect(org.calls.count({ operation: "AssumeRole", errored: true })).toBe(1);
  });

  it("denies AssumeRole into a role the account does not have", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" }).removeRole("OrganizationAccountAccessRole");
    const factory = factoryFor(org, { maxAttempts: 1 });

    const error = await rejectionOf(factory.forAccount(member.id));

    expect(((error as RoleNotAssumableError).cause as Error).name).toBe("AccessDenied");
  });

  it("requires the role's ExternalId when it has one", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" }).addRole("TripwireAudit", { externalId: "s3cret" });

    const without = await rejectionOf(
      factoryFor(org, { roleName: "TripwireAudit", maxAttempts: 1 }).forAccount(member.id),
    );
    const withId = await factoryFor(org, { roleName: "TripwireAudit", externalId: "s3cret" }).forAccount(member.id);

    expect(without).toBeInstanceOf(RoleNotAssumableError);
    expect(withId.accountId).toBe(member.id);
  });

  it("uses the caller's own credentials for the management account, without AssumeRole", async () => {
    const org = createSimulatedOrganization();
    const factory = factoryFor(org);

    await factory.forAccount(org.managementAccountId);

    expect(org.calls.count({ operation: "AssumeRole" })).toBe(0);
  });
});
