/** The function's own identity, for the engine's client factory (shared/aws/production-factory.ts). */
import type { Context } from "aws-lambda";
import type { CallerIdentity } from "../../shared/adapters/aws/client-factory.ts";
import { type FunctionName, functionRoleName } from "../../shared/core/drift/own-sessions.ts";

/**
 * The function's own identity, read from its ARN in the invocation context: saves a
 * GetCallerIdentity call per invocation. Undefined when the context has no ARN (tests).
 */
export function callerFromContext(
  context: Partial<Context> | undefined,
  prefix: string,
  fn: FunctionName,
): CallerIdentity | undefined {
  const parts = context?.invokedFunctionArn?.split(":") ?? [];
  const [, partition, , , accountId, , functionName] = parts;
  if (!partition || !accountId || !/^\d{12}$/.test(accountId) || !functionName) return undefined;
  return {
    accountId,
    partition,
    arn: `arn:${partition}:sts::${accountId}:assumed-role/${functionRoleName(prefix, fn)}/${functionName}`,
  };
}
