import { describe, expect, it } from "vitest";
import { evaluateAccount, evaluateChain } from "../../shared/core/evaluate.ts";
import type { AccountResult } from "../../shared/core/model.ts";
import { PROOF_HOPS } from "../../shared/core/proof-record.ts";
import {
  type AccountProof,
  buildProveReport,
  confirmHop,
  expireProof,
  failHop,
  type ProofRun,
  proofRecordOf,
  proveExitCode,
} from "../../shared/core/proof-run.ts";
import { canaryRoleArn, pagedTopics, proofTargetOf } from "../../shared/core/proof-target.ts";
import { parseS3Location } from "../../shared/core/s3-location.ts";
import { ACCOUNT, compliantChain, REGION, TOPIC, trail } from "./fixtures.ts";

const NOW = new Date("2025-01-01T00:10:00Z");

function compliantResult(): AccountResult {
  const chain = compliantChain();
  const verdict = evaluateAccount(ACCOUNT, [trail()], new Map([[chain.trail.arn, evaluateChain(chain, "tripwire")]]));
  return {
    accountId: ACCOUNT,
    name: "workload",
    status: verdict.compliant ? "COMPLIANT" : "NON_COMPLIANT",
    findings: verdict.findings,
    actions: [],
    scanners: verdict.scanners,
    evidence: verdict.evidence,
  };
}

function running(): AccountProof {
  return {
    accountId: ACCOUNT,
    name: "workload",
    region: REGION,
    scanStatus: "COMPLIANT",
    status: "RUNNING",
    startedAt: "2025-01-01T00:00:00.000Z",
    canary: {
      roleArn: canaryRoleArn("aws", ACCOUNT, "tripwire"),
      region: REGION,
      sessionName: "tripwire-prove",
      requestId: "r-1",
      at: "2025-01-01T00:00:00.000Z",
    },
    hops: [],
  };
}

const confirmed = (proof: AccountProof, n: number) => {
  let p = proof;
  for (let i = 0; i < n; i++) p = confirmHop(p, { at: NOW.toISOString(), evidence: {} }, NOW);
  return p;
};

describe("the proof target", () => {
  it("is the satisfying chain's log group region, with its working alarm and the topic it pages", () => {
    const planned = proofTargetOf(compliantResult());
    expect("target" in planned && planned.target).toMatchObject({
      region: REGION,
      alarms: [{ topics: [{ arn: TOPIC }] }],
    });
  });

  it("is refused for an account that is not COMPLIANT, naming its status", () => {
    expect(proofTargetOf({ ...compliantResult(), status: "NON_COMPLIANT" })).toEqual({
      reason: "the account is NON_COMPLIANT: its findings say why; a proof needs a COMPLIANT chain",
    });
  });

  it("pages each topic once, however many accounts alarm on it", () => {
    const planned = proofTargetOf(compliantResult());
    const target = "target" in planned ? planned.target : undefined;
    expect(pagedTopics(target ? [target, target] : []).map((t) => t.arn)).toEqual([TOPIC]);
  });
});

describe("a proof's progress", () => {
  it("is PROVEN once the sixth hop is confirmed", () => {
    expect(confirmed(running(), 6).status).toBe("PROVEN");
  });

  it("is still RUNNING after five hops", () => {
    expect(confirmed(running(), 5).status).toBe("RUNNING");
  });

  it("fails at the hop it waited for", () => {
    expect(failHop(confirmed(running(), 2), { reason: "x" }, NOW)).toMatchObject({
      status: "FAILED",
      failedHop: "METRIC_INCREMENTED",
    });
  });

  it("at the deadline, fails at its next hop with what was seen of it", () => {
    const proof = { ...confirmed(running(), 1), pending: { deniedAssumeRoleRecordsRead: 3 } };
    expect(expireProof(proof, NOW).hops[1]).toEqual({
      code: "DELIVERED_TO_LOG_GROUP",
      ok: false,
      evidence: { reason: "not seen before the deadline", deniedAssumeRoleRecordsRead: 3 },
    });
  });

  it("at the deadline, is ERROR, not FAILED, when the reads for its next hop failed", () => {
    const proof = { ...confirmed(running(), 1), readError: "FilterLogEvents: AccessDeniedException" };
    expect(expireProof(proof, NOW)).toMatchObject({
      status: "ERROR",
      reason: "DELIVERED_TO_LOG_GROUP could not be checked: FilterLogEvents: AccessDeniedException",
    });
  });

  it("lists every hop in its record, those after the failure as not reached", () => {
    const record = proofRecordOf(failHop(confirmed(running(), 3), { reason: "x" }, NOW), "run");
    expect(record.hops.map((h) => `${h.code}:${h.ok}:${h.evidence.reason ?? ""}`)).toEqual([
      "CANARY_DENIED:true:",
      "DELIVERED_TO_LOG_GROUP:true:",
      "METRIC_INCREMENTED:true:",
      "ALARM_FIRED:false:x",
      "ACTION_EXECUTED:false:not reached",
      "NOTIFICATION_RECEIVED:false:not reached",
    ]);
  });

  it("lists no hop for an account that fired no canary", () => {
    const { canary: _c, ...skipped } = running();
    expect(proofRecordOf({ ...skipped, status: "SKIPPED" }, "run").hops).toEqual([]);
  });
});

describe("the exit code", () => {
  const run = (accounts: AccountProof[]): ProofRun => ({
    version: 1,
    runId: "run",
    startedAt: "2025-01-01T00:00:00.000Z",
    deadline: "2025-01-01T00:20:00.000Z",
    listing: { complete: true },
    accounts,
  });
  const exit = (accounts: AccountProof[]) => proveExitCode(buildProveReport(run(accounts), NOW));

  it("is 0 when every account is proven, and suspended ones skipped", () => {
    expect(
      exit([confirmed(running(), PROOF_HOPS.length), { ...running(), status: "SKIPPED", scanStatus: "SKIPPED" }]),
    ).toBe(0);
  });

  it("is 0 when an account is skipped for a documented exemption", () => {
    expect(
      exit([confirmed(running(), PROOF_HOPS.length), { ...running(), status: "SKIPPED", scanStatus: "EXEMPT" }]),
    ).toBe(0);
  });

  it("is 1 when an account is skipped for not being COMPLIANT", () => {
    expect(exit([confirmed(running(), 6), { ...running(), status: "SKIPPED", scanStatus: "NON_COMPLIANT" }])).toBe(1);
  });

  it("is 1 when a proof failed", () => {
    expect(exit([failHop(running(), {}, NOW)])).toBe(1);
  });
});

describe("--record locations", () => {
  it("take a bucket and a prefix, which ends with a slash", () => {
    expect(parseS3Location("s3://evidence-bucket/tripwire")).toEqual({
      bucket: "evidence-bucket",
      prefix: "tripwire/",
    });
  });

  it("take a bucket alone", () => {
    expect(parseS3Location("s3://evidence-bucket")).toEqual({ bucket: "evidence-bucket", prefix: "" });
  });

  it("refuse what is not an S3 URI", () => {
    expect(parseS3Location("https://evidence-bucket/x")).toBeUndefined();
  });

  it("refuse a bucket name S3 would refuse", () => {
    expect(parseS3Location("s3://Evidence_Bucket/x")).toBeUndefined();
  });
});
