/** The import as the SDK sees it, with aws-sdk-client-mock: batches, and the answers the simulation does not give. */
import { BatchImportFindingsCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { AccountClients } from "../../shared/adapters/aws/account-clients.ts";
import { importFindings } from "../../shared/adapters/securityhub-writer.ts";
import { accountFinding } from "../../shared/core/asff.ts";
import { publishAccountFinding } from "../../shared/use-cases/security-hub.ts";
import { REGION } from "../core/fixtures.ts";
import { compliantResult } from "../core/report-formats/sample-report.ts";

const hub = mockClient(SecurityHubClient);
afterEach(() => hub.reset());

const clients = new AccountClients(compliantResult().accountId, "aws", (ctor, region) => ({
  client: new ctor({ region }),
  close: () => {},
}));
const now = new Date("2026-11-22T08:00:00Z");
const finding = (i: number) => ({
  ...accountFinding(compliantResult(), { partition: "aws", region: REGION, now, mode: "scan" }),
  Id: `f${i}`,
});

describe("importFindings", () => {
  it("sends 150 findings in two calls, 100 then 50", async () => {
    hub.on(BatchImportFindingsCommand).callsFake((input) => ({ SuccessCount: input.Findings.length, FailedCount: 0 }));
    await importFindings(
      clients,
      REGION,
      Array.from({ length: 150 }, (_, i) => finding(i)),
    );
    expect(hub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings?.length)).toEqual([
      100, 50,
    ]);
  });
});

describe("publishAccountFinding", () => {
  it("notes Security Hub not enabled when it answers with FailedFindings InvalidAccess", async () => {
    hub.on(BatchImportFindingsCommand).resolves({
      SuccessCount: 0,
      FailedCount: 1,
      FailedFindings: [
        { Id: "x", ErrorCode: "InvalidAccess", ErrorMessage: "Account is not subscribed to AWS Security Hub" },
      ],
    });
    const outcome = await publishAccountFinding(clients, compliantResult(), { region: REGION, mode: "scan", now });
    expect(outcome).toMatchObject({
      imported: false,
      notes: [expect.stringMatching(/^Security Hub is not enabled in account \d{12} in eu-west-1/)],
    });
  });

  it("notes a denied import with the permission the role needs", async () => {
    const denied = Object.assign(new Error("not authorized"), { name: "AccessDeniedException" });
    hub.on(BatchImportFindingsCommand).rejects(denied);
    const outcome = await publishAccountFinding(clients, compliantResult(), { region: REGION, mode: "scan", now });
    expect(outcome.notes[0]).toMatch(
      /needs securityhub:BatchImportFindings on arn:aws:securityhub:eu-west-1:\d{12}:product\/\d{12}\/default$/,
    );
  });
});
