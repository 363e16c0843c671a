/** The settings of issue 10: owner and runbookUrl (tag values), and the documented exemptions. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSettings } from "../../shared/config/settings.ts";

const NOW = new Date("2026-03-05T10:00:00Z");
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function configFile(values: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "tripwire-"));
  dirs.push(dir);
  const path = join(dir, "tripwire.json");
  writeFileSync(path, JSON.stringify(values));
  return path;
}

const entry = { account: "111122223333", reason: "being closed", owner: "platform team", expires: "2026-06-30" };
const fromFile = (exemptions: unknown) => () =>
  loadSettings({ env: {}, configFile: configFile({ exemptions }), now: NOW });

describe("owner", () => {
  it("is read from --owner", () => {
    expect(loadSettings({ cli: { owner: "Platform Security" }, env: {} }).owner).toBe("Platform Security");
  });

  it("is read from TRIPWIRE_OWNER", () => {
    expect(loadSettings({ env: { TRIPWIRE_OWNER: "secops@example.com" } }).owner).toBe("secops@example.com");
  });

  it("is read from the file's owner key", () => {
    expect(loadSettings({ env: {}, configFile: configFile({ owner: "team-a" }) }).owner).toBe("team-a");
  });

  it("refuses characters an AWS tag value cannot hold", () => {
    expect(() => loadSettings({ cli: { owner: "Security <secops@example.com>" }, env: {} })).toThrow(
      /^invalid --owner: "Security <secops@example.com>" is not an owner: 1-256 letters/,
    );
  });

  it("refuses more than 256 characters", () => {
    expect(() => loadSettings({ cli: { owner: "a".repeat(257) }, env: {} })).toThrow(/^invalid --owner/);
  });

  it("refuses the prefix AWS reserves for its own tags", () => {
    expect(() => loadSettings({ cli: { owner: "aws:team" }, env: {} })).toThrow(/^invalid --owner/);
  });
});

describe("runbookUrl", () => {
  it("takes an https URL", () => {
    const url = "https://wiki.example.com/runbooks/unauthorized-api-calls";
    expect(loadSettings({ cli: { runbookUrl: url }, env: {} }).runbookUrl).toBe(url);
  });

  it("is read from TRIPWIRE_RUNBOOK_URL", () => {
    const url = "https://wiki.example.com/rb";
    expect(loadSettings({ env: { TRIPWIRE_RUNBOOK_URL: url } }).runbookUrl).toBe(url);
  });

  it("refuses an http URL", () => {
    expect(() => loadSettings({ cli: { runbookUrl: "http://wiki.example.com/rb" }, env: {} })).toThrow(
      /^invalid --runbook-url: "http:\/\/wiki.example.com\/rb" is not an https:\/\/ URL/,
    );
  });

  it("refuses a query string, which a tag value cannot hold", () => {
    expect(() => loadSettings({ cli: { runbookUrl: "https://wiki.example.com/x?id=7" }, env: {} })).toThrow(
      /^invalid --runbook-url/,
    );
  });

  it("refuses a text that is not a URL", () => {
    expect(() => loadSettings({ cli: { runbookUrl: "see the wiki" }, env: {} })).toThrow(/^invalid --runbook-url/);
  });
});

describe("exemptions", () => {
  it("are none by default", () => {
    expect(loadSettings({ env: {} }).exemptions).toEqual([]);
  });

  it("are read from the file's list", () => {
    expect(fromFile([entry])().exemptions).toEqual([entry]);
  });

  it("are read from TRIPWIRE_EXEMPTIONS as JSON, as the functions get them", () => {
    const settings = loadSettings({ env: { TRIPWIRE_EXEMPTIONS: JSON.stringify([entry]) }, now: NOW });
    expect(settings.exemptions).toEqual([entry]);
  });

  it("take an expiry exactly one year ahead", () => {
    expect(fromFile([{ ...entry, expires: "2027-03-05" }])().exemptions[0]?.expires).toBe("2027-03-05");
  });

  it("take an expiry already past: the account is then judged, with a finding", () => {
    expect(fromFile([{ ...entry, expires: "2025-12-31" }])().exemptions).toHaveLength(1);
  });

  it("refuse an expiry more than one year ahead", () => {
    expect(fromFile([{ ...entry, expires: "2027-03-06" }])).toThrow(
      /: entry 1 \(account 111122223333\): expires 2027-03-06 is more than one year ahead \(at most 2027-03-05\)$/,
    );
  });

  it("refuse an expiry that is not a calendar date", () => {
    expect(fromFile([{ ...entry, expires: "2026-02-30" }])).toThrow(/expires "2026-02-30" is not an ISO date/);
  });

  it.each(["account", "reason", "owner", "expires"])("refuse an entry without %s", (field) => {
    const { [field as keyof typeof entry]: _left, ...rest } = entry;
    expect(fromFile([rest])).toThrow(new RegExp(`entry 1: ${field} is missing`));
  });

  it("refuse a field that is not one of the four", () => {
    expect(fromFile([{ ...entry, approvedBy: "cso" }])).toThrow(/entry 1: unknown field "approvedBy"/);
  });

  it("refuse an account id that is not 12 digits", () => {
    expect(fromFile([{ ...entry, account: "1111" }])).toThrow(/entry 1: account "1111" is not a 12-digit account id/);
  });

  it("refuse an empty reason", () => {
    expect(fromFile([{ ...entry, reason: "  " }])).toThrow(/reason " {2}" is not a text of 1 to 1024 printable/);
  });

  it("refuse two exemptions of one account", () => {
    expect(fromFile([entry, { ...entry, reason: "again" }])).toThrow(
      /entry 2 \(account 111122223333\): the account has another/,
    );
  });

  it("refuse a list that is not a list", () => {
    expect(fromFile({ account: "111122223333" })).toThrow(/is not a list of \{ account, reason, owner, expires \}/);
  });

  it("refuse TRIPWIRE_EXEMPTIONS that is not JSON, in one line", () => {
    expect(() => loadSettings({ env: { TRIPWIRE_EXEMPTIONS: "[{account:1}]" } })).toThrow(
      /^invalid TRIPWIRE_EXEMPTIONS: "\[\{account:1\}\]" is not JSON; give a list of/,
    );
  });
});
