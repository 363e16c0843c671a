/** What the functions' summary lines say of each account (issue 10): its evidence, and an exemption. */
import type { Context, SQSEvent } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { createHealHandler } from "../../functions/heal/handler.ts";
import { settingsFromEnvironment } from "../../functions/runtime/environment.ts";
import { createSweepAccountHandler } from "../../functions/sweep-account/handler.ts";
import { loadSettings, type Settings } from "../../shared/config/settings.ts";
import { ownFilterName } from "../../shared/core/naming.ts";
import type { SimulatedOrganization } from "../../shared/simulation/index.ts";
import { ControlRun } from "../../shared/use-cases/review/control-run.ts";
import {
  factoryFor,
  HOME,
  newOrganization,
  SAMPLE_ACCOUNT,
  sampleEvent,
  scenarios,
  settingsFor,
  trailLogGroup,
  writeCalls,
} from "../support/heal-harness.ts";
import { sqsEvent } from "../support/sqs-records.ts";

const NOW = new Date("2025-03-05T02:01:00Z");
let org: SimulatedOrganization;
let lines: string[];
const summary = () => JSON.parse(lines.at(-1) ?? "{}");

function exemptSettings(): Settings {
  const exemptions = [
    { account: SAMPLE_ACCOUNT, reason: "being closed", owner: "platform team", expires: "2025-06-30" },
  ];
  return loadSettings({
    cli: { concurrency: "4", maxAttempts: "3" },
    env: { TRIPWIRE_EXEMPTIONS: JSON.stringify(exemptions) },
    now: NOW,
  });
}

function sweepAccount(settings: Settings) {
  return createSweepAccountHandler(() => ({
    settings,
    factory: () => factoryFor(org, settings, "sweep"),
    sweepRoleId: "AROAEXAMPLEID7654321",
    now: () => NOW,
    write: (l) => void lines.push(l),
  }))(sampleEvent("lambda/sqs-batch.json") as SQSEvent, {} as Context);
}

beforeEach(() => {
  org = newOrganization();
  scenarios.bareAccount(org.addAccount({ id: SAMPLE_ACCOUNT, name: "workload-prod" }), HOME);
  scenarios.bareAccount(org.addAccount({ id: "333344445555", name: "workload-dev" }), HOME);
  lines = [];
});

describe("the sweep-account summary", () => {
  it("gives each account's evidence: the chain that now satisfies the control", async () => {
    await sweepAccount(settingsFor());
    const [first] = summary().accounts;
    expect(first.evidence.chains[0]).toMatchObject({
      satisfies: true,
      filters: [{ name: ownFilterName("tripwire", "cis-v1.2") }, { name: ownFilterName("tripwire", "cis-v1.4") }],
    });
  });

  it("reports an exempt account EXEMPT with its exemption", async () => {
    await sweepAccount(exemptSettings());
    expect(summary().accounts[0]).toMatchObject({
      accountId: SAMPLE_ACCOUNT,
      status: "EXEMPT",
      exemption: { reason: "being closed", owner: "platform team", expires: "2025-06-30" },
    });
  });

  it("writes nothing in an exempt account", async () => {
    await sweepAccount(exemptSettings());
    expect(writeCalls(org).filter((w) => w.startsWith(SAMPLE_ACCOUNT))).toEqual([]);
  });

  it("does not retry an exempt account whose read failed: it stays EXEMPT, with the error", async () => {
    org.account(SAMPLE_ACCOUNT).removeRole("OrganizationAccountAccessRole");
    const response = await sweepAccount(exemptSettings());
    expect(response.batchItemFailures).toEqual([]);
    expect(summary().accounts[0]).toMatchObject({
      status: "EXEMPT",
      error: expect.stringMatching(/AssumeRole|assume/),
    });
  });
});

describe("the heal summary", () => {
  it("gives the healed account's evidence", async () => {
    const settings = settingsFor();
    const member = org.account(SAMPLE_ACCOUNT);
    await new ControlRun(factoryFor(org, settings), settings, "fix").reviewAccount({
      id: SAMPLE_ACCOUNT,
      name: "workload-prod",
      status: "ACTIVE",
    });
    member.deleteMetricFilter(HOME, trailLogGroup(member), ownFilterName("tripwire", "cis-v1.2"));
    await createHealHandler(() => ({
      settings,
      factory: () => factoryFor(org, settings, "heal"),
      now: () => new Date("2025-03-04T09:16:00Z"),
      write: (l) => void lines.push(l),
    }))(sqsEvent([sampleEvent("drift/logs-delete-metric-filter.json")]), {} as Context);
    expect(summary().heals[0]).toMatchObject({ status: "healed", evidence: { chains: [{ satisfies: true }] } });
  });
});

describe("the exemptions at a cold start", () => {
  it("are read from TRIPWIRE_EXEMPTIONS", () => {
    const json = JSON.stringify([{ account: SAMPLE_ACCOUNT, reason: "r", owner: "o", expires: "2099-01-01" }]);
    expect(() => settingsFromEnvironment({ AWS_REGION: HOME, TRIPWIRE_EXEMPTIONS: json })).toThrow(
      /^invalid TRIPWIRE_EXEMPTIONS: entry 1 \(account 222233334444\): expires 2099-01-01 is more than one year ahead/,
    );
  });
});
