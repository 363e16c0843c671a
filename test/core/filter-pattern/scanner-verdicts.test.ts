import { describe, expect, it } from "vitest";
import { CIS_PATTERNS, judgeCoverage, scannerVerdicts } from "../../../shared/core/filter-pattern/index.ts";

// Security Hub: https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-2
// Steampipe and Prowler: their published regexes (docs/scanners.md).

describe("scannerVerdicts", () => {
  it.each<[string, string, { securityHub: string; steampipe: string; prowler: string }]>([
    ["CIS v1.2", CIS_PATTERNS.v12, { securityHub: "PASS", steampipe: "FAIL", prowler: "PASS" }],
    ["v1.4 fully grouped", CIS_PATTERNS.v14Grouped, { securityHub: "FAIL", steampipe: "PASS", prowler: "PASS" }],
    ["CIS v1.4 CLI text", CIS_PATTERNS.v14CliText, { securityHub: "FAIL", steampipe: "PASS", prowler: "PASS" }],
    ["CIS v5", CIS_PATTERNS.v5, { securityHub: "FAIL", steampipe: "PASS", prowler: "PASS" }],
    [
      "*UnauthorizedAccess*",
      '{ ($.errorCode = "*UnauthorizedAccess*") || ($.errorCode = "AccessDenied*") }',
      { securityHub: "FAIL", steampipe: "FAIL", prowler: "FAIL" },
    ],
  ])("gives the published verdicts for %s", (_name, pattern, expected) => {
    expect(scannerVerdicts(pattern)).toEqual(expected);
  });

  // The control's remediation prints the filter without spaces while the CIS text has
  // them; we read "exact" as same tokens, whitespace outside quotes ignored.
  it("passes Security Hub for the v1.2 pattern written without spaces", () => {
    expect(
      scannerVerdicts('{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}').securityHub,
    ).toBe("PASS");
  });

  it("fails Security Hub when a term is added to the v1.2 pattern", () => {
    const extended =
      '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.errorCode = "AuthorizationError") }';
    expect(scannerVerdicts(extended).securityHub).toBe("FAIL");
  });

  it("fails Security Hub when whitespace inside a quoted value differs", () => {
    expect(
      scannerVerdicts('{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied* ") }').securityHub,
    ).toBe("FAIL");
  });

  it("fails Prowler and Security Hub for the v1.2 clauses in reverse order, which still covers", () => {
    const reversed = '{ ($.errorCode = "AccessDenied*") || ($.errorCode = "*UnauthorizedOperation") }';
    expect(scannerVerdicts(reversed).prowler).toBe("FAIL");
    expect(scannerVerdicts(reversed).securityHub).toBe("FAIL");
    expect(judgeCoverage(reversed).classification).toBe("COVERS");
  });

  it("passes Prowler across line breaks, as its DOTALL regex does", () => {
    expect(scannerVerdicts(CIS_PATTERNS.v12.replace(" || ", "\n||\n")).prowler).toBe("PASS");
  });
});
