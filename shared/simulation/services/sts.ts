/** AWS STS: who am I, and AssumeRole into a role the target account's trust policy admits. */
import type { AssumeRoleRequest } from "@aws-sdk/client-sts";
import { parseArn } from "../../core/arn.ts";
import { issueCredentials, rolePrincipal } from "../principals.ts";
import { type HandlerTable, op, raise, required } from "./handler.ts";

const MIN_DURATION = 900;
/** Role chaining (calling AssumeRole with role-session credentials) caps sessions at one hour. */
const CHAINED_MAX_DURATION = 3600;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export const stsHandlers: HandlerTable = {
  GetCallerIdentity: op<object>(({ principal }) => ({
    UserId: principal.userId,
    Account: principal.accountId,
    Arn: principal.arn,
  })),

  AssumeRole: op<AssumeRoleRequest>(({ core, principal }, input) => {
    const roleArn = required("sts", "ValidationError", "RoleArn", input.RoleArn);
    const sessionName = required("sts", "ValidationError", "RoleSessionName", input.RoleSessionName);
    if (!SESSION_NAME.test(sessionName)) {
      raise(
        "sts",
        "ValidationError",
        `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint`,
      );
    }
    const duration = input.DurationSeconds ?? 3600;
    if (duration < MIN_DURATION || duration > 43_200) {
      raise(
        "sts",
        "ValidationError",
        `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
      );
    }
    const arn = parseArn(roleArn);
    const roleName =
      arn?.service === "iam" && arn.resource.startsWith("role/") ? arn.resource.split("/").pop() : undefined;
    if (!arn || !roleName) raise("sts", "ValidationError", `${roleArn} is invalid`);

    const denied = () =>
      raise(
        "sts",
        "AccessDenied",
        `User: ${principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        403,
      );
    const target = core.accounts.get(arn.accountId);
    const role = target?.role(roleName);
    if (!target || !role || target.status !== "ACTIVE") return denied();
    if (core.deniedAssumptions.has(target.id) || core.deniedAssumptions.has(`${target.id}/${roleName}`))
      return denied();
    if (!role.trustedAccountIds.includes(principal.accountId)) return denied();
    if (role.externalId !== undefined && role.externalId !== input.ExternalId) return denied();
    if (principal.kind === "assumed-role" && duration > CHAINED_MAX_DURATION) {
      raise(
        "sts",
        "ValidationError",
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
      );
    }
    if (principal.kind === "user" && duration > role.maxSessionDurationSeconds) {
      raise(
        "sts",
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
      );
    }

    const session = rolePrincipal(core, target.id, roleName, sessionName, core.credentialNow() + duration * 1000);
    const credentials = issueCredentials(core, session);
    return {
      Credentials: {
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        SessionToken: credentials.sessionToken,
        Expiration: credentials.expiration,
      },
      AssumedRoleUser: { AssumedRoleId: session.userId, Arn: session.arn },
    };
  }),
};
