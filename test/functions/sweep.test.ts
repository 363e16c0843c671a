/** The sweep function: the simulated organization behind Organizations, a mocked SQS. */
import { SendMessageBatchCommand, type SendMessageBatchCommandInput, SQSClient } from "@aws-sdk/client-sqs";
import type { Context, ScheduledEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { createSweepHandler, type SweepDeps } from "../../functions/sweep/handler.ts";
import type { ClientFactory } from "../../shared/adapters/aws/client-factory.ts";
import { sendAccountMessages } from "../../shared/adapters/queue/account-queue-writer.ts";
import type { SimulatedOrganization } from "../../shared/simulation/index.ts";
import { factoryFor, HOME, newOrganization, sampleEvent, settingsFor } from "../support/heal-harness.ts";
import { type MemoryProgressStore, memoryProgressStore } from "../support/progress-store.ts";

const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/111111111111/tripwire-prod-accounts";
let org: SimulatedOrganization;
let lines: string[];
let records: MemoryProgressStore;
const sqsMock = mockClient(SQSClient);

beforeEach(() => {
  org = newOrganization();
  records = memoryProgressStore();
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
  const sqs = new SQSClient({ region: HOME });
  return {
    settings,
    factory: () => factoryFor(org, settings, "sweep"),
    queue: (messages) => sendAccountMessages(sqs, QUEUE_URL, messages),
    progress: records,
    organizationId: org.organizationId,
    now: () => new Date("2025-03-05T02:00:01Z"),
    write: (line) => void lines.push(line),
    sleep: async () => undefined,
    ...overrides,
  };
}

const schedule = sampleEvent("lambda/schedule.json") as ScheduledEvent;
const invoke = (d: SweepDeps, context: Partial<Context> = {}) =>
  createSweepHandler(() => d)(schedule, context as Context);
const sentEntries = () => sqsMock.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries ?? []);
const summary = () => JSON.parse(lines.find((l) => JSON.parse(l).message === "sweep summary") ?? "{}");

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

  it("fails after logging the summary when SQS refuses an entry on every attempt", async () => {
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

/** Members enough for three listing pages of 20 and five SendMessageBatch calls. */
function largerOrganization(members = 45): void {
  org = newOrganization();
  for (let i = 0; i < members; i++) org.addAccount({ name: `workload-${i}` });
}

/** The factory's Organizations client fails every ListAccounts call after the first `pages` pages. */
function listingFailsAfter(pages: number): SweepDeps["factory"] {
  return () => {
    const settings = settingsFor();
    const factory: ClientFactory = factoryFor(org, settings, "sweep");
    let served = 0;
    factory.organizations().middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "ListAccountsCommand" && served++ >= pages) {
          throw Object.assign(new Error("Service is unavailable"), { name: "ServiceException" });
        }
        return next(args);
      },
      { step: "initialize", name: "listingFailsAfter" },
    );
    return factory;
  };
}

const sentAccounts = () => sentEntries().map((e) => JSON.parse(e.MessageBody ?? "").accountId as string);

describe("a SendMessageBatch that throws", () => {
  it("is sent again, and the sweep completes", async () => {
    let calls = 0;
    sqsMock.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      if (calls++ === 0) throw Object.assign(new Error("socket hang up"), { name: "TimeoutError" });
      return { Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id })), Failed: [] };
    });
    await invoke(deps());
    expect(summary()).toMatchObject({ AccountsEnqueued: 12, AccountsNotEnqueued: 0, complete: true });
  });

  it("fails its entries after the last attempt, with the call's error, and the sweep fails after its summary", async () => {
    sqsMock.on(SendMessageBatchCommand).rejects(Object.assign(new Error("Access denied"), { name: "AccessDenied" }));
    await expect(invoke(deps())).rejects.toThrow(/12 account\(s\) could not be enqueued/);
    expect(summary()).toMatchObject({
      message: "sweep summary",
      AccountsNotEnqueued: 12,
      failed: expect.arrayContaining([{ accountId: org.accountIds()[1], reason: "AccessDenied: Access denied" }]),
    });
  });

  it("is attempted three times per batch", async () => {
    sqsMock.on(SendMessageBatchCommand).rejects(new Error("boom"));
    await invoke(deps()).catch(() => undefined);
    expect(sqsMock.commandCalls(SendMessageBatchCommand)).toHaveLength(2 * 3);
  });
});

describe("the progress record", () => {
  it("holds every account sent, under the scheduled event's id, marked complete", async () => {
    await invoke(deps());
    expect(records.records.get(schedule.id)).toMatchObject({
      sweepId: schedule.id,
      attempts: 1,
      complete: true,
      sent: expect.arrayContaining(sentAccounts()),
    });
  });

  it("lets a retry send only the accounts the first invocation could not", async () => {
    let refuse = true;
    sqsMock.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      const entries = input.Entries ?? [];
      // The first invocation: the second batch (2 entries) cannot be sent.
      if (refuse && entries.length === 2) throw new Error("ServiceUnavailable");
      return { Successful: entries.map((e) => ({ Id: e.Id })), Failed: [] };
    });
    await invoke(deps()).catch(() => undefined);
    const firstRun = records.records.get(schedule.id)?.sent.length;
    refuse = false;
    sqsMock.resetHistory();
    lines = [];
    await invoke(deps());
    expect({ firstRun, retry: sentEntries().length, attempt: summary().attempt }).toEqual({
      firstRun: 10,
      retry: 2,
      attempt: 2,
    });
  });

  it("makes a second delivery of a completed sweep send nothing", async () => {
    await invoke(deps());
    sqsMock.resetHistory();
    await invoke(deps());
    expect(sentEntries()).toEqual([]);
  });

  it("must be readable before anything is sent", async () => {
    const unreadable = { ...records, read: async () => Promise.reject(new Error("AccessDenied")) };
    await expect(invoke(deps({ progress: unreadable }))).rejects.toThrow(/AccessDenied/);
    expect(sentEntries()).toEqual([]);
  });

  it("is written before the first message is sent", async () => {
    let writesBeforeFirstSend = -1;
    sqsMock.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      if (writesBeforeFirstSend < 0) writesBeforeFirstSend = records.writes.length;
      return { Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id })), Failed: [] };
    });
    await invoke(deps());
    expect(writesBeforeFirstSend).toBeGreaterThan(0);
  });
});

describe("a sweep cut off mid-listing", () => {
  it("logs a summary of what it sent before it fails", async () => {
    largerOrganization();
    await expect(invoke(deps({ factory: listingFailsAfter(1) }))).rejects.toThrow(/stopped early \(listing-failed/);
    expect(lines.map((l) => JSON.parse(l).message)).toEqual(["sweep summary", "sweep failed"]);
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({
      level: "ERROR",
      complete: false,
      stopped: { reason: "listing-failed", error: expect.stringMatching(/ServiceException/) },
      AccountsEnqueued: sentAccounts().length,
    });
  });

  it("is continued by its retry, which sends each account exactly once in all", async () => {
    largerOrganization();
    await invoke(deps({ factory: listingFailsAfter(1) })).catch(() => undefined);
    await invoke(deps());
    const members = org.accountIds().filter((id) => id !== org.managementAccountId);
    expect(sentAccounts().sort()).toEqual(members.sort());
  });

  it("stops before its time runs out, saves its record, and fails so that the retry continues", async () => {
    largerOrganization();
    let left = 60_000;
    const context = { getRemainingTimeInMillis: () => (left -= 10_000) };
    await expect(invoke(deps(), context)).rejects.toThrow(/out-of-time/);
    const sent = sentAccounts().length;
    await invoke(deps());
    expect({
      first: sent > 0 && sent < 45,
      total: sentAccounts().length,
      unique: new Set(sentAccounts()).size,
    }).toEqual({ first: true, total: 45, unique: 45 });
  });
});
