/**
 * AWS KMS, as far as tripwire reads it: DescribeKey and GetKeyPolicy, per account and region.
 * Keys are seeded (SimulatedAccount.createKey); the AWS managed SNS key `alias/aws/sns`
 * appears in an account and region the first time it is asked for, as AWS creates it on first
 * use. Another account's key is refused (AccessDeniedException), as KMS does for GetKeyPolicy.
 */
import type { DescribeKeyRequest, GetKeyPolicyRequest } from "@aws-sdk/client-kms";
import { parseArn } from "../../core/arn.ts";
import type { AccountState, KmsKeyState, SimulationCore } from "../state.ts";
import { type CallContext, type HandlerTable, op, raise, required } from "./handler.ts";

const AWS_SNS_ALIAS = "alias/aws/sns";

function keyArn(partition: string, region: string, accountId: string, keyId: string): string {
  return `arn:${partition}:kms:${region}:${accountId}:key/${keyId}`;
}

/** The policy KMS gives a key created without one: the account's IAM policies decide. */
export function defaultKeyPolicy(partition: string, accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Id: "key-default-1",
    Statement: [
      {
        Sid: "Enable IAM User Permissions",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  });
}

/** The policy of the AWS managed SNS key: usable through SNS by the account's principals only. */
function awsSnsKeyPolicy(partition: string, region: string, accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Id: "auto-sns",
    Statement: [
      {
        Sid: "Allow access through SNS for all principals in the account that are authorized to use SNS",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:ListGrants", "kms:DescribeKey"],
        Resource: "*",
        Condition: {
          StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": `sns.${region}.amazonaws.com` },
        },
      },
      {
        Sid: "Allow direct access to key metadata to the account",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: ["kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant"],
        Resource: "*",
      },
    ],
  });
}

export interface KeySpec {
  readonly policy?: string;
  readonly alias?: string;
  readonly keyState?: KmsKeyState["keyState"];
  readonly deniesReads?: boolean;
  readonly keyManager?: KmsKeyState["keyManager"];
}

export function createKey(
  core: SimulationCore,
  account: AccountState,
  region: string,
  spec: KeySpec = {},
): KmsKeyState {
  const keyId = core.random.uuid();
  const key: KmsKeyState = {
    keyId,
    arn: keyArn(core.partition, region, account.id, keyId),
    keyManager: spec.keyManager ?? "CUSTOMER",
    keyState: spec.keyState ?? "Enabled",
    policy: spec.policy ?? defaultKeyPolicy(core.partition, account.id),
    deniesReads: spec.deniesReads ?? false,
  };
  const state = account.region(region);
  state.keys.set(keyId, key);
  if (spec.alias) state.aliases.set(spec.alias, keyId);
  return key;
}

function notFound(message: string): never {
  return raise("kms", "NotFoundException", message);
}

/** The key a KeyId names (key id, key ARN, alias name or alias ARN), in the caller's account. */
function resolve(ctx: CallContext, keyIdInput: string, allowAlias: boolean): KmsKeyState {
  const { core, account, region } = ctx;
  const arn = parseArn(keyIdInput);
  const accountId = arn ? arn.accountId : account.id;
  const keyRegion = arn ? arn.region : region;
  const name = arn ? arn.resource : keyIdInput;
  if (accountId !== account.id || keyRegion !== region) {
    raise(
      "kms",
      "AccessDeniedException",
      `User: ${ctx.principal.arn} is not authorized to perform this operation on resource: ${keyIdInput}`,
    );
  }
  const state = account.peekRegion(region);
  if (name.startsWith("alias/")) {
    if (!allowAlias) notFound(`Invalid keyId '${keyIdInput}'`);
    const aliasArn = `arn:${core.partition}:kms:${region}:${account.id}:${name}`;
    if (name === AWS_SNS_ALIAS && !state.aliases.has(name)) {
      return createKey(core, account, region, {
        alias: AWS_SNS_ALIAS,
        keyManager: "AWS",
        policy: awsSnsKeyPolicy(core.partition, region, account.id),
      });
    }
    const target = state.aliases.get(name);
    const key = target === undefined ? undefined : state.keys.get(target);
    return key ?? notFound(`Alias ${aliasArn} is not found.`);
  }
  const id = name.replace(/^key\//, "");
  return state.keys.get(id) ?? notFound(`Key '${keyArn(core.partition, region, account.id, id)}' does not exist`);
}

function refuseReads(ctx: CallContext, key: KmsKeyState, action: string): void {
  if (key.deniesReads) {
    raise(
      "kms",
      "AccessDeniedException",
      `User: ${ctx.principal.arn} is not authorized to perform: kms:${action} on resource: ${key.arn} because no resource-based policy allows the kms:${action} action`,
    );
  }
}

export const kmsHandlers: HandlerTable = {
  DescribeKey: op<DescribeKeyRequest>((ctx, input) => {
    const key = resolve(ctx, required("kms", "ValidationException", "KeyId", input.KeyId), true);
    refuseReads(ctx, key, "DescribeKey");
    return {
      KeyMetadata: {
        KeyId: key.keyId,
        Arn: key.arn,
        AWSAccountId: ctx.account.id,
        Enabled: key.keyState === "Enabled",
        KeyState: key.keyState,
        KeyManager: key.keyManager,
        KeyUsage: "ENCRYPT_DECRYPT",
        KeySpec: "SYMMETRIC_DEFAULT",
        Origin: "AWS_KMS",
      },
    };
  }),

  GetKeyPolicy: op<GetKeyPolicyRequest>((ctx, input) => {
    const key = resolve(ctx, required("kms", "ValidationException", "KeyId", input.KeyId), false);
    refuseReads(ctx, key, "GetKeyPolicy");
    return { Policy: key.policy, PolicyName: "default" };
  }),
};
