/** The simulated Security Hub enforces what AWS does and moto does not (issue 12, item 1). */
import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from "@aws-sdk/client-securityhub";
import { beforeEach, describe, expect, it } from "vitest";
import { accountFinding } from "../../shared/core/asff.ts";
import {
  createSimulatedOrganization,
  type SimulatedAccount,
  type SimulatedOrganization,
} from "../../shared/simulation/index.ts";
import { compliantResult, failingResult } from "../core/report-formats/sample-report.ts";
import { factoryFor, rejectionOf } from "../support/simulation-harness.ts";

const REGION = "eu-west-1";
let org: SimulatedOrganization;
let member: SimulatedAccount;

beforeEach(() => {
  org = createSimulatedOrganization({ regions: [REGION, "us-east-1"] });
  member = org.addAccount({ name: "member" });
  member.enableSecurityHub(REGION);
});

async function hubOf(accountId: string, region = REGION): Promise<SecurityHubClient> {
  return (await factoryFor(org).forAccount(accountId)).client(SecurityHubClient, region);
}

/** The member's verdict as tripwire builds it, at `at`. */
function findingAt(at: string, result = compliantResult(), accountId = member.id): AwsSecurityFinding {
  return accountFinding(
    { ...result, accountId },
    { partition: "aws", region: REGION, now: new Date(at), mode: "scan" },
  );
}

const importing = async (findings: AwsSecurityFinding[], accountId = member.id, region = REGION) =>
  (await hubOf(accountId, region)).send(new BatchImportFindingsCommand({ Findings: findings }));

describe("simulated Security Hub, BatchImportFindings", () => {
  it("takes a finding of the caller's account", async () => {
    expect(await importing([findingAt("2026-01-01T00:00:00Z")])).toMatchObject({ SuccessCount: 1, FailedCount: 0 });
  });

  it("refuses, as a whole, a finding about another account (AccessDeniedException)", async () => {
    const other = org.addAccount({ name: "other" });
    const error = await rejectionOf(importing([findingAt("2026-01-01T00:00:00Z", compliantResult(), other.id)]));
    expect(error.name).toBe("AccessDeniedException");
  });

  it("refuses a finding whose product ARN is of another region than the endpoint's", async () => {
    member.enableSecurityHub("us-east-1");
    const error = await rejectionOf(importing([findingAt("2026-01-01T00:00:00Z")], member.id, "us-east-1"));
    expect(error.name).toBe("AccessDeniedException");
  });

  it("refuses an account where Security Hub is not enabled (InvalidAccessException)", async () => {
    const off = org.addAccount({ name: "off" });
    const error = await rejectionOf(importing([findingAt("2026-01-01T00:00:00Z", compliantResult(), off.id)], off.id));
    expect(error.name).toBe("InvalidAccessException");
  });

  it("updates the finding of the same Id when UpdatedAt is later", async () => {
    await importing([findingAt("2026-01-01T00:00:00Z")]);
    await importing([findingAt("2026-01-02T00:00:00Z", failingResult())]);
    expect(member.securityHubFindings(REGION)).toEqual([
      expect.objectContaining({
        UpdatedAt: "2026-01-02T00:00:00.000Z",
        Compliance: expect.objectContaining({ Status: "FAILED" }),
      }),
    ]);
  });

  it("ignores an update whose UpdatedAt is not later, as AWS does", async () => {
    await importing([findingAt("2026-01-02T00:00:00Z")]);
    await importing([findingAt("2026-01-02T00:00:00Z", failingResult())]);
    expect(member.securityHubFindings(REGION)[0]?.Compliance).toMatchObject({ Status: "PASSED" });
  });

  it("returns a finding past ASFF's limits in FailedFindings and takes the others", async () => {
    const tooLong = { ...findingAt("2026-01-01T00:00:00Z"), Id: "other", Title: "t".repeat(257) };
    const out = await importing([findingAt("2026-01-01T00:00:00Z"), tooLong]);
    expect(out).toMatchObject({ SuccessCount: 1, FailedFindings: [{ Id: "other", ErrorCode: "InvalidInput" }] });
  });

  it("refuses a finding with 51 ProductFields", async () => {
    const fields = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
    const out = await importing([{ ...findingAt("2026-01-01T00:00:00Z"), ProductFields: fields }]);
    expect(out.FailedFindings?.[0]?.ErrorMessage).toMatch(/51 pairs, 50 at most/);
  });

  it("refuses more than 100 findings in one call", async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ ...findingAt("2026-01-01T00:00:00Z"), Id: `f${i}` }));
    expect((await rejectionOf(importing(many))).name).toBe("InvalidInputException");
  });
});

describe("simulated Security Hub, GetFindings", () => {
  it("filters by Id", async () => {
    await importing([findingAt("2026-01-01T00:00:00Z"), { ...findingAt("2026-01-01T00:00:00Z"), Id: "other" }]);
    const hub = await hubOf(member.id);
    const out = await hub.send(new GetFindingsCommand({ Filters: { Id: [{ Value: "other", Comparison: "EQUALS" }] } }));
    expect(out.Findings?.map((f) => f.Id)).toEqual(["other"]);
  });
});
