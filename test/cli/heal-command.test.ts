/** `tripwire heal --event FILE` on the simulated organization. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { healCommand } from "../../shared/cli/commands/heal.ts";
import type { CliIo } from "../../shared/cli/io.ts";
import { ownFilterName } from "../../shared/core/naming.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import { ControlRun } from "../../shared/use-cases/review/control-run.ts";
import {
  asOwnSession,
  factoryFor,
  HOME,
  organizationWithSampleMember,
  SAMPLE_ACCOUNT,
  sampleEvent,
  settingsFor,
  writeCalls,
} from "../support/heal-harness.ts";

let org: SimulatedOrganization;
let member: SimulatedAccount;
let out: string[];
let err: string[];
const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, isTty: false };
const dir = mkdtempSync(join(tmpdir(), "tripwire-heal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const eventFile = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
};
const driftFile = (name: string) => new URL(`../../events/drift/${name}`, import.meta.url).pathname;

beforeEach(async () => {
  ({ org, member } = organizationWithSampleMember());
  const settings = settingsFor();
  await new ControlRun(factoryFor(org, settings), settings, "fix").reviewAccount({
    id: SAMPLE_ACCOUNT,
    name: "workload-prod",
    status: "ACTIVE",
  });
  org.calls.reset();
  out = [];
  err = [];
});

const run = (file: string | undefined, raw = {}) => {
  const settings = settingsFor(raw);
  return healCommand.run({ settings, io, options: { event: file }, factoryFor: () => factoryFor(org, settings) });
};

describe("tripwire heal --event", () => {
  it("exits 0 after healing, and says what it wrote", async () => {
    const logGroup = member.trails()[0]?.CloudWatchLogsLogGroupArn?.split(":")[6] ?? "";
    member.deleteMetricFilter(HOME, logGroup, ownFilterName("tripwire", "cis-v1.2"));
    const code = await run(driftFile("logs-delete-metric-filter.json"));
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^healed: logs:DeleteMetricFilter in 222233334444 us-east-1/);
  });

  it("exits 0 when nothing needed doing", async () => {
    expect(await run(driftFile("sns-unsubscribe.json"))).toBe(0);
  });

  it("exits 0 for an event tripwire caused itself (its dedicated member role)", async () => {
    const event = asOwnSession(sampleEvent("drift/logs-put-metric-filter.json"), "tripwire-sweep", "tripwire-member");
    const code = await run(eventFile("own.json", event), { dedicatedRole: true, roleName: "tripwire-member" });
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^ignored:/);
  });

  it("exits 2 with one line naming the account when it is not a member, and writes nothing", async () => {
    const event = sampleEvent("drift/logs-delete-metric-filter.json");
    event.account = event.detail.recipientAccountId = "999988887777";
    const code = await run(eventFile("stranger.json", event));
    expect(code).toBe(2);
    expect(err).toEqual(["tripwire: heal refused: account 999988887777 is not a member of this organization\n"]);
    expect(writeCalls(org)).toEqual([]);
  });

  it("exits 2 with one line for a file that is not JSON", async () => {
    const code = await run(eventFile("broken.json", "{ not json"));
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^tripwire: malformed event:/);
  });

  it("exits 2 with one line for an event of the wrong shape, before any call", async () => {
    const code = await run(eventFile("schedule.json", sampleEvent("lambda/schedule.json")));
    expect(code).toBe(2);
    expect(err[0]).toMatch(/^tripwire: heal refused: malformed event: detail-type/);
    expect(org.calls.list()).toEqual([]);
  });

  it("exits 2 when the file does not exist", async () => {
    const code = await run(join(dir, "missing.json"));
    expect(code).toBe(2);
    expect(err[0]).toBe(`tripwire: cannot read event file ${join(dir, "missing.json")}: ENOENT\n`);
  });

  it("exits 2 without --event", async () => {
    expect(await run(undefined)).toBe(2);
  });

  it("exits 1 for a trail event that leaves the account non-compliant", async () => {
    member.setLogging(member.trails()[0]?.TrailARN ?? "", false);
    const code = await run(driftFile("cloudtrail-stop-logging.json"));
    expect(code).toBe(1);
    expect(writeCalls(org)).toEqual([]);
  });

  it("prints one JSON document with --json", async () => {
    await run(driftFile("sns-unsubscribe.json"), { json: true });
    expect(JSON.parse(out.join("")).status).toBe("unchanged");
  });
});
