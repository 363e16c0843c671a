/** The coverage matrix: what a cell says of an account in a region. */
import { describe, expect, it } from "vitest";
import { coverageMatrix } from "../../shared/core/coverage-matrix.ts";
import type { ChainEvidence } from "../../shared/core/evidence.ts";
import type { AccountResult } from "../../shared/core/model.ts";
import { buildReport } from "../../shared/core/report.ts";

const NO_SCANNERS = { securityHub: "FAIL", steampipe: "FAIL", prowler: "FAIL" } as const;

function chainIn(region: string, accountId: string): ChainEvidence {
  return {
    satisfies: true,
    trail: {
      arn: `arn:aws:cloudtrail:${region}:${accountId}:trail/t`,
      name: "t",
      homeRegion: region,
      ownerAccountId: accountId,
      isMultiRegion: true,
      isOrganizationTrail: false,
    },
    logGroup: { arn: `arn:aws:logs:${region}:${accountId}:log-group:g:*`, name: "g", region, accountId },
    filters: [],
  };
}

function account(
  id: string,
  status: AccountResult["status"],
  chains: ChainEvidence[] = [],
  findings: AccountResult["findings"] = [],
): AccountResult {
  return { accountId: id, name: id, status, findings, actions: [], scanners: NO_SCANNERS, evidence: { chains } };
}

const report = (accounts: AccountResult[]) =>
  buildReport({ mode: "scan", startedAt: new Date(0), finishedAt: new Date(0), accounts });
const cells = (m: ReturnType<typeof coverageMatrix>, id: string) =>
  Object.fromEntries(m.rows.find((r) => r.accountId === id)?.cells.map((c) => [c.region, c.status]) ?? []);

describe("coverageMatrix", () => {
  it("shows a compliant account COMPLIANT where its chain is and COVERED elsewhere", () => {
    const m = coverageMatrix(report([account("1", "COMPLIANT", [chainIn("eu-west-1", "1")])]), [
      "us-east-1",
      "eu-west-1",
    ]);
    expect(cells(m, "1")).toEqual({ "us-east-1": "COVERED", "eu-west-1": "COMPLIANT" });
  });

  it("marks the cell of the chain", () => {
    const m = coverageMatrix(report([account("1", "COMPLIANT", [chainIn("eu-west-1", "1")])]), [
      "us-east-1",
      "eu-west-1",
    ]);
    expect(m.rows[0]?.cells.filter((c) => c.chain).map((c) => c.region)).toEqual(["eu-west-1"]);
  });

  it("names the account that holds the chain of an organization trail", () => {
    const m = coverageMatrix(report([account("2", "COMPLIANT", [chainIn("us-east-1", "1")])]), ["us-east-1"]);
    expect(m.rows[0]?.cells[0]).toMatchObject({ chain: true, chainAccountId: "1" });
  });

  it("shows a non-compliant account NOT_COVERED outside the region of its broken chain", () => {
    const broken = account("1", "NON_COMPLIANT", [], [{ code: "NO_METRIC_FILTER", region: "us-east-1", message: "" }]);
    expect(cells(coverageMatrix(report([broken]), ["us-east-1", "eu-west-1"]), "1")).toEqual({
      "us-east-1": "NON_COMPLIANT",
      "eu-west-1": "NOT_COVERED",
    });
  });

  it("shows an account without any trail NOT_COVERED everywhere", () => {
    const none = account("1", "NON_COMPLIANT", [], [{ code: "NO_MULTI_REGION_TRAIL", region: "global", message: "" }]);
    expect(cells(coverageMatrix(report([none]), ["us-east-1", "eu-west-1"]), "1")).toEqual({
      "us-east-1": "NOT_COVERED",
      "eu-west-1": "NOT_COVERED",
    });
  });

  it("shows an account in ERROR as ERROR in every region: not known", () => {
    expect(cells(coverageMatrix(report([account("1", "ERROR")]), ["us-east-1"]), "1")).toEqual({
      "us-east-1": "ERROR",
    });
  });

  it("shows an exempt account EXEMPT", () => {
    expect(cells(coverageMatrix(report([account("1", "EXEMPT")]), ["us-east-1"]), "1")).toEqual({
      "us-east-1": "EXEMPT",
    });
  });

  it("adds, marked out of scope, a region where a chain lives outside the regions given", () => {
    const m = coverageMatrix(report([account("1", "COMPLIANT", [chainIn("ap-south-1", "1")])]), ["us-east-1"]);
    expect(m.regions).toEqual([
      { region: "us-east-1", inScope: true },
      { region: "ap-south-1", inScope: false },
    ]);
  });

  it("takes the regions chains live in when no region list was given", () => {
    const m = coverageMatrix(
      report([
        account("1", "COMPLIANT", [chainIn("us-east-1", "1")]),
        account("2", "COMPLIANT", [chainIn("eu-west-1", "2")]),
      ]),
      undefined,
    );
    expect(m.regions.map((r) => r.region)).toEqual(["eu-west-1", "us-east-1"]);
  });
});
