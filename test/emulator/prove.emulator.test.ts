/**
 * `tripwire prove` against moto. moto is not AWS where the proof starts: its STS grants an
 * AssumeRole of any role, existing or not, and it records no CloudTrail event anywhere. So the
 * proof must fail honestly at its first hop, CANARY_DENIED, and claim nothing after it; its
 * record still goes to S3 with --record.
 */
import { describe, expect, it } from "vitest";
import { jsonOf } from "./cli.ts";
import { emulatorUnavailable, useEmulator } from "./emulator.ts";
import { memberScope, memberWithTrail, type Organization } from "./scenario.ts";

interface ProofHop {
  readonly code: string;
  readonly ok: boolean;
  readonly evidence: Record<string, unknown>;
}

interface ProofRecord {
  readonly accountId: string;
  readonly region: string;
  readonly status: string;
  readonly failedHop?: string;
  readonly hops: readonly ProofHop[];
}

interface ProveReport {
  readonly mode: string;
  readonly accounts: readonly ProofRecord[];
}

const BUCKET = "proof-records";

describe.skipIf(emulatorUnavailable())("tripwire prove against moto", { timeout: 90_000 }, () => {
  const emulator = useEmulator();

  async function fixedMember(): Promise<Organization> {
    const org = await memberWithTrail(emulator.aws);
    const fix = await emulator.cli.run(["fix", "--json", "--notify", `sqs:${org.queueArn}`, ...memberScope(org)]);
    if (fix.code !== 0) throw new Error(`arrangement: the fix failed (exit ${fix.code}): ${fix.stderr.slice(-600)}`);
    await emulator.aws.call("management", "s3", "create_bucket", { Bucket: BUCKET });
    emulator.proxy.reset();
    return org;
  }

  const proofOf = (report: ProveReport, accountId: string): ProofRecord => {
    const found = report.accounts.find((a) => a.accountId === accountId);
    if (!found) throw new Error(`account ${accountId} is not in the proof report`);
    return found;
  };

  it("fails at CANARY_DENIED, because moto's STS lets the canary through, and exits 1", async () => {
    const org = await fixedMember();

    const proof = await emulator.cli.run(["prove", "--yes", "--json", ...memberScope(org)]);

    expect(proofOf(jsonOf<ProveReport>(proof), org.member)).toMatchObject({
      status: "FAILED",
      failedHop: "CANARY_DENIED",
      region: "us-east-1",
    });
    expect(proof.code).toBe(1);
  });

  it("confirms no hop after the canary", async () => {
    const org = await fixedMember();

    const proof = await emulator.cli.run(["prove", "--yes", "--json", ...memberScope(org)]);

    expect(proofOf(jsonOf<ProveReport>(proof), org.member).hops.filter((h) => h.ok)).toEqual([]);
  });

  it("checked that the canary role does not exist before calling it", async () => {
    const org = await fixedMember();

    await emulator.cli.run(["prove", "--yes", "--json", ...memberScope(org)]);

    const operations = emulator.proxy.calls.map((c) => c.operation);
    expect(operations.indexOf("GetRole")).toBeGreaterThanOrEqual(0);
    expect(operations.lastIndexOf("GetRole")).toBeLessThan(operations.lastIndexOf("AssumeRole"));
  });

  it("writes the account's proof record to S3 with --record", async () => {
    const org = await fixedMember();

    const proof = await emulator.cli.run([
      "prove",
      "--yes",
      "--json",
      "--record",
      `s3://${BUCKET}/audit`,
      ...memberScope(org),
    ]);

    const { Contents } = await emulator.aws.call<{ Contents?: { Key: string }[] }>(
      "management",
      "s3",
      "list_objects_v2",
      {
        Bucket: BUCKET,
        Prefix: `audit/proofs/${org.member}/us-east-1/`,
      },
    );
    expect(Contents?.map((c) => c.Key)).toHaveLength(1);
    expect(proof.stderr).toMatch(/1 proof record\(s\) written under s3:\/\/proof-records\/audit\/proofs\//);
  });
});
