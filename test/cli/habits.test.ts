/**
 * What users type first: --version / -V, -h, `help <command>` and `<command> --help`, and
 * colour decided by the stream the table is written to (issue 12, item 5).
 */
import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { type CliIo, main } from "../../shared/cli/main.ts";
import type { Report } from "../../shared/core/report.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import { createSimulatedOrganization, type SimulatedOrganization, scenarios } from "../../shared/simulation/index.ts";

interface Captured extends CliIo {
  readonly out: string[];
  readonly err: string[];
}

function captureIo(tty: { stdout?: boolean; stderr?: boolean } = {}, env: Record<string, string> = {}): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env,
    isTty: tty.stderr ?? false,
    stdoutIsTty: tty.stdout ?? false,
  };
}

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};
const ESCAPE = "\u001b[";

let org: SimulatedOrganization;
const deps = () => ({ factoryFor: (s: Parameters<typeof simulatedFactory>[1]) => simulatedFactory(org, s) });

beforeEach(() => {
  org = createSimulatedOrganization({ regions: ["us-east-1"] });
});

describe("--version", () => {
  it.each([["--version"], ["-V"], ["scan", "--version"]])(
    "%s prints the package's version, exit 0",
    async (...argv) => {
      const io = captureIo();
      const code = await main(argv, io, deps());
      expect({ code, out: io.out.join("") }).toEqual({ code: 0, out: `${manifest.version}\n` });
    },
  );

  it("makes no AWS call", async () => {
    await main(["scan", "-V"], captureIo(), deps());
    expect(org.calls.count()).toBe(0);
  });
});

describe("help", () => {
  const usage = async (argv: string[]) => {
    const io = captureIo();
    const code = await main(argv, io, deps());
    return { code, out: io.out.join("") };
  };

  it("-h prints the general usage, which lists the commands", async () => {
    expect(await usage(["-h"])).toMatchObject({ code: 0, out: expect.stringMatching(/^usage: tripwire <command>/) });
  });

  it("lists --version in the general usage", async () => {
    expect((await usage(["help"])).out).toMatch(/-V, --version/);
  });

  it("`help heal` shows heal's own option", async () => {
    expect((await usage(["help", "heal"])).out).toMatch(/heal options:\n {2}--event FILE/);
  });

  it("`heal --help` prints the same text as `help heal`", async () => {
    expect(await usage(["heal", "--help"])).toEqual(await usage(["help", "heal"]));
  });

  it("`fix -h` prints fix's usage and runs nothing", async () => {
    const result = await usage(["fix", "-h"]);
    expect({ code: result.code, calls: org.calls.count() }).toEqual({ code: 0, calls: 0 });
    expect(result.out).toMatch(/^usage: tripwire fix \[--dry-run\]/);
  });

  it("refuses help for an unknown command in one line, exit 2", async () => {
    const io = captureIo();
    expect(await main(["help", "sacn"], io, deps())).toBe(2);
    expect(io.err[0]).toMatch(/^tripwire: unknown command "sacn"/);
  });
});

describe("colour of the report table", () => {
  beforeEach(() => {
    scenarios.bareAccount(org.account(org.managementAccountId), "us-east-1");
  });

  it("is coloured when stdout is a terminal, though stderr is not", async () => {
    const io = captureIo({ stdout: true, stderr: false });
    await main(["scan"], io, deps());
    expect(io.out.join("")).toContain(ESCAPE);
  });

  it("is plain when stdout is redirected, though stderr is a terminal", async () => {
    const io = captureIo({ stdout: false, stderr: true });
    await main(["scan"], io, deps());
    expect(io.out.join("")).not.toContain(ESCAPE);
  });

  it("is plain on a terminal under NO_COLOR", async () => {
    const io = captureIo({ stdout: true }, { NO_COLOR: "1" });
    await main(["scan"], io, deps());
    expect(io.out.join("")).not.toContain(ESCAPE);
  });

  it("is coloured in a pipe under FORCE_COLOR=1", async () => {
    const io = captureIo({ stdout: false }, { FORCE_COLOR: "1" });
    await main(["scan"], io, deps());
    expect(io.out.join("")).toContain(ESCAPE);
  });
});

describe("demo --json", () => {
  interface DemoDocument {
    simulated: boolean;
    scan: Report;
    fix: Report;
    rescan: Report;
    heal: { status: string; account: { status: string } };
    prove: { mode: string; accounts: { name?: string; status: string }[] };
  }

  it("prints one JSON document: the three reports and the heal, exit 0", async () => {
    const io = captureIo();
    const code = await main(["demo", "--json"], io);
    const document = JSON.parse(io.out.join("")) as DemoDocument;
    expect({ code, simulated: document.simulated }).toEqual({ code: 0, simulated: true });
    expect(document).toMatchObject({
      scan: { mode: "scan", summary: { total: 8 } },
      fix: { mode: "fix", summary: { total: 8 } },
      rescan: { mode: "scan", summary: { total: 8 } },
      heal: { status: "healed", account: { status: "COMPLIANT" } },
    });
  });

  it("holds the proof of workload-prod, as prove --json prints it", async () => {
    const io = captureIo();
    await main(["demo", "--json"], io);
    const document = JSON.parse(io.out.join("")) as DemoDocument;
    expect(document.prove).toMatchObject({ mode: "prove", accounts: [{ name: "workload-prod", status: "PROVEN" }] });
  });

  it("reports what the text demo reports: more compliant accounts after the fix", async () => {
    const io = captureIo();
    await main(["demo", "--json"], io);
    const document = JSON.parse(io.out.join("")) as DemoDocument;
    expect(document.rescan.summary.COMPLIANT).toBeGreaterThan(document.scan.summary.COMPLIANT);
  });
});
