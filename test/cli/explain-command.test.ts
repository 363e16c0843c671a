/** `tripwire explain --alarm FILE` and `tripwire replay --since`, through main, on the live chain. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../shared/cli/io.ts";
import { main } from "../../shared/cli/main.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import {
  deniedCalls,
  type LiveOrganization,
  letTheAlarmFire,
  liveOrganization,
  theNotification,
} from "../support/explain-harness.ts";

let live: LiveOrganization;
let out: string[];
let err: string[];
let stdin: string | undefined;
const io: CliIo = {
  stdout: (t) => void out.push(t),
  stderr: (t) => void err.push(t),
  env: {},
  isTty: false,
  readStdin: async () => stdin ?? "",
};
const dir = mkdtempSync(join(tmpdir(), "tripwire-explain-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const run = (...argv: string[]) =>
  main(argv, io, {
    factoryFor: (settings, purpose) => simulatedFactory(live.org, settings, { sessionPurpose: purpose }),
    now: () => live.org.clock.now(),
  });

beforeEach(async () => {
  live = await liveOrganization();
  await deniedCalls(live, "jane", 2);
  await letTheAlarmFire(live);
  out = [];
  err = [];
  stdin = undefined;
});

describe("tripwire explain", () => {
  it("prints who made the calls, and exits 0", async () => {
    const code = await run("explain", "--alarm", file("alarm.json", await theNotification(live)));
    expect({ code, err: err.join("") }).toEqual({ code: 0, err: "" });
    expect(out.join("")).toContain(`arn:aws:sts::${live.member.id}:assumed-role/OrganizationAccountAccessRole/jane`);
  });

  it("reads the notification from standard input with --alarm -", async () => {
    stdin = await theNotification(live);
    expect(await run("explain", "--alarm", "-", "--json")).toBe(0);
  });

  it("prints the issue's JSON shape with --json", async () => {
    stdin = await theNotification(live);
    await run("explain", "--alarm", "-", "--json");
    const doc = JSON.parse(out.join(""));
    expect(Object.keys(doc).slice(0, 6)).toEqual(["alarm", "window", "matched", "excluded", "unconfirmed", "groups"]);
    expect(Object.keys(doc.groups[0])).toEqual([
      "accountId",
      "principal",
      "eventSource",
      "eventName",
      "errorCode",
      "sourceIPAddress",
      "count",
      "first",
      "last",
      "excludedBy",
    ]);
  });

  it.each([
    ["a file that is not JSON", "ALARM!", "tripwire: not an alarm notification: the input is not JSON\n"],
    ["a drift event", JSON.stringify({ detail: {} }), "tripwire: not an alarm notification: no AlarmName\n"],
  ])("refuses %s in one line, exit 2, printing nothing", async (_what, content, line) => {
    const code = await run("explain", "--alarm", file("bad.json", content));
    expect({ code, out, err }).toEqual({ code: 2, out: [], err: [line] });
  });

  it("refuses an alarm of an account outside the organization in one line, exit 2", async () => {
    stdin = (await theNotification(live)).replaceAll(live.member.id, "999988887777");
    const code = await run("explain", "--alarm", "-");
    expect({ code, out, err }).toEqual({
      code: 2,
      out: [],
      err: ["tripwire: account 999988887777 is not a member of this organization\n"],
    });
  });

  it("refuses an alarm that is not on a covering filter's metric in one line, exit 2", async () => {
    const envelope = JSON.parse(await theNotification(live));
    const message = JSON.parse(envelope.Message);
    message.Trigger.MetricName = "Errors";
    stdin = JSON.stringify({ ...envelope, Message: JSON.stringify(message) });
    const code = await run("explain", "--alarm", "-");
    expect({ code, out: out.length, lines: err.length }).toEqual({ code: 2, out: 0, lines: 1 });
  });

  it("refuses a run without --alarm", async () => {
    expect(await run("explain")).toBe(2);
  });

  it("refuses an exclusion expiring more than a year ahead before reading anything", async () => {
    stdin = await theNotification(live);
    const exclusions = JSON.stringify([
      { match: { eventName: "AssumeRole" }, reason: "r", owner: "o", expires: "2099-01-01" },
    ]);
    live.org.calls.reset();
    const code = await run("explain", "--alarm", "-", "--exclusions", exclusions);
    expect({ code, calls: live.org.calls.count(), lines: err.length }).toEqual({ code: 2, calls: 0, lines: 2 });
  });
});

describe("tripwire replay", () => {
  it("counts the periods tripwire's alarm was in ALARM over the span, per account", async () => {
    const code = await run("replay", "--since", "1h", "--json", "--accounts", live.member.id);
    const report = JSON.parse(out.join(""));
    expect(code).toBe(0);
    expect(report.accounts).toMatchObject([{ accountId: live.member.id, matchedEvents: 2, periodsInAlarm: 1 }]);
  });

  it("refuses a --since that is not a duration", async () => {
    expect(await run("replay", "--since", "yesterday")).toBe(2);
  });
});
