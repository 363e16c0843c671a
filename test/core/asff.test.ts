import { describe, expect, it } from "vitest";
import { ASFF_LIMITS, accountFinding, archivedFinding, productFields } from "../../shared/core/asff.ts";
import type { AccountResult, Finding } from "../../shared/core/model.ts";
import { ACCOUNT, REGION } from "./fixtures.ts";
import { compliantResult, exemptResult, failingResult, sampleReport } from "./report-formats/sample-report.ts";

const ctx = { partition: "aws", region: REGION, now: new Date("2026-11-22T08:00:03.120Z"), mode: "scan" } as const;
const REQUIRED = [
  "SchemaVersion",
  "Id",
  "ProductArn",
  "GeneratorId",
  "AwsAccountId",
  "CreatedAt",
  "UpdatedAt",
  "Title",
  "Description",
  "Resources",
  "Severity",
  "Types",
];

/** A failing account with `n` findings whose messages are `length` characters long. */
function noisy(n: number, length = 60): AccountResult {
  const findings: Finding[] = Array.from({ length: n }, (_, i) => ({
    code: "NO_ALARM",
    region: REGION,
    message: `${i} ${"x".repeat(length)}`,
  }));
  return { ...failingResult(), findings };
}

describe("accountFinding", () => {
  it("sets every attribute ASFF requires", () => {
    const finding = accountFinding(compliantResult(), ctx) as unknown as Record<string, unknown>;
    expect(REQUIRED.filter((field) => finding[field] === undefined)).toEqual([]);
  });

  it("uses the account's default product ARN in the finding's region, and the account's id", () => {
    expect(accountFinding(compliantResult(), ctx)).toMatchObject({
      ProductArn: `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`,
      AwsAccountId: ACCOUNT,
    });
  });

  it("keeps one Id per account and region, so a second run updates the finding", () => {
    const later = accountFinding(failingResult(), { ...ctx, now: new Date("2026-11-23T08:00:00Z") });
    expect(later.Id).toBe(accountFinding({ ...failingResult() }, ctx).Id);
  });

  it("stamps CreatedAt, UpdatedAt and LastObservedAt with the run's time", () => {
    expect(accountFinding(compliantResult(), ctx)).toMatchObject({
      CreatedAt: "2026-11-22T08:00:03.120Z",
      UpdatedAt: "2026-11-22T08:00:03.120Z",
      LastObservedAt: "2026-11-22T08:00:03.120Z",
    });
  });

  it("maps COMPLIANT, NON_COMPLIANT, ERROR and SKIPPED to PASSED, FAILED, WARNING and NOT_AVAILABLE", () => {
    const statuses = sampleReport().accounts.map((a) => accountFinding(a, ctx).Compliance?.Status);
    expect(statuses).toEqual(["PASSED", "FAILED", "WARNING", "NOT_AVAILABLE"]);
  });

  it("marks an EXEMPT account's finding NOT_AVAILABLE: out of the control's scope, neither passed nor failed", () => {
    expect(accountFinding(exemptResult(), ctx).Compliance?.Status).toBe("NOT_AVAILABLE");
  });

  it("names the exemption's owner, reason and last day in an EXEMPT account's Description", () => {
    expect(accountFinding(exemptResult(), ctx).Description).toContain(
      "exempt until 2027-03-01 (owner cloud platform team): sandbox without workloads",
    );
  });

  it("rates a failing account LOW, as Security Hub rates CloudWatch.2, in Severity and FindingProviderFields", () => {
    expect(accountFinding(failingResult(), ctx)).toMatchObject({
      Severity: { Label: "LOW" },
      FindingProviderFields: { Severity: { Label: "LOW" } },
    });
  });

  it("rates a passing account INFORMATIONAL", () => {
    expect(accountFinding(compliantResult(), ctx).Severity?.Label).toBe("INFORMATIONAL");
  });

  it("files the finding under the CIS standard's type, and cites CIS v1.2.0 3.1", () => {
    const finding = accountFinding(failingResult(), ctx);
    expect(finding.Types).toEqual([
      "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark",
    ]);
    expect(finding.Compliance?.RelatedRequirements).toContain("CIS AWS Foundations Benchmark v1.2.0/3.1");
  });

  it("names the account first, then the chain's trail, log group, alarm and topic", () => {
    const types = accountFinding(compliantResult(), ctx).Resources?.map((r) => r.Type);
    expect(types).toEqual(["AwsAccount", "AwsCloudTrailTrail", "Other", "AwsCloudWatchAlarm", "AwsSnsTopic"]);
  });

  it("names the account as Security Hub's own controls do", () => {
    expect(accountFinding(compliantResult(), ctx).Resources?.[0]).toEqual({
      Type: "AwsAccount",
      Id: `AWS::::Account:${ACCOUNT}`,
      Partition: "aws",
      Region: REGION,
    });
  });

  it("gives the remediation text and the README's finding codes as its URL", () => {
    expect(accountFinding(failingResult(), ctx).Remediation?.Recommendation).toMatchObject({
      Text: expect.stringContaining("tripwire fix"),
      Url: expect.stringMatching(/^https:\/\/.+#finding-codes$/),
    });
  });

  it("keeps the description within 1024 characters however many findings", () => {
    expect(accountFinding(noisy(200), ctx).Description?.length).toBeLessThanOrEqual(ASFF_LIMITS.description);
  });

  it("sends no Workflow: the workflow is the customer's", () => {
    expect(accountFinding(failingResult(), ctx)).not.toHaveProperty("Workflow");
  });
});

describe("productFields", () => {
  it("carries the status, the finding codes and the three scanner predictions", () => {
    expect(productFields(failingResult(), "fix")).toMatchObject({
      "tripwire/status": "NON_COMPLIANT",
      "tripwire/mode": "fix",
      "tripwire/findingCodes": "NO_METRIC_FILTER,NAME_TAKEN",
      "tripwire/scanner/securityHub": "FAIL",
      "tripwire/scanner/steampipe": "FAIL",
      "tripwire/scanner/prowler": "FAIL",
    });
  });

  it("carries the evidence, one link of the chain per field, as JSON", () => {
    const fields = productFields(compliantResult(), "scan");
    expect(JSON.parse(fields["tripwire/evidence/chain1/trail"] ?? "{}")).toMatchObject({
      name: "main",
      isLogging: true,
    });
    expect(JSON.parse(fields["tripwire/evidence/chain1/filter1/alarm1"] ?? "{}")).toMatchObject({
      name: "cis-unauthorized",
    });
  });

  it("holds at most 50 pairs, and counts what it left out", () => {
    const fields = productFields(noisy(80), "scan");
    expect(Object.keys(fields)).toHaveLength(ASFF_LIMITS.productFields);
    expect(fields["tripwire/omitted"]).toMatch(/^\d+ more fields left out/);
  });

  it("cuts a value at 2048 characters", () => {
    const fields = productFields(noisy(1, 5000), "scan");
    const value = fields["tripwire/finding/1"] ?? "";
    expect(value).toHaveLength(ASFF_LIMITS.productFieldValue);
    expect(value.endsWith("…")).toBe(true);
  });

  it("keeps every key within 128 characters", () => {
    expect(Object.keys(productFields(noisy(80), "scan")).filter((k) => k.length > 128)).toEqual([]);
  });
});

describe("archivedFinding", () => {
  it("archives the same Id, its compliance not available", () => {
    const archived = archivedFinding(ACCOUNT, { partition: "aws", region: REGION, now: ctx.now });
    expect(archived).toMatchObject({
      Id: `tripwire/${ACCOUNT}/${REGION}/unauthorized-api-calls`,
      RecordState: "ARCHIVED",
      Compliance: { Status: "NOT_AVAILABLE" },
    });
  });
});
