import { describe, expect, it } from "vitest";
import { type OcsfComplianceFinding, toOcsfEvents } from "../../../shared/core/report-formats/ocsf.ts";
import { REGION } from "../fixtures.ts";
import { COMPLIANT_ID, ERROR_ID, exemptResult, FAILING_ID, SKIPPED_ID, sampleReport } from "./sample-report.ts";

/** What the CLI prints: the events as one JSON array, parsed back. */
function printedEvents(): OcsfComplianceFinding[] {
  const text = JSON.stringify(toOcsfEvents(sampleReport(), { productVersion: "0.1.0", fallbackRegion: "us-east-1" }));
  return JSON.parse(text) as OcsfComplianceFinding[];
}

const eventOf = (id: string) => {
  const event = printedEvents().find((e) => e.cloud.account.uid === id);
  if (!event) throw new Error(`no event for ${id}`);
  return event;
};

describe("toOcsfEvents", () => {
  it("prints one event per account", () => {
    expect(printedEvents().map((e) => e.cloud.account.uid)).toEqual([COMPLIANT_ID, FAILING_ID, ERROR_ID, SKIPPED_ID]);
  });

  it("classifies every event as an OCSF Compliance Finding created", () => {
    expect(
      new Set(printedEvents().map((e) => `${e.class_uid} ${e.category_uid} ${e.type_uid} ${e.activity_id}`)),
    ).toEqual(new Set(["2003 2 200301 1"]));
  });

  it("stamps the event with the run's end, in epoch milliseconds", () => {
    expect(eventOf(COMPLIANT_ID).time).toBe(Date.parse("2026-11-22T08:00:03.120Z"));
  });

  it("names OCSF 1.3.0 and tripwire's version in the metadata", () => {
    expect(eventOf(COMPLIANT_ID).metadata).toEqual({
      version: "1.3.0",
      product: { name: "tripwire", vendor_name: "tripwire", version: "0.1.0" },
      profiles: ["cloud"],
    });
  });

  it("maps the four statuses to Pass, Fail, Warning and Unknown", () => {
    expect(
      printedEvents().map((e) => `${e.compliance.status_code}=${e.compliance.status_id} ${e.compliance.status}`),
    ).toEqual(["COMPLIANT=1 Pass", "NON_COMPLIANT=3 Fail", "ERROR=2 Warning", "SKIPPED=0 Unknown"]);
  });

  it("gives an EXEMPT account the compliance status Other, captioned Exempt, and a Suppressed finding", () => {
    const report = { ...sampleReport(), accounts: [exemptResult()] };
    const [event] = toOcsfEvents(report, { productVersion: "0.1.0", fallbackRegion: "us-east-1" });
    expect(event).toMatchObject({
      compliance: { status_id: 99, status: "Exempt", status_code: "EXEMPT" },
      status_id: 3,
      status: "Suppressed",
    });
  });

  it("rates a failing account Low, as Security Hub rates CloudWatch.2", () => {
    expect(eventOf(FAILING_ID)).toMatchObject({ severity_id: 2, severity: "Low" });
  });

  it("rates a passing account Informational", () => {
    expect(eventOf(COMPLIANT_ID)).toMatchObject({ severity_id: 1, severity: "Informational" });
  });

  it("cites the CIS requirements and the standards, each with its version", () => {
    expect(eventOf(FAILING_ID).compliance).toMatchObject({
      standards: expect.arrayContaining(["CIS AWS Foundations Benchmark v1.2.0"]),
      requirements: expect.arrayContaining([
        "CIS AWS Foundations Benchmark v1.2.0/3.1",
        "CIS AWS Foundations Benchmark v1.4.0/4.1",
      ]),
      control: "CloudWatch.2",
    });
  });

  it("puts the account and the judged chain's region under cloud", () => {
    expect(eventOf(COMPLIANT_ID).cloud).toEqual({
      provider: "AWS",
      region: REGION,
      account: { uid: COMPLIANT_ID, name: 'prod, "eu"', type_id: 10, type: "AWS Account" },
    });
  });

  it("puts an account judged on no chain in the fallback region", () => {
    expect(eventOf(ERROR_ID).cloud.region).toBe("us-east-1");
  });

  it("gives the finding the identity the Security Hub finding has", () => {
    expect(eventOf(COMPLIANT_ID).finding_info.uid).toBe(`tripwire/${COMPLIANT_ID}/${REGION}/unauthorized-api-calls`);
  });

  it("lists the compliant chain's trail, log group, alarm and topic as resources", () => {
    expect(eventOf(COMPLIANT_ID).resources.map((r) => r.type)).toEqual([
      "AWS::CloudTrail::Trail",
      "AWS::Logs::LogGroup",
      "AWS::CloudWatch::Alarm",
      "AWS::SNS::Topic",
    ]);
  });

  it("keeps the finding codes and their messages in status_detail", () => {
    expect(eventOf(FAILING_ID).compliance.status_detail).toMatch(/^NO_METRIC_FILTER \(eu-west-1\): no metric filter/);
  });

  it("keeps what OCSF has no attribute for under unmapped.tripwire", () => {
    expect(eventOf(FAILING_ID).unmapped.tripwire).toMatchObject({
      findings: [{ code: "NO_METRIC_FILTER" }, { code: "NAME_TAKEN" }],
      scanners: { securityHub: "FAIL" },
      actions: [{ type: "create-metric-filter" }],
    });
  });

  it("says why an ERROR account could not be judged", () => {
    expect(eventOf(ERROR_ID).compliance.status_detail).toBe(
      "DescribeTrails (cloudtrail us-east-1): AccessDeniedException: no",
    );
  });
});
