import { beforeEach, describe, expect, it } from "vitest";
import { type CliIo, main } from "../../shared/cli/main.ts";
import type { Report } from "../../shared/core/report.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import { createSimulatedOrganization, type SimulatedOrganization, scenarios } from "../../shared/simulation/index.ts";

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

beforeEach(() => {
  org = createSimulatedOrganization({ regions: ["us-east-1"] });
});

describe("tripwire scan", () => {
  it("exits 0 when every account is compliant", async () => {
    scenarios.compliantV12(org.account(org.managementAccountId), "us-east-1");
    expect(await main(["scan"], captureIo(), deps())).toBe(0);
  });

  it("exits 1 when an account is not compliant", async () => {
    scenarios.bareAccount(org.account(org.managementAccountId), "us-east-1");
    expect(await main(["scan"], captureIo(), deps())).toBe(1);
  });

  it("prints one JSON document on stdout with --json, and nothing else there", async () => {
    const io = captureIo();
    await main(["scan", "--json"], io, deps());
    const report = JSON.parse(io.out.join("")) as Report;
    expect(report.version).toBe(1);
    expect(report.mode).toBe("scan");
    expect(report.summary.total).toBe(1);
  });

  it("reads options from TRIPWIRE_* variables", async () => {
    const io = captureIo({ TRIPWIRE_JSON: "true" });
    await main(["scan"], io, deps());
    expect(() => JSON.parse(io.out.join(""))).not.toThrow();
  });
});

describe("tripwire fix", () => {
  it("exits 0 when the fix leaves every account compliant", async () => {
    scenarios.bareAccount(org.account(org.managementAccountId), "us-east-1");
    expect(await main(["fix", "--notify", "sqs:arn:aws:sqs:us-east-1:111111111111:q"], captureIo(), deps())).toBe(0);
  });

  it("exits 1 after a dry run of an account that needs fixing, and says mode dry-run", async () => {
    scenarios.bareAccount(org.account(org.managementAccountId), "us-east-1");
    const io = captureIo();
    const code = await main(["fix", "--dry-run", "--json"], io, deps());
    expect(code).toBe(1);
    expect((JSON.parse(io.out.join("")) as Report).mode).toBe("dry-run");
  });

  it("warns on stderr when no --notify endpoint is given", async () => {
    scenarios.bareAccount(org.account(org.managementAccountId), "us-east-1");
    const io = captureIo();
    await main(["fix"], io, deps());
    expect(io.err.join("")).toMatch(/no --notify endpoint/);
  });
});

describe("bad usage", () => {
  it("exits 2 with one line naming the bad setting, and makes no AWS call", async () => {
    const io = captureIo();
    const code = await main(["fix", "--regions", "moon-1"], io, deps());
    expect(code).toBe(2);
    expect(io.err[0]).toBe('tripwire: invalid --regions: "moon-1" is not a region name like eu-west-1\n');
    expect(org.calls.count()).toBe(0);
  });

  it("exits 2 for an unknown option without a stack trace", async () => {
    const io = captureIo();
    const code = await main(["scan", "--regoins", "eu-west-1"], io, deps());
    expect(code).toBe(2);
    expect(io.err.join("")).not.toContain("    at ");
  });

  it("exits 2 with one line when Organizations refuses the caller", async () => {
    const member = org.addAccount({ name: "member" });
    const io = captureIo();
    const code = await main(["scan"], io, {
      factoryFor: (s) => simulatedFactory(org, s, { callerAccountId: member.id }),
    });
    expect(code).toBe(2);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).toMatch(
      /^tripwire: AccessDeniedException: .*management account or a delegated administrator\)\n$/,
    );
  });
});

describe("tripwire demo", () => {
  it("runs the whole flow and says it ran on a simulated organization", async () => {
    const io = captureIo();
    const code = await main(["demo"], io);
    const text = io.out.join("");
    expect(code).toBe(0);
    expect(text).toMatch(/This ran on a simulated organization/);
    expect(text).toMatch(/healed: logs:DeleteMetricFilter .* account COMPLIANT/);
  });
});
