import { describe, expect, it } from "vitest";
import { CSV_COLUMNS, toCsv } from "../../../shared/core/report-formats/csv.ts";
import { csvRecords, parseCsv } from "../../support/csv.ts";
import { COMPLIANT_ID, ERROR_ID, FAILING_ID, sampleReport } from "./sample-report.ts";

describe("toCsv", () => {
  const text = toCsv(sampleReport());
  const records = csvRecords(text);

  it("starts with the documented header", () => {
    expect(parseCsv(text)[0]).toEqual([...CSV_COLUMNS]);
  });

  it("gives every row as many fields as the header", () => {
    expect(parseCsv(text).filter((row) => row.length !== CSV_COLUMNS.length)).toEqual([]);
  });

  it("writes one row per finding of an account", () => {
    const failing = records.filter((r) => r.account_id === FAILING_ID);
    expect(failing.map((r) => r.finding_code)).toEqual(["NO_METRIC_FILTER", "NAME_TAKEN"]);
  });

  it("writes one row with empty finding columns for an account without findings", () => {
    expect(records.filter((r) => r.account_id === COMPLIANT_ID)).toEqual([
      expect.objectContaining({ status: "COMPLIANT", finding_code: "", finding_region: "", finding_message: "" }),
    ]);
  });

  it("keeps a name with a comma and quotes as one field", () => {
    expect(records.find((r) => r.account_id === COMPLIANT_ID)?.account_name).toBe('prod, "eu"');
  });

  it("keeps a message with a line break and quotes as one field", () => {
    const taken = records.find((r) => r.finding_code === "NAME_TAKEN");
    expect(taken?.finding_message).toBe('alarm "tripwire-unauthorized-api-calls"\nis not tripwire\'s');
  });

  it("repeats the account's columns on each of its rows", () => {
    const failing = records.filter((r) => r.account_id === FAILING_ID);
    expect(failing.map((r) => [r.status, r.scanner_security_hub, r.actions_planned].join(" "))).toEqual([
      "NON_COMPLIANT FAIL 1",
      "NON_COMPLIANT FAIL 1",
    ]);
  });

  it("carries the error of an ERROR account", () => {
    expect(records.find((r) => r.account_id === ERROR_ID)).toMatchObject({
      status: "ERROR",
      error: "DescribeTrails (cloudtrail us-east-1): AccessDeniedException: no",
    });
  });

  it("stamps every row with the run's end and mode", () => {
    expect(new Set(records.map((r) => `${r.run_finished_at} ${r.mode}`))).toEqual(
      new Set(["2026-11-22T08:00:03.120Z scan"]),
    );
  });
});

describe("toCsv, security_hub", () => {
  it("says imported or not imported with the setting on, and nothing without it", () => {
    const report = sampleReport();
    const [compliant, failing, ...rest] = report.accounts;
    const withHub = {
      ...report,
      accounts: [
        { ...compliant!, securityHub: { region: "eu-west-1", findingId: "x", imported: true, notes: [] } },
        { ...failing!, securityHub: { region: "eu-west-1", findingId: "y", imported: false, notes: ["not enabled"] } },
        ...rest,
      ],
    };
    const cells = csvRecords(toCsv(withHub)).map((r) => `${r.account_id}=${r.security_hub}`);
    expect([...new Set(cells)]).toEqual([
      `${COMPLIANT_ID}=imported`,
      `${FAILING_ID}=not imported`,
      `${ERROR_ID}=`,
      "555555555555=",
    ]);
  });
});
