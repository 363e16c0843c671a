/**
 * Finds tripwire's own finding in an account's Security Hub, in one region (GetFindings,
 * read-only): prune archives it. Loaded on demand, like the writer.
 */
import { type AwsSecurityFinding, GetFindingsCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
import type { AccountClients } from "./aws/account-clients.ts";

/**
 * The finding of that product ARN and Id, if Security Hub has it. The filter is checked again
 * here: an emulator may ignore filters (moto does).
 */
export async function findFinding(
  clients: AccountClients,
  region: string,
  productArn: string,
  id: string,
): Promise<AwsSecurityFinding | undefined> {
  const hub = clients.client(SecurityHubClient, region);
  const out = await hub.send(
    new GetFindingsCommand({
      Filters: { Id: [{ Value: id, Comparison: "EQUALS" }], ProductArn: [{ Value: productArn, Comparison: "EQUALS" }] },
      MaxResults: 100,
    }),
  );
  return (out.Findings ?? []).find((f) => f.Id === id && f.ProductArn === productArn);
}
