/**
 * Ownership is proven, never taken from a name: a customer's resource that holds one of
 * tripwire's names is left exactly as it was, reported as NAME_TAKEN, and tripwire then writes
 * none of its chain in that region. tripwire's own resources (tagged alarm and topic, filters
 * of its exact definition) are still repaired.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { CIS_PATTERNS } from "../../shared/core/filter-pattern/index.ts";
import { ownAlarmName, ownFilterName, ownTopicArn } from "../../shared/core/naming.ts";
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
let logGroup: string;

const ALARM = ownAlarmName("tripwire");
const V12 = ownFilterName("tripwire", "cis-v1.2");

beforeEach(() => {
  org = newOrganization();
  member = org.addAccount({ name: "workload" });
  logGroup = scenarios.bareAccount(member, HOME).logGroupName ?? "";
});

const only = () => ({ accounts: member.id, notify: [SQS_NOTIFY] });
const fix = async (raw = {}) => accountOf(await sweep(org, "fix", { ...only(), ...raw }), member.id);
const ownTopic = () => ownTopicArn("aws", HOME, member.id, "tripwire");

const customerCpuAlarm = () => scenarios.customerCpuAlarm(member, HOME, ALARM);

describe("a customer's alarm of tripwire's name on an EC2 CPU metric", () => {
  it("is left exactly as it was by fix", async () => {
    customerCpuAlarm();
    const before = member.alarm(HOME, ALARM);
    await fix();
    expect(member.alarm(HOME, ALARM)).toEqual(before);
  });

  it("is reported as NAME_TAKEN, naming the alarm, the region and --prefix", async () => {
    customerCpuAlarm();
    const result = await fix();
    expect(result.findings.filter((f) => f.code === "NAME_TAKEN")).toEqual([
      {
        code: "NAME_TAKEN",
        region: HOME,
        message: expect.stringMatching(new RegExp(`^alarm ${ALARM} in ${HOME} .*--prefix OTHER`)),
      },
    ]);
  });

  it("stops fix from writing any of tripwire's chain in that region", async () => {
    customerCpuAlarm();
    org.calls.reset();
    await fix();
    expect(writeCalls(org)).toEqual([]);
  });

  it("leaves the account NON_COMPLIANT: tripwire's chain is not there", async () => {
    customerCpuAlarm();
    expect((await fix()).status).toBe("NON_COMPLIANT");
  });

  it("is reported by a dry run too, with no planned action", async () => {
    customerCpuAlarm();
    const result = await fix({ dryRun: true });
    expect(result).toMatchObject({
      actions: [],
      findings: expect.arrayContaining([expect.objectContaining({ code: "NAME_TAKEN" })]),
    });
  });

  it("is not reported by a scan, which reads no ownership", async () => {
    customerCpuAlarm();
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(codesOf(result)).toEqual(["NO_METRIC_FILTER"]);
  });
});

describe("a customer's alarm on tripwire's metric, tagged owner=customer", () => {
  it("is left as it was, tags included", async () => {
    const pager = member.createTopic(HOME, "customer-pager");
    scenarios.alarm(member, HOME, {
      alarmName: ALARM,
      namespace: "tripwire",
      metricName: "UnauthorizedAPICalls",
      period: 60,
      evaluationPeriods: 3,
      threshold: 5,
      actions: [pager],
      tags: { owner: "customer" },
    });
    const before = { alarm: member.alarm(HOME, ALARM), tags: member.alarmTags(HOME, ALARM) };
    await fix();
    expect({ alarm: member.alarm(HOME, ALARM), tags: member.alarmTags(HOME, ALARM) }).toEqual(before);
  });
});

describe("a customer's filter of tripwire's v1.2 name with another pattern", () => {
  function customerFilter() {
    scenarios.metricFilter(member, HOME, {
      logGroupName: logGroup,
      filterName: V12,
      pattern: '{ $.eventName = "ConsoleLogin" }',
      metricName: "ConsoleLogins",
      namespace: "Customer/Security",
    });
  }

  it("gets no PutMetricFilter", async () => {
    customerFilter();
    org.calls.reset();
    await fix();
    expect(org.calls.list({ operation: "PutMetricFilter" }).map((c) => c.input.filterName)).toEqual([]);
  });

  it("is left as it was", async () => {
    customerFilter();
    const before = member.metricFilters(HOME, logGroup);
    await fix();
    expect(member.metricFilters(HOME, logGroup)).toEqual(before);
  });

  it("is reported as NAME_TAKEN beside a customer's working chain, which keeps the account COMPLIANT", async () => {
    const seeded = scenarios.compliantV12(org.addAccount({ name: "other" }), HOME);
    const other = org.account(seeded.trail.accountId);
    scenarios.metricFilter(other, HOME, {
      logGroupName: seeded.trail.logGroupName ?? "",
      filterName: ownFilterName("tripwire", "cis-v1.4"),
      pattern: '{ $.eventName = "ConsoleLogin" }',
      metricName: "ConsoleLogins",
      namespace: "Customer/Security",
    });
    const result = accountOf(await sweep(org, "fix", { accounts: other.id, notify: [SQS_NOTIFY] }), other.id);
    expect(result).toMatchObject({
      status: "COMPLIANT",
      actions: [],
      findings: expect.arrayContaining([expect.objectContaining({ code: "NAME_TAKEN" })]),
    });
  });
});

describe("a customer's untagged topic of tripwire's name", () => {
  it("gets neither CreateTopic nor Subscribe", async () => {
    member.createTopic(HOME, "tripwire-unauthorized-api-calls");
    org.calls.reset();
    await fix();
    expect(writeCalls(org)).toEqual([]);
  });

  it("does not make the account COMPLIANT", async () => {
    member.createTopic(HOME, "tripwire-unauthorized-api-calls");
    const result = await fix();
    expect(result).toMatchObject({
      status: "NON_COMPLIANT",
      findings: expect.arrayContaining([expect.objectContaining({ code: "NAME_TAKEN" })]),
    });
  });
});

describe("tripwire's own resources", () => {
  it("has its tagged alarm put back after someone changed its threshold, as update-alarm", async () => {
    await fix();
    const own = member.alarm(HOME, ALARM);
    member.putMetricAlarm(HOME, { ...own, Threshold: 50 } as Parameters<SimulatedAccount["putMetricAlarm"]>[1]);
    const result = await fix();
    expect(result.actions.map((a) => `${a.type}:${a.applied}`)).toEqual(["update-alarm:true"]);
    expect(member.alarm(HOME, ALARM)?.Threshold).toBe(1);
  });

  it("has its filter that carries its other pattern put back, as update-metric-filter", async () => {
    await fix();
    member.putMetricFilter(HOME, {
      logGroupName: logGroup,
      filterName: V12,
      filterPattern: CIS_PATTERNS.v14Grouped,
      metricTransformations: [{ metricName: "UnauthorizedAPICalls", metricNamespace: "tripwire", metricValue: "1" }],
    });
    const result = await fix();
    expect(result.actions.map((a) => `${a.type}:${a.applied}`)).toEqual(["update-metric-filter:true"]);
  });

  it("gets the --notify endpoint subscribed again on its tagged topic after someone unsubscribed it", async () => {
    await fix();
    for (const s of member.subscriptions(ownTopic())) member.unsubscribe(s.arn);
    const result = await fix();
    expect(result.actions.map((a) => `${a.type}:${a.applied}`)).toEqual(["subscribe:true"]);
    expect(member.subscriptions(ownTopic())).toHaveLength(1);
  });
});

/** Read calls (Describe, Get, List) the account answered, by operation. */
function readsOf(accountId: string): string[] {
  return org.calls
    .list({ accountId })
    .filter((c) => /^(Describe|Get|List)/.test(c.operation))
    .map((c) => `${c.service}:${c.operation}`)
    .sort();
}

/** The reads a fix makes beyond those of a scan of the same account in the same state. */
async function extraReadsOfFix(raw = {}): Promise<string[]> {
  org.calls.reset();
  await sweep(org, "scan", { ...only(), ...raw });
  const scan = readsOf(member.id);
  org.calls.reset();
  await sweep(org, "fix", { ...only(), ...raw, dryRun: true });
  const extra = readsOf(member.id);
  for (const read of scan) extra.splice(extra.indexOf(read), 1);
  return extra;
}

describe("what proving ownership costs a fix of a non-compliant account", () => {
  it("costs a bare account two reads beyond a scan: the alarm by name, the topic's listing", async () => {
    expect(await extraReadsOfFix()).toEqual(["cloudwatch:DescribeAlarms", "sns:ListSubscriptionsByTopic"]);
  });

  it("costs two reads, the alarm's tags and its topic's, to repair tripwire's own alarm", async () => {
    await fix();
    const own = member.alarm(HOME, ALARM);
    member.putMetricAlarm(HOME, { ...own, Threshold: 50 } as Parameters<SimulatedAccount["putMetricAlarm"]>[1]);
    expect(await extraReadsOfFix()).toEqual(["cloudwatch:ListTagsForResource", "sns:ListTagsForResource"]);
  });

  it("costs no read to put back a deleted filter of tripwire's chain", async () => {
    await fix();
    member.deleteMetricFilter(HOME, logGroup, V12);
    expect(await extraReadsOfFix()).toEqual([]);
  });

  it("costs one read, the topic's tags, to subscribe the --notify endpoint again on tripwire's topic", async () => {
    await fix();
    for (const s of member.subscriptions(ownTopic())) member.unsubscribe(s.arn);
    expect(await extraReadsOfFix()).toEqual(["sns:ListTagsForResource"]);
  });

  it("costs a customer's alarm of tripwire's name three reads: by name, the topic's listing, its tags", async () => {
    customerCpuAlarm();
    expect(await extraReadsOfFix()).toEqual([
      "cloudwatch:DescribeAlarms",
      "cloudwatch:ListTagsForResource",
      "sns:ListSubscriptionsByTopic",
    ]);
  });
});
