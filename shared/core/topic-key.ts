/**
 * Whether CloudWatch alarms can publish to an SNS topic encrypted with a KMS key (pure).
 *
 * An alarm publishes as the service principal `cloudwatch.amazonaws.com`, which needs
 * `kms:Decrypt` and `kms:GenerateDataKey*` on the topic's key; only the key policy can grant
 * them (no IAM policy attaches to a service principal). The AWS managed key of SNS
 * (`alias/aws/sns`) never does, and its policy cannot be changed: an alarm whose topic uses
 * it "doesn't initiate the alarm action" (AWS Knowledge Center, cloudwatch-configure-alarm-sns).
 */

import type { TopicKeyObservation } from "./model.ts";

/** The AWS managed key of SNS, by its alias. */
export const AWS_SNS_KEY_ALIAS = "alias/aws/sns";

/** The service principal CloudWatch alarms act as. */
export const CLOUDWATCH_PRINCIPAL = "cloudwatch.amazonaws.com";

/** What the key lets CloudWatch do: admits for sure, denies for sure, or cannot be told. */
export type TopicKeyVerdict = "admits" | "denies" | "unknown";

export interface TopicKeyJudgement {
  readonly keyId: string;
  readonly verdict: TopicKeyVerdict;
  /** Why, in words a finding's message can carry. */
  readonly reason: string;
}

/** `alias/aws/...` or an alias ARN of that form: a key AWS manages for a service. */
export function isAwsManagedAlias(keyId: string): boolean {
  return /^(?:arn:[^:]+:kms:[^:]*:\d{12}:)?alias\/aws\//.test(keyId);
}

/** The AWS managed SNS key, by alias name or alias ARN. */
export function isAwsSnsKeyAlias(keyId: string): boolean {
  return /^(?:arn:[^:]+:kms:[^:]*:\d{12}:)?alias\/aws\/sns$/.test(keyId);
}

/** The account of a key given as an ARN (key or alias); undefined for `alias/NAME` and bare ids. */
export function keyAccount(keyId: string): string | undefined {
  return /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(keyId)?.[1];
}

/** What is known of the alarms that publish to the topic, for the confused-deputy conditions. */
export interface AlarmContext {
  /** Account of the alarms (CloudWatch sends it as aws:SourceAccount). */
  readonly accountId: string;
  /** ARNs of the alarms acting on the topic (aws:SourceArn). */
  readonly alarmArns: readonly string[];
}

type State = "yes" | "maybe" | "no";

interface Statement {
  readonly Effect?: unknown;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Condition?: unknown;
}

/** The two calls SNS makes for a publisher on an encrypted topic. */
const NEEDED = ["kms:Decrypt", "kms:GenerateDataKey"] as const;

/** Keys CloudWatch sets when it acts for an alarm, which tripwire can evaluate. */
const SOURCE_KEYS = new Set(["aws:sourceaccount", "aws:sourcearn"]);
/** Keys a service principal's request does not carry: a positive test on them never admits CloudWatch. */
const PRINCIPAL_KEYS = new Set([
  "kms:calleraccount",
  "aws:principalaccount",
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:principalarn",
  "aws:userid",
  "aws:username",
]);
const POSITIVE = new Set(["stringequals", "stringlike", "arnequals", "arnlike", "stringequalsignorecase"]);

/**
 * Judges a key policy (the JSON GetKeyPolicy returns) for CloudWatch alarms: "admits" when
 * Allow statements grant cloudwatch.amazonaws.com (or `*`) kms:Decrypt and
 * kms:GenerateDataKey (kms:GenerateDataKey*, kms:*), under no condition tripwire cannot
 * evaluate, and no Deny takes them back; "denies" when no statement can grant them, or a
 * Deny without condition takes them back; "unknown" when the answer hangs on a condition
 * tripwire does not evaluate. aws:SourceAccount and aws:SourceArn are evaluated against the
 * alarms that act on the topic.
 */
export function judgeKeyPolicy(keyId: string, policy: string, alarms: AlarmContext): TopicKeyJudgement {
  let statements: Statement[];
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    statements = list(doc.Statement).filter((s): s is Statement => typeof s === "object" && s !== null);
  } catch {
    return { keyId, verdict: "unknown", reason: `the policy of key ${keyId} is not JSON` };
  }
  const unevaluated = new Set<string>();
  const states = NEEDED.map((action) => {
    const relevant = statements.filter((s) => principalMatches(s) && actionMatches(s, action));
    const allow = best(
      relevant.filter((s) => s.Effect === "Allow").map((s) => allowCondition(s.Condition, alarms, unevaluated)),
    );
    const deny = best(relevant.filter((s) => s.Effect === "Deny").map((s) => denyCondition(s.Condition, unevaluated)));
    const state: State =
      deny === "yes" || allow === "no" ? "no" : deny === "maybe" || allow === "maybe" ? "maybe" : "yes";
    return { action, state, denied: deny === "yes" };
  });
  const refused = states.find((s) => s.state === "no");
  if (refused) {
    return {
      keyId,
      verdict: "denies",
      reason: refused.denied
        ? `a Deny statement of key ${keyId}'s policy refuses ${refused.action} to ${CLOUDWATCH_PRINCIPAL}`
        : `the policy of key ${keyId} does not let ${CLOUDWATCH_PRINCIPAL} use ${refused.action}${refused.action === "kms:GenerateDataKey" ? "*" : ""}`,
    };
  }
  if (states.some((s) => s.state === "maybe")) {
    return {
      keyId,
      verdict: "unknown",
      reason: `whether the policy of key ${keyId} lets ${CLOUDWATCH_PRINCIPAL} use it depends on conditions tripwire does not evaluate (${[...unevaluated].join(", ")})`,
    };
  }
  return { keyId, verdict: "admits", reason: `the policy of key ${keyId} lets ${CLOUDWATCH_PRINCIPAL} use it` };
}

/** The verdict on what was read of a topic's key, for the alarms that publish to the topic. */
export function judgeTopicKey(key: TopicKeyObservation, alarms: AlarmContext): TopicKeyJudgement {
  switch (key.state) {
    case "AWS_MANAGED":
      return {
        keyId: key.keyId,
        verdict: "denies",
        reason: `${key.keyId} is an AWS managed key, whose policy does not let ${CLOUDWATCH_PRINCIPAL} use it and cannot be changed`,
      };
    case "NOT_USABLE":
      return { keyId: key.keyId, verdict: "denies", reason: key.reason };
    case "UNREADABLE":
      return { keyId: key.keyId, verdict: "unknown", reason: key.reason };
    case "POLICY":
      return judgeKeyPolicy(key.keyId, key.policy, alarms);
  }
}

function list(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === "string");
}

/** The strongest of several statements' states (any yes wins over maybe, maybe over no). */
function best(states: readonly State[]): State {
  return states.includes("yes") ? "yes" : states.includes("maybe") ? "maybe" : "no";
}

function namesCloudWatch(principal: unknown): boolean {
  if (principal === "*") return true;
  if (typeof principal !== "object" || principal === null) return false;
  const p = principal as { AWS?: unknown; Service?: unknown };
  // IAM takes {"AWS": "*"} for everyone, as "*".
  return strings(p.AWS).includes("*") || strings(p.Service).some((s) => s.toLowerCase() === CLOUDWATCH_PRINCIPAL);
}

function principalMatches(s: Statement): boolean {
  if (s.Principal !== undefined) return namesCloudWatch(s.Principal);
  if (s.NotPrincipal !== undefined) return !namesCloudWatch(s.NotPrincipal);
  return false;
}

/** IAM's action wildcards: `*` any run of characters, `?` one; case-insensitive. */
function wildcard(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, "i").test(value);
}

function actionMatches(s: Statement, action: string): boolean {
  if (s.Action !== undefined) return strings(s.Action).some((a) => wildcard(a, action));
  if (s.NotAction !== undefined) return !strings(s.NotAction).some((a) => wildcard(a, action));
  return false;
}

type Conditions = Record<string, Record<string, unknown>>;

function conditionsOf(condition: unknown): Conditions | undefined {
  return typeof condition === "object" && condition !== null ? (condition as Conditions) : undefined;
}

/** Whether an Allow statement's conditions hold for an alarm's request: yes, no, or maybe. */
function allowCondition(condition: unknown, alarms: AlarmContext, unevaluated: Set<string>): State {
  const conditions = conditionsOf(condition);
  if (!conditions) return "yes";
  let state: State = "yes";
  for (const [operator, keys] of Object.entries(conditions)) {
    const ifExists = operator.toLowerCase().endsWith("ifexists");
    const op = operator.toLowerCase().replace(/ifexists$/, "");
    for (const [key, raw] of Object.entries(keys ?? {})) {
      const k = key.toLowerCase();
      const values = strings(raw);
      // A service principal's request has no such key: a test of it fails, unless IfExists.
      if (PRINCIPAL_KEYS.has(k) && POSITIVE.has(op)) {
        if (ifExists) continue;
        return "no";
      }
      if (!SOURCE_KEYS.has(k) || !POSITIVE.has(op)) {
        unevaluated.add(`${operator} ${key}`);
        state = "maybe";
        continue;
      }
      const like = op.endsWith("like");
      const matches = (value: string) => values.some((v) => (like ? wildcard(v, value) : v === value));
      if (k === "aws:sourceaccount") {
        if (!matches(alarms.accountId)) return "no";
      } else if (alarms.alarmArns.length === 0) {
        unevaluated.add(`${operator} ${key}`);
        state = "maybe";
      } else if (!alarms.alarmArns.every(matches)) return "no";
    }
  }
  return state;
}

/** Whether a Deny statement applies to an alarm's request: yes (no condition), no, or maybe. */
function denyCondition(condition: unknown, unevaluated: Set<string>): State {
  const conditions = conditionsOf(condition);
  if (!conditions || Object.keys(conditions).length === 0) return "yes";
  for (const [operator, keys] of Object.entries(conditions)) {
    for (const [key, raw] of Object.entries(keys ?? {})) {
      const op = operator.toLowerCase();
      const k = key.toLowerCase();
      const values = strings(raw).map((v) => v.toLowerCase());
      // CloudWatch calls over TLS, as an AWS service: these denials never reach it.
      if (k === "aws:securetransport" && op.startsWith("bool") && values.includes("false")) return "no";
      if (k === "aws:principalisawsservice" && op.startsWith("bool") && values.includes("false")) return "no";
    }
  }
  unevaluated.add(
    Object.entries(conditions)
      .flatMap(([operator, keys]) => Object.keys(keys ?? {}).map((key) => `${operator} ${key} (Deny)`))
      .join(", "),
  );
  return "maybe";
}
