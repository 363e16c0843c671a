/** `--security-hub` on the command line (issue 12, item 1). */
import { beforeEach, describe, expect, it } from "vitest";
import { type CliIo, main } from "../../shared/cli/main.ts";
import type { Report } from "../../shared/core/report.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import { createSimulatedOrganization, type SimulatedOrganization, scenarios } from "../../shared/simulation/index.ts";

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, isTty: false };
}

let org: SimulatedOrganization;
const deps = () => ({ factoryFor: (s: Parameters<typeof simulatedFactory>[1]) => simulatedFactory(org, s) });

beforeEach(() => {
  org = createSimulatedOrganization({ regions: ["us-east-1"] });
  scenarios.compliantV12(org.account(org.managementAccountId), "us-east-1");
});

describe("tripwire scan --security-hub", () => {
  it("imports the account's finding and says so in the JSON report", async () => {
    org.account(org.managementAccountId).enableSecurityHub("us-east-1");
    const io = captureIo();
    await main(["scan", "--security-hub", "--json"], io, deps());
    const [account] = (JSON.parse(io.out.join("")) as Report).accounts;
    expect(account?.securityHub).toMatchObject({ region: "us-east-1", imported: true });
  });

  it("ends the table with how many findings were imported", async () => {
    org.account(org.managementAccountId).enableSecurityHub("us-east-1");
    const io = captureIo();
    await main(["scan", "--security-hub"], io, deps());
    expect(io.out.join("")).toMatch(/^security hub: 1 finding\(s\) imported, 0 not \(see the notes above\)$/m);
  });

  it("shows an account without Security Hub as a note, and still exits 0", async () => {
    const io = captureIo();
    const code = await main(["scan", "--security-hub"], io, deps());
    expect(io.out.join("")).toMatch(
      /^ {4}security hub: Security Hub is not enabled in account 111111111111 in us-east-1/m,
    );
    expect(code).toBe(0);
  });
});

describe("tripwire prune --security-hub", () => {
  it("archives the finding and says so", async () => {
    const account = org.account(org.managementAccountId);
    account.enableSecurityHub("us-east-1");
    await main(["scan", "--security-hub"], captureIo(), deps());
    const io = captureIo();
    await main(["prune", "--security-hub"], io, deps());
    expect(io.out.join("")).toMatch(
      /^111111111111 \(management\): archived finding us-east-1 tripwire\/111111111111\/us-east-1\/unauthorized-api-calls$/m,
    );
  });
});
