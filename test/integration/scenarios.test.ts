/**
 * The engine on a simulated organization, one situation per test: what scan says of it,
 * what fix writes, and what a scan after the fix says.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { CIS_PATTERNS } from "../../shared/core/filter-pattern/index.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import {
  accountOf,
  codesOf,
  HOME,
  newOrganization,
  OTHER,
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

const only = () => ({ accounts: member.id });

describe("a bare account (trail and log group, nothing else)", () => {
  it("is NON_COMPLIANT with NO_METRIC_FILTER", async () => {
    scenarios.bareAccount(member, HOME);
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.status).toBe("NON_COMPLIANT");
    expect(codesOf(result)).toEqual(["NO_METRIC_FILTER"]);
  });

  it("is COMPLIANT for tripwire and all three scanners after fix with an SQS subscriber", async () => {
    scenarios.bareAccount(member, HOME);
    await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY] });
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.status).toBe("COMPLIANT");
    expect(result.scanners).toEqual({ securityHub: "PASS", steampipe: "PASS", prowler: "PASS" });
  });

  it("reports the fix's actions as applied, in the trail log group's region", async () => {
    scenarios.bareAccount(member, HOME);
    const result = accountOf(await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY] }), member.id);
    expect(result.actions.map((a) => [a.type, a.region, a.applied])).toEqual([
      ["create-topic", HOME, true],
      ["subscribe", HOME, true],
      ["create-metric-filter", HOME, true],
      ["create-metric-filter", HOME, true],
      ["create-alarm", HOME, true],
    ]);
  });

  it("names and tags what it creates", async () => {
    scenarios.bareAccount(member, HOME);
    await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY] });
    expect(member.alarmTags(HOME, "tripwire-unauthorized-api-calls")).toEqual({ "managed-by": "tripwire" });
  });

  it("writes nothing in a dry run and lists the planned actions as not applied", async () => {
    scenarios.bareAccount(member, HOME);
    org.calls.reset();
    const result = accountOf(await sweep(org, "fix", { ...only(), dryRun: true, notify: [SQS_NOTIFY] }), member.id);
    expect(writeCalls(org)).toEqual([]);
    expect(result.actions).toHaveLength(5);
    expect(result.actions.filter((a) => a.applied)).toEqual([]);
  });

  it("makes no write on a second fix, and reports no action", async () => {
    scenarios.bareAccount(member, HOME);
    await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY] });
    org.calls.reset();
    const second = accountOf(await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY] }), member.id);
    expect(writeCalls(org)).toEqual([]);
    expect(second.actions).toEqual([]);
  });

  it("stays NON_COMPLIANT with NO_CONFIRMED_SUBSCRIPTION while the email subscription is pending", async () => {
    scenarios.bareAccount(member, HOME);
    const result = accountOf(await sweep(org, "fix", { ...only(), notify: ["email:secops@example.com"] }), member.id);
    expect(result.status).toBe("NON_COMPLIANT");
    expect(codesOf(result)).toEqual(["NO_CONFIRMED_SUBSCRIPTION"]);
  });
});

describe("a compliant CIS v1.2 account", () => {
  it("is COMPLIANT, and Steampipe alone would fail it", async () => {
    scenarios.compliantV12(member, HOME);
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.status).toBe("COMPLIANT");
    expect(result.findings).toEqual([]);
    expect(result.scanners).toEqual({ securityHub: "PASS", steampipe: "FAIL", prowler: "PASS" });
  });

  it("costs at most 8 API calls to scan", async () => {
    scenarios.compliantV12(member, HOME);
    org.calls.reset();
    await sweep(org, "scan", only());
    expect(org.calls.count({ accountId: member.id })).toBeLessThanOrEqual(8);
  });

  it("gets only the v1.4 filter (for Steampipe) and tripwire's alarm from fix, the customer's chain untouched", async () => {
    const seeded = scenarios.compliantV12(member, HOME);
    const before = member.metricFilters(HOME, seeded.trail.logGroupName);
    const result = accountOf(await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY] }), member.id);
    const filterActions = result.actions.filter((a) => a.type.endsWith("metric-filter")).map((a) => a.resource);
    expect(filterActions).toEqual([
      `log-group:${seeded.trail.logGroupName}/metric-filter:tripwire-unauthorized-api-calls-cis-v1.4`,
    ]);
    expect(
      member.metricFilters(HOME, seeded.trail.logGroupName).filter((f) => f.filterName === seeded.filter.filterName),
    ).toEqual(before.filter((f) => f.filterName === seeded.filter.filterName));
  });

  it("writes nothing with the securityhub profile", async () => {
    scenarios.compliantV12(member, HOME);
    org.calls.reset();
    await sweep(org, "fix", { ...only(), filterProfile: "securityhub", notify: [SQS_NOTIFY] });
    expect(writeCalls(org)).toEqual([]);
  });
});

describe("filter patterns judged by what they match", () => {
  it("accepts the v1.2 pattern written without spaces", async () => {
    const t = scenarios.trail(member, HOME);
    const f = scenarios.metricFilter(member, HOME, {
      logGroupName: t.logGroupName!,
      pattern: '{($.errorCode="*UnauthorizedOperation")||($.errorCode="AccessDenied*")}',
    });
    const topic = scenarios.topic(member, HOME);
    scenarios.alarm(member, HOME, { metricName: f.metricName, namespace: f.namespace, actions: [topic.topicArn] });
    expect(accountOf(await sweep(org, "scan", only()), member.id).status).toBe("COMPLIANT");
  });

  it("flags the CIS v1.4 CLI text (||) as matching everything, although every scanner but Security Hub passes it", async () => {
    const t = scenarios.trail(member, HOME);
    const f = scenarios.metricFilter(member, HOME, { logGroupName: t.logGroupName!, pattern: CIS_PATTERNS.v14CliText });
    const topic = scenarios.topic(member, HOME);
    scenarios.alarm(member, HOME, { metricName: f.metricName, namespace: f.namespace, actions: [topic.topicArn] });
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.status).toBe("NON_COMPLIANT");
    expect(codesOf(result)).toEqual(["FILTER_PATTERN_MATCHES_EVERYTHING"]);
    expect(result.scanners.steampipe).toBe("PASS");
    expect(result.scanners.prowler).toBe("PASS");
  });

  it("puts tripwire's filters beside the || filter and leaves that filter as it was", async () => {
    const t = scenarios.trail(member, HOME);
    scenarios.metricFilter(member, HOME, {
      logGroupName: t.logGroupName!,
      filterName: "cis-4-1",
      pattern: CIS_PATTERNS.v14CliText,
    });
    await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY] });
    const filters = member.metricFilters(HOME, t.logGroupName).map((f) => [f.filterName, f.filterPattern]);
    expect(filters).toContainEqual(["cis-4-1", CIS_PATTERNS.v14CliText]);
    expect(filters.map((f) => f[0]).sort()).toEqual([
      "cis-4-1",
      "tripwire-unauthorized-api-calls-cis-v1.2",
      "tripwire-unauthorized-api-calls-cis-v1.4",
    ]);
  });
});

describe("broken alarms and topics", () => {
  function chainWith(
    alarmOptions: Parameters<typeof scenarios.alarm>[2],
    topicOptions?: Parameters<typeof scenarios.topic>[2],
  ) {
    const t = scenarios.trail(member, HOME);
    const f = scenarios.metricFilter(member, HOME, { logGroupName: t.logGroupName! });
    const topic = scenarios.topic(member, HOME, topicOptions);
    scenarios.alarm(member, HOME, {
      metricName: f.metricName,
      namespace: f.namespace,
      actions: [topic.topicArn],
      ...alarmOptions,
    });
    return topic;
  }

  it("reports an alarm without actions", async () => {
    chainWith({ actions: [] });
    expect(codesOf(accountOf(await sweep(org, "scan", only()), member.id))).toEqual(["ALARM_WITHOUT_SNS_ACTION"]);
  });

  it("reports an alarm whose actions are disabled", async () => {
    chainWith({ actionsEnabled: false });
    expect(codesOf(accountOf(await sweep(org, "scan", only()), member.id))).toEqual(["ALARM_ACTIONS_DISABLED"]);
  });

  it("leaves a disabled customer alarm disabled, says so after the fix, and is COMPLIANT through its own chain", async () => {
    chainWith({ actionsEnabled: false, alarmName: "customer-alarm" });
    const result = accountOf(await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY] }), member.id);
    expect(result.status).toBe("COMPLIANT");
    expect(codesOf(result)).toEqual(["ALARM_ACTIONS_DISABLED"]);
    expect(member.alarm(HOME, "customer-alarm")?.ActionsEnabled).toBe(false);
  });

  it("reports a topic with only a pending email subscription, which Security Hub would still pass", async () => {
    chainWith({}, { subscriptions: [{ endpoint: "secops@example.com", confirmed: false }] });
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(codesOf(result)).toEqual(["NO_CONFIRMED_SUBSCRIPTION"]);
    expect(result.scanners.securityHub).toBe("PASS");
  });

  it("reports an alarm whose topic was deleted", async () => {
    const topic = chainWith({});
    member.deleteTopic(topic.topicArn);
    expect(codesOf(accountOf(await sweep(org, "scan", only()), member.id))).toEqual(["TOPIC_NOT_FOUND"]);
  });

  it("reports an alarm that needs three datapoints as unable to fire", async () => {
    chainWith({ evaluationPeriods: 3 });
    expect(codesOf(accountOf(await sweep(org, "scan", only()), member.id))).toEqual(["ALARM_CANNOT_FIRE"]);
  });
});

describe("trail problems are reported, not changed", () => {
  it("reports a trail that is not logging, and fix does not start it", async () => {
    const t = scenarios.compliantV12(member, HOME, { logging: false });
    const result = accountOf(await sweep(org, "fix", { ...only(), filterProfile: "securityhub" }), member.id);
    expect(result.status).toBe("NON_COMPLIANT");
    expect(codesOf(result)).toEqual(["TRAIL_NOT_LOGGING"]);
    expect(member.isLogging(t.trail.trailArn)).toBe(false);
  });

  it("reports an account with no trail, and fix writes nothing", async () => {
    org.calls.reset();
    const result = accountOf(await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY] }), member.id);
    expect(codesOf(result)).toEqual(["NO_MULTI_REGION_TRAIL"]);
    expect(writeCalls(org)).toEqual([]);
  });

  it("reports a single-region trail as no multi-region trail", async () => {
    scenarios.trail(member, HOME, { multiRegion: false, name: "local-only" });
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.findings).toEqual([
      {
        code: "NO_MULTI_REGION_TRAIL",
        region: "global",
        message: "no multi-region trail; single-region trail(s) seen: local-only",
      },
    ]);
  });

  it("reports a trail that records only write management events", async () => {
    scenarios.compliantV12(member, HOME, { selectors: "writeOnly" });
    expect(codesOf(accountOf(await sweep(org, "scan", only()), member.id))).toEqual([
      "TRAIL_MISSING_MANAGEMENT_EVENTS",
    ]);
  });

  it("accepts advanced event selectors for management events, where Steampipe would fail them", async () => {
    const t = scenarios.trail(member, HOME, { selectors: "advancedManagement" });
    const f = scenarios.metricFilter(member, HOME, { logGroupName: t.logGroupName!, pattern: CIS_PATTERNS.v14Grouped });
    const topic = scenarios.topic(member, HOME);
    scenarios.alarm(member, HOME, { metricName: f.metricName, namespace: f.namespace, actions: [topic.topicArn] });
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.status).toBe("COMPLIANT");
    expect(result.scanners.steampipe).toBe("FAIL");
  });
});

describe("two regions", () => {
  it("finds a trail homed in another region through its shadow and fixes the chain where the log group is", async () => {
    const t = scenarios.bareAccount(member, OTHER);
    await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY] });
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.status).toBe("COMPLIANT");
    expect(member.metricFilters(OTHER, t.logGroupName)).toHaveLength(2);
    expect(member.alarms(HOME)).toHaveLength(0);
  });

  it("does not write outside --regions", async () => {
    scenarios.bareAccount(member, OTHER);
    org.calls.reset();
    await sweep(org, "fix", { ...only(), regions: HOME, notify: [SQS_NOTIFY] });
    expect(writeCalls(org)).toEqual([]);
  });

  it("costs the same number of calls to scan a compliant account with one region or two in scope", async () => {
    scenarios.compliantV12(member, HOME);
    org.calls.reset();
    await sweep(org, "scan", { ...only(), regions: HOME });
    const one = org.calls.count({ accountId: member.id });
    org.calls.reset();
    await sweep(org, "scan", { ...only(), regions: `${HOME},${OTHER}` });
    expect(org.calls.count({ accountId: member.id })).toBe(one);
  });
});

describe("cost of a fix on an account that needs nothing", () => {
  it("reads no more than a scan does when the account already meets the filter profile", async () => {
    scenarios.compliantV12(member, HOME);
    org.calls.reset();
    await sweep(org, "scan", { ...only(), filterProfile: "securityhub" });
    const scanCalls = org.calls.count({ accountId: member.id });
    org.calls.reset();
    await sweep(org, "fix", { ...only(), filterProfile: "securityhub", notify: [SQS_NOTIFY] });
    expect(org.calls.count({ accountId: member.id })).toBe(scanCalls);
  });
});
