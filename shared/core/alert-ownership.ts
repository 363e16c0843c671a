/**
 * Who answers tripwire's alarm and what to do when it fires (pure): the alarm's description,
 * and the tags of tripwire's alarm and topic. The owner and the runbook come from the settings
 * (`owner`, `runbookUrl`); tripwire's mark, managed-by=tripwire, goes with every tag write, so
 * the member role's condition (every tag request carries the mark, and only these keys) holds.
 */
import { MANAGED_BY_TAG } from "./naming.ts";

export interface AlertOwnership {
  readonly owner?: string;
  readonly runbookUrl?: string;
}

/** The tag keys tripwire writes on its alarm and topic. */
export const OWNER_TAG_KEY = "owner";
export const RUNBOOK_TAG_KEY = "runbook";

/** CloudWatch's limit on AlarmDescription. */
export const MAX_ALARM_DESCRIPTION = 1024;

/** What the alarm detects and what to do, then who owns it and the runbook (last: a URL ends the text). */
export function ownAlarmDescription(ownership: AlertOwnership): string {
  return [
    "Detects unauthorized API calls: CloudTrail records of this account's calls refused with AccessDenied* or" +
      " *UnauthorizedOperation (CIS AWS Foundations 3.1/4.1, Security Hub CloudWatch.2).",
    "When it fires: find the refused calls in the log group of the account's CloudTrail trail (errorCode" +
      " AccessDenied* or *UnauthorizedOperation), identify the principal, then confirm the access was intended" +
      " or revoke it.",
    ...(ownership.owner ? [`Owner: ${ownership.owner}.`] : []),
    "Managed by tripwire: changes to this alarm are overwritten.",
    ...(ownership.runbookUrl ? [`Runbook: ${ownership.runbookUrl}`] : []),
  ].join(" ");
}

/** The tags tripwire puts on its alarm and topic: its mark, and the owner and runbook when set. */
export function ownTags(ownership: AlertOwnership): { Key: string; Value: string }[] {
  return [
    { Key: MANAGED_BY_TAG.key, Value: MANAGED_BY_TAG.value },
    ...(ownership.owner ? [{ Key: OWNER_TAG_KEY, Value: ownership.owner }] : []),
    ...(ownership.runbookUrl ? [{ Key: RUNBOOK_TAG_KEY, Value: ownership.runbookUrl }] : []),
  ];
}

/**
 * Whether tags read from tripwire's alarm or topic lack the owner or runbook the settings ask
 * for. Tags not read say nothing (undefined: no write). A setting left out removes no tag:
 * tripwire never deletes a tag.
 */
export function ownTagsDiffer(
  current: Readonly<Record<string, string>> | undefined,
  ownership: AlertOwnership,
): boolean {
  if (!current) return false;
  return (
    (ownership.owner !== undefined && current[OWNER_TAG_KEY] !== ownership.owner) ||
    (ownership.runbookUrl !== undefined && current[RUNBOOK_TAG_KEY] !== ownership.runbookUrl)
  );
}
