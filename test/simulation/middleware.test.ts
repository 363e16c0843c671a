import { CloudTrailClient, DescribeTrailsCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { ListAccountsCommand } from "@aws-sdk/client-organizations";
import { ListPlatformApplicationsCommand } from "@aws-sdk/client-sns";
import { afterEach, describe, expect, it } from "vitest";
import {
  createSimulatedOrganization,
  HUNG,
  type SimulatedCall,
  SimulationNotImplementedError,
  scenarios,
  throttlingError,
} from "../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../support/simulation-harness.ts";

const REGION = "us-east-1";

describe("simulation middleware", () => {
  const savedEndpoint = process.env.AWS_ENDPOINT_URL;
  afterEach(() => {
    if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = savedEndpoint;
  });

  it("throttles a call, lets the SDK retry it, and logs the throttled attempt", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    scenarios.bareAccount(member, REGION);
    org.faults.throttle({ service: "cloudtrail", operation: "DescribeTrails", accountId: member.id, times: 2 });
    const cloudTrail = (await factoryFor(org, { maxAttempts: 3 }).forAccount(member.id)).cloudTrail(REGION);

    const out = await cloudTrail.send(new DescribeTrailsCommand({}));

    expect(out.trailList).toHaveLength(1);
    expect(out.$metadata.attempts).toBe(3);
    const attempts = org.calls.list({ operation: "DescribeTrails" });
    expect(attempts.map((c) => [c.error, c.throttled])).toEqual([
      ["ThrottlingException", true],
      ["ThrottlingException", true],
      [undefined, false],
    ]);
  });

  it("gives up after maxAttempts when throttling persists", async () => {
    const org = createSimulatedOrganization();
    org.faults.throttle({ service: "organizations", times: 10 });
    const client = factoryFor(org, { maxAttempts: 2 }).organizations();

    const error = await rejectionOf(client.send(new ListAccountsCommand({})));

    expect(error.name).toBe("TooManyRequestsException");
    expect(error.$metadata?.attempts).toBe(2);
    expect(org.calls.count({ throttled: true })).toBe(2);
  });

  it("throttles a seeded fraction of calls, the same ones on every run", async () => {
    async function throttledSequence(): Promise<boolean[]> {
      const org = createSimulatedOrganization({ seed: 7 });
      const member = org.addAccount({ name: "member" });
      org.faults.throttle({ operation: "DescribeLogGroups", fraction: 0.5 });
      const logs = (await factoryFor(org, { maxAttempts: 10 }).forAccount(member.id)).logs(REGION);
      for (let i = 0; i < 10; i++) await logs.send(new DescribeLogGroupsCommand({}));
      return org.calls.list({ operation: "DescribeLogGroups" }).map((c) => c.throttled);
    }

    const first = await throttledSequence();
    const second = await throttledSequence();

    expect(first).toEqual(second);
    expect(first.filter(Boolean).length).toBeGreaterThan(0);
    expect(first.filter((t) => !t)).toHaveLength(10);
  });

  it("fails an operation with an injected error", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    org.faults.fail({
      service: "logs",
      operation: "DescribeLogGroups",
      error: { name: "AccessDeniedException", message: "SCP says no" },
    });
    const logs = (await factoryFor(org, { maxAttempts: 1 }).forAccount(member.id)).logs(REGION);

    const error = await rejectionOf(logs.send(new DescribeLogGroupsCommand({})));

    expect(error.name).toBe("AccessDeniedException");
    // The factory's clients put the failed call's name in front of the message.
    expect(error.message).toBe("DescribeLogGroups (logs us-east-1): SCP says no");
  });

  it("holds a hung call until the factory's call timeout ends each attempt", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    org.faults.hang({ service: "logs", operation: "DescribeLogGroups" });
    const logs = (await factoryFor(org, { maxAttempts: 2, callTimeoutMs: 50 }).forAccount(member.id)).logs(REGION);

    const error = await rejectionOf(logs.send(new DescribeLogGroupsCommand({})));

    expect(error).toMatchObject({ name: "TimeoutError", $metadata: { attempts: 2 } });
    expect(org.calls.list({ operation: "DescribeLogGroups" }).map((c) => c.error)).toEqual([HUNG, HUNG]);
  });

  it("answers the retry of a call hung once", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    org.faults.hang({ service: "logs", operation: "DescribeLogGroups", times: 1 });
    const logs = (await factoryFor(org, { maxAttempts: 2, callTimeoutMs: 50 }).forAccount(member.id)).logs(REGION);

    const out = await logs.send(new DescribeLogGroupsCommand({}));

    expect(out.$metadata.attempts).toBe(2);
  });

  it("names the service and operation of a call it does not simulate", async () => {
    const org = createSimulatedOrganization();
    const sns = (await factoryFor(org, { maxAttempts: 1 }).forAccount(org.managementAccountId)).sns(REGION);

    const error = await rejectionOf(sns.send(new ListPlatformApplicationsCommand({})));

    expect(error).toBeInstanceOf(SimulationNotImplementedError);
    expect(error.message).toContain("sns:ListPlatformApplications");
    expect(org.calls.count({ operation: "ListPlatformApplications", errored: true })).toBe(1);
  });

  it("sends requests to the endpoint set in AWS_ENDPOINT_URL, as the SDK resolves it", async () => {
    process.env.AWS_ENDPOINT_URL = "http://localhost:4566";
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const cloudTrail = (await factoryFor(org).forAccount(member.id)).cloudTrail(REGION);

    await cloudTrail.send(new DescribeTrailsCommand({}));

    const calls = org.calls.list({ operation: "DescribeTrails" });
    expect(calls[0]?.endpoint).toBe("http://localhost:4566");
  });

  it("uses the service's regional endpoint without AWS_ENDPOINT_URL", async () => {
    delete process.env.AWS_ENDPOINT_URL;
    const org = createSimulatedOrganization();
    const cloudTrail = (await factoryFor(org).forAccount(org.managementAccountId)).cloudTrail("eu-west-3");

    await cloudTrail.send(new DescribeTrailsCommand({}));

    expect(org.calls.list({ operation: "DescribeTrails" })[0]?.endpoint).toBe(
      "https://cloudtrail.eu-west-3.amazonaws.com",
    );
  });

  it("runs the beforeCall hook before each call, which may throttle like a quota model", async () => {
    const seen: SimulatedCall[] = [];
    let refused = false;
    const org = createSimulatedOrganization({
      beforeCall: async (call) => {
        seen.push(call);
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (call.operation === "DescribeTrails" && !refused) {
          refused = true;
          throw throttlingError(call.service);
        }
      },
    });
    const cloudTrail = (await factoryFor(org).forAccount(org.managementAccountId)).cloudTrail(REGION);

    await cloudTrail.send(new DescribeTrailsCommand({}));

    expect(seen.map((c) => c.operation)).toEqual(["GetCallerIdentity", "DescribeTrails", "DescribeTrails"]);
    expect(org.calls.count({ operation: "DescribeTrails", throttled: true })).toBe(1);
  });

  it("attaches a beforeCall hook to an organization already built", async () => {
    const org = createSimulatedOrganization();
    const operations: string[] = [];
    org.setBeforeCall((call) => {
      operations.push(call.operation);
    });

    await factoryFor(org).callerIdentity();
    org.setBeforeCall(undefined);
    await factoryFor(org).callerIdentity();

    expect(operations).toEqual(["GetCallerIdentity"]);
  });

  it("counts calls by account and by operation, and resets the log", async () => {
    const org = createSimulatedOrganization();
    const a = org.addAccount({ name: "a" });
    const factory = factoryFor(org);
    await (await factory.forAccount(a.id)).logs(REGION).send(new DescribeLogGroupsCommand({}));

    const byAccount = org.calls.byAccount();
    const byOperation = org.calls.byOperation();
    org.calls.reset();

    expect(byAccount.get(org.managementAccountId)).toBe(2);
    expect(byAccount.get(a.id)).toBe(1);
    expect(byOperation.get("sts:AssumeRole")).toBe(1);
    expect(byOperation.get("logs:DescribeLogGroups")).toBe(1);
    expect(org.calls.all).toEqual([]);
  });

  it("answers a region the organization does not use like a disabled region", async () => {
    const org = createSimulatedOrganization({ regions: ["us-east-1"] });
    const cloudTrail = (await factoryFor(org, { maxAttempts: 1 }).forAccount(org.managementAccountId)).cloudTrail(
      "me-south-1",
    );

    const error = await rejectionOf(cloudTrail.send(new DescribeTrailsCommand({})));

    expect(error.name).toBe("UnrecognizedClientException");
  });

  it("refuses credentials it did not issue", async () => {
    const org = createSimulatedOrganization();
    const client = new CloudTrailClient({
      region: REGION,
      maxAttempts: 1,
      credentials: { accessKeyId: "AKIAFOREIGN", secretAccessKey: "x" },
    });
    org.instrument(client as never);

    const error = await rejectionOf(client.send(new DescribeTrailsCommand({})));

    expect(error.name).toBe("UnrecognizedClientException");
  });

  it("produces the same ids and ARNs for the same seed", () => {
    const build = () => {
      const org = createSimulatedOrganization({ seed: 42 });
      const member = org.addAccount({ name: "m" });
      const fixture = scenarios.compliantV12(member, REGION);
      return {
        org: org.organizationId,
        root: org.rootId,
        subs: fixture.topic.subscriptionArns,
        alarm: member.alarm(REGION, fixture.alarm.alarmName),
      };
    };

    expect(build()).toEqual(build());
  });
});
