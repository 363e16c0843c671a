/** A report of four accounts, one per status, built from real verdicts (for the format tests). */
import { evaluateAccount, evaluateChain } from "../../../shared/core/evaluate.ts";
import type { AccountResult } from "../../../shared/core/model.ts";
import { buildReport, type Report } from "../../../shared/core/report.ts";
import { ACCOUNT, compliantChain, REGION, trail } from "../fixtures.ts";

export const COMPLIANT_ID = ACCOUNT;
export const FAILING_ID = "333333333333";
export const ERROR_ID = "444444444444";
export const SKIPPED_ID = "555555555555";

const NO_DATA = { securityHub: "NO_DATA", steampipe: "NO_DATA", prowler: "NO_DATA" } as const;

export function compliantResult(): AccountResult {
  const chain = compliantChain();
  const verdict = evaluateAccount(
    ACCOUNT,
    [chain.trail],
    new Map([[chain.trail.arn, evaluateChain(chain, "tripwire")]]),
  );
  return {
    accountId: ACCOUNT,
    // A comma and a double quote: the CSV must quote the field.
    name: 'prod, "eu"',
    status: "COMPLIANT",
    findings: verdict.findings,
    actions: [],
    scanners: verdict.scanners,
    evidence: verdict.evidence,
  };
}

export function failingResult(): AccountResult {
  const t = trail({ arn: `arn:aws:cloudtrail:${REGION}:${FAILING_ID}:trail/main`, ownerAccountId: FAILING_ID });
  const chain = compliantChain({ trail: t, filters: [] });
  const verdict = evaluateAccount(FAILING_ID, [t], new Map([[t.arn, evaluateChain(chain, "tripwire")]]));
  return {
    accountId: FAILING_ID,
    name: "workload",
    status: "NON_COMPLIANT",
    findings: [
      ...verdict.findings,
      // A line break and double quotes in a message: quoted, and still one field.
      { code: "NAME_TAKEN", region: REGION, message: 'alarm "tripwire-unauthorized-api-calls"\nis not tripwire\'s' },
    ],
    actions: [
      { type: "create-metric-filter", region: REGION, resource: "log-group:x/metric-filter:y", applied: false },
    ],
    scanners: verdict.scanners,
    evidence: verdict.evidence,
  };
}

export function sampleReport(): Report {
  const error: AccountResult = {
    accountId: ERROR_ID,
    name: "locked",
    status: "ERROR",
    findings: [],
    actions: [],
    scanners: NO_DATA,
    evidence: { chains: [] },
    error: "DescribeTrails (cloudtrail us-east-1): AccessDeniedException: no",
  };
  const skipped: AccountResult = {
    ...error,
    accountId: SKIPPED_ID,
    name: "closed",
    status: "SKIPPED",
    error: "account status is SUSPENDED",
  };
  return buildReport({
    mode: "scan",
    startedAt: new Date("2026-11-22T08:00:00.000Z"),
    finishedAt: new Date("2026-11-22T08:00:03.120Z"),
    accounts: [compliantResult(), failingResult(), error, skipped],
  });
}

/** A failing account read under a documented exemption: reported EXEMPT. */
export function exemptResult(): AccountResult {
  return {
    ...failingResult(),
    status: "EXEMPT",
    exemption: { reason: "sandbox without workloads", owner: "cloud platform team", expires: "2027-03-01" },
  };
}
