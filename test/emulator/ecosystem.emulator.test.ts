/**
 * Issue 12 with the real `tripwire` command against moto: findings in Security Hub, and
 * encrypted topics. Where moto is not AWS, the test says so; the simulation's tests
 * (test/simulation/securityhub.test.ts, test/integration/security-hub.test.ts) cover what
 * moto cannot show.
 *
 * moto 5.2's Security Hub, as found (and why these tests prove less than AWS would demand):
 *  - no enabled check: BatchImportFindings works in an account that never called
 *    EnableSecurityHub (AWS: InvalidAccessException); the tests enable it anyway, as on AWS;
 *  - no account check: a finding about another account is taken (AWS: AccessDeniedException
 *    for the whole call); that tripwire imports from the member is shown by moto keeping
 *    state per account: the finding is in the member's hub, not in the management account's;
 *  - no UpdatedAt rule: an update with an earlier or equal UpdatedAt still applies, and an
 *    update merges into the stored finding (AWS replaces it, keeping only a few fields);
 *  - GetFindings ignores every filter.
 */
import { describe, expect, it } from "vitest";
import { jsonOf } from "./cli.ts";
import { emulatorUnavailable, useEmulator } from "./emulator.ts";
import {
  accountIn,
  CIS_V12_PATTERN,
  memberScope,
  memberWithTrail,
  OWN_TOPIC,
  REGION,
  type SweepReport,
  TRAIL_LOG_GROUP,
  topicArn,
} from "./scenario.ts";

interface AsffFinding {
  readonly Id: string;
  readonly AwsAccountId: string;
  readonly ProductArn: string;
  readonly UpdatedAt: string;
  readonly RecordState?: string;
  readonly Compliance?: { readonly Status: string };
  readonly ProductFields?: Record<string, string>;
  readonly Resources: readonly { readonly Type: string; readonly Id: string }[];
}

interface HubReport extends SweepReport {
  readonly accounts: readonly (SweepReport["accounts"][number] & {
    readonly securityHub?: {
      readonly imported: boolean;
      readonly notes: readonly string[];
      readonly findingId: string;
    };
  })[];
}

describe.skipIf(emulatorUnavailable())(
  "tripwire against moto: Security Hub, encrypted topics",
  { timeout: 90_000 },
  () => {
    const emulator = useEmulator();

    const findingsOf = async (account: string) =>
      (await emulator.aws.call<{ Findings: AsffFinding[] }>(account, "securityhub", "get_findings", {})).Findings;

    describe("scan --security-hub", () => {
      it("imports the member's finding into the member's own Security Hub, with the stable Id", async () => {
        const org = await memberWithTrail(emulator.aws);
        await emulator.aws.call("member", "securityhub", "enable_security_hub", {});

        const scan = await emulator.cli.run(["scan", "--json", "--security-hub", ...memberScope(org)]);

        expect(accountIn(jsonOf<HubReport>(scan), org.member)).toMatchObject({
          status: "NON_COMPLIANT",
          securityHub: { imported: true, notes: [] },
        });
        expect(await findingsOf("member")).toMatchObject([
          {
            Id: `tripwire/${org.member}/${REGION}/unauthorized-api-calls`,
            AwsAccountId: org.member,
            ProductArn: `arn:aws:securityhub:${REGION}:${org.member}:product/${org.member}/default`,
            Compliance: { Status: "FAILED" },
            ProductFields: { "tripwire/findingCodes": "NO_METRIC_FILTER" },
          },
        ]);
      });

      it("imports from the member account: the management account's hub holds nothing", async () => {
        // moto keeps Security Hub state per account (and does not check AwsAccountId): where the
        // finding lands tells which account's credentials imported it.
        const org = await memberWithTrail(emulator.aws);
        await emulator.aws.call("member", "securityhub", "enable_security_hub", {});
        await emulator.aws.call("management", "securityhub", "enable_security_hub", {});

        await emulator.cli.run(["scan", "--json", "--security-hub", ...memberScope(org)]);

        expect(await findingsOf("management")).toEqual([]);
      });

      it("sends one BatchImportFindings call for the account", async () => {
        const org = await memberWithTrail(emulator.aws);
        await emulator.aws.call("member", "securityhub", "enable_security_hub", {});

        await emulator.cli.run(["scan", "--json", "--security-hub", ...memberScope(org)]);

        const imports = emulator.proxy.calls.filter((c) => c.service === "securityhub");
        expect(imports.map((c) => c.operation)).toEqual(["POST /findings/import"]);
      });

      it("updates the same finding after a fix: one finding, PASSED, UpdatedAt later", async () => {
        // moto applies any update of the Id (it does not compare UpdatedAt, as AWS does): this
        // shows one finding updated, not the rule; test/simulation/securityhub.test.ts shows it.
        const org = await memberWithTrail(emulator.aws);
        await emulator.aws.call("member", "securityhub", "enable_security_hub", {});
        await emulator.cli.run(["scan", "--json", "--security-hub", ...memberScope(org)]);
        const [before] = await findingsOf("member");

        const fix = await emulator.cli.run([
          "fix",
          "--json",
          "--security-hub",
          "--notify",
          `sqs:${org.queueArn}`,
          ...memberScope(org),
        ]);

        expect(accountIn(jsonOf<HubReport>(fix), org.member).status).toBe("COMPLIANT");
        const after = await findingsOf("member");
        expect(after).toMatchObject([{ Id: before?.Id, Compliance: { Status: "PASSED" } }]);
        expect(Date.parse(after[0]?.UpdatedAt ?? "")).toBeGreaterThan(Date.parse(before?.UpdatedAt ?? ""));
      });

      it("names the account, the trail and the log group as the finding's resources", async () => {
        const org = await memberWithTrail(emulator.aws);
        await emulator.aws.call("member", "securityhub", "enable_security_hub", {});

        await emulator.cli.run(["scan", "--json", "--security-hub", ...memberScope(org)]);

        const [finding] = await findingsOf("member");
        expect(finding?.Resources.map((r) => r.Type)).toEqual(["AwsAccount", "AwsCloudTrailTrail", "Other"]);
      });

      it("archives the finding on prune --security-hub", async () => {
        const org = await memberWithTrail(emulator.aws);
        await emulator.aws.call("member", "securityhub", "enable_security_hub", {});
        await emulator.cli.run(["scan", "--json", "--security-hub", ...memberScope(org)]);

        const prune = await emulator.cli.run(["prune", "--json", "--security-hub", ...memberScope(org)]);

        expect(prune.code).toBe(0);
        expect(await findingsOf("member")).toMatchObject([
          { RecordState: "ARCHIVED", Compliance: { Status: "NOT_AVAILABLE" } },
        ]);
      });
    });

    describe("encrypted topics", () => {
      /** A customer chain in the member: the CIS v1.2 filter, an alarm, a topic under `key`, an SQS subscriber. */
      async function customerChain(queueArn: string, key: string): Promise<string> {
        const aws = emulator.aws;
        await aws.call("member", "logs", "put_metric_filter", {
          logGroupName: TRAIL_LOG_GROUP,
          filterName: "cis-unauthorized",
          filterPattern: CIS_V12_PATTERN,
          metricTransformations: [
            { metricName: "UnauthorizedAPICalls", metricNamespace: "CISBenchmark", metricValue: "1" },
          ],
        });
        const { TopicArn } = await aws.call<{ TopicArn: string }>("member", "sns", "create_topic", {
          Name: "secops",
          Attributes: { KmsMasterKeyId: key },
        });
        // moto confirms an SQS subscription at once, as AWS does for a same-account queue; the
        // queue of the management account is only a name here, nothing is delivered to it.
        await aws.call("member", "sns", "subscribe", { TopicArn, Protocol: "sqs", Endpoint: queueArn });
        await aws.call("member", "cloudwatch", "put_metric_alarm", {
          AlarmName: "cis-unauthorized",
          MetricName: "UnauthorizedAPICalls",
          Namespace: "CISBenchmark",
          Statistic: "Sum",
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
          AlarmActions: [TopicArn],
        });
        return TopicArn;
      }

      const admitting = (account: string) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
            {
              Effect: "Allow",
              Principal: { Service: "cloudwatch.amazonaws.com" },
              Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
              Resource: "*",
            },
          ],
        });

      it("finds TOPIC_KEY_DENIES_CLOUDWATCH for a topic under a key with KMS's default policy", async () => {
        const org = await memberWithTrail(emulator.aws);
        const { KeyMetadata } = await emulator.aws.call<{ KeyMetadata: { Arn: string } }>(
          "member",
          "kms",
          "create_key",
          {},
        );
        await customerChain(org.queueArn, KeyMetadata.Arn);

        const scan = await emulator.cli.run(["scan", "--json", ...memberScope(org)]);

        const member = accountIn(jsonOf<SweepReport>(scan), org.member);
        expect(member.status).toBe("NON_COMPLIANT");
        expect(member.findings.map((f) => f.code)).toContain("TOPIC_KEY_DENIES_CLOUDWATCH");
      });

      it("passes the same chain under a key whose policy admits CloudWatch", async () => {
        const org = await memberWithTrail(emulator.aws);
        const { KeyMetadata } = await emulator.aws.call<{ KeyMetadata: { Arn: string } }>(
          "member",
          "kms",
          "create_key",
          {
            Policy: admitting(org.member),
          },
        );
        await customerChain(org.queueArn, KeyMetadata.Arn);

        const scan = await emulator.cli.run(["scan", "--json", ...memberScope(org)]);

        expect(accountIn(jsonOf<SweepReport>(scan), org.member)).toMatchObject({ status: "COMPLIANT", findings: [] });
      });

      it("fix --topic-kms-key creates tripwire's topic under the key", async () => {
        const org = await memberWithTrail(emulator.aws);
        const { KeyMetadata } = await emulator.aws.call<{ KeyMetadata: { KeyId: string } }>(
          "member",
          "kms",
          "create_key",
          {
            Policy: admitting(org.member),
          },
        );
        await emulator.aws.call("member", "kms", "create_alias", {
          AliasName: "alias/tripwire",
          TargetKeyId: KeyMetadata.KeyId,
        });

        const fix = await emulator.cli.run([
          "fix",
          "--json",
          "--topic-kms-key",
          "alias/tripwire",
          "--notify",
          `sqs:${org.queueArn}`,
          ...memberScope(org),
        ]);

        expect(accountIn(jsonOf<SweepReport>(fix), org.member).status).toBe("COMPLIANT");
        const { Attributes } = await emulator.aws.call<{ Attributes: Record<string, string> }>(
          "member",
          "sns",
          "get_topic_attributes",
          { TopicArn: topicArn(org.member, OWN_TOPIC) },
        );
        expect(Attributes.KmsMasterKeyId).toBe("alias/tripwire");
      });
    });
  },
);
