import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CliIo, main } from "../../shared/cli/main.ts";
import type { Report } from "../../shared/core/report.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import {
  createSimulatedOrganization,
  type SimulatedOrganization,
  scenarios,
  throttlingError,
} from "../../shared/simulation/index.ts";

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
      /^tripwire: the account listing failed: ListAccounts \(organizations us-east-1\): AccessDeniedException: .*management account or a delegated administrator\)\n$/,
    );
  });
});

describe("bad input stops the run before any AWS call (issue 8, item 7)", () => {
  it.each([
    ["an empty account list", ["scan", "--accounts", ""], {}, /^tripwire: invalid --accounts: the list is empty/],
    [
      "a misspelt variable",
      ["fix"],
      { TRIPWIRE_DRYRUN: "true" },
      /^tripwire: unknown environment variable TRIPWIRE_DRYRUN/,
    ],
    [
      "a loose integer",
      ["scan", "--concurrency", "1e2"],
      {},
      /^tripwire: invalid --concurrency: "1e2" is not a whole number/,
    ],
    ["an email with shell characters", ["fix", "--notify", "email:a$(id)@b.c;rm"], {}, /is not an email address/],
    [
      "an endless config file",
      ["scan", "--config", "/dev/zero"],
      {},
      /^tripwire: config file \/dev\/zero is larger than 1 MiB/,
    ],
    [
      "a call timeout without a unit",
      ["scan"],
      { TRIPWIRE_CALL_TIMEOUT: "10" },
      /^tripwire: invalid TRIPWIRE_CALL_TIMEOUT/,
    ],
  ])("refuses %s in one line, exit 2", async (_case, argv, env, line) => {
    const io = captureIo(env as Record<string, string>);

    const code = await main(argv as string[], io, deps());

    expect(code).toBe(2);
    expect(io.err[0]).toMatch(line);
    expect(org.calls.count()).toBe(0);
  });

  it("takes --notify https://h/x as an https subscription", async () => {
    scenarios.bareAccount(org.account(org.managementAccountId), "us-east-1");
    const io = captureIo();

    await main(["fix", "--json", "--notify", "https://hooks.example.com/x"], io, deps());

    const report = JSON.parse(io.out.join("")) as Report;
    expect(report.accounts[0]?.actions.map((a) => a.type)).toContain("subscribe");
  });
});

describe("--profile (issue 8, item 7)", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** AWS shared files with one profile, as the SDK finds them through AWS_CONFIG_FILE. */
  function awsFiles(): Record<string, string> {
    const dir = mkdtempSync(join(tmpdir(), "tripwire-aws-"));
    dirs.push(dir);
    writeFileSync(join(dir, "config"), "[profile audit]\nregion = us-east-1\n");
    writeFileSync(join(dir, "credentials"), "[default]\naws_access_key_id = x\naws_secret_access_key = y\n");
    return { AWS_CONFIG_FILE: join(dir, "config"), AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials") };
  }

  it("refuses a profile the AWS files do not define, naming it and the files, before any call", async () => {
    const files = awsFiles();
    const io = captureIo(files);

    const code = await main(["scan", "--profile", "nosuchprofile"], io, deps());

    expect(code).toBe(2);
    expect(io.err[0]).toBe(
      `tripwire: invalid profile setting (--profile, TRIPWIRE_PROFILE or "profile"): no AWS profile "nosuchprofile" in ${files.AWS_CONFIG_FILE} or ${files.AWS_SHARED_CREDENTIALS_FILE}\n`,
    );
    expect(org.calls.count()).toBe(0);
  });

  it("runs with a profile of the config file", async () => {
    scenarios.compliantV12(org.account(org.managementAccountId), "us-east-1");
    expect(await main(["scan", "--profile", "audit"], captureIo(awsFiles()), deps())).toBe(0);
  });

  it("runs with a profile of the credentials file", async () => {
    scenarios.compliantV12(org.account(org.managementAccountId), "us-east-1");
    expect(await main(["scan", "--profile", "default"], captureIo(awsFiles()), deps())).toBe(0);
  });
});

describe("the account listing (issue 8, item 3)", () => {
  function failLaterPages(): void {
    for (let i = 0; i < 24; i++) scenarios.compliantV12(org.addAccount({ name: `m${i}` }), "us-east-1");
    scenarios.compliantV12(org.account(org.managementAccountId), "us-east-1");
    org.setBeforeCall((call) => {
      if (call.operation === "ListAccounts" && call.input.NextToken) throw throttlingError("organizations");
    });
  }

  it("exits 1 when the listing stops, every listed account compliant", async () => {
    failLaterPages();
    expect(await main(["scan", "--max-attempts", "1"], captureIo(), deps())).toBe(1);
  });

  it("says in the table that the listing is incomplete, and why", async () => {
    failLaterPages();
    const io = captureIo();

    await main(["scan", "--max-attempts", "1"], io, deps());

    expect(io.out.join("")).toContain(
      "listing incomplete: the account listing failed: ListAccounts (organizations us-east-1): TooManyRequestsException: Rate exceeded",
    );
  });

  it("refuses an account outside the organization in one line, exit 2, nothing written", async () => {
    const member = org.addAccount({ name: "m" });
    scenarios.bareAccount(member, "us-east-1");
    const io = captureIo();

    const code = await main(
      ["fix", "--accounts", `${member.id},999999999999`, "--notify", "sqs:arn:aws:sqs:us-east-1:111111111111:q"],
      io,
      deps(),
    );

    expect(code).toBe(2);
    expect(io.err).toEqual([
      'tripwire: account 999999999999 is not in the organization: the account list (--accounts, TRIPWIRE_ACCOUNTS or "accounts") must name accounts of the organization\n',
    ]);
    expect(org.calls.count({ operation: "AssumeRole" })).toBe(0);
  });
});

describe("tripwire demo", () => {
  it("runs the whole flow and says it ran on a simulated organization", async () => {
    const io = captureIo();
    const out = mkdtempSync(join(tmpdir(), "tripwire-demo-"));
    const code = await main(["demo", "--out", out], io);
    rmSync(out, { recursive: true, force: true });
    const text = io.out.join("");
    expect(code).toBe(0);
    expect(text).toMatch(/This ran on a simulated organization/);
    expect(text).toMatch(/healed: logs:DeleteMetricFilter .* account COMPLIANT/);
  });

  it("proves one account, printing each hop's code and time and the account's status", async () => {
    const io = captureIo();
    await main(["demo"], io);
    const text = io.out.join("");
    expect(text).toMatch(/^\d{12} {2}workload-prod +us-east-1 +PROVEN in 5m00s$/m);
    for (const hop of [
      "CANARY_DENIED",
      "DELIVERED_TO_LOG_GROUP",
      "METRIC_INCREMENTED",
      "ALARM_FIRED",
      "ACTION_EXECUTED",
      "NOTIFICATION_RECEIVED",
    ])
      expect(text).toMatch(new RegExp(`^ {4}${hop} +ok +\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z `, "m"));
  });
});
