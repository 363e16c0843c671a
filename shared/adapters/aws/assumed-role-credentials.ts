import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

export interface AssumeRoleSettings {
  readonly roleName: string;
  readonly externalId?: string;
  /** Recognisable session name (`${prefix}-<purpose>`), seen in the member account's CloudTrail. */
  readonly sessionName: string;
  /** Seconds; 900 is the shortest STS allows. */
  readonly durationSeconds?: number;
}

/** Refresh this long before expiry, so a call never starts on credentials about to lapse. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * A credentials provider that assumes `roleArn` once and again shortly before expiry.
 * Concurrent callers share one in-flight AssumeRole.
 */
export function assumedRoleCredentials(
  sts: STSClient,
  roleArn: string,
  role: AssumeRoleSettings,
): AwsCredentialIdentityProvider {
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: role.sessionName,
        DurationSeconds: role.durationSeconds ?? 900,
        ...(role.externalId ? { ExternalId: role.externalId } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole returned no credentials for ${roleArn}`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  };
  let value: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (c: AwsCredentialIdentity) => !c.expiration || c.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS;
  return async () => {
    if (value && fresh(value)) return value;
    pending ??= assume()
      .then((c) => (value = c))
      .finally(() => (pending = undefined));
    return pending;
  };
}
