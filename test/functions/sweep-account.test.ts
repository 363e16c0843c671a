/** The sweep-account function on the simulated organization, fed the sample SQS batch. */
import type { Context, SQSEvent } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { createSweepAccountHandler, type SweepAccountDeps } from "../../functions/sweep-account/handler.ts";
import { ClientPool } from "../../shared/adapters/aws/client-pool.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import type { SimulatedOrganization } from "../../shared/simulation/index.ts";
import { SharedChainCache } from "../../shared/use-cases/review/shared-chains.ts";
import {
  factoryFor,
  HOME,
  newOrganization,
  OTHER,
  sampleEvent,
  scenarios,
  settingsFor,
} from "../support/heal-harness.ts";

let org: SimulatedOrganization;
let lines: string[];
const batch = () => sampleEvent("lambda/sqs-batch.json") as SQSEvent;

beforeEach(() => {
  org = newOrganization();
  scenarios.bareAccount(org.addAccount({ id: "222233334444", name: "workload-prod" }), HOME);
  scenarios.bareAccount(org.addAccount({ id: "333344445555", name: "workload-dev" }), OTHER);
  lines = [];
});

function deps(raw = {}): SweepAccountDeps {
  const settings = settingsFor(raw);
  return {
    settings,
    factory: () => factoryFor(org, settings, "sweep"),
    // The sender of the sample batch's messages (events/lambda/sqs-batch.json).
    sweepRoleId: "AROAEXAMPLEID7654321",
    now: () => new Date("2025-03-05T02:01:00Z"),
    write: (l) => void lines.push(l),
  };
}

const invoke = (event: SQSEvent, d = deps()) => createSweepAccountHandler(() => d)(event, {} as Context);
const summary = () => JSON.parse(lines.at(-1) ?? "{}");

describe("sweep-account", () => {
  it("fixes every account of the batch, each in its trail's region, and reports no failure", async () => {
    const response = await invoke(batch());
    expect(response.batchItemFailures).toEqual([]);
    expect(org.account("222233334444").alarm(HOME, "tripwire-unauthorized-api-calls")).toBeDefined();
    expect(org.account("333344445555").alarm(OTHER, "tripwire-unauthorized-api-calls")).toBeDefined();
  });

  it("reports only the failed account's message, and still fixes the other", async () => {
    org.account("333344445555").removeRole("OrganizationAccountAccessRole");
    const event = batch();
    const response = await invoke(event);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]?.messageId }]);
    expect(org.account("222233334444").alarm(HOME, "tripwire-unauthorized-api-calls")).toBeDefined();
  });

  it("reports a message that does not parse as a failure, so it ends in the dead-letter queue", async () => {
    const event = batch();
    (event.Records[0] as { body: string }).body = "{ not json";
    const response = await invoke(event);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]?.messageId }]);
  });

  it("assumes the member role with the sweep session name", async () => {
    await invoke(batch());
    const sessions = org.calls.list({ operation: "AssumeRole" }).map((c) => c.input.RoleSessionName);
    expect(new Set(sessions)).toEqual(new Set(["tripwire-sweep"]));
  });

  it("logs one summary with swept, compliant, fixed and errored counts in EMF", async () => {
    org.account("333344445555").removeRole("OrganizationAccountAccessRole");
    await invoke(batch());
    const s = summary();
    expect(lines).toHaveLength(1);
    expect(s).toMatchObject({ AccountsSwept: 2, AccountsCompliant: 1, AccountsFixed: 1, AccountsErrored: 1 });
    expect(s._aws.CloudWatchMetrics[0].Dimensions).toEqual([["Function"]]);
  });

  it("drops a message the sweep did not send, logs its sender, and does not retry it", async () => {
    const event = batch();
    (event.Records[0] as { attributes: { SenderId: string } }).attributes.SenderId = "AIDAINTRUDER00000000";
    const response = await invoke(event);
    expect(response.batchItemFailures).toEqual([]);
    expect(summary()).toMatchObject({
      level: "WARN",
      MessagesDropped: 1,
      MessagesFromUnknownSenders: 1,
      accounts: [{ status: "DROPPED", dropped: { kind: "sender", senderId: "AIDAINTRUDER00000000" } }, {}],
    });
    expect(org.account("222233334444").alarm(HOME, "tripwire-unauthorized-api-calls")).toBeUndefined();
  });

  it("counts an account sent twice in one batch as one account swept", async () => {
    const event = batch();
    const [first] = event.Records;
    if (first) event.Records[1] = { ...first, messageId: "second-copy" };
    await invoke(event);
    expect(summary()).toMatchObject({ AccountsSwept: 1, accounts: [{}, { duplicateOf: first?.messageId }] });
  });

  it("writes nothing in dry-run mode and counts no account as fixed", async () => {
    await invoke(batch(), deps({ dryRun: true }));
    expect(summary().AccountsFixed).toBe(0);
    expect(org.account("222233334444").alarm(HOME, "tripwire-unauthorized-api-calls")).toBeUndefined();
  });
});

describe("an organization trail's chain across batches", () => {
  /** The batch's members keep no trail of their own: their verdict follows the organization trail's chain. */
  function withOrganizationTrail() {
    scenarios.organizationTrail(org, HOME);
    for (const id of ["222233334444", "333344445555"]) {
      const member = org.account(id);
      for (const trail of member.trails().filter((t) => !t.IsOrganizationTrail))
        member.deleteTrail(trail.TrailARN ?? "");
    }
    org.calls.reset();
  }

  it("is read once by a container that keeps it between batches", async () => {
    withOrganizationTrail();
    const d = { ...deps(), sharedChains: new SharedChainCache(60_000) };
    await invoke(batch(), d);
    await invoke(batch(), d);
    expect(org.calls.count({ accountId: org.managementAccountId, operation: "DescribeMetricFilters" })).toBe(1);
  });

  it("is read again by each batch without a container cache", async () => {
    withOrganizationTrail();
    await invoke(batch());
    await invoke(batch());
    expect(org.calls.count({ accountId: org.managementAccountId, operation: "DescribeMetricFilters" })).toBe(2);
  });
});

describe("sweep-account's container", () => {
  it("hands a batch's clients to the next batch: the second builds none", async () => {
    const pool = new ClientPool();
    const settings = settingsFor({});
    const d = {
      ...deps(),
      factory: () => simulatedFactory(org, settings, { sessionPurpose: "sweep", clientPool: pool }),
    };
    await invoke(batch(), d);
    const builtBefore = pool.built;

    await invoke(batch(), d);

    expect(pool.built).toBe(builtBefore);
  });
});
