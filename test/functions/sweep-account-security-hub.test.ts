/** sweep-account with the central stack's securityHub parameter on: each account's finding in its own Security Hub. */
import type { Context, SQSEvent } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { settingsFromEnvironment } from "../../functions/runtime/environment.ts";
import { createSweepAccountHandler } from "../../functions/sweep-account/handler.ts";
import type { SimulatedOrganization } from "../../shared/simulation/index.ts";
import { factoryFor, HOME, newOrganization, OTHER, sampleEvent, scenarios } from "../support/heal-harness.ts";

let org: SimulatedOrganization;

beforeEach(() => {
  org = newOrganization();
  const prod = org.addAccount({ id: "222233334444", name: "workload-prod" });
  const dev = org.addAccount({ id: "333344445555", name: "workload-dev" });
  scenarios.bareAccount(prod, HOME);
  scenarios.bareAccount(dev, OTHER);
  prod.enableSecurityHub(HOME);
});

async function invoke(env: Record<string, string>) {
  const settings = settingsFromEnvironment({
    AWS_REGION: HOME,
    TRIPWIRE_NOTIFY: "sqs:arn:aws:sqs:us-east-1:999999999999:q",
    ...env,
  });
  const handler = createSweepAccountHandler(() => ({
    settings,
    factory: () => factoryFor(org, settings, "sweep"),
    sweepRoleId: "AROAEXAMPLEID7654321",
    now: () => new Date("2025-03-05T02:01:00Z"),
    write: () => undefined,
  }));
  return handler(sampleEvent("lambda/sqs-batch.json") as SQSEvent, {} as Context);
}

describe("sweep-account, TRIPWIRE_SECURITY_HUB=true", () => {
  it("imports the fixed account's finding into its own Security Hub", async () => {
    await invoke({ TRIPWIRE_SECURITY_HUB: "true" });
    expect(org.account("222233334444").securityHubFindings(HOME)).toMatchObject([
      { AwsAccountId: "222233334444", Compliance: { Status: "PASSED" } },
    ]);
  });

  it("fails no message of an account without Security Hub: a note is not an error", async () => {
    const response = await invoke({ TRIPWIRE_SECURITY_HUB: "true" });
    expect(response.batchItemFailures).toEqual([]);
  });

  it("imports nothing with the parameter's default, false", async () => {
    await invoke({ TRIPWIRE_SECURITY_HUB: "false" });
    expect(org.calls.count({ service: "securityhub" })).toBe(0);
  });
});
