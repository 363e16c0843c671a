/**
 * Clients handed from one account's review to the next (client-pool.ts): each call still goes
 * out on the credentials of the account whose review makes it, never another's, and every call
 * of a reused client still has its attempt deadline and names itself when it fails.
 */
import { DescribeMetricFiltersCommand } from "@aws-sdk/client-cloudwatch-logs";
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

describe("a client handed from one account to the next", () => {
  it("is the same client: the next account's review builds none", async () => {
    const org = createSimulatedOrganization();
    const [a, b] = [org.addAccount({ name: "a" }), org.addAccount({ name: "b" })];
    const pool = new ClientPool();
    const factory = pooledFactory(org, pool);
    await (await factory.forAccount(a.id)).logs(REGION).send(describeFilters());
    factory.release(a.id);
    const builtBefore = pool.built;

    await (await factory.forAccount(b.id)).logs(REGION).send(describeFilters());

    expect(pool.built).toBe(builtBefore);
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
    const org = createSimulatedOrganization();
    const [a, b] = [org.addAccount({ name: "a" }), org.addAccount({ name: "b" })];
    const factory = pooledFactory(org, new ClientPool());
    await (await factory.forAccount(a.id)).logs(REGION).send(describeFilters());
    factory.release(a.id);

    await (await factory.forAccount(b.id)).logs(REGION).send(describeFilters());

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
