/**
 * The engine's client factory as the functions use it: the execution role's credentials
 * (the SDK's default chain), AssumeRole into member accounts with a session named
 * `${prefix}-<purpose>`, which the heal recognises as tripwire's own (no loops).
 * Same construction as the CLI's productionFactory, without pulling the CLI into the bundle.
 */
import type { Context } from "aws-lambda";
import { ClientFactory, type CallerIdentity } from "../../shared/aws/client-factory.ts";
import type { Settings } from "../../shared/config/settings.ts";
import { functionRoleName, type FunctionName } from "../../shared/heal/own-sessions.ts";

export type SessionPurpose = "sweep" | "heal";

export function lambdaClientFactory(settings: Settings, purpose: SessionPurpose, caller?: CallerIdentity): ClientFactory {
  return new ClientFactory(
    { homeRegion: settings.homeRegion, maxAttempts: settings.maxAttempts, ...(caller ? { caller } : {}) },
    { roleName: settings.roleName, externalId: settings.externalId, sessionName: `${settings.prefix}-${purpose}` },
  );
}

/**
 * The function's own identity, read from its ARN in the invocation context: saves a
 * GetCallerIdentity call per invocation. Undefined when the context has no ARN (tests).
 */
export function callerFromContext(context: Partial<Context> | undefined, prefix: string, fn: FunctionName): CallerIdentity | undefined {
  const parts = context?.invokedFunctionArn?.split(":") ?? [];
  const [, partition, , , accountId, , functionName] = parts;
  if (!partition || !accountId || !/^\d{12}$/.test(accountId) || !functionName) return undefined;
  return { accountId, partition, arn: `arn:${partition}:sts::${accountId}:assumed-role/${functionRoleName(prefix, fn)}/${functionName}` };
}
