/**
 * The deployed proof's two steps, driven as the state machine drives them (fire, then wait and
 * check until done), on the simulated organization with its live chain: the run's state and
 * the records kept in memory instead of the records bucket.
 */
import type { Context } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { createProveCheckHandler } from "../../functions/prove-check/handler.ts";
import { createProveFireHandler } from "../../functions/prove-fire/handler.ts";
import {
  CHECK_INTERVAL_SECONDS,
  type ProveStepDeps,
  type ProveStepOutput,
} from "../../functions/runtime/prove-step.ts";
import type { ProofRecord } from "../../shared/core/proof-record.ts";
import type { ProofRun } from "../../shared/core/proof-run.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import { HOME, scenarios, settingsFor, sweep } from "../support/integration-harness.ts";
import { canaryCalls, liveOrganization } from "../support/prove-harness.ts";

let org: SimulatedOrganization;
let member: SimulatedAccount;
let runs: Map<string, ProofRun>;
let records: ProofRecord[];

beforeEach(async () => {
  org = liveOrganization();
  member = org.addAccount({ name: "workload" });
  const queue = org.account(org.managementAccountId).createQueue(HOME, "security-alerts");
  scenarios.bareAccount(member, HOME);
  await sweep(org, "fix", { accounts: member.id, notify: [`sqs:${queue.arn}`] });
  runs = new Map();
  records = [];
});

function deps(): ProveStepDeps {
  const settings = settingsFor({ accounts: member.id });
  return {
    settings,
    factory: () => simulatedFactory(org, settings, { sessionPurpose: "prove" }),
    runs: {
      read: async (id) => runs.get(id),
      write: async (run) => void runs.set(run.runId, structuredClone(run)),
    },
    records: async (record) => void records.push(record),
    timeoutMs: 20 * 60_000,
    now: () => org.clock.now(),
    write: () => undefined,
  };
}

const context = { awsRequestId: "req-1" } as Context;
const fire = (runId: string) => createProveFireHandler(deps)({ runId }, context);
const check = (runId: string) => createProveCheckHandler(deps)({ runId }, context);

/** What the state machine does: fire; then Wait waitSeconds and check, until done. */
async function execute(runId: string): Promise<{ output: ProveStepOutput; checks: number }> {
  let output = await fire(runId);
  let checks = 0;
  while (!output.done) {
    await org.clock.sleep(output.waitSeconds * 1000);
    output = await check(runId);
    checks++;
  }
  return { output, checks };
}

describe("the deployed proof", () => {
  it("proves the account and writes its record once, when it ends", async () => {
    await execute("exec-1");

    expect(records.map((r) => `${r.accountId}:${r.status}:${r.runId}`)).toEqual([`${member.id}:PROVEN:exec-1`]);
  });

  it("waits between checks in the state machine, so the checks are a few minutes' worth", async () => {
    const { checks } = await execute("exec-1");

    // Delivery takes 5 minutes and the alarm fires at the next minute's evaluation.
    expect(checks * CHECK_INTERVAL_SECONDS).toBeLessThanOrEqual(7 * 60);
  });

  it("fires nothing when the first step runs again for the same run", async () => {
    await fire("exec-1");
    const fired = canaryCalls(org);

    const again = await fire("exec-1");

    expect(canaryCalls(org)).toBe(fired);
    expect(again.done).toBe(false);
  });

  it("refuses to check a run that was never fired", async () => {
    await expect(check("exec-unknown")).rejects.toThrow(/no proof run exec-unknown/);
  });

  it("refuses a run id that is not an execution name", async () => {
    await expect(fire("../../etc")).rejects.toThrow(/is not 1 to 80 of/);
  });
});
