/** The sweep function: the simulated organization behind Organizations, a mocked SQS. */
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandInput } from "@aws-sdk/client-sqs";
import type { Context, ScheduledEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { MEMBER_DELAY_SECONDS } from "../../shared/use-cases/enqueue-accounts.ts";
import { createSweepHandler, type SweepDeps } from "../../functions/sweep/handler.ts";
import type { SimulatedOrganization } from "../../shared/simulation/index.ts";
import { HOME, newOrganization, sampleEvent, settingsFor } from "../support/heal-harness.ts";

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
  const organizations = new OrganizationsClient({ region: HOME, credentials: org.credentialsFor(org.managementAccountId), maxAttempts: 2 });
  org.instrument(organizations as never);
  return {
    settings,
    organizations,
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
  it("sends one message per ACTIVE account, skipping the suspended one", async () => {
    await invoke(deps());
    const accounts = sentEntries().map((e) => JSON.parse(e.MessageBody ?? "").accountId);
    expect(accounts.sort()).toEqual(org.accountIds().filter((id) => org.account(id).status === "ACTIVE").sort());
  });

  it("sends in batches of at most 10", async () => {
    await invoke(deps());
    expect(sqsMock.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([10, 3]);
  });

  it("sends the management account first, without delay, and delays the members", async () => {
    await invoke(deps());
    const delays = new Map(sentEntries().map((e) => [JSON.parse(e.MessageBody ?? "").accountId, e.DelaySeconds]));
    expect([delays.get(org.managementAccountId), new Set([...delays].filter(([id]) => id !== org.managementAccountId).map(([, d]) => d))]).toEqual([
      0,
      new Set([MEMBER_DELAY_SECONDS]),
    ]);
  });

  it("writes version-1 messages carrying the schedule's event id", async () => {
    await invoke(deps());
    expect(JSON.parse(sentEntries()[0]?.MessageBody ?? "")).toEqual({
      version: 1,
      accountId: org.managementAccountId,
      name: "management",
      sweepId: schedule.id,
      requestedAt: "2025-03-05T02:00:01.000Z",
    });
  });

  it("logs one summary with the AccountsEnqueued metric in EMF", async () => {
    await invoke(deps());
    expect([lines.length, summary().AccountsEnqueued, summary()._aws.CloudWatchMetrics[0].Namespace]).toEqual([1, 13, "Tripwire"]);
  });

  it("sends an entry SQS refused once more", async () => {
    let first = true;
    sqsMock.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      const entries = input.Entries ?? [];
      const failed = first ? entries.slice(0, 1) : [];
      first = false;
      return { Successful: entries.slice(failed.length).map((e) => ({ Id: e.Id })), Failed: failed.map((e) => ({ Id: e.Id, Code: "InternalError", SenderFault: false })) };
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
    await expect(invoke(deps({ organizationId: "o-someoneelse" }))).rejects.toThrow(/configured for organization o-someoneelse/);
    expect(sentEntries()).toEqual([]);
  });
});
