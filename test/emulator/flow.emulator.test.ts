/**
 * The plain flow, with the real `tripwire` command against moto: scan, fix, fix again, scan,
 * and heal from a drift event. Each test arranges its own organization (moto is reset
 * before each): a management account without a trail, left out of the runs, and a member
 * whose multi-region, logging trail delivers to a log group with no metric filter.
 *
 * Where moto is not AWS (see each comment), the test says so.
 */
import { describe, expect, it } from "vitest";
import { jsonOf } from "./cli.ts";
import { emulatorUnavailable, useEmulator } from "./emulator.ts";
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
  type SweepReport,
  subscriptionsOf,
  TRAIL_LOG_GROUP,
  topicArn,
  topicTags,
  V12_FILTER,
  V14_FILTER,
} from "./scenario.ts";

const V14_GROUPED_PATTERN =
  '{(($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")) && (($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket"))}';
const OWN_METRIC = { metricName: "UnauthorizedAPICalls", metricNamespace: "tripwire", metricValue: "1" };
const WRITE_OPERATION = /^(Put|Create|Delete|Subscribe|Unsubscribe|Set|Tag|Untag|Update|Start|Stop|Disable|Enable)/;

describe.skipIf(emulatorUnavailable())(
  "tripwire against moto: scan, fix, fix again, scan, heal",
  { timeout: 90_000 },
  () => {
    const emulator = useEmulator();

    async function fixedMember(): Promise<Organization> {
      const org = await memberWithTrail(emulator.aws);
      const fix = await emulator.cli.run(["fix", "--json", "--notify", `sqs:${org.queueArn}`, ...memberScope(org)]);
      if (fix.code !== 0)
        throw new Error(`arrangement: the first fix failed (exit ${fix.code}): ${fix.stderr.slice(-600)}`);
      emulator.proxy.reset();
      return org;
    }

    it("scan reports a member whose trail's log group has no filter NON_COMPLIANT with NO_METRIC_FILTER", async () => {
      const org = await memberWithTrail(emulator.aws);

      const scan = await emulator.cli.run(["scan", "--json", ...memberScope(org)]);

      const member = accountIn(jsonOf<SweepReport>(scan), org.member);
      expect(member.status).toBe("NON_COMPLIANT");
      expect(member.findings.map((f) => f.code)).toContain("NO_METRIC_FILTER");
      expect(scan.code).toBe(1);
    });

    it("fix creates tripwire's two filters, its tagged alarm and topic, and the --notify subscription", async () => {
      const org = await memberWithTrail(emulator.aws);

      const fix = await emulator.cli.run(["fix", "--json", "--notify", `sqs:${org.queueArn}`, ...memberScope(org)]);

      expect(accountIn(jsonOf<SweepReport>(fix), org.member).status).toBe("COMPLIANT");
      // tripwire writes its two filters in parallel; moto lists filters in the order they
      // arrived, AWS "ASCII-sorted by filter name" (DescribeMetricFilters): sorted here as AWS does.
      const filters = (await metricFilters(emulator.aws, "member", TRAIL_LOG_GROUP)).sort((a, b) =>
        a.filterName < b.filterName ? -1 : 1,
      );
      expect(filters).toMatchObject([
        { filterName: V12_FILTER, filterPattern: CIS_V12_PATTERN, metricTransformations: [OWN_METRIC] },
        { filterName: V14_FILTER, filterPattern: V14_GROUPED_PATTERN, metricTransformations: [OWN_METRIC] },
      ]);
      const topic = topicArn(org.member, OWN_TOPIC);
      const alarm = await alarmNamed(emulator.aws, "member", OWN_ALARM);
      expect(alarm).toMatchObject({
        Namespace: "tripwire",
        MetricName: "UnauthorizedAPICalls",
        AlarmActions: [topic],
        ActionsEnabled: true,
      });
      expect(await alarmTags(emulator.aws, "member", alarm?.AlarmArn ?? "")).toEqual({ "managed-by": "tripwire" });
      expect(await topicTags(emulator.aws, "member", topic)).toEqual({ "managed-by": "tripwire" });
      const subscriptions = await subscriptionsOf(emulator.aws, "member", topic);
      expect(subscriptions).toMatchObject([{ Protocol: "sqs", Endpoint: org.queueArn }]);
      expect(fix.code).toBe(0);
    });

    it("a second fix plans nothing and makes no write call", async () => {
      const org = await fixedMember();

      const again = await emulator.cli.run(["fix", "--json", "--notify", `sqs:${org.queueArn}`, ...memberScope(org)]);

      expect(accountIn(jsonOf<SweepReport>(again), org.member).actions).toEqual([]);
      // The proxy saw the run (so an empty list of writes means something).
      expect(emulator.proxy.calls.some((c) => c.operation === "DescribeMetricFilters")).toBe(true);
      const writes = emulator.proxy.calls
        .filter((c) => WRITE_OPERATION.test(c.operation))
        .map((c) => `${c.service}:${c.operation}`);
      expect(writes).toEqual([]);
      expect(again.code).toBe(0);
    });

    it("scan after fix reports the member COMPLIANT", async () => {
      // moto never updates a topic's SubscriptionsConfirmed / SubscriptionsPending counts (they
      // stay "0"); tripwire's own topic is judged by ListSubscriptionsByTopic, which moto answers
      // with the SQS subscription's real ARN, as AWS does for an SQS subscriber.
      const org = await fixedMember();

      const scan = await emulator.cli.run(["scan", "--json", ...memberScope(org)]);

      const member = accountIn(jsonOf<SweepReport>(scan), org.member);
      expect(member).toMatchObject({ status: "COMPLIANT", findings: [] });
      expect(scan.code).toBe(0);
    });

    it("heal puts back tripwire's v1.2 filter after a DeleteMetricFilter event", async () => {
      const org = await fixedMember();
      await emulator.aws.call("member", "logs", "delete_metric_filter", {
        logGroupName: TRAIL_LOG_GROUP,
        filterName: V12_FILTER,
      });
      // The caller, as in events/drift/logs-delete-metric-filter.json: a person's SSO session.
      const admin = assumedRoleIdentity(
        org.member,
        "AWSReservedSSO_AdministratorAccess_4f8c2a1b9d3e7f60",
        "jane.doe@example.com",
      );
      const event = emulator.cli.writeFile(
        "delete-filter.json",
        deleteMetricFilterEvent(org.member, TRAIL_LOG_GROUP, V12_FILTER, admin),
      );

      const heal = await emulator.cli.run(["heal", "--event", event, "--json", "--regions", "us-east-1"]);

      expect(jsonOf<HealReport>(heal).status).toBe("healed");
      const filters = await metricFilters(emulator.aws, "member", TRAIL_LOG_GROUP);
      expect(filters.find((f) => f.filterName === V12_FILTER)).toMatchObject({
        filterPattern: CIS_V12_PATTERN,
        metricTransformations: [OWN_METRIC],
      });
      expect(heal.code).toBe(0);
    });
  },
);
