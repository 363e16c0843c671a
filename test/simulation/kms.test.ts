import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";
import { createSimulatedOrganization, type SimulatedOrganization } from "../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../support/simulation-harness.ts";

const REGION = "eu-west-1";

async function memberKms(org: SimulatedOrganization, accountId: string): Promise<KMSClient> {
  return (await factoryFor(org).forAccount(accountId)).client(KMSClient, REGION);
}

describe("simulated KMS", () => {
  it("describes a key by its alias, as a customer managed key", async () => {
    const org = createSimulatedOrganization({ regions: [REGION] });
    const member = org.addAccount({ name: "member" });
    const arn = member.createKey(REGION, { alias: "alias/alerts" });
    const kms = await memberKms(org, member.id);
    const out = await kms.send(new DescribeKeyCommand({ KeyId: "alias/alerts" }));
    expect(out.KeyMetadata).toMatchObject({ Arn: arn, KeyManager: "CUSTOMER", KeyState: "Enabled" });
  });

  it("gives a key KMS's default policy, which admits the account's IAM principals", async () => {
    const org = createSimulatedOrganization({ regions: [REGION] });
    const member = org.addAccount({ name: "member" });
    const arn = member.createKey(REGION);
    const kms = await memberKms(org, member.id);
    const out = await kms.send(new GetKeyPolicyCommand({ KeyId: arn, PolicyName: "default" }));
    expect(JSON.parse(out.Policy ?? "{}").Statement).toEqual([
      expect.objectContaining({ Principal: { AWS: `arn:aws:iam::${member.id}:root` }, Action: "kms:*" }),
    ]);
  });

  it("knows alias/aws/sns as an AWS managed key in every account", async () => {
    const org = createSimulatedOrganization({ regions: [REGION] });
    const member = org.addAccount({ name: "member" });
    const kms = await memberKms(org, member.id);
    const out = await kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/sns" }));
    expect(out.KeyMetadata?.KeyManager).toBe("AWS");
  });

  it("refuses GetKeyPolicy by alias, as KMS does (key id or key ARN only)", async () => {
    const org = createSimulatedOrganization({ regions: [REGION] });
    const member = org.addAccount({ name: "member" });
    member.createKey(REGION, { alias: "alias/alerts" });
    const kms = await memberKms(org, member.id);
    expect((await rejectionOf(kms.send(new GetKeyPolicyCommand({ KeyId: "alias/alerts" })))).name).toBe(
      "NotFoundException",
    );
  });

  it("refuses another account's key", async () => {
    const org = createSimulatedOrganization({ regions: [REGION] });
    const member = org.addAccount({ name: "member" });
    const other = org.addAccount({ name: "other" });
    const arn = other.createKey(REGION);
    const kms = await memberKms(org, member.id);
    expect((await rejectionOf(kms.send(new GetKeyPolicyCommand({ KeyId: arn })))).name).toBe("AccessDeniedException");
  });

  it("says an alias that does not exist is not found", async () => {
    const org = createSimulatedOrganization({ regions: [REGION] });
    const member = org.addAccount({ name: "member" });
    const kms = await memberKms(org, member.id);
    expect((await rejectionOf(kms.send(new DescribeKeyCommand({ KeyId: "alias/none" })))).message).toMatch(
      new RegExp(`: Alias arn:aws:kms:${REGION}:${member.id}:alias/none is not found\\.$`),
    );
  });
});
