/**
 * The securityHub setting on the simulated organization (issue 12, item 1): one finding per
 * account, imported from the account itself, in the region of the chain that decides it;
 * updated, not duplicated, by the next run; notes, never a status, when it cannot be imported.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { findingId } from "../../shared/core/control-finding.ts";
import { exitCodeOf } from "../../shared/core/report.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import { runPrune } from "../../shared/use-cases/prune.ts";
import {
  accountOf,
  HOME,
  newOrganization,
  OTHER,
  SQS_NOTIFY,
  scenarios,
  settingsFor,
  sweep,
} from "../support/integration-harness.ts";

let org: SimulatedOrganization;
let member: SimulatedAccount;

beforeEach(() => {
  org = newOrganization();
  member = org.addAccount({ name: "workload" });
});

const only = (raw = {}) => ({ accounts: member.id, securityHub: true, ...raw });
const imports = () => org.calls.list({ service: "securityhub", operation: "BatchImportFindings" });

describe("scan --security-hub", () => {
  it("imports one finding of the account, from the account, in its trail's region", async () => {
    member.enableSecurityHub(OTHER);
    scenarios.compliantV12(member, OTHER);
    org.calls.reset();
    await sweep(org, "scan", only());
    expect(imports()).toMatchObject([{ accountId: member.id, region: OTHER }]);
    expect(member.securityHubFindings(OTHER)).toMatchObject([
      { Id: findingId(member.id, OTHER), AwsAccountId: member.id, Compliance: { Status: "PASSED" } },
    ]);
  });

  it("says in the report that the finding was imported", async () => {
    member.enableSecurityHub(HOME);
    scenarios.compliantV12(member, HOME);
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.securityHub).toEqual({
      region: HOME,
      findingId: findingId(member.id, HOME),
      imported: true,
      notes: [],
    });
  });

  it("updates the same finding on the next run: still one, judged anew, UpdatedAt later", async () => {
    member.enableSecurityHub(HOME);
    scenarios.bareAccount(member, HOME);
    await sweep(org, "scan", only());
    const [first] = member.securityHubFindings(HOME);
    await sweep(org, "fix", only({ notify: [SQS_NOTIFY] }));
    const after = member.securityHubFindings(HOME);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ Id: first?.Id, Compliance: { Status: "PASSED" } });
    expect(Date.parse(String(after[0]?.UpdatedAt))).toBeGreaterThan(Date.parse(String(first?.UpdatedAt)));
  });

  it("files a failing account FAILED with its finding codes in ProductFields", async () => {
    member.enableSecurityHub(HOME);
    scenarios.bareAccount(member, HOME);
    await sweep(org, "scan", only());
    expect(member.securityHubFindings(HOME)[0]).toMatchObject({
      Compliance: { Status: "FAILED" },
      ProductFields: { "tripwire/findingCodes": "NO_METRIC_FILTER" },
    });
  });

  it("makes a note, not an error, of an account without Security Hub", async () => {
    scenarios.compliantV12(member, HOME);
    const report = await sweep(org, "scan", only());
    const result = accountOf(report, member.id);
    expect(result.status).toBe("COMPLIANT");
    expect(result.securityHub).toMatchObject({
      imported: false,
      notes: [expect.stringMatching(new RegExp(`^Security Hub is not enabled in account ${member.id} in ${HOME}`))],
    });
    expect(exitCodeOf(report)).toBe(0);
  });

  it("makes a note of an account it could not open, and calls nothing there", async () => {
    member.removeRole("OrganizationAccountAccessRole");
    org.calls.reset();
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.securityHub?.notes).toEqual(["the account could not be opened: no finding imported"]);
    expect(imports()).toEqual([]);
  });

  it("files an account covered by an organization trail in the region of that trail's log group, in the member", async () => {
    scenarios.organizationTrail(org, OTHER);
    member.enableSecurityHub(OTHER);
    await sweep(org, "scan", only());
    expect(member.securityHubFindings(OTHER)).toMatchObject([{ AwsAccountId: member.id }]);
  });

  it("imports a noisy account's finding whole: Security Hub refuses nothing of it", async () => {
    member.enableSecurityHub(HOME);
    scenarios.bareAccount(member, HOME);
    for (let i = 0; i < 60; i++)
      scenarios.metricFilter(member, HOME, {
        logGroupName: member.trails()[0]?.CloudWatchLogsLogGroupArn?.split(":")[6] ?? "",
        filterName: `broken-${i}`,
        pattern: '{ $.errorCode = "AccessDenied" }',
      });
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.findings.length).toBeGreaterThan(50);
    expect(result.securityHub).toMatchObject({ imported: true, notes: [] });
  });

  it("costs nothing when off: no Security Hub call", async () => {
    member.enableSecurityHub(HOME);
    scenarios.compliantV12(member, HOME);
    org.calls.reset();
    const result = accountOf(await sweep(org, "scan", { accounts: member.id }), member.id);
    expect(org.calls.count({ service: "securityhub" })).toBe(0);
    expect(result).not.toHaveProperty("securityHub");
  });
});

describe("prune --security-hub", () => {
  const prune = (raw = {}) => {
    const settings = settingsFor({ accounts: member.id, securityHub: true, ...raw });
    return runPrune({ settings, factory: simulatedFactory(org, settings) });
  };

  beforeEach(async () => {
    member.enableSecurityHub(HOME);
    scenarios.bareAccount(member, HOME);
    await sweep(org, "fix", only({ notify: [SQS_NOTIFY] }));
  });

  it("archives tripwire's finding of the account", async () => {
    await prune();
    expect(member.securityHubFindings(HOME)).toMatchObject([
      { RecordState: "ARCHIVED", Compliance: { Status: "NOT_AVAILABLE" } },
    ]);
  });

  it("lists the archive among its actions", async () => {
    const report = await prune();
    expect(report.accounts[0]?.actions).toContainEqual({
      type: "finding",
      region: HOME,
      resource: findingId(member.id, HOME),
      deleted: true,
    });
  });

  it("only says, in a dry run, that it would archive the finding", async () => {
    const report = await prune({ dryRun: true });
    expect(report.accounts[0]?.actions).toContainEqual(expect.objectContaining({ type: "finding", deleted: false }));
    expect(member.securityHubFindings(HOME)[0]?.RecordState).toBe("ACTIVE");
  });

  it("finds nothing to archive the second time", async () => {
    await prune();
    const again = await prune();
    expect(again.accounts[0]?.actions.filter((a) => a.type === "finding")).toEqual([]);
  });
});
