/** Documented exemptions (issue 10, item 4): read, never written, reported EXEMPT; judged again after expiry. */
import { beforeEach, describe, expect, it } from "vitest";
import { loadSettings, type Settings } from "../../shared/config/settings.ts";
import { exitCodeOf } from "../../shared/core/report.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import { healFromEvent } from "../../shared/use-cases/heal.ts";
import { runSweep } from "../../shared/use-cases/sweep.ts";
import {
  accountOf,
  codesOf,
  HOME,
  newOrganization,
  SQS_NOTIFY,
  scenarios,
  writeCalls,
} from "../support/integration-harness.ts";

const NOW = new Date("2026-03-05T10:00:00Z");
let org: SimulatedOrganization;
let exempt: SimulatedAccount;

function settingsWith(expires: string): Settings {
  const exemptions = [{ account: exempt.id, reason: "being closed in Q2", owner: "platform team", expires }];
  return loadSettings({
    cli: { concurrency: "4", maxAttempts: "4", notify: [SQS_NOTIFY] },
    env: { TRIPWIRE_EXEMPTIONS: JSON.stringify(exemptions) },
    now: NOW,
  });
}

function sweep(mode: "scan" | "fix", settings: Settings) {
  return runSweep({ mode, settings, factory: simulatedFactory(org, settings), now: () => NOW });
}

beforeEach(() => {
  org = newOrganization();
  scenarios.compliantV12(org.account(org.managementAccountId), HOME);
  exempt = org.addAccount({ name: "legacy" });
  scenarios.bareAccount(exempt, HOME);
});

describe("an account whose exemption holds", () => {
  it("is reported EXEMPT with its reason, owner and expiry", async () => {
    const result = accountOf(await sweep("scan", settingsWith("2026-06-30")), exempt.id);
    expect(result).toMatchObject({
      status: "EXEMPT",
      exemption: { reason: "being closed in Q2", owner: "platform team", expires: "2026-06-30" },
    });
  });

  it("is still read: its findings say what the exemption covers", async () => {
    const result = accountOf(await sweep("scan", settingsWith("2026-06-30")), exempt.id);
    expect(codesOf(result)).toContain("NO_METRIC_FILTER");
  });

  it("gets nothing written by fix", async () => {
    org.calls.reset();
    const report = await sweep("fix", settingsWith("2026-06-30"));
    expect(writeCalls(org).filter((w) => w.startsWith(exempt.id))).toEqual([]);
    expect(accountOf(report, exempt.id).actions).toEqual([]);
  });

  it("is counted in the summary", async () => {
    expect((await sweep("scan", settingsWith("2026-06-30"))).summary.EXEMPT).toBe(1);
  });

  it("does not make the exit code 1", async () => {
    expect(exitCodeOf(await sweep("scan", settingsWith("2026-06-30")))).toBe(0);
  });

  it("is exempt through the last day of its exemption", async () => {
    expect(accountOf(await sweep("scan", settingsWith("2026-03-05")), exempt.id).status).toBe("EXEMPT");
  });

  it("has drift events about it ignored by heal, which writes nothing", async () => {
    const settings = settingsWith("2026-06-30");
    const outcome = await healFromEvent(deleteFilterEvent(exempt.id), {
      settings,
      factory: simulatedFactory(org, settings, { sessionPurpose: "heal" }),
      now: () => NOW,
    });
    expect(outcome).toMatchObject({ status: "ignored", reason: expect.stringMatching(/is exempt through 2026-06-30/) });
  });
});

describe("an account whose exemption has expired", () => {
  it("is judged like any other account", async () => {
    expect(accountOf(await sweep("scan", settingsWith("2026-03-04")), exempt.id).status).toBe("NON_COMPLIANT");
  });

  it("carries an EXEMPTION_EXPIRED finding", async () => {
    const result = accountOf(await sweep("scan", settingsWith("2026-03-04")), exempt.id);
    expect(result.findings).toContainEqual({
      code: "EXEMPTION_EXPIRED",
      region: "global",
      message: expect.stringMatching(/ended after 2026-03-04 \(owner platform team: being closed in Q2\)/),
    });
  });

  it("is fixed again", async () => {
    org.calls.reset();
    await sweep("fix", settingsWith("2026-03-04"));
    expect(writeCalls(org).filter((w) => w.startsWith(exempt.id)).length).toBeGreaterThan(0);
  });

  it("makes the exit code 1 while it is not compliant", async () => {
    expect(exitCodeOf(await sweep("scan", settingsWith("2026-03-04")))).toBe(1);
  });
});

/** A DeleteMetricFilter call as EventBridge delivers it, by a person of the account. */
function deleteFilterEvent(account: string) {
  const time = "2026-03-05T09:59:00Z";
  return {
    version: "0",
    id: "7a1c1d2e-0d3b-4c55-9a61-2d0f8c6b1a01",
    "detail-type": "AWS API Call via CloudTrail",
    source: "aws.logs",
    account,
    time,
    region: HOME,
    resources: [],
    detail: {
      eventVersion: "1.09",
      userIdentity: {
        type: "AssumedRole",
        principalId: "AROAEXAMPLEID1234567:jane",
        arn: `arn:aws:sts::${account}:assumed-role/Admin/jane`,
        accountId: account,
      },
      eventTime: time,
      eventSource: "logs.amazonaws.com",
      eventName: "DeleteMetricFilter",
      awsRegion: HOME,
      sourceIPAddress: "198.51.100.23",
      userAgent: "aws-cli/2.15.40",
      requestParameters: { logGroupName: "x", filterName: "tripwire-unauthorized-api-calls-cis-v1.2" },
      responseElements: null,
      requestID: "2b8f0c64-7d0e-4a51-8d0a-9a7e3c1f5b02",
      eventID: "9d4e2f7a-3c1b-4e8d-a6f5-0b2c4d6e8f03",
      readOnly: false,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: "Management",
    },
  };
}
