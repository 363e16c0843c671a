/** The sweep function: the simulated organization behind Organizations, a mocked SQS. */
import { SendMessageBatchCommand, type SendMessageBatchCommandInput, SQSClient } from "@aws-sdk/client-sqs";
import type { Context, ScheduledEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createSweepHandler, type SweepDeps } from "../../functions/sweep/handler.ts";
import type { SimulatedOrganization } from "../../shared/simulation/index.ts";
import { factoryFor, HOME, newOrganization, sampleEvent, settingsFor } from "../support/heal-harness.ts";

const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/111111111111/tripwire-prod-accounts";
let org: SimulatedOrganization;
let lines: string[];
const sqsMock = mockClient(SQSClient);

beforeEach(() => {
  org = newOrganization();
  for (let i = 0; i < 12; i++) org.addAccount({ name: `workload-${i}` });
  org.addAccount({ name: "closed", status: "SUSPENDED" });
  lines = [];
  sqsMock.reset();
  sqsMock.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({
    Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: "x" })),
    Failed: [],
  }));
});

function deps(overrides: Partial<SweepDeps> = {}): SweepDeps {
  const settings = settingsFor();
  return {
    settings,
    factory: () => factoryFor(org, settings, "sweep"),
    sqs: new SQSClient({ region: HOME }),
    queueUrl: QUEUE_URL,
    organizationId: org.organizationId,
    now: () => new Date("2025-03-05T02:00:01Z"),
    write: (line) => void lines.push(line),
    ...overrides,
  };
}

const schedule = sampleEvent("lambda/schedule.json") as ScheduledEvent;
const invoke = (d: SweepDeps) => createSweepHandler(() => d)(schedule, {} as Context);
const sentEntries = () => sqsMock.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries ?? []);
const summary = () => JSON.parse(lines.at(-1) ?? "{}");

describe("sweep", () => {
  it("sends one message per ACTIVE member account, skipping the suspended one", async () => {
    await invoke(deps());
    const accounts = sentEntries().map((e) => JSON.parse(e.MessageBody ?? "").accountId);
    const members = org
      .accountIds()
      .filter((id) => id !== org.managementAccountId && org.account(id).status === "ACTIVE");
    expect(accounts.sort()).toEqual(members.sort());
  });

  it("sends in batches of at most 10", async () => {
    await invoke(deps());
    expect(sqsMock.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([10, 2]);
  });

  it("reviews the management account itself, before any member is enqueued", async () => {
    await invoke(deps());
    const firstSend = org.calls.list().findIndex((c) => c.operation === "ListAccounts");
    const managementReads = org.calls
      .list()
      .filter((c) => c.accountId === org.managementAccountId && c.operation === "DescribeTrails");
    expect(managementReads.length).toBe(1);
    expect(managementReads[0]?.seq).toBeLessThan(org.calls.list()[firstSend]?.seq ?? 0);
    expect(summary().management).toMatchObject({ accountId: org.managementAccountId });
  });

  it("writes version-1 messages carrying the schedule's event id", async () => {
    await invoke(deps());
    const first = org.accountIds()[1] as string;
    expect(JSON.parse(sentEntries()[0]?.MessageBody ?? "")).toEqual({
      version: 1,
      accountId: first,
      name: org.account(first).name,
      sweepId: schedule.id,
      requestedAt: "2025-03-05T02:00:01.000Z",
    });
  });

  it("logs one summary with the AccountsEnqueued metric in EMF", async () => {
    await invoke(deps());
    expect(lines).toHaveLength(1);
    expect(summary().AccountsEnqueued).toBe(12);
    expect(summary()._aws.CloudWatchMetrics[0].Namespace).toBe("Tripwire");
  });

  it("sends an entry SQS refused once more", async () => {
    let first = true;
    sqsMock.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      const entries = input.Entries ?? [];
      const failed = first ? entries.slice(0, 1) : [];
      first = false;
      return {
        Successful: entries.slice(failed.length).map((e) => ({ Id: e.Id })),
        Failed: failed.map((e) => ({ Id: e.Id, Code: "InternalError", SenderFault: false })),
      };
    });
    await invoke(deps());
    expect(summary().AccountsNotEnqueued).toBe(0);
  });

  it("fails after logging the summary when SQS refuses an entry twice", async () => {
    sqsMock.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({
      Successful: (input.Entries ?? []).slice(1).map((e) => ({ Id: e.Id })),
      Failed: (input.Entries ?? []).slice(0, 1).map((e) => ({ Id: e.Id, Code: "InternalError", SenderFault: false })),
    }));
    await expect(invoke(deps())).rejects.toThrow(/could not be enqueued/);
    expect(lines.map((l) => JSON.parse(l).message)).toEqual(["sweep summary", "sweep failed"]);
  });

  it("refuses to run under another organization than the configured one", async () => {
    await expect(invoke(deps({ organizationId: "o-someoneelse" }))).rejects.toThrow(
      /configured for organization o-someoneelse/,
    );
    expect(sentEntries()).toEqual([]);
  });
});
