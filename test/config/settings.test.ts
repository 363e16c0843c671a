import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadSettings, parseNotify } from "../../shared/config/settings.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function configFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tripwire-"));
  dirs.push(dir);
  const path = join(dir, "tripwire.json");
  writeFileSync(path, content);
  return path;
}

describe("loadSettings", () => {
  it("applies the documented defaults when nothing is set", () => {
    const s = loadSettings({ env: {} });
    expect(s).toMatchObject({
      roleName: "OrganizationAccountAccessRole",
      prefix: "tripwire",
      filterProfile: "all",
      concurrency: 10,
      homeRegion: "us-east-1",
      dryRun: false,
      json: false,
      notify: [],
      excludeAccounts: [],
    });
    expect(s.regions).toBeUndefined();
  });

  it("returns a frozen object", () => {
    expect(Object.isFrozen(loadSettings({ env: {} }))).toBe(true);
  });

  it("prefers the command line over the environment, and the environment over the file", () => {
    const file = configFile(JSON.stringify({ prefix: "fromfile", roleName: "FileRole", concurrency: 3 }));
    const s = loadSettings({
      cli: { prefix: "fromcli" },
      env: { TRIPWIRE_PREFIX: "fromenv", TRIPWIRE_ROLE_NAME: "EnvRole" },
      configFile: file,
    });
    expect(s.prefix).toBe("fromcli");
    expect(s.roleName).toBe("EnvRole");
    expect(s.concurrency).toBe(3);
  });

  it("reads the config file named by TRIPWIRE_CONFIG", () => {
    const file = configFile(JSON.stringify({ regions: ["eu-west-1", "us-east-1"] }));
    expect(loadSettings({ env: { TRIPWIRE_CONFIG: file } }).regions).toEqual(["eu-west-1", "us-east-1"]);
  });

  it("splits comma-separated lists and drops duplicates of regions", () => {
    expect(loadSettings({ cli: { regions: "eu-west-1, eu-west-1,us-east-2" } }).regions).toEqual([
      "eu-west-1",
      "us-east-2",
    ]);
  });

  it("names the command-line option in the error for a bad region", () => {
    expect(() => loadSettings({ cli: { regions: "eu-west" } })).toThrow(
      /invalid --regions: "eu-west" is not a region name/,
    );
  });

  it("names the environment variable in the error for a bad account id", () => {
    expect(() => loadSettings({ env: { TRIPWIRE_ACCOUNTS: "12345" } })).toThrow(
      /invalid TRIPWIRE_ACCOUNTS: "12345" is not a 12-digit account id/,
    );
  });

  it("names the file and key in the error for a bad filter profile from the file", () => {
    const file = configFile(JSON.stringify({ filterProfile: "cis-v9" }));
    expect(() => loadSettings({ configFile: file })).toThrow(
      /"filterProfile" in .*tripwire.json.*securityhub, cis-v1.4, all/,
    );
  });

  it("rejects an unknown key in the config file", () => {
    const file = configFile(JSON.stringify({ regoins: ["eu-west-1"] }));
    expect(() => loadSettings({ configFile: file })).toThrow(/unknown setting "regoins"/);
  });

  it("rejects a config file that is not JSON", () => {
    expect(() => loadSettings({ configFile: configFile("regions: eu-west-1") })).toThrow(/is not valid JSON/);
  });

  it("rejects a concurrency outside 1..500", () => {
    expect(() => loadSettings({ cli: { concurrency: "0" } })).toThrow(
      /--concurrency: "0" is not a whole number from 1 to 500/,
    );
  });

  it("throws ConfigError, not a generic error", () => {
    expect(() => loadSettings({ cli: { prefix: "9lives" } })).toThrow(ConfigError);
  });

  it("takes the member role as not dedicated to tripwire unless told", () => {
    expect(loadSettings({ env: {} }).dedicatedRole).toBe(false);
  });

  it.each([
    ["TRIPWIRE_DEDICATED_ROLE", () => ({ env: { TRIPWIRE_DEDICATED_ROLE: "true" } })],
    ["--dedicated-role", () => ({ cli: { dedicatedRole: true }, env: {} })],
    ["the file key dedicatedRole", () => ({ configFile: configFile('{"dedicatedRole": true}'), env: {} })],
  ])("reads dedicatedRole from %s", (_from, sources) => {
    expect(loadSettings(sources()).dedicatedRole).toBe(true);
  });

  it("reads TRIPWIRE_DRY_RUN=true as a boolean", () => {
    expect(loadSettings({ env: { TRIPWIRE_DRY_RUN: "true" } }).dryRun).toBe(true);
  });
});

describe("parseNotify", () => {
  it("accepts an email endpoint", () => {
    expect(parseNotify("email:secops@example.com")).toEqual({ protocol: "email", endpoint: "secops@example.com" });
  });

  it("accepts an SQS queue ARN", () => {
    expect(parseNotify("sqs:arn:aws:sqs:eu-west-1:111111111111:alerts").protocol).toBe("sqs");
  });

  it("rejects an unknown protocol", () => {
    expect(() => parseNotify("sms:+15555550100")).toThrow(/protocol one of email, https, sqs, lambda/);
  });

  it("rejects an http (not https) URL for https", () => {
    expect(() => parseNotify("https:http://hooks.example.com/x")).toThrow(/is not an https:\/\/ URL/);
  });

  it("rejects an SQS endpoint that is not an SQS ARN", () => {
    expect(() => parseNotify("sqs:arn:aws:sns:eu-west-1:111111111111:t")).toThrow(/is not an SQS queue ARN/);
  });
});
