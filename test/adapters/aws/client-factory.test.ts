import { DescribeMetricFiltersCommand } from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import { ClientFactory } from "../../../shared/adapters/aws/client-factory.ts";
import { createSimulatedOrganization } from "../../../shared/simulation/index.ts";

describe("ClientFactory", () => {
  it("uses a caller identity it is given instead of asking STS", async () => {
    const org = createSimulatedOrganization();
    const factory = new ClientFactory(
      {
        homeRegion: "us-east-1",
        credentials: org.credentialsFor(org.managementAccountId),
        maxAttempts: 1,
        instrument: org.instrument,
        caller: {
          accountId: org.managementAccountId,
          partition: "aws",
          arn: "arn:aws:sts::111111111111:assumed-role/heal/x",
        },
      },
      { roleName: "OrganizationAccountAccessRole", sessionName: "tripwire-test" },
    );
    await factory.forAccount(org.addAccount({ name: "m" }).id);
    expect(org.calls.count({ operation: "GetCallerIdentity" })).toBe(0);
  });

  it("assumes a member's role once per run however many clients it builds", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "m" });
    const factory = new ClientFactory(
      {
        homeRegion: "us-east-1",
        credentials: org.credentialsFor(org.managementAccountId),
        maxAttempts: 1,
        instrument: org.instrument,
      },
      { roleName: "OrganizationAccountAccessRole", sessionName: "tripwire-test" },
    );
    const [a, b] = await Promise.all([factory.forAccount(member.id), factory.forAccount(member.id)]);
    await Promise.all([a.logs("us-east-1").config.credentials(), b.sns("eu-west-1").config.credentials()]);
    expect(org.calls.count({ operation: "AssumeRole" })).toBe(1);
  });
});

describe("settings read once per run", () => {
  it("still honours the user's AWS_USE_FIPS_ENDPOINT in every client it builds", async () => {
    const before = process.env.AWS_USE_FIPS_ENDPOINT;
    process.env.AWS_USE_FIPS_ENDPOINT = "true";
    try {
      const org = createSimulatedOrganization();
      const factory = new ClientFactory(
        {
          homeRegion: "us-east-1",
          credentials: org.credentialsFor(org.managementAccountId),
          maxAttempts: 1,
          instrument: org.instrument,
        },
        { roleName: "OrganizationAccountAccessRole", sessionName: "tripwire-test" },
      );
      const clients = await factory.forAccount(org.managementAccountId);
      expect(await clients.logs("eu-west-1").config.useFipsEndpoint()).toBe(true);
      expect(await clients.sns("us-east-1").config.useFipsEndpoint()).toBe(true);
    } finally {
      if (before === undefined) delete process.env.AWS_USE_FIPS_ENDPOINT;
      else process.env.AWS_USE_FIPS_ENDPOINT = before;
    }
  });

  it("sends every client of a class to the endpoint set for its service, not only the first", async () => {
    const before = process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS;
    process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS = "http://localhost:4599";
    try {
      const org = createSimulatedOrganization();
      const factory = new ClientFactory(
        {
          homeRegion: "us-east-1",
          credentials: org.credentialsFor(org.managementAccountId),
          maxAttempts: 1,
          instrument: org.instrument,
        },
        { roleName: "OrganizationAccountAccessRole", sessionName: "tripwire-test" },
      );
      const clients = await factory.forAccount(org.managementAccountId);
      await clients.logs("us-east-1").send(new DescribeMetricFiltersCommand({}));

      await clients.logs("eu-west-1").send(new DescribeMetricFiltersCommand({}));

      expect(org.calls.list({ region: "eu-west-1" })[0]?.endpoint).toBe("http://localhost:4599");
    } finally {
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS;
      else process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS = before;
    }
  });
});
