import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadSettings } from "../../shared/config/settings.ts";

const NOW = new Date("2025-03-04T12:00:00Z");
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function fileWith(exclusions: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "tripwire-"));
  dirs.push(dir);
  const path = join(dir, "tripwire.json");
  writeFileSync(path, JSON.stringify({ exclusions }));
  return path;
}

const good = {
  match: { principal: "arn:aws:sts::*:assumed-role/ci-deployer/*", errorCode: "AccessDenied" },
  reason: "CI probes roles before deploying",
  owner: "platform@example.com",
  expires: "2025-12-31",
};

const load = (exclusions: unknown) => loadSettings({ env: {}, configFile: fileWith(exclusions), now: NOW });
const refusal = (exclusions: unknown): string => {
  try {
    load(exclusions);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.replace(/ in \S+tripwire\.json/, " in FILE");
    throw error;
  }
  return "accepted";
};

describe("the exclusions setting", () => {
  it("reads a documented list from the config file", () => {
    expect(load([good]).exclusions).toEqual([good]);
  });

  it("defaults to none", () => {
    expect(loadSettings({ env: {} }).exclusions).toEqual([]);
  });

  it("reads JSON text from TRIPWIRE_EXCLUSIONS", () => {
    const settings = loadSettings({ env: { TRIPWIRE_EXCLUSIONS: JSON.stringify([good]) }, now: NOW });
    expect(settings.exclusions).toHaveLength(1);
  });

  it("keeps an expired exclusion: it is reported, not refused", () => {
    expect(load([{ ...good, expires: "2024-01-31" }]).exclusions).toHaveLength(1);
  });

  it("accepts an expiry exactly one year ahead", () => {
    expect(load([{ ...good, expires: "2026-03-04" }]).exclusions).toHaveLength(1);
  });

  it.each([
    [
      "an expiry more than a year ahead",
      [{ ...good, expires: "2026-03-05" }],
      'invalid "exclusions" in FILE: exclusions[0].expires "2026-03-05" is more than one year ahead: at most 2026-03-04',
    ],
    [
      "an entry without a reason",
      [{ ...good, reason: undefined }],
      'invalid "exclusions" in FILE: exclusions[0].reason is not why the calls are expected (required): a non-empty string of at most 1024 characters',
    ],
    [
      "an entry without an owner",
      [{ ...good, owner: " " }],
      'invalid "exclusions" in FILE: exclusions[0].owner is not who answers for the exclusion (required): a non-empty string of at most 1024 characters',
    ],
    [
      "an expiry that is not a calendar date",
      [{ ...good, expires: "2025-02-30" }],
      'invalid "exclusions" in FILE: exclusions[0].expires "2025-02-30" is not a date YYYY-MM-DD (required)',
    ],
    [
      "an empty match, which would exclude everything",
      [{ ...good, match: {} }],
      'invalid "exclusions" in FILE: exclusions[0].match is empty: it would exclude every call; name at least one field',
    ],
    [
      "a match of wildcards only",
      [{ ...good, match: { principal: "*", eventName: "**" } }],
      'invalid "exclusions" in FILE: exclusions[0].match is only wildcards: it would exclude every call that has these fields',
    ],
    [
      "an unknown match field",
      [{ ...good, match: { userName: "jane" } }],
      'invalid "exclusions" in FILE: exclusions[0].match has an unknown field "userName" (fields: principal, eventSource, eventName, errorCode, sourceIPAddress)',
    ],
    [
      "an unknown key",
      [{ ...good, ticket: "SEC-1" }],
      'invalid "exclusions" in FILE: exclusions[0] has an unknown key "ticket" (keys: match, reason, owner, expires)',
    ],
  ])("refuses %s in one line naming the entry", (_what, exclusions, message) => {
    expect(refusal(exclusions)).toBe(message);
  });

  it("refuses something that is not a list", () => {
    expect(refusal({ match: good.match })).toMatch(/is not a list of \{match, reason, owner, expires\}$/);
  });

  it("names the second entry when the first is good", () => {
    expect(refusal([good, { ...good, expires: "soon" }])).toMatch(/exclusions\[1\]\.expires "soon"/);
  });
});

describe("the maxEvents setting", () => {
  it("defaults to 10,000", () => {
    expect(loadSettings({ env: {} }).maxEvents).toBe(10_000);
  });

  it("refuses 0", () => {
    expect(() => loadSettings({ env: { TRIPWIRE_MAX_EVENTS: "0" } })).toThrow(
      'invalid TRIPWIRE_MAX_EVENTS: "0" is not a whole number from 1 to 1000000',
    );
  });
});
