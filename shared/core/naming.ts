/**
 * Names of what tripwire creates. Everything carries the configured prefix, so ownership can
 * be told from a name where the service has no tags (metric filters).
 */

export const MANAGED_BY_TAG = { key: "managed-by", value: "tripwire" } as const;

export function isOwnName(name: string, prefix: string): boolean {
  return name.startsWith(`${prefix}-`);
}

export function ownFilterName(prefix: string, kind: "cis-v1.2" | "cis-v1.4"): string {
  return `${prefix}-unauthorized-api-calls-${kind}`;
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
