/** Encrypted topics in the pure stages: evaluate, plan, project (issue 12, item 6). */
import { describe, expect, it } from "vitest";
import { evaluateChain } from "../../shared/core/evaluate.ts";
import type { ChainObservation, TopicKeyObservation } from "../../shared/core/model.ts";
import { type PlanContext, planRemediation } from "../../shared/core/plan.ts";
import { projectChain } from "../../shared/core/project.ts";
import { ACCOUNT, compliantChain, REGION, TOPIC } from "./fixtures.ts";

const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ADMITTING = JSON.stringify({
  Statement: [
    {
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
    },
  ],
});

function encrypted(key: TopicKeyObservation, kmsMasterKeyId = key.keyId): ChainObservation {
  return compliantChain({
    topics: { [TOPIC]: { arn: TOPIC, state: "FOUND", confirmed: 1, pending: 0, kmsMasterKeyId, key } },
  });
}

const verdictOf = (chain: ChainObservation) => evaluateChain(chain, "tripwire");
const codes = (chain: ChainObservation) => verdictOf(chain).findings.map((f) => f.code);

describe("evaluateChain, encrypted topic", () => {
  it("fails a chain whose topic uses the AWS managed SNS key", () => {
    const chain = encrypted({ keyId: "alias/aws/sns", state: "AWS_MANAGED" });
    expect(verdictOf(chain).complete).toBe(false);
    expect(codes(chain)).toEqual(["TOPIC_KEY_DENIES_CLOUDWATCH"]);
  });

  it("says which topic, key and alarm in the finding", () => {
    const [finding] = verdictOf(encrypted({ keyId: "alias/aws/sns", state: "AWS_MANAGED" })).findings;
    expect(finding?.message).toBe(
      `topic ${TOPIC} is encrypted with KMS key alias/aws/sns, and alarm cis-unauthorized cannot publish to it: alias/aws/sns is an AWS managed key, whose policy does not let cloudwatch.amazonaws.com use it and cannot be changed`,
    );
  });

  it("fails a chain whose key policy does not admit CloudWatch", () => {
    const chain = encrypted({ keyId: KEY, state: "POLICY", keyArn: KEY, policy: JSON.stringify({ Statement: [] }) });
    expect(codes(chain)).toEqual(["TOPIC_KEY_DENIES_CLOUDWATCH"]);
  });

  it("fails a chain whose key is disabled", () => {
    const chain = encrypted({ keyId: KEY, state: "NOT_USABLE", reason: `key ${KEY} is Disabled` });
    expect(verdictOf(chain).complete).toBe(false);
  });

  it("passes a chain whose key policy admits CloudWatch, with the key in the evidence", () => {
    const verdict = verdictOf(encrypted({ keyId: KEY, state: "POLICY", keyArn: KEY, policy: ADMITTING }));
    expect(verdict.complete).toBe(true);
    expect(verdict.evidence.filters[0]?.alarms[0]?.topics[0]).toMatchObject({ kmsKey: KEY, keyAdmitsCloudWatch: true });
  });

  it("notes a key it may not read, without failing the chain", () => {
    const chain = encrypted({ keyId: KEY, state: "UNREADABLE", reason: "GetKeyPolicy was denied" });
    expect(verdictOf(chain).complete).toBe(true);
    expect(codes(chain)).toEqual(["TOPIC_KEY_UNVERIFIED"]);
  });

  it("judges a topic without key as before", () => {
    expect(codes(compliantChain())).toEqual([]);
  });
});

describe("planRemediation and projectChain, --topic-kms-key", () => {
  const ctx: PlanContext = {
    accountId: ACCOUNT,
    partition: "aws",
    prefix: "tripwire",
    filterProfile: "all",
    notify: [{ protocol: "sqs", endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:alerts` }],
    topicKmsKey: "alias/tripwire",
  };
  const bare = (topicKey?: TopicKeyObservation) =>
    compliantChain({
      filters: [],
      alarmsByMetric: {},
      topics: {},
      ownNames: { alarm: null, ...(topicKey ? { topicKey } : {}) },
    });
  const createTopic = (chain: ChainObservation, c = ctx) =>
    planRemediation(chain, verdictOf(chain), c).actions.find((a) => a.type === "create-topic");

  it("creates tripwire's topic with the key as KmsMasterKeyId", () => {
    expect(createTopic(bare())?.input).toMatchObject({ Attributes: { KmsMasterKeyId: "alias/tripwire" } });
  });

  it("creates it without attributes when no key is set", () => {
    const { topicKmsKey: _, ...plain } = ctx;
    expect(createTopic(bare(), plain)?.input).not.toHaveProperty("Attributes");
  });

  it("judges the chain after the fix with the key the topic was created with", () => {
    const chain = bare({
      keyId: "alias/tripwire",
      state: "POLICY",
      keyArn: KEY,
      policy: JSON.stringify({ Statement: [] }),
    });
    const plan = planRemediation(chain, verdictOf(chain), ctx);
    const after = verdictOf(projectChain(chain, plan.actions));
    expect(after.findings.map((f) => f.code)).toContain("TOPIC_KEY_DENIES_CLOUDWATCH");
  });

  it("judges the chain after the fix complete when the key admits CloudWatch", () => {
    const chain = bare({ keyId: "alias/tripwire", state: "POLICY", keyArn: KEY, policy: ADMITTING });
    const plan = planRemediation(chain, verdictOf(chain), ctx);
    expect(verdictOf(projectChain(chain, plan.actions)).complete).toBe(true);
  });
});
