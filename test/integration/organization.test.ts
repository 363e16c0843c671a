/** Organization-level behaviour: trails shared across accounts, scoping, and failures that stay local. */
import { beforeEach, describe, expect, it } from "vitest";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import type { SimulatedOrganization } from "../../shared/simulation/index.ts";
import { runSweep } from "../../shared/use-cases/sweep.ts";
import {
  accountOf,
  codesOf,
  HOME,
  newOrganization,
  SQS_NOTIFY,
  scenarios,
  settingsFor,
  sweep,
  writeCalls,
} from "../support/integration-harness.ts";

let org: SimulatedOrganization;

beforeEach(() => {
  org = newOrganization();
});

describe("an organization trail whose log group is in the management account", () => {
  function seed() {
    const orgTrail = scenarios.organizationTrail(org, HOME);
    const members = [org.addAccount({ name: "a" }), org.addAccount({ name: "b" })];
    return { orgTrail, members };
  }

  it("judges members by the management account's chain and says so", async () => {
    const { members } = seed();
    const result = accountOf(await sweep(org, "scan"), members[0]!.id);
    expect(result.status).toBe("NON_COMPLIANT");
    expect(codesOf(result)).toEqual(["COVERED_BY_ORGANIZATION_TRAIL", "NO_METRIC_FILTER"]);
    expect(result.scanners.securityHub).toBe("NO_DATA");
  });

  it("reads the shared chain once per run, not once per member", async () => {
    seed();
    org.calls.reset();
    await sweep(org, "scan");
    expect(org.calls.count({ operation: "DescribeMetricFilters" })).toBe(1);
  });

  it("fixes the chain once, in the management account, and every member follows", async () => {
    const { members } = seed();
    const fixed = await sweep(org, "fix", { notify: [SQS_NOTIFY] });
    const memberWrites = writeCalls(org).filter((w) => !w.startsWith(org.managementAccountId));
    expect(fixed.accounts.map((a) => a.status)).toEqual(["COMPLIANT", "COMPLIANT", "COMPLIANT"]);
    expect(memberWrites).toEqual([]);
    expect(accountOf(await sweep(org, "scan"), members[1]!.id).status).toBe("COMPLIANT");
  });

  it("does not read the organization trail's chain for a member whose own chain is compliant", async () => {
    const { members } = seed();
    scenarios.compliantV12(members[0]!, HOME);
    org.calls.reset();
    const result = accountOf(await sweep(org, "scan", { accounts: members[0]!.id }), members[0]!.id);
    expect(result.status).toBe("COMPLIANT");
    expect(codesOf(result)).toEqual([]);
    expect(org.calls.count({ accountId: org.managementAccountId, service: "logs" })).toBe(0);
  });

  it("does not write to the management account when it is out of scope", async () => {
    const { members } = seed();
    org.calls.reset();
    await sweep(org, "fix", { accounts: members.map((m) => m.id).join(","), notify: [SQS_NOTIFY] });
    expect(writeCalls(org)).toEqual([]);
  });
});

describe("scope and account states", () => {
  it("reports a suspended account as SKIPPED without calling into it", async () => {
    const suspended = org.addAccount({ name: "closed", status: "SUSPENDED" });
    org.calls.reset();
    const result = accountOf(await sweep(org, "scan"), suspended.id);
    expect(result.status).toBe("SKIPPED");
    expect(org.calls.count({ accountId: suspended.id })).toBe(0);
  });

  it("reviews only the accounts under an OU, recursively", async () => {
    const ou = org.addOrganizationalUnit({ name: "workloads" });
    const nested = org.addOrganizationalUnit({ name: "prod", parentId: ou.id });
    const inside = org.addAccount({ name: "in", parentId: nested.id });
    org.addAccount({ name: "out" });
    const report = await sweep(org, "scan", { ou: ou.id });
    expect(report.accounts.map((a) => a.accountId)).toEqual([inside.id]);
  });

  it("leaves out excluded accounts", async () => {
    const a = org.addAccount({ name: "a" });
    const b = org.addAccount({ name: "b" });
    const report = await sweep(org, "scan", { excludeAccounts: `${org.managementAccountId},${a.id}` });
    expect(report.accounts.map((x) => x.accountId)).toEqual([b.id]);
  });

  it("pages through more accounts than one ListAccounts page holds", async () => {
    for (let i = 0; i < 45; i++) org.addAccount({ name: `acct-${i}` });
    const report = await sweep(org, "scan");
    expect(report.summary.total).toBe(46);
  });
});

describe("failures stay local", () => {
  it("reports ROLE_NOT_ASSUMABLE for an account whose role cannot be assumed, and finishes the others", async () => {
    const denied = org.addAccount({ name: "denied" });
    const fine = org.addAccount({ name: "fine" });
    scenarios.compliantV12(fine, HOME);
    org.faults.denyAssumeRole(denied.id);
    const report = await sweep(org, "scan");
    expect(accountOf(report, denied.id).status).toBe("ERROR");
    expect(codesOf(accountOf(report, denied.id))).toEqual(["ROLE_NOT_ASSUMABLE"]);
    expect(accountOf(report, fine.id).status).toBe("COMPLIANT");
  });

  it("names the role and the refusal in the error", async () => {
    const denied = org.addAccount({ name: "denied" });
    org.faults.denyAssumeRole(denied.id);
    const result = accountOf(await sweep(org, "scan"), denied.id);
    expect(result.error).toMatch(
      new RegExp(
        `cannot assume arn:aws:iam::${denied.id}:role/OrganizationAccountAccessRole: AssumeRole \\(sts us-east-1\\): AccessDenied`,
      ),
    );
  });

  it("rides out a throttling storm with the SDK's retries", async () => {
    const members = Array.from({ length: 6 }, (_, i) => org.addAccount({ name: `m${i}` }));
    for (const m of members) scenarios.compliantV12(m, HOME);
    org.faults.throttle({ fraction: 0.3, times: 40 });
    const report = await sweep(org, "scan", { maxAttempts: "8" });
    expect(report.summary.COMPLIANT).toBe(6);
    expect(org.calls.count({ throttled: true })).toBeGreaterThan(0);
  });

  it("makes an account that stays throttled ERROR and finishes the others", async () => {
    const stuck = org.addAccount({ name: "stuck" });
    const fine = org.addAccount({ name: "fine" });
    for (const m of [stuck, fine]) scenarios.compliantV12(m, HOME);
    org.faults.throttle({ accountId: stuck.id, service: "cloudtrail", times: 1000 });
    const report = await sweep(org, "scan", { maxAttempts: "3" });
    expect(accountOf(report, stuck.id).status).toBe("ERROR");
    expect(accountOf(report, stuck.id).error).toMatch(/^DescribeTrails \(cloudtrail us-east-1\): ThrottlingException/);
    expect(accountOf(report, fine.id).status).toBe("COMPLIANT");
  });

  it("makes an account whose DescribeMetricFilters hangs ERROR naming the call, and finishes the others", async () => {
    const stuck = org.addAccount({ name: "stuck" });
    const fine = org.addAccount({ name: "fine" });
    for (const m of [stuck, fine]) scenarios.compliantV12(m, HOME);
    org.faults.hang({ accountId: stuck.id, service: "logs", operation: "DescribeMetricFilters" });
    // 50 ms per attempt keeps the test short; the setting itself starts at 1s.
    const settings = { ...settingsFor({ maxAttempts: "2" }), callTimeout: 50 };

    const report = await runSweep({ mode: "scan", settings, factory: simulatedFactory(org, settings) });

    expect(accountOf(report, stuck.id)).toMatchObject({
      status: "ERROR",
      error: "DescribeMetricFilters (logs us-east-1): TimeoutError: no answer within the call timeout of 50 ms",
    });
    expect(accountOf(report, fine.id).status).toBe("COMPLIANT");
  });

  it("reports an account as ERROR when a write fails, with what was applied before", async () => {
    const m = org.addAccount({ name: "m" });
    scenarios.bareAccount(m, HOME);
    org.faults.fail({
      accountId: m.id,
      operation: "PutMetricAlarm",
      error: { name: "LimitExceeded", message: "too many alarms" },
    });
    const result = accountOf(await sweep(org, "fix", { accounts: m.id, notify: [SQS_NOTIFY] }), m.id);
    expect(result.status).toBe("ERROR");
    expect(result.actions.map((a) => `${a.type}:${a.applied}`)).toEqual([
      "create-topic:true",
      "subscribe:true",
      "create-metric-filter:true",
      "create-metric-filter:true",
      "create-alarm:false",
    ]);
  });
});
