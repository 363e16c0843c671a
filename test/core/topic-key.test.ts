import { describe, expect, it } from "vitest";
import { isAwsManagedAlias, isAwsSnsKeyAlias, judgeKeyPolicy, keyAccount } from "../../shared/core/topic-key.ts";

const KEY = "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ALARM = "arn:aws:cloudwatch:eu-west-1:222222222222:alarm:tripwire-unauthorized-api-calls";
const alarms = { accountId: "222222222222", alarmArns: [ALARM] };
const policy = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

/** The statement KMS writes into every key created without a policy. */
const ROOT = {
  Sid: "Enable IAM User Permissions",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::222222222222:root" },
  Action: "kms:*",
  Resource: "*",
};
/** The statement of the AWS Knowledge Center article (cloudwatch-configure-alarm-sns). */
const CLOUDWATCH = {
  Sid: "Allow_CloudWatch_for_CMK",
  Effect: "Allow",
  Principal: { Service: ["cloudwatch.amazonaws.com"] },
  Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
  Resource: "*",
};

describe("judgeKeyPolicy", () => {
  it("denies CloudWatch with the default key policy, which admits the account's IAM principals only", () => {
    expect(judgeKeyPolicy(KEY, policy(ROOT), alarms)).toMatchObject({
      verdict: "denies",
      reason: `the policy of key ${KEY} does not let cloudwatch.amazonaws.com use kms:Decrypt`,
    });
  });

  it("admits CloudWatch with the Knowledge Center statement", () => {
    expect(judgeKeyPolicy(KEY, policy(ROOT, CLOUDWATCH), alarms).verdict).toBe("admits");
  });

  it("admits CloudWatch with kms:* to everyone, without condition", () => {
    expect(judgeKeyPolicy(KEY, policy({ Effect: "Allow", Principal: "*", Action: "kms:*" }), alarms).verdict).toBe(
      "admits",
    );
  });

  it("denies when only kms:Decrypt is granted, naming kms:GenerateDataKey*", () => {
    const decryptOnly = { ...CLOUDWATCH, Action: "kms:Decrypt" };
    expect(judgeKeyPolicy(KEY, policy(decryptOnly), alarms)).toMatchObject({
      verdict: "denies",
      reason: expect.stringContaining("kms:GenerateDataKey*"),
    });
  });

  it("admits the two actions granted by two statements", () => {
    const decrypt = { ...CLOUDWATCH, Action: "kms:Decrypt" };
    const generate = { ...CLOUDWATCH, Action: "kms:GenerateDataKey" };
    expect(judgeKeyPolicy(KEY, policy(decrypt, generate), alarms).verdict).toBe("admits");
  });

  it("admits under aws:SourceAccount and aws:SourceArn conditions the alarm meets", () => {
    const guarded = {
      ...CLOUDWATCH,
      Condition: {
        StringEquals: { "aws:SourceAccount": "222222222222" },
        ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:222222222222:alarm:*" },
      },
    };
    expect(judgeKeyPolicy(KEY, policy(guarded), alarms).verdict).toBe("admits");
  });

  it("denies under an aws:SourceArn condition the alarm does not meet", () => {
    const other = {
      ...CLOUDWATCH,
      Condition: { ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:*:*:alarm:billing-*" } },
    };
    expect(judgeKeyPolicy(KEY, policy(other), alarms).verdict).toBe("denies");
  });

  it("denies under an aws:SourceAccount condition naming another account", () => {
    const other = { ...CLOUDWATCH, Condition: { StringEquals: { "aws:SourceAccount": "333333333333" } } };
    expect(judgeKeyPolicy(KEY, policy(other), alarms).verdict).toBe("denies");
  });

  it("denies the statement of the AWS managed SNS key: everyone, but only via SNS and in the account", () => {
    const managed = {
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:ListGrants", "kms:DescribeKey"],
      Resource: "*",
      Condition: {
        StringEquals: { "kms:CallerAccount": "222222222222", "kms:ViaService": "sns.eu-west-1.amazonaws.com" },
      },
    };
    expect(judgeKeyPolicy(KEY, policy(managed), alarms).verdict).toBe("denies");
  });

  it("cannot tell when the grant hangs on a condition it does not evaluate, and names it", () => {
    const conditioned = { ...CLOUDWATCH, Condition: { DateLessThan: { "aws:CurrentTime": "2030-01-01T00:00:00Z" } } };
    expect(judgeKeyPolicy(KEY, policy(conditioned), alarms)).toMatchObject({
      verdict: "unknown",
      reason: expect.stringContaining("DateLessThan aws:CurrentTime"),
    });
  });

  it("denies when a Deny without condition takes the grant back", () => {
    const deny = { Effect: "Deny", Principal: "*", Action: "kms:Decrypt", Resource: "*" };
    expect(judgeKeyPolicy(KEY, policy(CLOUDWATCH, deny), alarms)).toMatchObject({
      verdict: "denies",
      reason: expect.stringContaining("a Deny statement"),
    });
  });

  it("ignores a Deny of requests without TLS, which CloudWatch's are not", () => {
    const tlsOnly = {
      Effect: "Deny",
      Principal: "*",
      Action: "kms:*",
      Resource: "*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
    expect(judgeKeyPolicy(KEY, policy(CLOUDWATCH, tlsOnly), alarms).verdict).toBe("admits");
  });

  it("cannot tell under a Deny outside the organization, which may reach a service principal", () => {
    const perimeter = {
      Effect: "Deny",
      Principal: "*",
      Action: "kms:*",
      Resource: "*",
      Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-abc123" } },
    };
    expect(judgeKeyPolicy(KEY, policy(CLOUDWATCH, perimeter), alarms).verdict).toBe("unknown");
  });

  it("cannot tell from a policy that is not JSON", () => {
    expect(judgeKeyPolicy(KEY, "{", alarms).verdict).toBe("unknown");
  });
});

describe("key names", () => {
  it("knows alias/aws/sns by name and by ARN", () => {
    expect(isAwsSnsKeyAlias("alias/aws/sns")).toBe(true);
    expect(isAwsSnsKeyAlias("arn:aws:kms:us-east-1:111111111111:alias/aws/sns")).toBe(true);
  });

  it("does not take a customer alias that starts with aws for AWS's", () => {
    expect(isAwsManagedAlias("alias/aws-alerts")).toBe(false);
  });

  it("reads the account of a key ARN, and of no alias name", () => {
    expect(keyAccount(KEY)).toBe("222222222222");
    expect(keyAccount("alias/tripwire")).toBeUndefined();
  });
});
