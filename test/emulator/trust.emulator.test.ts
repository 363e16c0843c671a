/**
 * tripwire's promises against moto, with the real `tripwire` command (issue 8, items 1, 2,
 * 3, 4 and 6): a name is no proof of ownership, a member cannot switch heal off for itself,
 * every account ends a run with a status whatever fails, and a count that moto never keeps
 * is not taken for a verdict.
 *
 * Where moto is not AWS (see each comment), the test says so; where it lacks something
 * tripwire needs, the test asks tripwire to report that honestly, not a verdict.
 */
import { describe, expect, it } from "vitest";
import { jsonOf } from "./cli.ts";
import { emulatorUnavailable, useEmulator } from "./emulator.ts";
import { THROTTLING } from "./fault-proxy.ts";
import {
  accountIn,
  alarmNamed,
  alarmTags,
  assumedRoleIdentity,
  CIS_V12_PATTERN,
  deleteMetricFilterEvent,
  type HealReport,
  memberScope,
  memberWithTrail,
  metricFilters,
  type Organization,
  OWN_ALARM,
  OWN_TOPIC,
  REGION,
  type SweepReport,
  subscriptionsOf,
  TRAIL_LOG_GROUP,
  V12_FILTER,
} from "./scenario.ts";

describe.skipIf(emulatorUnavailable())("tripwire's promises against moto (issue 8)", { timeout: 90_000 }, () => {
  const emulator = useEmulator();

  const fix = (org: Organization) =>
    emulator.cli.run(["fix", "--json", "--notify", `sqs:${org.queueArn}`, ...memberScope(org)]);

  /** A topic of the customer's in the member account, for their alarms to page. */
  async function customerPager(): Promise<string> {
    const { TopicArn } = await emulator.aws.call<{ TopicArn: string }>("member", "sns", "create_topic", {
      Name: "customer-pager",
    });
    return TopicArn;
  }

  describe("ownership is proven, never taken from a name (item 1)", () => {
    it("fix leaves a customer's alarm named like tripwire's on an EC2 CPU metric unchanged and names the taken name", async () => {
      const org = await memberWithTrail(emulator.aws);
      const pager = await customerPager();
      await emulator.aws.call("member", "cloudwatch", "put_metric_alarm", {
        AlarmName: OWN_ALARM,
        Namespace: "AWS/EC2",
        MetricName: "CPUUtilization",
        Dimensions: [{ Name: "InstanceId", Value: "i-0123456789abcdef0" }],
        Statistic: "Average",
        Period: 300,
        EvaluationPeriods: 2,
        Threshold: 90,
        ComparisonOperator: "GreaterThanThreshold",
        AlarmActions: [pager],
      });
      const before = await alarmNamed(emulator.aws, "member", OWN_ALARM);

      const result = await fix(org);

      expect(await alarmNamed(emulator.aws, "member", OWN_ALARM)).toEqual(before);
      const messages = accountIn(jsonOf<SweepReport>(result), org.member).findings.map((f) => f.message);
      expect(messages.filter((m) => m.includes(OWN_ALARM) && m.includes("--prefix"))).not.toEqual([]);
    });

    it("fix leaves a customer's alarm on tripwire's metric, tagged owner=customer, unchanged", async () => {
      const org = await memberWithTrail(emulator.aws);
      const pager = await customerPager();
      await emulator.aws.call("member", "cloudwatch", "put_metric_alarm", {
        AlarmName: OWN_ALARM,
        Namespace: "tripwire",
        MetricName: "UnauthorizedAPICalls",
        Statistic: "Sum",
        Period: 60,
        EvaluationPeriods: 3,
        Threshold: 5,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        AlarmActions: [pager],
        Tags: [{ Key: "owner", Value: "customer" }],
      });
      const before = await alarmNamed(emulator.aws, "member", OWN_ALARM);

      await fix(org);

      expect(await alarmNamed(emulator.aws, "member", OWN_ALARM)).toEqual(before);
      expect(await alarmTags(emulator.aws, "member", before?.AlarmArn ?? "")).toEqual({ owner: "customer" });
    });

    it("fix leaves a customer's filter named like tripwire's v1.2 filter, with another pattern, unchanged", async () => {
      const org = await memberWithTrail(emulator.aws);
      const customers = {
        logGroupName: TRAIL_LOG_GROUP,
        filterName: V12_FILTER,
        filterPattern: '{ $.eventName = "ConsoleLogin" }',
        metricTransformations: [
          { metricName: "ConsoleLogins", metricNamespace: "Customer/Security", metricValue: "1" },
        ],
      };
      await emulator.aws.call("member", "logs", "put_metric_filter", customers);

      await fix(org);

      // On AWS, PutMetricFilter with a taken name replaces that filter; moto adds a second
      // filter of the same name instead, so the customer's would survive in moto. The test
      // therefore checks the wire (no PutMetricFilter for that name went out) and that the
      // log group holds only the customer's filter of that name.
      const puts = emulator.proxy.calls.filter(
        (c) =>
          c.operation === "PutMetricFilter" &&
          (JSON.parse(c.requestBody) as { filterName?: string }).filterName === V12_FILTER,
      );
      expect(puts.map((c) => c.requestBody)).toEqual([]);
      const named = (await metricFilters(emulator.aws, "member", TRAIL_LOG_GROUP)).filter(
        (f) => f.filterName === V12_FILTER,
      );
      expect(named).toMatchObject([
        { filterPattern: customers.filterPattern, metricTransformations: customers.metricTransformations },
      ]);
    });

    it("fix adds no subscription to an untagged customer topic named like tripwire's", async () => {
      const org = await memberWithTrail(emulator.aws);
      // moto, unlike AWS, also answers CreateTopic for an existing name with other tags with
      // that topic's ARN (AWS refuses: "Topic already exists with different tags").
      const { TopicArn } = await emulator.aws.call<{ TopicArn: string }>("member", "sns", "create_topic", {
        Name: OWN_TOPIC,
      });

      await fix(org);

      expect(await subscriptionsOf(emulator.aws, "member", TopicArn)).toEqual([]);
    });

    it("fix does not report an account COMPLIANT on the strength of a customer's topic named like tripwire's", async () => {
      const org = await memberWithTrail(emulator.aws);
      await emulator.aws.call("member", "sns", "create_topic", { Name: OWN_TOPIC });

      const result = await fix(org);

      expect(accountIn(jsonOf<SweepReport>(result), org.member).status).not.toBe("COMPLIANT");
    });

    it("prune keeps a customer's tripwire-app-errors filter on log group app-logs", async () => {
      const org = await memberWithTrail(emulator.aws);
      await emulator.aws.call("member", "logs", "create_log_group", { logGroupName: "app-logs" });
      const customers = {
        logGroupName: "app-logs",
        filterName: "tripwire-app-errors",
        filterPattern: "ERROR",
        metricTransformations: [{ metricName: "Errors", metricNamespace: "App", metricValue: "1" }],
      };
      await emulator.aws.call("member", "logs", "put_metric_filter", customers);
      const fixed = await fix(org);
      if (fixed.code !== 0)
        throw new Error(`arrangement: fix failed (exit ${fixed.code}): ${fixed.stderr.slice(-600)}`);

      await emulator.cli.run(["prune", "--json", ...memberScope(org)]);

      const filters = await metricFilters(emulator.aws, "member", "app-logs");
      expect(filters).toMatchObject([{ filterName: customers.filterName, filterPattern: customers.filterPattern }]);
    });
  });

  describe("a member cannot switch heal off for itself (item 2)", () => {
    async function fixedMemberWithoutV12Filter(): Promise<Organization> {
      const org = await memberWithTrail(emulator.aws);
      const fixed = await fix(org);
      if (fixed.code !== 0)
        throw new Error(`arrangement: fix failed (exit ${fixed.code}): ${fixed.stderr.slice(-600)}`);
      await emulator.aws.call("member", "logs", "delete_metric_filter", {
        logGroupName: TRAIL_LOG_GROUP,
        filterName: V12_FILTER,
      });
      return org;
    }

    async function healDeletion(org: Organization, actor: Record<string, unknown>) {
      const event = emulator.cli.writeFile(
        "delete-filter.json",
        deleteMetricFilterEvent(org.member, TRAIL_LOG_GROUP, V12_FILTER, actor),
      );
      return emulator.cli.run(["heal", "--event", event, "--json", "--regions", REGION]);
    }

    it("heal repairs a deletion by a session of a role named tripwire-heal-role in the member account", async () => {
      const org = await fixedMemberWithoutV12Filter();

      const heal = await healDeletion(org, assumedRoleIdentity(org.member, "tripwire-heal-role", "admin"));

      expect(jsonOf<HealReport>(heal).status).toBe("healed");
      const filters = await metricFilters(emulator.aws, "member", TRAIL_LOG_GROUP);
      expect(filters.map((f) => f.filterName)).toContain(V12_FILTER);
    });

    it("heal repairs a deletion by a session named tripwire-x on OrganizationAccountAccessRole", async () => {
      const org = await fixedMemberWithoutV12Filter();

      const heal = await healDeletion(
        org,
        assumedRoleIdentity(org.member, "OrganizationAccountAccessRole", "tripwire-x"),
      );

      expect(jsonOf<HealReport>(heal).status).toBe("healed");
      const filters = await metricFilters(emulator.aws, "member", TRAIL_LOG_GROUP);
      expect(filters.map((f) => f.filterName)).toContain(V12_FILTER);
    });
  });

  describe("every account ends the run with a status, whatever fails (items 3 and 4)", () => {
    it("a persistently failing second ListAccounts page: the listed accounts get a status, the report says the listing is incomplete, exit 1", async () => {
      // 25 accounts: Organizations pages ListAccounts by at most 20, so there is a second page.
      const members = Array.from({ length: 24 }, (_, i) => (i === 0 ? "member" : `member-${i}`));
      await memberWithTrail(emulator.aws, members);
      emulator.proxy.addRule({
        service: "organizations",
        operation: "ListAccounts",
        on: { from: 2 },
        fault: { status: 400, code: THROTTLING.organizations ?? "TooManyRequestsException", message: "Rate exceeded" },
      });

      const scan = await emulator.cli.run(["scan", "--json", "--regions", REGION, "--max-attempts", "3"]);

      const report = jsonOf<SweepReport>(scan);
      expect(report.listing).toMatchObject({ complete: false, error: expect.stringContaining("ListAccounts") });
      const served = emulator.proxy.calls
        .filter((c) => c.operation === "ListAccounts" && c.status === 200)
        .flatMap((c) => (JSON.parse(c.responseBody ?? "{}") as { Accounts?: { Id: string }[] }).Accounts ?? [])
        .map((a) => a.Id);
      const withStatus = new Set(report.accounts.filter((a) => a.status).map((a) => a.accountId));
      expect(served.length).toBeGreaterThan(0);
      expect(served.filter((id) => !withStatus.has(id))).toEqual([]);
      expect(scan.code).toBe(1);
    });

    it("a hung DescribeMetricFilters makes that account ERROR naming the call, and the run finishes with exit 1", async () => {
      const org = await memberWithTrail(emulator.aws);
      emulator.proxy.addRule({
        service: "logs",
        operation: "DescribeMetricFilters",
        on: "every",
        fault: { hold: true },
      });

      // Assumed setting (issue 8 asks for a request timeout on every call): TRIPWIRE_CALL_TIMEOUT,
      // also --call-timeout, a duration such as "2s". Two attempts of two seconds each.
      const scan = await emulator.cli.run(["scan", "--json", "--max-attempts", "2", ...memberScope(org)], {
        env: { TRIPWIRE_CALL_TIMEOUT: "2s" },
        killAfterMs: 20_000,
      });

      expect(scan.timedOut).toBe(false);
      const member = accountIn(jsonOf<SweepReport>(scan), org.member);
      expect(member).toMatchObject({ status: "ERROR", error: expect.stringContaining("DescribeMetricFilters") });
      expect(scan.code).toBe(1);
    });
  });

  describe("subscriptions are listed before a topic is judged to have none (item 6)", () => {
    it("a customer topic with a confirmed SQS subscriber is not reported as having no subscription although moto counts 0", async () => {
      const org = await memberWithTrail(emulator.aws);
      const pager = await customerPager();
      await emulator.aws.call("member", "sqs", "create_queue", { QueueName: "pager-queue" });
      const queueArn = `arn:aws:sqs:${REGION}:${org.member}:pager-queue`;
      // SNS confirms an SQS subscription in the same account at once (a real SubscriptionArn).
      await emulator.aws.call("member", "sns", "subscribe", {
        TopicArn: pager,
        Protocol: "sqs",
        Endpoint: queueArn,
        ReturnSubscriptionArn: true,
      });
      await emulator.aws.call("member", "logs", "put_metric_filter", {
        logGroupName: TRAIL_LOG_GROUP,
        filterName: "unauthorized-api-calls",
        filterPattern: CIS_V12_PATTERN,
        metricTransformations: [
          { metricName: "UnauthorizedAPICalls", metricNamespace: "Customer/CIS", metricValue: "1" },
        ],
      });
      await emulator.aws.call("member", "cloudwatch", "put_metric_alarm", {
        AlarmName: "unauthorized-api-calls",
        Namespace: "Customer/CIS",
        MetricName: "UnauthorizedAPICalls",
        Statistic: "Sum",
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        TreatMissingData: "notBreaching",
        AlarmActions: [pager],
      });
      // moto never updates SubscriptionsConfirmed / SubscriptionsPending (AWS updates them on
      // its own schedule): this test is about that gap, so it checks the gap is still there.
      const { Attributes } = await emulator.aws.call<{ Attributes: Record<string, string> }>(
        "member",
        "sns",
        "get_topic_attributes",
        {
          TopicArn: pager,
        },
      );
      if (Attributes.SubscriptionsConfirmed !== "0")
        throw new Error("arrangement: moto now counts confirmed subscriptions");

      const scan = await emulator.cli.run(["scan", "--json", ...memberScope(org)]);

      const member = accountIn(jsonOf<SweepReport>(scan), org.member);
      expect(member.findings.filter((f) => f.code === "NO_CONFIRMED_SUBSCRIPTION")).toEqual([]);
      expect(member.status).toBe("COMPLIANT");
    });
  });
});
