/**
 * One account's verdict as a finding, whatever the format that carries it (Security Hub's
 * ASFF, OCSF): its identity, the region it is about, the resources it names, its words (pure).
 *
 * tripwire judges the control once per account, on the chain that decides the account: the
 * region of a finding is that chain's log group's region, which is its trail's home region
 * (CloudTrail delivers to a log group of the home region), where Security Hub's own
 * CloudWatch.2 is evaluated. An account with no chain to judge (no multi-region trail, an
 * ERROR before any read) is reported in the run's primary region.
 */
import { arnRegion } from "./arn.ts";
import type { AccountResult, AccountStatus } from "./model.ts";

/** Where the README explains the finding codes and what to do (the npm page shows the README). */
export const README_URL = "https://www.npmjs.com/package/cis-tripwire#finding-codes";

export const CONTROL = {
  /** The finding's generator: the same for every account (Security Hub GeneratorId). */
  generatorId: "tripwire/unauthorized-api-calls",
  title: "A log metric filter and alarm exist for unauthorized API calls",
  /** Security Hub's control of the same name. */
  securityHubControl: "CloudWatch.2",
  standards: [
    "CIS AWS Foundations Benchmark v1.2.0",
    "CIS AWS Foundations Benchmark v1.4.0",
    "CIS AWS Foundations Benchmark v3.0.0",
    "CIS AWS Foundations Benchmark v5.0.0",
  ],
  /** `standard/requirement`, as Security Hub writes RelatedRequirements. */
  requirements: [
    "CIS AWS Foundations Benchmark v1.2.0/3.1",
    "CIS AWS Foundations Benchmark v1.4.0/4.1",
    "CIS AWS Foundations Benchmark v3.0.0/4.1",
    "CIS AWS Foundations Benchmark v5.0.0/4.1",
  ],
  /** ASFF finding type (namespace/category/classifier), also OCSF finding_info.types. */
  types: ["Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark"],
} as const;

/** The finding's stable identity: a second run updates the same finding. */
export function findingId(accountId: string, region: string): string {
  return `tripwire/${accountId}/${region}/unauthorized-api-calls`;
}

/** The region the account's verdict is about: the deciding chain's log group's, else `fallback`. */
export function judgedRegion(result: AccountResult, fallback: string): string {
  const [chain] = result.evidence.chains;
  return chain?.logGroup?.region || chain?.trail.homeRegion || fallback;
}

export type ResourceKind = "trail" | "log-group" | "alarm" | "topic";

export interface FindingResource {
  readonly kind: ResourceKind;
  readonly arn: string;
  readonly region: string;
}

/**
 * The resources of the chains the verdict rests on (the evidence), each once: trail, log group,
 * alarms and topics. A failing account names what of its chain holds; the findings say the rest.
 */
export function findingResources(result: AccountResult): FindingResource[] {
  const seen = new Map<string, FindingResource>();
  const add = (kind: ResourceKind, arn: string, region = arnRegion(arn)) => {
    if (arn && !seen.has(arn)) seen.set(arn, { kind, arn, region });
  };
  for (const chain of result.evidence.chains) {
    add("trail", chain.trail.arn, chain.trail.homeRegion);
    if (chain.logGroup) add("log-group", chain.logGroup.arn.replace(/:\*$/, ""), chain.logGroup.region);
    for (const filter of chain.filters) {
      for (const alarm of filter.alarms) {
        add("alarm", alarm.arn);
        for (const topic of alarm.topics) add("topic", topic.arn);
      }
    }
  }
  return [...seen.values()];
}

/** One sentence per status: what the finding says of the account. */
export function verdictSentence(result: AccountResult): string {
  const sentences: Record<AccountStatus, string> = {
    COMPLIANT: "Unauthorized API calls in this account raise an alarm that reaches a confirmed subscriber.",
    NON_COMPLIANT: "Unauthorized API calls in this account do not reliably raise an alarm that reaches a subscriber.",
    ERROR: `tripwire could not judge this account: ${result.error ?? "a read failed"}.`,
    SKIPPED: `tripwire does not judge this account: ${result.error ?? "it is not ACTIVE"}.`,
    EXEMPT: result.exemption
      ? `This account is exempt until ${result.exemption.expires} (owner ${result.exemption.owner}): ${result.exemption.reason}.`
      : "This account is exempt.",
  };
  return sentences[result.status];
}

/** What to do, in at most `max` characters. */
export function remediationText(result: AccountResult, max = 512): string {
  const codes = new Set(result.findings.map((f) => f.code));
  const trail = [...codes].some(
    (c) => c.startsWith("TRAIL_") || c === "NO_MULTI_REGION_TRAIL" || c === "LOG_GROUP_NOT_FOUND",
  );
  const text =
    result.status === "COMPLIANT"
      ? "Nothing to do. Keep the metric filter, alarm and confirmed SNS subscription in place; tripwire's heal repairs drift."
      : result.status === "ERROR"
        ? "Make the account readable by tripwire (the member role, its trust and permissions), then run tripwire scan again."
        : `${trail ? "Fix the trail first (multi-region, logging, read and write management events, delivering to a CloudWatch Logs log group): tripwire never changes trails. " : ""}Then run tripwire fix: it adds its own metric filter, alarm and SNS topic beside yours. Each finding code is explained in the README.`;
  return truncate(text, max);
}

/** `text`, cut to `max` characters with an ellipsis when longer. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
