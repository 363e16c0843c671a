/** The raw configuration export of an account, on the simulated organization. */
import { SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { beforeEach, describe, expect, it } from "vitest";
import { type AccountExport, exportAccount } from "../../../shared/adapters/evidence/configuration-reader.ts";
import { simulatedFactory } from "../../../shared/simulation/factory.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../../shared/simulation/index.ts";
import { HOME, newOrganization, SQS_NOTIFY, scenarios, settingsFor, sweep } from "../../support/integration-harness.ts";

let org: SimulatedOrganization;
let member: SimulatedAccount;
let seeded: ReturnType<typeof scenarios.compliantV12>;
const settings = settingsFor();
const factory = () => simulatedFactory(org, settings);
const exportOf = async (id = member.id, now = org.clock.now()): Promise<AccountExport> =>
  exportAccount(factory(), id, { prefix: "tripwire", region: HOME, now, historyDays: 30 });

beforeEach(() => {
  org = newOrganization();
  member = org.addAccount({ name: "workload" });
  seeded = scenarios.compliantV12(member, HOME);
});

describe("exportAccount", () => {
  it("holds the trails as DescribeTrails returned them", async () => {
    const out = await exportOf();
    expect(out.trails?.response.trailList.map((t) => t.TrailARN)).toEqual([seeded.trail.trailArn]);
  });

  it("holds the trail's status and event selectors, each with its request", async () => {
    const out = await exportOf();
    expect({ status: out.trailStatus[0], selectors: out.eventSelectors[0]?.request }).toMatchObject({
      status: { region: HOME, request: { Name: seeded.trail.trailArn }, response: { IsLogging: true } },
      selectors: { TrailName: seeded.trail.trailArn },
    });
  });

  it("holds every metric filter of the trail's log group", async () => {
    const out = await exportOf();
    expect(out.metricFilters[0]?.response.metricFilters.map((f) => f.filterName)).toEqual([seeded.filter.filterName]);
  });

  it("holds the alarms on the filter's metric", async () => {
    const alarms = (await exportOf()).alarms.flatMap((a) => a.response.MetricAlarms.map((m) => m.AlarmName));
    expect(alarms).toEqual([seeded.alarm.alarmName]);
  });

  it("holds the topic's attributes and its subscriptions with their endpoints, unredacted", async () => {
    const out = await exportOf();
    expect({
      attributes: out.topicAttributes[0]?.response.Attributes.TopicArn,
      endpoints: out.subscriptions[0]?.response.Subscriptions.map((s) => s.Endpoint),
    }).toEqual({ attributes: seeded.topic.topicArn, endpoints: ["security@example.com"] });
  });

  it("holds the alarm's state changes, asked for the last 30 days", async () => {
    const clients = await factory().forAccount(member.id);
    await clients
      .cloudWatch(HOME)
      .send(new SetAlarmStateCommand({ AlarmName: seeded.alarm.alarmName, StateValue: "ALARM", StateReason: "test" }));
    const [history] = (await exportOf()).alarmHistory;
    expect({
      request: history?.request.HistoryItemType,
      days: history ? (Date.parse(history.request.EndDate) - Date.parse(history.request.StartDate)) / 86_400_000 : 0,
      summaries: history?.response.AlarmHistoryItems.map((i) => i.HistorySummary),
    }).toEqual({ request: "StateUpdate", days: 30, summaries: ["Alarm updated from INSUFFICIENT_DATA to ALARM"] });
  });

  it("holds the tags of tripwire's alarm and topic once fix made them", async () => {
    const bare = org.addAccount({ name: "bare" });
    scenarios.bareAccount(bare, HOME);
    await sweep(org, "fix", { notify: [SQS_NOTIFY], accounts: bare.id, owner: "Platform Security" });
    const tags = (await exportOf(bare.id)).tags.map((t) =>
      Object.fromEntries(t.response.Tags.map((x) => [x.Key, x.Value])),
    );
    expect(tags).toEqual([
      { "managed-by": "tripwire", owner: "Platform Security" },
      { "managed-by": "tripwire", owner: "Platform Security" },
    ]);
  });

  it("records a failed call by name and goes on with the rest", async () => {
    org.faults.fail({ operation: "GetTopicAttributes", error: { name: "AuthorizationError", message: "denied" } });
    const out = await exportOf();
    expect({ errors: out.errors, subscriptions: out.subscriptions.length }).toEqual({
      errors: [expect.stringMatching(/^GetTopicAttributes \(sns us-east-1\): AuthorizationError/)],
      subscriptions: 1,
    });
  });

  it("exports the error of an account whose role cannot be assumed, and nothing else", async () => {
    org.faults.denyAssumeRole(member.id);
    const out = await exportOf();
    expect({ trails: out.trails, errors: out.errors.length }).toEqual({ trails: undefined, errors: 1 });
  });

  it("reads nothing but reads", async () => {
    org.calls.reset();
    await exportOf();
    const writes = org.calls
      .list()
      .filter((c) => !/^(Describe|Get|List)/.test(c.operation) && c.operation !== "AssumeRole");
    expect(writes).toEqual([]);
  });
});
