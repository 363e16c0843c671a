import { describe, expect, it } from "vitest";
import {
  BENIGN_RECORDS,
  CIS_PATTERNS,
  isDocumentedExclusion,
  judgeCoverage,
} from "../../../shared/core/filter-pattern/index.ts";

const byId = new Map(BENIGN_RECORDS.map((e) => [e.ref.eventID, e.record]));
// Security Hub CloudWatch.2 remediation text (no spaces):
// https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-2
const SECURITY_HUB_TEXT = '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}';
// The pattern several published Terraform modules (and one scanner's advice) use.
const UNAUTHORIZED_ACCESS = '{ ($.errorCode = "*UnauthorizedAccess*") || ($.errorCode = "AccessDenied*") }';

describe("judgeCoverage", () => {
  it.each([
    ["CIS v1.2", CIS_PATTERNS.v12],
    ["CIS v1.2 as Security Hub prints it", SECURITY_HUB_TEXT],
    ["CIS v1.2 spread over lines", CIS_PATTERNS.v12.replaceAll(" || ", "\n  ||\n  ")],
    ["v1.4 fully grouped", CIS_PATTERNS.v14Grouped],
    [
      "v1.4 fully grouped, spaced",
      CIS_PATTERNS.v14Grouped.replaceAll("=", " = ").replaceAll("! =", " !=").replaceAll("&&", " && "),
    ],
    ["CIS v5", CIS_PATTERNS.v5],
  ])("classifies %s as COVERS", (_name, pattern) => {
    expect(judgeCoverage(pattern).classification).toBe("COVERS");
  });

  it("lets the v1.2 pattern match only documented exclusions among benign records", () => {
    const matched = judgeCoverage(CIS_PATTERNS.v12).matchedBenign.map((r) => byId.get(r.eventID));
    expect(
      matched.length > 0 &&
        matched.every((r) => r !== undefined && isDocumentedExclusion(r) && r.errorCode === "AccessDenied"),
    ).toBe(true);
  });

  it("finds no benign match for the fully grouped v1.4 pattern", () => {
    expect(judgeCoverage(CIS_PATTERNS.v14Grouped).matchedBenign).toEqual([]);
  });

  it("classifies the CIS v1.4 CLI text as MATCHES_EVERYTHING", () => {
    expect(judgeCoverage(CIS_PATTERNS.v14CliText).classification).toBe("MATCHES_EVERYTHING");
  });

  it("reports that the v1.4 CLI text matches more than half of the benign records", () => {
    const j = judgeCoverage(CIS_PATTERNS.v14CliText);
    expect(j.matchedBenign.length).toBeGreaterThan(j.totalBenign / 2);
  });

  it("classifies the *UnauthorizedAccess* pattern as MISSES_UNAUTHORIZED_EVENTS", () => {
    expect(judgeCoverage(UNAUTHORIZED_ACCESS).classification).toBe("MISSES_UNAUTHORIZED_EVENTS");
  });

  it("lists the EC2 UnauthorizedOperation records as what *UnauthorizedAccess* misses", () => {
    const missed = judgeCoverage(UNAUTHORIZED_ACCESS).missedUnauthorized;
    expect(
      missed.length > 0 &&
        missed.every((r) => r.eventSource === "ec2.amazonaws.com" && r.errorCode?.endsWith("UnauthorizedOperation")),
    ).toBe(true);
  });

  it("classifies a complete pattern that also alarms on throttling as MATCHES_EVERYTHING", () => {
    const j = judgeCoverage(
      '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.errorCode = "ThrottlingException") }',
    );
    expect(j.classification).toBe("MATCHES_EVERYTHING");
    expect(j.matchedBenign.length).toBeLessThanOrEqual(j.totalBenign / 2);
  });

  it("classifies the empty pattern as MATCHES_EVERYTHING", () => {
    expect(judgeCoverage("").classification).toBe("MATCHES_EVERYTHING");
  });

  it("classifies a term pattern on the error name as MISSES_UNAUTHORIZED_EVENTS", () => {
    expect(judgeCoverage("UnauthorizedOperation").classification).toBe("MISSES_UNAUTHORIZED_EVENTS");
  });

  it("classifies a pattern CloudWatch Logs rejects as INVALID, with the message and position", () => {
    const j = judgeCoverage('{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode EXISTS) }');
    expect(j).toMatchObject({
      classification: "INVALID",
      error: "EXISTS is not supported by CloudWatch Logs (only NOT EXISTS is) (at position 59)",
      errorPosition: 59,
    });
  });

  // The engine treats matchedUnauthorized === 0 as "this filter is for another control".
  it.each([
    [
      "root usage (CloudWatch.1)",
      '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    ],
    [
      "console sign-in without MFA (CloudWatch.3)",
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    ],
    [
      "IAM policy changes",
      "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}",
    ],
    [
      "CloudTrail configuration changes",
      "{($.eventName=CreateTrail)||($.eventName=UpdateTrail)||($.eventName=DeleteTrail)||($.eventName=StartLogging)||($.eventName=StopLogging)}",
    ],
    ["console authentication failures", '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}'],
  ])("matches no unauthorized record with the %s filter", (_name, pattern) => {
    expect(judgeCoverage(pattern).matchedUnauthorized).toBe(0);
  });

  it("returns the memoized judgement for the same pattern text", () => {
    expect(judgeCoverage(CIS_PATTERNS.v12)).toBe(judgeCoverage(CIS_PATTERNS.v12));
  });
});
