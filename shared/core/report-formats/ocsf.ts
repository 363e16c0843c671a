/**
 * The report as OCSF 1.3.0 Compliance Finding events (class 2003), one per account, for
 * Amazon Security Lake (custom sources take OCSF 1.3 and earlier) and SIEMs (pure).
 *
 * Every event is activity 1 "Create" (type_uid 200301): tripwire keeps no state between runs,
 * so each run observes every account anew, at the run's end (`time`). The compliance status
 * is the account's verdict: Pass (COMPLIANT), Fail (NON_COMPLIANT), Warning (ERROR: the check
 * did not yield a result), Unknown (SKIPPED). What OCSF has no attribute for (finding codes,
 * scanner predictions, actions, evidence, the Security Hub import) is under `unmapped.tripwire`.
 */
import {
  CONTROL,
  findingId,
  findingResources,
  judgedRegion,
  README_URL,
  remediationText,
  verdictSentence,
} from "../control-finding.ts";
import type { AccountResult, AccountStatus } from "../model.ts";
import type { Report } from "../report.ts";

export const OCSF_VERSION = "1.3.0";

export interface OcsfOptions {
  /** tripwire's version (package.json), for metadata.product.version. */
  readonly productVersion: string;
  /** Region of an account whose verdict rests on no chain (the run's primary region). */
  readonly fallbackRegion: string;
}

export interface OcsfResource {
  readonly uid: string;
  readonly type: string;
  readonly region: string;
}

export interface OcsfComplianceFinding {
  readonly activity_id: 1;
  readonly activity_name: "Create";
  readonly category_uid: 2;
  readonly category_name: "Findings";
  readonly class_uid: 2003;
  readonly class_name: "Compliance Finding";
  readonly type_uid: 200301;
  readonly type_name: "Compliance Finding: Create";
  readonly time: number;
  readonly severity_id: number;
  readonly severity: string;
  readonly status_id: number;
  readonly status: string;
  readonly message: string;
  readonly metadata: {
    readonly version: typeof OCSF_VERSION;
    readonly product: { readonly name: "tripwire"; readonly vendor_name: "tripwire"; readonly version: string };
    readonly profiles: readonly ["cloud"];
  };
  readonly finding_info: {
    readonly uid: string;
    readonly title: string;
    readonly desc: string;
    readonly types: readonly string[];
    readonly src_url: string;
  };
  readonly compliance: {
    readonly standards: readonly string[];
    readonly requirements: readonly string[];
    readonly control: string;
    readonly status_id: number;
    readonly status: string;
    readonly status_code: AccountStatus;
    readonly status_detail?: string;
  };
  readonly cloud: {
    readonly provider: "AWS";
    readonly region: string;
    readonly account: {
      readonly uid: string;
      readonly name?: string;
      readonly type_id: 10;
      readonly type: "AWS Account";
    };
  };
  readonly resources: readonly OcsfResource[];
  readonly remediation: { readonly desc: string; readonly references: readonly string[] };
  readonly unmapped: {
    readonly tripwire: Pick<AccountResult, "findings" | "actions" | "scanners" | "evidence" | "securityHub">;
  };
}

const COMPLIANCE: Record<AccountStatus, { id: number; caption: string }> = {
  COMPLIANT: { id: 1, caption: "Pass" },
  ERROR: { id: 2, caption: "Warning" },
  NON_COMPLIANT: { id: 3, caption: "Fail" },
  SKIPPED: { id: 0, caption: "Unknown" },
  EXEMPT: { id: 99, caption: "Exempt" },
};
/** The finding's own status: new until the account passes (then resolved). */
const FINDING_STATUS: Record<AccountStatus, { id: number; caption: string }> = {
  COMPLIANT: { id: 4, caption: "Resolved" },
  ERROR: { id: 1, caption: "New" },
  NON_COMPLIANT: { id: 1, caption: "New" },
  SKIPPED: { id: 0, caption: "Unknown" },
  EXEMPT: { id: 3, caption: "Suppressed" },
};
/** Low when the control fails, as Security Hub rates CloudWatch.2; informational otherwise. */
const SEVERITY: Record<AccountStatus, { id: number; caption: string }> = {
  COMPLIANT: { id: 1, caption: "Informational" },
  ERROR: { id: 1, caption: "Informational" },
  NON_COMPLIANT: { id: 2, caption: "Low" },
  SKIPPED: { id: 1, caption: "Informational" },
  EXEMPT: { id: 1, caption: "Informational" },
};
/** CloudFormation's resource type names: OCSF leaves `type` free. */
const RESOURCE_TYPES = {
  trail: "AWS::CloudTrail::Trail",
  "log-group": "AWS::Logs::LogGroup",
  alarm: "AWS::CloudWatch::Alarm",
  topic: "AWS::SNS::Topic",
} as const;

/** One event per account of the report, in the report's order. */
export function toOcsfEvents(report: Report, options: OcsfOptions): OcsfComplianceFinding[] {
  const time = Date.parse(report.finishedAt);
  return report.accounts.map((account) => accountEvent(account, time, options));
}

function accountEvent(account: AccountResult, time: number, options: OcsfOptions): OcsfComplianceFinding {
  const region = judgedRegion(account, options.fallbackRegion);
  const codes = [...new Set(account.findings.map((f) => f.code))];
  const detail = account.findings.map((f) => `${f.code} (${f.region}): ${f.message}`).join("; ");
  const sentence = verdictSentence(account);
  return {
    activity_id: 1,
    activity_name: "Create",
    category_uid: 2,
    category_name: "Findings",
    class_uid: 2003,
    class_name: "Compliance Finding",
    type_uid: 200301,
    type_name: "Compliance Finding: Create",
    time,
    severity_id: SEVERITY[account.status].id,
    severity: SEVERITY[account.status].caption,
    status_id: FINDING_STATUS[account.status].id,
    status: FINDING_STATUS[account.status].caption,
    message: codes.length > 0 ? `${sentence} Findings: ${codes.join(", ")}.` : sentence,
    metadata: {
      version: OCSF_VERSION,
      product: { name: "tripwire", vendor_name: "tripwire", version: options.productVersion },
      profiles: ["cloud"],
    },
    finding_info: {
      uid: findingId(account.accountId, region),
      title: CONTROL.title,
      desc: sentence,
      types: CONTROL.types,
      src_url: README_URL,
    },
    compliance: {
      standards: CONTROL.standards,
      requirements: CONTROL.requirements,
      control: CONTROL.securityHubControl,
      status_id: COMPLIANCE[account.status].id,
      status: COMPLIANCE[account.status].caption,
      status_code: account.status,
      ...(detail ? { status_detail: detail } : account.error ? { status_detail: account.error } : {}),
    },
    cloud: {
      provider: "AWS",
      region,
      account: {
        uid: account.accountId,
        ...(account.name ? { name: account.name } : {}),
        type_id: 10,
        type: "AWS Account",
      },
    },
    resources: findingResources(account).map((r) => ({ uid: r.arn, type: RESOURCE_TYPES[r.kind], region: r.region })),
    remediation: { desc: remediationText(account), references: [README_URL] },
    unmapped: {
      tripwire: {
        findings: account.findings,
        actions: account.actions,
        scanners: account.scanners,
        evidence: account.evidence,
        ...(account.securityHub ? { securityHub: account.securityHub } : {}),
      },
    },
  };
}
