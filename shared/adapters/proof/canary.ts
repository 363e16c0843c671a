/**
 * The canary: an sts:AssumeRole of `<prefix>-prove-canary`, a role that must not exist, through
 * the STS endpoint of the chain's region, from the account's own session (`<prefix>-prove`).
 * STS denies it whatever the caller's permissions (a role's trust policy decides, and there is
 * no role), and CloudTrail records the denial in the caller's account and that region with
 * errorCode AccessDenied (docs/prove.md cites the AWS documentation for each). It creates,
 * changes and reveals nothing. Before it, one iam:GetRole makes sure the role does not exist:
 * tripwire never calls a role somebody created under that name.
 */
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { callOf } from "../../core/describe-error.ts";
import type { AccountClients } from "../aws/account-clients.ts";

/** Whether a role of that name exists in the account (NoSuchEntity: it does not). */
export async function roleExists(clients: AccountClients, region: string, roleName: string): Promise<boolean> {
  try {
    await clients.iam(region).send(new GetRoleCommand({ RoleName: roleName }));
    return true;
  } catch (error) {
    if ((error as Error).name === "NoSuchEntityException" || (error as Error).name === "NoSuchEntity") return false;
    throw error;
  }
}

export type CanaryAnswer =
  /** Denied as designed. */
  | { readonly outcome: "denied"; readonly requestId: string; readonly errorCode: string; readonly message: string }
  /** STS issued credentials: nothing enforces the deny (an emulator), or the role appeared since the check. */
  | { readonly outcome: "allowed"; readonly requestId: string; readonly assumedRoleArn?: string }
  /** Any other answer: the canary did not happen as designed. */
  | { readonly outcome: "error"; readonly requestId?: string; readonly error: Error };

const DENIED = /^AccessDenied/;

/**
 * Makes the call. AccessDenied is not retried by the SDK; a throttled attempt is, and each
 * attempt is its own record: the request id kept is the one of the answer.
 */
export async function fireCanary(
  clients: AccountClients,
  request: { readonly region: string; readonly roleArn: string; readonly sessionName: string },
): Promise<CanaryAnswer> {
  try {
    const out = await clients
      .sts(request.region)
      .send(new AssumeRoleCommand({ RoleArn: request.roleArn, RoleSessionName: request.sessionName }));
    return {
      outcome: "allowed",
      requestId: out.$metadata.requestId ?? "",
      ...(out.AssumedRoleUser?.Arn ? { assumedRoleArn: out.AssumedRoleUser.Arn } : {}),
    };
  } catch (error) {
    const e = error as Error & { $metadata?: { requestId?: string } };
    const requestId = e.$metadata?.requestId;
    if (DENIED.test(e.name) && requestId) {
      // The message as STS wrote it, without the call's label the client factory puts in front.
      const call = callOf(e);
      const message = call && e.message.startsWith(`${call}: `) ? e.message.slice(call.length + 2) : e.message;
      return { outcome: "denied", requestId, errorCode: e.name, message };
    }
    return { outcome: "error", ...(requestId ? { requestId } : {}), error: e };
  }
}
