/**
 * Credentials the simulation issues. The access key id is the only thing the middleware can
 * see of a caller, so each key is registered with the principal it stands for: account, user
 * or role session, and expiry.
 */
import type { AwsCredentialIdentity } from "@smithy/types";
import type { Principal, SimulationCore } from "./state.ts";

/** A stable pseudo id (like IAM's AIDA…/AROA… unique ids) derived from a name, without state. */
export function stableId(prefix: string, name: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let out = prefix;
  let bits = BigInt(h1) * 4294967296n + BigInt(h2);
  for (let i = 0; i < 17; i++) {
    out += alphabet[Number(bits % 32n)];
    bits /= 32n;
    // Unsigned: a negative seed would index the alphabet out of range ("undefined" in the id).
    if (bits === 0n) bits = BigInt((h1 ^ (i * 2654435761)) >>> 0) + 1n;
  }
  return out;
}

export function userPrincipal(core: SimulationCore, accountId: string, userName: string): Principal {
  const arn = `arn:${core.partition}:iam::${accountId}:user/${userName}`;
  return { accountId, kind: "user", name: userName, arn, userId: stableId("AIDA", arn) };
}

export function rolePrincipal(
  core: SimulationCore,
  accountId: string,
  roleName: string,
  sessionName: string,
  expiresAt?: number,
): Principal {
  const roleId = stableId("AROA", `arn:${core.partition}:iam::${accountId}:role/${roleName}`);
  return {
    accountId,
    kind: "assumed-role",
    name: roleName,
    sessionName,
    arn: `arn:${core.partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
    userId: `${roleId}:${sessionName}`,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}

/** New keys for `principal`, registered so later calls made with them are attributed to it. */
export function issueCredentials(core: SimulationCore, principal: Principal): AwsCredentialIdentity {
  const temporary = principal.kind === "assumed-role";
  const accessKeyId = (temporary ? "ASIA" : "AKIA") + core.random.upperAlnum(16);
  core.principals.set(accessKeyId, principal);
  return {
    accessKeyId,
    secretAccessKey: core.random.chars(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
    ...(temporary ? { sessionToken: `sim-session-${accessKeyId}` } : {}),
    ...(principal.expiresAt === undefined ? {} : { expiration: new Date(principal.expiresAt) }),
  };
}
