/**
 * AWS Security Hub, as far as tripwire uses it: BatchImportFindings and GetFindings, per
 * account and region, with the rules AWS applies and emulators skip:
 *  - the hub must be enabled in the account and region (SimulatedAccount.enableSecurityHub),
 *    else InvalidAccessException, for the whole call;
 *  - a finding of the default product must name the caller's account, in the endpoint's
 *    region, as AwsAccountId and in its ProductArn, else AccessDeniedException, for the whole
 *    call (as AWS answers: prowler-cloud/prowler#867, #618);
 *  - 1 to 100 findings per call;
 *  - each finding is checked against ASFF's required attributes and limits; one that fails is
 *    returned in FailedFindings (InvalidInput), the others are taken;
 *  - a finding whose ProductArn and Id exist is an update, applied only when its UpdatedAt is
 *    later than the stored one (an earlier or equal one is ignored, and still counted a
 *    success); Note, UserDefinedFields, VerificationState and Workflow are kept from before.
 */
import type { BatchImportFindingsRequest, GetFindingsRequest, StringFilter } from "@aws-sdk/client-securityhub";
import type { AccountState, RegionState } from "../state.ts";
import { type CallContext, type HandlerTable, op, raise } from "./handler.ts";

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
] as const;
const SEVERITY_LABELS = new Set(["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"]);
const COMPLIANCE = new Set(["PASSED", "WARNING", "FAILED", "NOT_AVAILABLE"]);
const RECORD_STATES = new Set(["ACTIVE", "ARCHIVED"]);
/** Kept from the stored finding on an update: BatchImportFindings cannot change them. */
const KEPT_ON_UPDATE = ["Note", "UserDefinedFields", "VerificationState", "Workflow"] as const;

function fail(name: string, message: string, status = 400): never {
  return raise("securityhub", name, message, status);
}

function hub(ctx: CallContext): RegionState {
  const state = ctx.account.peekRegion(ctx.region);
  if (!state.securityHubEnabled) {
    fail(
      "InvalidAccessException",
      `Account ${ctx.account.id} is not subscribed to AWS Security Hub in region ${ctx.region}`,
      401,
    );
  }
  return state;
}

export function enableSecurityHub(account: AccountState, region: string): void {
  account.region(region).securityHubEnabled = true;
}

/** What is wrong with a finding, as Security Hub's InvalidInput message says it; undefined when nothing. */
function invalidity(f: Record<string, unknown>): string | undefined {
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  for (const field of REQUIRED) if (f[field] === undefined || f[field] === "") return `${field} is required`;
  const lengths: [string, number, number][] = [
    ["Id", 1, 512],
    ["GeneratorId", 1, 512],
    ["Title", 1, 256],
    ["Description", 1, 1024],
  ];
  for (const [field, min, max] of lengths) {
    const value = text(f[field]);
    if (value.length < min || value.length > max || !/\S/.test(value)) {
      return `${field} must be ${min} to ${max} characters with one that is not a space`;
    }
  }
  if (Number.isNaN(Date.parse(text(f.CreatedAt))) || Number.isNaN(Date.parse(text(f.UpdatedAt)))) {
    return "CreatedAt and UpdatedAt must be timestamps";
  }
  const resources = f.Resources as { Type?: string; Id?: string; Region?: string }[];
  if (!Array.isArray(resources) || resources.length < 1 || resources.length > 32)
    return "Resources must hold 1 to 32 items";
  for (const r of resources) {
    if (!r.Type || !r.Id) return "every resource needs Type and Id";
    if (r.Region !== undefined && (r.Region.length < 1 || r.Region.length > 16))
      return "Resource Region is 1 to 16 characters";
  }
  const types = f.Types as unknown[];
  if (!Array.isArray(types) || types.length > 50) return "Types holds at most 50 items";
  const severity = f.Severity as { Label?: string; Normalized?: number } | undefined;
  if (!severity || (severity.Label === undefined && severity.Normalized === undefined)) {
    return "Severity needs a Label or Normalized";
  }
  if (severity.Label !== undefined && !SEVERITY_LABELS.has(severity.Label))
    return `Severity Label ${severity.Label} is not valid`;
  const fields = f.ProductFields as Record<string, unknown> | undefined;
  if (fields) {
    const entries = Object.entries(fields);
    if (entries.length > 50) return `ProductFields holds ${entries.length} pairs, 50 at most`;
    for (const [key, value] of entries) {
      if (key.length > 128) return `ProductFields key ${key.slice(0, 40)}… is longer than 128 characters`;
      if (typeof value !== "string" || value.length > 2048 || !/\S/.test(value)) {
        return `ProductFields value of ${key} must be 1 to 2048 characters with one that is not a space`;
      }
    }
  }
  const remediation = text(
    (f.Remediation as { Recommendation?: { Text?: unknown } } | undefined)?.Recommendation?.Text,
  );
  if (remediation.length > 512) return "Remediation.Recommendation.Text is 512 characters at most";
  const compliance = f.Compliance as { Status?: string; RelatedRequirements?: unknown[] } | undefined;
  if (compliance?.Status !== undefined && !COMPLIANCE.has(compliance.Status))
    return `Compliance Status ${compliance.Status} is not valid`;
  if ((compliance?.RelatedRequirements?.length ?? 0) > 32) return "RelatedRequirements holds at most 32 items";
  if (f.RecordState !== undefined && !RECORD_STATES.has(text(f.RecordState)))
    return `RecordState ${text(f.RecordState)} is not valid`;
  return undefined;
}

function matches(filters: readonly StringFilter[] | undefined, value: unknown): boolean {
  if (!filters || filters.length === 0) return true;
  const text = typeof value === "string" ? value : "";
  return filters.some((f) =>
    f.Comparison === "PREFIX" ? text.startsWith(f.Value ?? "") : f.Comparison === "EQUALS" ? text === f.Value : true,
  );
}

export const securityHubHandlers: HandlerTable = {
  BatchImportFindings: op<BatchImportFindingsRequest>((ctx, input) => {
    const findings = (input.Findings ?? []) as unknown as Record<string, unknown>[];
    if (findings.length < 1 || findings.length > 100)
      fail("InvalidInputException", "Findings must hold 1 to 100 findings");
    const state = hub(ctx);
    const product = `arn:${ctx.core.partition}:securityhub:${ctx.region}:${ctx.account.id}:product/${ctx.account.id}/default`;
    for (const f of findings) {
      if (f.AwsAccountId !== ctx.account.id || f.ProductArn !== product) {
        fail(
          "AccessDeniedException",
          `User: ${ctx.principal.arn} is not authorized to perform: securityhub:BatchImportFindings on resource: ${String(f.ProductArn)}`,
          403,
        );
      }
    }
    const failed: { Id: string; ErrorCode: string; ErrorMessage: string }[] = [];
    for (const f of findings) {
      const problem = invalidity(f);
      if (problem) {
        failed.push({ Id: String(f.Id ?? ""), ErrorCode: "InvalidInput", ErrorMessage: problem });
        continue;
      }
      const key = `${f.ProductArn} ${f.Id}`;
      const existing = state.findings.get(key);
      if (existing && Date.parse(String(f.UpdatedAt)) <= Date.parse(String(existing.UpdatedAt))) continue;
      const kept = existing
        ? Object.fromEntries(KEPT_ON_UPDATE.filter((k) => k in existing).map((k) => [k, existing[k]]))
        : {};
      state.findings.set(key, {
        ...structuredClone(f),
        Id: String(f.Id),
        ProductArn: String(f.ProductArn),
        Region: ctx.region,
        RecordState: f.RecordState ?? "ACTIVE",
        Workflow: { Status: "NEW" },
        WorkflowState: "NEW",
        ProcessedAt: ctx.core.clock.tick().toISOString(),
        ...kept,
      });
    }
    return { FailedCount: failed.length, SuccessCount: findings.length - failed.length, FailedFindings: failed };
  }),

  GetFindings: op<GetFindingsRequest>((ctx, input) => {
    const state = hub(ctx);
    const max = input.MaxResults ?? 100;
    if (max < 1 || max > 100) fail("InvalidInputException", "MaxResults must be between 1 and 100");
    const filters = input.Filters ?? {};
    const all = [...state.findings.values()].filter(
      (f) =>
        matches(filters.Id, f.Id) &&
        matches(filters.ProductArn, f.ProductArn) &&
        matches(filters.AwsAccountId, f.AwsAccountId) &&
        matches(filters.GeneratorId, f.GeneratorId) &&
        matches(filters.RecordState, f.RecordState),
    );
    const start = input.NextToken ? Number(input.NextToken) : 0;
    if (!Number.isInteger(start) || start < 0) fail("InvalidInputException", "NextToken is not valid");
    const page = all.slice(start, start + max);
    return {
      Findings: structuredClone(page),
      ...(start + max < all.length ? { NextToken: String(start + max) } : {}),
    };
  }),
};
