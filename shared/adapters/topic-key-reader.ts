/**
 * Reads the KMS key of an encrypted topic (read-only): what core/topic-key.ts needs to judge
 * whether CloudWatch alarms may publish to the topic. The AWS managed SNS key is known by its
 * alias without a call; any other key costs DescribeKey (AWS managed? enabled?) and
 * GetKeyPolicy, in the topic's region, with the topic owner's clients. GetKeyPolicy cannot
 * read another account's key, so such a key is not read at all. The KMS client is loaded only
 * when a run meets an encrypted topic.
 */
import type { TopicKeyObservation } from "../core/model.ts";
import { isAwsSnsKeyAlias, keyAccount } from "../core/topic-key.ts";
import type { AccountClients } from "./aws/account-clients.ts";

const DENIED = new Set(["AccessDeniedException", "AccessDenied"]);

export async function readTopicKey(
  clients: AccountClients,
  keyId: string,
  region: string,
): Promise<TopicKeyObservation> {
  if (isAwsSnsKeyAlias(keyId)) return { keyId, state: "AWS_MANAGED" };
  const owner = keyAccount(keyId);
  if (owner && owner !== clients.accountId) {
    return {
      keyId,
      state: "UNREADABLE",
      reason: `key ${keyId} belongs to account ${owner}, and KMS lets no account read another's key policy`,
    };
  }
  const { KMSClient, DescribeKeyCommand, GetKeyPolicyCommand } = await import("@aws-sdk/client-kms");
  const kms = clients.client(KMSClient, region);
  let keyArn: string;
  try {
    const out = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    const meta = out.KeyMetadata;
    keyArn = meta?.Arn ?? keyId;
    if (meta?.KeyManager === "AWS") return { keyId, state: "AWS_MANAGED" };
    if (meta?.KeyState && meta.KeyState !== "Enabled") {
      return { keyId, state: "NOT_USABLE", reason: `key ${keyId} is ${meta.KeyState}: nobody can encrypt with it` };
    }
  } catch (error) {
    const name = (error as Error).name;
    if (name === "NotFoundException") {
      return { keyId, state: "NOT_USABLE", reason: `key ${keyId} does not exist in ${region}` };
    }
    if (DENIED.has(name)) return unreadable(keyId, "DescribeKey");
    throw error;
  }
  try {
    const out = await kms.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: "default" }));
    return { keyId, state: "POLICY", keyArn, policy: out.Policy ?? "" };
  } catch (error) {
    if (DENIED.has((error as Error).name)) return unreadable(keyId, "GetKeyPolicy");
    throw error;
  }
}

function unreadable(keyId: string, call: string): TopicKeyObservation {
  return {
    keyId,
    state: "UNREADABLE",
    reason: `tripwire may not read key ${keyId}: ${call} was denied (the key policy decides who may read it)`,
  };
}
