/**
 * Names of what tripwire creates. Everything carries the configured prefix, but a name is no
 * proof of ownership: anyone may create a resource of that name (see core/ownership.ts).
 */

export const MANAGED_BY_TAG = { key: "managed-by", value: "tripwire" } as const;

export type OwnFilterKind = "cis-v1.2" | "cis-v1.4";
export const OWN_FILTER_KINDS: readonly OwnFilterKind[] = ["cis-v1.2", "cis-v1.4"];

export function ownFilterName(prefix: string, kind: OwnFilterKind): string {
  return `${prefix}-unauthorized-api-calls-${kind}`;
}

/** The exact names of tripwire's two metric filters. */
export function ownFilterNames(prefix: string): string[] {
  return OWN_FILTER_KINDS.map((kind) => ownFilterName(prefix, kind));
}

export function ownAlarmName(prefix: string): string {
  return `${prefix}-unauthorized-api-calls`;
}

export function ownTopicName(prefix: string): string {
  return `${prefix}-unauthorized-api-calls`;
}

export function ownMetric(prefix: string): { name: string; namespace: string } {
  return { name: "UnauthorizedAPICalls", namespace: prefix };
}

export function ownTopicArn(partition: string, region: string, accountId: string, prefix: string): string {
  return `arn:${partition}:sns:${region}:${accountId}:${ownTopicName(prefix)}`;
}
