/**
 * Clients handed from one account's review to the next (client-pool.ts): each call still goes
 * out on the credentials of the account whose review makes it, never another's, and every call
 * of a reused client still has its attempt deadline and names itself when it fails.
 */
import { CloudTrailClient, DescribeTrailsCommand } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, DescribeMetricFiltersCommand } from "@aws-sdk/client-cloudwatch-logs";
import { ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { ClientFactory } from "../../../shared/adapters/aws/client-factory.ts";
import { ClientPool, ReleasedClientError } from "../../../shared/adapters/aws/client-pool.ts";
import { describeError } from "../../../shared/core/describe-error.ts";
import { createSimulatedOrganization, type SimulatedOrganization } from "../../../shared/simulation/index.ts";
import { rejectionOf } from "../../support/simulation-harness.ts";

const REGION = "us-east-1";
const describeFilters = () => new DescribeMetricFiltersCommand({});

function pooledFactory(org: SimulatedOrganization, pool: ClientPool, callTimeoutMs?: number): ClientFactory {
  return new ClientFactory(
    {
      homeRegion: REGION,
      credentials: org.credentialsFor(org.managementAccountId),
      maxAttempts: 2,
      retryDelayMs: () => 1,
      instrument: org.instrument,
      clientPool: pool,
      ...(callTimeoutMs !== undefined ? { callTimeoutMs } : {}),
    },
    { roleName: "OrganizationAccountAccessRole", sessionName: "tripwire-test" },
  );
}

/**
 * Account a's review calls with a logs client in us-east-1 and ends; then account b's review
 * calls with a logs client in `nextRegion`. Returns what the second review found in the pool.
 */
async function handOn(nextRegion: string) {
  const org = createSimulatedOrganization();
  const [a, b] = [org.addAccount({ name: "a" }), org.addAccount({ name: "b" })];
  const pool = new ClientPool();
  const factory = pooledFactory(org, pool);
  await (await factory.forAccount(a.id)).logs(REGION).send(describeFilters());
  factory.release(a.id);
  const builtBefore = pool.built;
  await (await factory.forAccount(b.id)).logs(nextRegion).send(describeFilters());
  return { org, a, b, builtByNext: pool.built - builtBefore };
}

describe("a client handed from one account to the next", () => {
  it("is the same client: the next account's review builds none", async () => {
    const { builtByNext } = await handOn(REGION);

    expect(builtByNext).toBe(0);
  });

  it("opens a released account again on the session it assumed: no second AssumeRole", async () => {
    const org = createSimulatedOrganization();
    const a = org.addAccount({ name: "a" });
    const factory = pooledFactory(org, new ClientPool());
    await (await factory.forAccount(a.id)).logs(REGION).send(describeFilters());
    factory.release(a.id);

    await (await factory.forAccount(a.id)).logs(REGION).send(describeFilters());

    expect(org.calls.list({ operation: "AssumeRole" })).toHaveLength(1);
  });

  it("calls on the next account's credentials", async () => {
    const { org, a, b } = await handOn(REGION);

    expect(org.calls.list({ operation: "DescribeMetricFilters" }).map((c) => c.accountId)).toEqual([a.id, b.id]);
  });

  it("refuses a call of the released account's review, and sends nothing", async () => {
    const org = createSimulatedOrganization();
    const a = org.addAccount({ name: "a" });
    const factory = pooledFactory(org, new ClientPool());
    const late = (await factory.forAccount(a.id)).logs(REGION);
    factory.release(a.id);
    await (await factory.forAccount(org.addAccount({ name: "b" }).id)).logs(REGION).send(describeFilters());

    const error = await rejectionOf(late.send(describeFilters()));

    expect(error).toBeInstanceOf(ReleasedClientError);
    expect(org.calls.count({ accountId: a.id })).toBe(0);
  });

  it("holds no account's credentials while idle in the pool", async () => {
    const org = createSimulatedOrganization();
    const a = org.addAccount({ name: "a" });
    const factory = pooledFactory(org, new ClientPool());
    const view = (await factory.forAccount(a.id)).logs(REGION);
    await view.send(describeFilters());
    factory.release(a.id);
    const pooled = Object.getPrototypeOf(view) as typeof view;

    const error = await rejectionOf(pooled.config.credentials());

    expect(error).toBeInstanceOf(ReleasedClientError);
  });

  it("is not handed on while a call of the released account is still in flight", async () => {
    const org = createSimulatedOrganization();
    const [a, b] = [org.addAccount({ name: "a" }), org.addAccount({ name: "b" })];
    const pool = new ClientPool();
    const factory = pooledFactory(org, pool, 200);
    org.faults.hang({ service: "logs", operation: "DescribeMetricFilters", times: 1 });
    const inFlight = (await factory.forAccount(a.id)).logs(REGION).send(describeFilters());
    factory.release(a.id);
    const builtBefore = pool.built;

    await (await factory.forAccount(b.id)).logs(REGION).send(describeFilters());
    await inFlight;

    expect(pool.built).toBe(builtBefore + 1);
  });

  it("still limits each attempt and names the failed call", async () => {
    const org = createSimulatedOrganization();
    const factory = pooledFactory(org, new ClientPool(), 50);
    const a = org.addAccount({ name: "a" });
    await (await factory.forAccount(a.id)).logs(REGION).send(describeFilters());
    factory.release(a.id);
    org.faults.hang({ service: "logs", operation: "DescribeMetricFilters" });

    const error = await rejectionOf(
      (await factory.forAccount(org.addAccount({ name: "b" }).id)).logs(REGION).send(describeFilters()),
    );

    expect(describeError(error)).toBe(
      "DescribeMetricFilters (logs us-east-1): TimeoutError: no answer within the call timeout of 50 ms",
    );
  });
});

describe("a client of a regional service handed on to another region", () => {
  it("is the same client: the next account's review in another region builds none", async () => {
    const { builtByNext } = await handOn("eu-west-1");

    expect(builtByNext).toBe(0);
  });

  it("calls in the next lease's region", async () => {
    const { org } = await handOn("eu-west-1");

    expect(org.calls.list({ operation: "DescribeMetricFilters" }).map((c) => c.region)).toEqual([REGION, "eu-west-1"]);
  });

  // The real SDK signing path (the simulation answers before signing): a request handler
  // records what would go on the wire, then fails the call (one attempt: nothing is retried).
  it.each([
    { service: "CloudTrail", ctor: CloudTrailClient, command: () => new DescribeTrailsCommand({}) },
    { service: "CloudWatch Logs", ctor: CloudWatchLogsClient, command: describeFilters },
    { service: "CloudWatch", ctor: CloudWatchClient, command: () => new DescribeAlarmsCommand({}) },
    { service: "SNS", ctor: SNSClient, command: () => new ListTopicsCommand({}) },
  ])("$service: sends to the new region's endpoint, signed for that region", async ({ ctor, command }) => {
    const sent: { region: string; scope: string }[] = [];
    const requestHandler = {
      handle: async (request: { hostname: string; headers: Record<string, string> }) => {
        const scope = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(request.headers.authorization ?? "")?.[1] ?? "";
        sent.push({ region: request.hostname.split(".").find((part) => /^[a-z]+-[a-z]+-\d$/.test(part)) ?? "", scope });
        throw new Error("recorded, not sent");
      },
    };
    type Sendable = { send(command: unknown): Promise<unknown> };
    const Client = ctor as unknown as new (config: object) => Sendable;
    const pool = new ClientPool();
    const credentials = { accessKeyId: "AKIDPOOLTEST", secretAccessKey: "secret" };
    const build = (region: string) => () => new Client({ region, credentials, requestHandler, maxAttempts: 1 });
    const first = pool.lease("111111111111", ctor, "any region", credentials, build(REGION), REGION);
    await first.client.send(command()).catch(() => undefined);
    first.close();

    const next = pool.lease("222222222222", ctor, "any region", credentials, build("eu-west-1"), "eu-west-1");
    await next.client.send(command()).catch(() => undefined);

    expect(sent[1]).toEqual({ region: "eu-west-1", scope: "eu-west-1" });
  });
});

describe("the caller's own clients", () => {
  it("are never handed to a member account's review", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "m" });
    const pool = new ClientPool();
    const first = pooledFactory(org, pool);
    await (await first.forAccount(org.managementAccountId)).logs(REGION).send(describeFilters());
    first.close();
    const builtBefore = pool.built;

    await (await pooledFactory(org, pool).forAccount(member.id)).logs(REGION).send(describeFilters());

    expect(pool.built).toBe(builtBefore + 1);
  });

  it("serve the next run after close(), on the caller's credentials", async () => {
    const org = createSimulatedOrganization();
    const pool = new ClientPool();
    const first = pooledFactory(org, pool);
    await (await first.forAccount(org.managementAccountId)).logs(REGION).send(describeFilters());
    first.close();
    const builtBefore = pool.built;

    await (await pooledFactory(org, pool).forAccount(org.managementAccountId)).logs(REGION).send(describeFilters());

    expect(pool.built).toBe(builtBefore);
    expect(org.calls.list({ operation: "DescribeMetricFilters" })[1]?.accountId).toBe(org.managementAccountId);
  });
});
