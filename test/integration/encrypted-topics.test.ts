/**
 * Encrypted topics on the simulated organization (issue 12, item 6): a scan reads the key of a
 * topic that delivers, and an alarm that cannot publish under it is a finding; a fix with
 * --topic-kms-key creates tripwire's topic under that key.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { ownTopicArn } from "../../shared/core/naming.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import {
  accountOf,
  codesOf,
  HOME,
  newOrganization,
  SQS_NOTIFY,
  scenarios,
  sweep,
} from "../support/integration-harness.ts";

let org: SimulatedOrganization;
let member: SimulatedAccount;

/** The Knowledge Center statement beside KMS's default one. */
function admittingPolicy(accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
      {
        Sid: "Allow_CloudWatch_for_CMK",
        Effect: "Allow",
        Principal: { Service: ["cloudwatch.amazonaws.com"] },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
      },
    ],
  });
}

beforeEach(() => {
  org = newOrganization();
  member = org.addAccount({ name: "workload" });
});

const only = () => ({ accounts: member.id });

/** A compliant v1.2 chain whose customer topic is encrypted with `key`. */
function encryptedChain(key: string): string {
  const fixture = scenarios.compliantV12(member, HOME);
  member.setTopicAttribute(fixture.topic.topicArn, "KmsMasterKeyId", key);
  return fixture.topic.topicArn;
}

const kmsCalls = () => org.calls.list({ service: "kms" }).map((c) => c.operation);

describe("a scan of a customer topic that delivers", () => {
  it("fails an alarm whose topic uses alias/aws/sns, without asking KMS", async () => {
    encryptedChain("alias/aws/sns");
    org.calls.reset();
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.status).toBe("NON_COMPLIANT");
    expect(codesOf(result)).toEqual(["TOPIC_KEY_DENIES_CLOUDWATCH"]);
    expect(kmsCalls()).toEqual([]);
  });

  it("fails a key whose policy is KMS's default, having read it with DescribeKey and GetKeyPolicy", async () => {
    encryptedChain(member.createKey(HOME));
    org.calls.reset();
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(codesOf(result)).toEqual(["TOPIC_KEY_DENIES_CLOUDWATCH"]);
    expect(kmsCalls()).toEqual(["DescribeKey", "GetKeyPolicy"]);
  });

  it("passes a key, named by its alias, whose policy admits CloudWatch", async () => {
    member.createKey(HOME, { alias: "alias/alerts", policy: admittingPolicy(member.id) });
    encryptedChain("alias/alerts");
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result).toMatchObject({ status: "COMPLIANT", findings: [] });
  });

  it("fails a disabled key", async () => {
    encryptedChain(member.createKey(HOME, { policy: admittingPolicy(member.id), keyState: "Disabled" }));
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.findings[0]?.message).toMatch(/is Disabled: nobody can encrypt with it$/);
  });

  it("notes a key whose policy it may not read, and keeps the account compliant", async () => {
    encryptedChain(member.createKey(HOME, { deniesReads: true }));
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.status).toBe("COMPLIANT");
    expect(codesOf(result)).toEqual(["TOPIC_KEY_UNVERIFIED"]);
  });

  it("notes a key of another account without reading it", async () => {
    const other = org.addAccount({ name: "keys" });
    encryptedChain(other.createKey(HOME, { policy: admittingPolicy(other.id) }));
    org.calls.reset();
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.findings[0]?.message).toContain(`belongs to account ${other.id}`);
    expect(kmsCalls()).toEqual([]);
  });

  it("asks KMS nothing when no topic is encrypted", async () => {
    scenarios.compliantV12(member, HOME);
    org.calls.reset();
    await sweep(org, "scan", only());
    expect(kmsCalls()).toEqual([]);
  });

  it("does not read the key of a topic nobody has confirmed a subscription to", async () => {
    const fixture = scenarios.compliantV12(member, HOME);
    member.setTopicAttribute(fixture.topic.topicArn, "KmsMasterKeyId", member.createKey(HOME));
    for (const s of member.subscriptions(fixture.topic.topicArn)) member.unsubscribe(s.arn);
    org.calls.reset();
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(codesOf(result)).toEqual(["NO_CONFIRMED_SUBSCRIPTION"]);
    expect(kmsCalls()).toEqual([]);
  });
});

const ownTopic = () => ownTopicArn("aws", HOME, member.id, "tripwire");

describe("tripwire's own topic", () => {
  it("costs a scan one GetTopicAttributes beside its listing", async () => {
    scenarios.bareAccount(member, HOME);
    await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY] });
    org.calls.reset();
    await sweep(org, "scan", only());
    const sns = org.calls
      .list({ service: "sns" })
      .map((c) => c.operation)
      .sort();
    expect(sns).toEqual(["GetTopicAttributes", "ListSubscriptionsByTopic"]);
  });

  it("is found under alias/aws/sns when someone encrypted it so after the fix", async () => {
    scenarios.bareAccount(member, HOME);
    await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY] });
    member.setTopicAttribute(ownTopic(), "KmsMasterKeyId", "alias/aws/sns");
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result.status).toBe("NON_COMPLIANT");
    expect(codesOf(result)).toEqual(["TOPIC_KEY_DENIES_CLOUDWATCH"]);
  });
});

describe("fix --topic-kms-key", () => {
  it("creates tripwire's topic with the key as KmsMasterKeyId", async () => {
    scenarios.bareAccount(member, HOME);
    member.createKey(HOME, { alias: "alias/tripwire", policy: admittingPolicy(member.id) });
    await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY], topicKmsKey: "alias/tripwire" });
    expect(member.topic(ownTopic())?.attributes.KmsMasterKeyId).toBe("alias/tripwire");
  });

  it("reports the account compliant after the fix when the key admits CloudWatch", async () => {
    scenarios.bareAccount(member, HOME);
    member.createKey(HOME, { alias: "alias/tripwire", policy: admittingPolicy(member.id) });
    const report = await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY], topicKmsKey: "alias/tripwire" });
    expect(accountOf(report, member.id)).toMatchObject({ status: "COMPLIANT", findings: [] });
  });

  it("reports, after the fix, that the key does not admit CloudWatch, and so does the next scan", async () => {
    scenarios.bareAccount(member, HOME);
    member.createKey(HOME, { alias: "alias/tripwire" });
    const fixed = await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY], topicKmsKey: "alias/tripwire" });
    const scanned = await sweep(org, "scan", only());
    expect(codesOf(accountOf(fixed, member.id))).toEqual(["TOPIC_KEY_DENIES_CLOUDWATCH"]);
    expect(codesOf(accountOf(scanned, member.id))).toEqual(["TOPIC_KEY_DENIES_CLOUDWATCH"]);
  });

  it("reports a key missing in the account as not usable", async () => {
    scenarios.bareAccount(member, HOME);
    const report = await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY], topicKmsKey: "alias/nowhere" });
    expect(accountOf(report, member.id).findings[0]?.message).toMatch(/alias\/nowhere does not exist in us-east-1/);
  });

  it("leaves an existing topic of tripwire's as it is", async () => {
    scenarios.bareAccount(member, HOME);
    await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY] });
    member.createKey(HOME, { alias: "alias/tripwire", policy: admittingPolicy(member.id) });
    await sweep(org, "fix", { ...only(), notify: [SQS_NOTIFY], topicKmsKey: "alias/tripwire" });
    expect(member.topic(ownTopic())?.attributes.KmsMasterKeyId).toBeUndefined();
  });
});
