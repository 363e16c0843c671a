/** `--output`: what `tripwire scan` prints in each format, parsed back (issue 12, item 2). */
import { beforeEach, describe, expect, it } from "vitest";
import { type CliIo, main } from "../../shared/cli/main.ts";
import { VERSION } from "../../shared/cli/version.ts";
import type { OcsfComplianceFinding } from "../../shared/core/report-formats/ocsf.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import { createSimulatedOrganization, type SimulatedOrganization, scenarios } from "../../shared/simulation/index.ts";
import { csvRecords, parseCsv } from "../support/csv.ts";

interface Captured extends CliIo {
  readonly out: string[];
  readonly err: string[];
}

function captureIo(env: Record<string, string> = {}): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env, isTty: false };
}

let org: SimulatedOrganization;
const deps = () => ({ factoryFor: (s: Parameters<typeof simulatedFactory>[1]) => simulatedFactory(org, s) });
let compliantId: string;
let bareId: string;

beforeEach(() => {
  org = createSimulatedOrganization({ regions: ["us-east-1"] });
  scenarios.compliantV12(org.account(org.managementAccountId), "us-east-1");
  compliantId = org.managementAccountId;
  const bare = org.addAccount({ name: "bare" });
  scenarios.bareAccount(bare, "us-east-1");
  bareId = bare.id;
});

describe("tripwire scan --output csv", () => {
  it("prints RFC 4180 CSV: one row per finding, one for an account without any", async () => {
    const io = captureIo();
    await main(["scan", "--output", "csv"], io, deps());
    const records = csvRecords(io.out.join(""));
    expect(records.map((r) => `${r.account_id} ${r.status} ${r.finding_code}`)).toEqual([
      `${compliantId} COMPLIANT `,
      `${bareId} NON_COMPLIANT NO_METRIC_FILTER`,
    ]);
  });

  it("prints nothing but CSV on stdout", async () => {
    const io = captureIo();
    await main(["scan", "--output", "csv"], io, deps());
    expect(() => parseCsv(io.out.join(""))).not.toThrow();
  });

  it("exits as the table does: 1 when an account is not compliant", async () => {
    expect(await main(["scan", "--output", "csv"], captureIo(), deps())).toBe(1);
  });
});

describe("tripwire scan --output ocsf", () => {
  it("prints a JSON array of Compliance Finding events, one per account", async () => {
    const io = captureIo();
    await main(["scan", "--output", "ocsf"], io, deps());
    const events = JSON.parse(io.out.join("")) as OcsfComplianceFinding[];
    expect(events.map((e) => `${e.class_uid} ${e.cloud.account.uid} ${e.compliance.status}`)).toEqual([
      `2003 ${compliantId} Pass`,
      `2003 ${bareId} Fail`,
    ]);
  });

  it("names the version of package.json as the product's", async () => {
    const io = captureIo({ TRIPWIRE_OUTPUT: "ocsf" });
    await main(["scan"], io, deps());
    const [event] = JSON.parse(io.out.join("")) as OcsfComplianceFinding[];
    expect(event?.metadata.product.version).toBe(VERSION);
  });
});

describe("outputs that do not fit", () => {
  it("refuses --json with --output csv in one line, before any AWS call", async () => {
    const io = captureIo();
    org.calls.reset();
    const code = await main(["scan", "--json", "--output", "csv"], io, deps());
    expect(code).toBe(2);
    expect(io.err[0]).toBe(
      'tripwire: --json and --output "csv" disagree: --json is short for --output json; give one of them\n',
    );
    expect(org.calls.count()).toBe(0);
  });

  it("refuses --output csv for prune, which prints its own outcome", async () => {
    const io = captureIo();
    org.calls.reset();
    expect(await main(["prune", "--output", "csv"], io, deps())).toBe(2);
    expect(io.err.join("")).toBe(
      "tripwire: --output csv is for scan and fix; prune prints text, or JSON with --json\n",
    );
    expect(org.calls.count()).toBe(0);
  });

  it("refuses --output ocsf for heal", async () => {
    const io = captureIo();
    expect(await main(["heal", "--event", "/nonexistent.json", "--output", "ocsf"], io, deps())).toBe(2);
    expect(io.err.join("")).toMatch(/^tripwire: --output ocsf is for scan and fix; heal prints text/);
  });
});
