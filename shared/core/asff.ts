/**
 * One account's verdict as a Security Hub finding in the AWS Security Finding Format (pure).
 *
 * Imported with the default product ARN of the account itself
 * (`arn:<partition>:securityhub:<region>:<account>:product/<account>/default`), which Security
 * Hub accepts only from that account, in that region: the account's own clients import it
 * (use-cases/security-hub.ts). The Id is stable (core/control-finding.ts), so a later run
 * updates the finding; Security Hub ignores an update whose UpdatedAt is not later than the
 * finding's, so every import carries the time of the run that judged it.
 *
 * ASFF's limits are kept here, deliberately: Title 256 characters, Description 1024,
 * Remediation text 512, up to 32 Resources and 32 RelatedRequirements, ProductFields up to 50
 * pairs with keys up to 128 characters and values up to 2048. What does not fit is cut with
 * an ellipsis, and left-out ProductFields are counted in `tripwire/omitted`.
 */
import type { AwsSecurityFinding } from "@aws-sdk/client-securityhub";
import {
  CONTROL,
  type FindingResource,
  findingId,
  findingResources,
  README_URL,
  remediationText,
  truncate,
  verdictSentence,
} from "./control-finding.ts";
import type { ChainEvidence } from "./evidence.ts";
import type { AccountResult, AccountStatus, RunMode } from "./model.ts";

export const ASFF_LIMITS = {
  title: 256,
  description: 1024,
  remediationText: 512,
  resources: 32,
  productFields: 50,
  productFieldKey: 128,
  productFieldValue: 2048,
  findingsPerBatch: 100,
} as const;

export type ComplianceStatus = "PASSED" | "FAILED" | "WARNING" | "NOT_AVAILABLE";

/**
 * PASSED and FAILED are the verdict; WARNING is an account tripwire could not judge (ERROR);
 * NOT_AVAILABLE is a finding tripwire no longer stands behind: an archived one (prune), or a
 * SKIPPED account's; and an EXEMPT account's, which a documented exemption takes out of the
 * control's scope until it expires (its Description says whose, why and until when).
 */
export const COMPLIANCE_STATUS: Readonly<Record<AccountStatus, ComplianceStatus>> = {
  COMPLIANT: "PASSED",
  NON_COMPLIANT: "FAILED",
  ERROR: "WARNING",
  SKIPPED: "NOT_AVAILABLE",
  EXEMPT: "NOT_AVAILABLE",
};

export interface AsffContext {
  readonly partition: string;
  /** The region of the account's Security Hub the finding goes to (core/control-finding.ts judgedRegion). */
  readonly region: string;
  /** When the run judged the account: CreatedAt, UpdatedAt and LastObservedAt. */
  readonly now: Date;
  readonly mode: RunMode;
}

/** The default product ARN of an account in a region: the one findings of custom integrations use. */
export function defaultProductArn(partition: string, region: string, accountId: string): string {
  return `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/** The finding that says what tripwire judged of the account. */
export function accountFinding(result: AccountResult, ctx: AsffContext): AwsSecurityFinding {
  const status = COMPLIANCE_STATUS[result.status];
  const severity = { Label: status === "FAILED" ? "LOW" : "INFORMATIONAL", Original: result.status } as const;
  const at = ctx.now.toISOString();
  return {
    SchemaVersion: "2018-10-08",
    Id: findingId(result.accountId, ctx.region),
    ProductArn: defaultProductArn(ctx.partition, ctx.region, result.accountId),
    ProductName: "tripwire",
    CompanyName: "tripwire",
    GeneratorId: CONTROL.generatorId,
    AwsAccountId: result.accountId,
    Types: [...CONTROL.types],
    CreatedAt: at,
    UpdatedAt: at,
    LastObservedAt: at,
    Severity: severity,
    FindingProviderFields: { Severity: severity, Types: [...CONTROL.types] },
    Title: truncate(CONTROL.title, ASFF_LIMITS.title),
    Description: truncate(description(result), ASFF_LIMITS.description),
    Remediation: { Recommendation: { Text: remediationText(result, ASFF_LIMITS.remediationText), Url: README_URL } },
    ProductFields: productFields(result, ctx.mode),
    Resources: resources(result, ctx),
    Compliance: { Status: status, RelatedRequirements: [...CONTROL.requirements] },
    RecordState: "ACTIVE",
  };
}

/**
 * The same finding, archived: what prune imports so that Security Hub hides tripwire's finding
 * of an account tripwire no longer watches (RecordState ARCHIVED, Compliance NOT_AVAILABLE).
 */
export function archivedFinding(
  accountId: string,
  ctx: Omit<AsffContext, "mode">,
  why = "tripwire no longer watches this account",
): AwsSecurityFinding {
  const base = accountFinding(
    {
      accountId,
      name: "",
      status: "SKIPPED",
      findings: [],
      actions: [],
      scanners: { securityHub: "NO_DATA", steampipe: "NO_DATA", prowler: "NO_DATA" },
      evidence: { chains: [] },
      error: why,
    },
    { ...ctx, mode: "scan" },
  );
  return {
    ...base,
    Description: truncate(`${why}: this finding is archived.`, ASFF_LIMITS.description),
    ProductFields: { "tripwire/status": "ARCHIVED", "tripwire/reason": truncate(why, ASFF_LIMITS.productFieldValue) },
    RecordState: "ARCHIVED",
  };
}

function description(result: AccountResult): string {
  const findings = result.findings.map((f) => `${f.code}: ${f.message}`);
  return [verdictSentence(result), ...findings].join(" ");
}

/**
 * The verdict's details, flattened to at most 50 string pairs: the status, mode, finding codes
 * and scanner predictions first, then one field per finding, then the evidence, one field per
 * link of each chain (trail, log group, filter, alarm) whose value is that link as compact
 * JSON. Values past 2048 characters are cut; fields past the 49th are left out and counted.
 */
export function productFields(result: AccountResult, mode: RunMode): Record<string, string> {
  const fields: [string, string][] = [
    ["tripwire/status", result.status],
    ["tripwire/mode", mode],
    ["tripwire/scanner/securityHub", result.scanners.securityHub],
    ["tripwire/scanner/steampipe", result.scanners.steampipe],
    ["tripwire/scanner/prowler", result.scanners.prowler],
  ];
  const codes = [...new Set(result.findings.map((f) => f.code))];
  if (codes.length > 0) fields.push(["tripwire/findingCodes", codes.join(",")]);
  if (result.error) fields.push(["tripwire/error", result.error]);
  if (result.actions.length > 0) {
    const applied = result.actions.filter((a) => a.applied).length;
    const failed = result.actions.filter((a) => a.error).length;
    fields.push([
      "tripwire/actions",
      `${applied} applied, ${result.actions.length - applied - failed} planned, ${failed} failed`,
    ]);
  }
  result.findings.forEach((f, i) => {
    fields.push([`tripwire/finding/${i + 1}`, `${f.code} (${f.region}): ${f.message}`]);
  });
  result.evidence.chains.forEach((chain, i) => {
    fields.push(...chainFields(chain, `tripwire/evidence/chain${i + 1}`));
  });

  const budget = ASFF_LIMITS.productFields;
  const kept = fields.length <= budget ? fields : fields.slice(0, budget - 1);
  const out: Record<string, string> = {};
  for (const [key, value] of kept) {
    // ASFF values must hold a character that is not a space.
    if (value.trim() !== "")
      out[truncate(key, ASFF_LIMITS.productFieldKey)] = truncate(value, ASFF_LIMITS.productFieldValue);
  }
  if (fields.length > budget) {
    out["tripwire/omitted"] =
      `${fields.length - kept.length} more fields left out (ASFF allows 50): the tripwire report has them all`;
  }
  return out;
}

function chainFields(chain: ChainEvidence, prefix: string): [string, string][] {
  const out: [string, string][] = [
    [`${prefix}/satisfies`, String(chain.satisfies)],
    [`${prefix}/trail`, JSON.stringify(chain.trail)],
  ];
  if (chain.logGroup) out.push([`${prefix}/logGroup`, chain.logGroup.arn]);
  chain.filters.forEach((filter, f) => {
    const { alarms, ...rest } = filter;
    out.push([`${prefix}/filter${f + 1}`, JSON.stringify(rest)]);
    alarms.forEach((alarm, a) => {
      out.push([`${prefix}/filter${f + 1}/alarm${a + 1}`, JSON.stringify(alarm)]);
    });
  });
  return out;
}

const RESOURCE_TYPES: Readonly<Record<FindingResource["kind"], string>> = {
  trail: "AwsCloudTrailTrail",
  // ASFF has no type for a log group: "Other", as its documentation asks.
  "log-group": "Other",
  alarm: "AwsCloudWatchAlarm",
  topic: "AwsSnsTopic",
};

/** The account itself first (as Security Hub's own CloudWatch.2 names it), then the chain's resources. */
function resources(result: AccountResult, ctx: AsffContext): NonNullable<AwsSecurityFinding["Resources"]> {
  const account = {
    Type: "AwsAccount",
    Id: `AWS::::Account:${result.accountId}`,
    Partition: ctx.partition as "aws",
    Region: ctx.region,
  };
  const chain = findingResources(result).map((r) => ({
    Type: RESOURCE_TYPES[r.kind],
    Id: r.arn,
    Partition: ctx.partition as "aws",
    Region: r.region || ctx.region,
  }));
  return [account, ...chain].slice(0, ASFF_LIMITS.resources);
}
