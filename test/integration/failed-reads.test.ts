/**
 * A read that fails (throttled beyond the retries, denied) makes the account ERROR, naming
 * what failed, and never becomes a compliance finding: tripwire reports only what it saw.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import {
  accountOf,
  codesOf,
  HOME,
  newOrganization,
  SQS_NOTIFY,
  scenarios,
  sweep,
  writeCalls,
} from "../support/integration-harness.ts";

let org: SimulatedOrganization;
let member: SimulatedAccount;

beforeEach(() => {
  org = newOrganization();
  member = org.addAccount({ name: "workload" });
});

const only = () => ({ accounts: member.id, maxAttempts: "2" });

describe("a read throttled beyond the retries", () => {
  it.each([
    ["cloudtrail", "GetTrailStatus"],
    ["cloudtrail", "GetEventSelectors"],
    ["logs", "DescribeMetricFilters"],
    ["cloudwatch", "DescribeAlarmsForMetric"],
    ["sns", "GetTopicAttributes"],
  ] as const)("%s %s makes the account ERROR with no finding", async (service, operation) => {
    scenarios.compliantV12(member, HOME);
    org.faults.throttle({ accountId: member.id, service, operation, times: 1000 });
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result).toMatchObject({ status: "ERROR", findings: [], error: expect.stringMatching(/Throttl/) });
  });

  it.each([
    ["cloudtrail", "GetTrailStatus"],
    ["logs", "DescribeMetricFilters"],
    ["sns", "GetTopicAttributes"],
  ] as const)("%s %s is named in the account's error, with its service and region", async (service, operation) => {
    scenarios.compliantV12(member, HOME);
    org.faults.throttle({ accountId: member.id, service, operation, times: 1000 });
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.error).toMatch(new RegExp(`^${operation} \\(${service} ${HOME}\\): `));
  });

  it("GetTrailStatus is no longer reported as TRAIL_NOT_LOGGING", async () => {
    scenarios.compliantV12(member, HOME);
    org.faults.throttle({ accountId: member.id, operation: "GetTrailStatus", times: 1000 });
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(codesOf(result)).not.toContain("TRAIL_NOT_LOGGING");
  });

  it("makes fix write nothing in that account", async () => {
    scenarios.bareAccount(member, HOME);
    org.faults.throttle({ accountId: member.id, operation: "GetEventSelectors", times: 1000 });
    await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY] });
    expect(writeCalls(org)).toEqual([]);
  });
});

describe("a topic that cannot be read", () => {
  function chainTo(topicArn: string) {
    const t = scenarios.trail(member, HOME);
    const f = scenarios.metricFilter(member, HOME, { logGroupName: t.logGroupName ?? "" });
    scenarios.alarm(member, HOME, { metricName: f.metricName, namespace: f.namespace, actions: [topicArn] });
  }

  it("makes the account ERROR when reading it is denied, instead of TOPIC_NOT_FOUND", async () => {
    const topic = scenarios.topic(member, HOME);
    chainTo(topic.topicArn);
    org.faults.fail({
      accountId: member.id,
      operation: "GetTopicAttributes",
      error: { name: "AuthorizationErrorException", message: "not authorized", httpStatusCode: 403 },
    });
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result).toMatchObject({
      status: "ERROR",
      findings: [],
      error: expect.stringContaining("AuthorizationError"),
    });
  });

  it("is still TOPIC_NOT_FOUND when it does not exist (a real state, not a failure)", async () => {
    const topic = scenarios.topic(member, HOME);
    chainTo(topic.topicArn);
    member.deleteTopic(topic.topicArn);
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result).toMatchObject({ status: "NON_COMPLIANT", findings: [{ code: "TOPIC_NOT_FOUND" }] });
  });

  it("makes the account ERROR when it is another account's and that account cannot be opened", async () => {
    const other = org.addAccount({ name: "alerts" });
    const topic = scenarios.topic(other, HOME);
    chainTo(topic.topicArn);
    org.faults.denyAssumeRole(other.id);
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result).toMatchObject({ status: "ERROR", findings: [], error: expect.stringContaining(other.id) });
  });
});

describe("an organization trail's chain that cannot be read", () => {
  it("makes a member that follows it ERROR, not NO_METRIC_FILTER", async () => {
    scenarios.organizationTrail(org, HOME);
    org.faults.throttle({ accountId: org.managementAccountId, operation: "DescribeMetricFilters", times: 1000 });
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result).toMatchObject({ status: "ERROR", findings: [], error: expect.stringMatching(/Throttl/) });
  });
});
