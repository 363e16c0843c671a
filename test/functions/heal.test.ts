/** The heal function on the simulated organization, fed the sample drift events through the heal queue. */
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { createHealHandler, type HealDeps } from "../../functions/heal/handler.ts";
import { ownFilterName } from "../../shared/core/naming.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import { ControlRun } from "../../shared/use-cases/review/control-run.ts";
import {
  asOwnSession,
  factoryFor,
  HOME,
  OTHER,
  organizationWithSampleMember,
  SAMPLE_ACCOUNT,
  sampleEvent,
  settingsFor,
  trailLogGroup,
  writeCalls,
} from "../support/heal-harness.ts";
import { sqsEvent } from "../support/sqs-records.ts";

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
  // The member stack's role: it trusts tripwire's functions only, so its sessions are tripwire's own.
  member.addRole("tripwire-member");
  org.calls.reset();
  lines = [];
});

function deps(): HealDeps {
  const settings = settingsFor({ roleName: "tripwire-member", dedicatedRole: true });
  return {
    settings,
    factory: () => factoryFor(org, settings, "heal"),
    now: () => new Date("2025-03-04T09:16:00Z"),
    write: (l) => void lines.push(l),
  };
}

const invoke = (event: SQSEvent): Promise<SQSBatchResponse> => createHealHandler(deps)(event, {} as Context);
const summary = () => JSON.parse(lines.at(-1) ?? "{}");
const deleteFilter = () =>
  member.deleteMetricFilter(HOME, trailLogGroup(member), ownFilterName("tripwire", "cis-v1.2"));

describe("heal", () => {
  it("puts back a deleted filter and reports the heal latency in EMF", async () => {
    deleteFilter();
    const response = await invoke(sqsEvent([sampleEvent("drift/logs-delete-metric-filter.json")]));
    expect(response.batchItemFailures).toEqual([]);
    expect(summary()).toMatchObject({ HealLatency: 58_000, AccountsFixed: 1, heals: [{ status: "healed" }] });
    expect(summary()._aws.CloudWatchMetrics[0].Metrics).toEqual([
      { Name: "HealEvents", Unit: "Count" },
      { Name: "Heals", Unit: "Count" },
      { Name: "AccountsCompliant", Unit: "Count" },
      { Name: "AccountsFixed", Unit: "Count" },
      { Name: "AccountsErrored", Unit: "Count" },
      { Name: "HealLatency", Unit: "Milliseconds" },
    ]);
  });

  it("heals the sample batch (events/lambda/heal-batch.json) once for its one account and region", async () => {
    deleteFilter();
    await invoke(sampleEvent("lambda/heal-batch.json") as SQSEvent);
    expect(summary()).toMatchObject({ HealEvents: 2, Heals: 1, AccountsFixed: 1 });
  });

  it("coalesces the drift events of one account and region into one heal, timed from the first event", async () => {
    deleteFilter();
    const later = sampleEvent("drift/monitoring-delete-alarms.json");
    const first = sampleEvent("drift/logs-delete-metric-filter.json");
    await invoke(sqsEvent([later, first]));
    expect(org.calls.count({ accountId: SAMPLE_ACCOUNT, operation: "DescribeTrails" })).toBe(1);
    expect(summary()).toMatchObject({
      Heals: 1,
      HealLatency: 58_000,
      heals: [{ eventNames: ["DeleteMetricFilter", "DeleteAlarms"] }],
    });
  });

  it("heals each region of an account apart", async () => {
    const elsewhere = sampleEvent("drift/monitoring-delete-alarms.json");
    elsewhere.region = elsewhere.detail.awsRegion = OTHER;
    await invoke(sqsEvent([sampleEvent("drift/logs-delete-metric-filter.json"), elsewhere]));
    expect(summary().heals).toMatchObject([{ region: HOME }, { region: OTHER }]);
  });

  it("drops an event of its own session without retry and without a write", async () => {
    const response = await invoke(
      sqsEvent([asOwnSession(sampleEvent("drift/logs-put-metric-filter.json"), "tripwire-heal", "tripwire-member")]),
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(writeCalls(org)).toEqual([]);
    expect(summary().heals).toMatchObject([{ status: "ignored" }]);
  });

  it("heals a customer's deletion that shares a batch with tripwire's own write", async () => {
    deleteFilter();
    const own = asOwnSession(sampleEvent("drift/logs-put-metric-filter.json"), "tripwire-heal", "tripwire-member");
    own.detail.eventTime = "2025-03-04T09:14:00Z";
    await invoke(sqsEvent([own, sampleEvent("drift/logs-delete-metric-filter.json")]));
    expect(summary().heals).toMatchObject([{ status: "healed" }]);
  });

  it("drops a refused event without retry, logging the reason", async () => {
    const event = sampleEvent("drift/sns-delete-topic.json");
    event.account = event.detail.recipientAccountId = "999988887777";
    const response = await invoke(sqsEvent([event]));
    expect(response.batchItemFailures).toEqual([]);
    expect(summary()).toMatchObject({
      level: "WARN",
      heals: [{ status: "refused", reason: "account 999988887777 is not a member of this organization" }],
    });
  });

  it("drops a message whose body is not JSON, without retry", async () => {
    const response = await invoke(sqsEvent(["{ not json"]));
    expect(response.batchItemFailures).toEqual([]);
    expect(summary().heals).toMatchObject([{ status: "refused", reason: expect.stringMatching(/not JSON/) }]);
  });

  it("reports every record of a failed heal as a batch item failure, so SQS retries them", async () => {
    member.removeRole("tripwire-member");
    const event = sqsEvent([
      sampleEvent("drift/monitoring-delete-alarms.json"),
      sampleEvent("drift/sns-delete-topic.json"),
    ]);
    const response = await invoke(event);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      event.Records.map((r) => r.messageId).sort(),
    );
    expect(summary()).toMatchObject({ level: "ERROR", AccountsErrored: 1 });
  });

  it("fails only the records of the heal that failed", async () => {
    member.removeRole("tripwire-member");
    const stranger = sampleEvent("drift/sns-delete-topic.json");
    stranger.account = stranger.detail.recipientAccountId = "999988887777";
    const event = sqsEvent([sampleEvent("drift/monitoring-delete-alarms.json"), stranger]);
    const response = await invoke(event);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]?.messageId }]);
  });

  it("repairs the chain, then reports the trail change, when one batch holds both", async () => {
    deleteFilter();
    await invoke(
      sqsEvent([
        sampleEvent("drift/cloudtrail-stop-logging.json"),
        sampleEvent("drift/logs-delete-metric-filter.json"),
      ]),
    );
    expect(summary().heals).toMatchObject([
      { kind: "repair", status: "healed" },
      { kind: "report", status: "reported" },
    ]);
  });

  it.each([
    "cloudtrail-delete-trail.json",
    "cloudtrail-put-event-selectors.json",
    "cloudtrail-stop-logging.json",
    "cloudtrail-update-trail.json",
  ])("reports %s without writing", async (file) => {
    await invoke(sqsEvent([sampleEvent(`drift/${file}`)]));
    expect(writeCalls(org)).toEqual([]);
    expect(summary().heals).toMatchObject([{ status: "reported" }]);
  });
});
