/** The heal function on the simulated organization, fed the sample drift events. */
import type { Context, EventBridgeEvent } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { createHealHandler, type HealDeps, HealFailedError } from "../../functions/heal/handler.ts";
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
let lines: string[];

beforeEach(async () => {
  ({ org, member } = organizationWithSampleMember());
  const settings = settingsFor();
  await new ControlRun(factoryFor(org, settings), settings, "fix").reviewAccount({
    id: SAMPLE_ACCOUNT,
    name: "workload-prod",
    status: "ACTIVE",
  });
  org.calls.reset();
  lines = [];
});

function deps(): HealDeps {
  const settings = settingsFor();
  return {
    settings,
    factory: () => factoryFor(org, settings, "heal"),
    now: () => new Date("2025-03-04T09:16:00Z"),
    write: (l) => void lines.push(l),
  };
}

const invoke = (event: Record<string, unknown>) =>
  createHealHandler(deps)(event as unknown as EventBridgeEvent<string, unknown>, {} as Context);
const summary = () => JSON.parse(lines.at(-1) ?? "{}");

describe("heal", () => {
  it("puts back a deleted filter and reports the heal latency in EMF", async () => {
    const logGroup = member.trails()[0]?.CloudWatchLogsLogGroupArn?.split(":")[6] ?? "";
    member.deleteMetricFilter(HOME, logGroup, ownFilterName("tripwire", "cis-v1.2"));
    const result = await invoke(sampleEvent("drift/logs-delete-metric-filter.json"));
    const s = summary();
    expect(result.status).toBe("healed");
    expect(s.HealLatency).toBe(58_000);
    expect(s.AccountsFixed).toBe(1);
    expect(s._aws.CloudWatchMetrics[0].Metrics).toEqual([
      { Name: "HealEvents", Unit: "Count" },
      { Name: "AccountsCompliant", Unit: "Count" },
      { Name: "AccountsFixed", Unit: "Count" },
      { Name: "AccountsErrored", Unit: "Count" },
      { Name: "HealLatency", Unit: "Milliseconds" },
    ]);
  });

  it("drops an event of its own session without retry and without a write", async () => {
    // The heal function's own role, acting in the security account (here the management account).
    const event = sampleEvent("drift/logs-put-metric-filter.json");
    event.account = event.detail.recipientAccountId = org.managementAccountId;
    const result = await invoke(asOwnSession(event, "tripwire-heal", "tripwire-heal-role"));
    expect(result.status).toBe("ignored");
    expect(writeCalls(org)).toEqual([]);
    expect(summary().status).toBe("ignored");
  });

  it("drops a refused event without retry, logging the reason", async () => {
    const event = sampleEvent("drift/sns-delete-topic.json");
    event.account = event.detail.recipientAccountId = "999988887777";
    const result = await invoke(event);
    expect(result.status).toBe("refused");
    expect(summary().reason).toBe("account 999988887777 is not a member of this organization");
    expect(summary().level).toBe("WARN");
  });

  it("throws when the review fails, so Lambda retries the event", async () => {
    member.removeRole("OrganizationAccountAccessRole");
    await expect(invoke(sampleEvent("drift/monitoring-delete-alarms.json"))).rejects.toThrow(HealFailedError);
    expect(lines.map((l) => JSON.parse(l).message)).toEqual(["heal summary", "heal failed"]);
  });

  it.each([
    "cloudtrail-delete-trail.json",
    "cloudtrail-put-event-selectors.json",
    "cloudtrail-stop-logging.json",
    "cloudtrail-update-trail.json",
  ])("reports %s without writing", async (file) => {
    const result = await invoke(sampleEvent(`drift/${file}`));
    expect(result.status).toBe("reported");
    expect(writeCalls(org)).toEqual([]);
  });
});
