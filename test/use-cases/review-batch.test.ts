/**
 * sweep-account's use case on the simulated organization: which records of an SQS batch are
 * reviewed, and which are dropped before any read of the account (not the sweep's message,
 * out of scope, not a member), and how records for the same account share one review.
 */
import type { SQSRecord } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import type { RawSettings } from "../../shared/config/settings.ts";
import type { SimulatedOrganization } from "../../shared/simulation/index.ts";
import { FRESH_MESSAGE_MS, type RecordOutcome, reviewBatch } from "../../shared/use-cases/review-batch.ts";
import { factoryFor, HOME, newOrganization, scenarios, settingsFor, writeCalls } from "../support/heal-harness.ts";

const SWEEP_ROLE_ID = "AROAEXAMPLEID7654321";
const NOW = new Date("2025-03-05T02:10:00Z");
const MEMBER = "222233334444";
const OTHER_MEMBER = "333344445555";
let org: SimulatedOrganization;
let nextId = 0;

beforeEach(() => {
  org = newOrganization();
  scenarios.bareAccount(org.addAccount({ id: MEMBER, name: "workload-prod" }), HOME);
  scenarios.bareAccount(org.addAccount({ id: OTHER_MEMBER, name: "workload-dev" }), HOME);
  org.calls.reset();
});

interface RecordSpec {
  readonly accountId?: string;
  readonly body?: string;
  /** Default: a session of the sweep's role. */
  readonly senderId?: string | null;
  /** How long before NOW the message was sent; default one minute. */
  readonly ageMs?: number;
}

function record(spec: RecordSpec = {}): SQSRecord {
  const accountId = spec.accountId ?? MEMBER;
  const senderId = spec.senderId === undefined ? `${SWEEP_ROLE_ID}:tripwire-prod-sweep` : spec.senderId;
  return {
    messageId: `m-${nextId++}`,
    receiptHandle: "rh",
    body:
      spec.body ??
      JSON.stringify({ version: 1, accountId, name: "workload", sweepId: "s-1", requestedAt: NOW.toISOString() }),
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: String(NOW.getTime() - (spec.ageMs ?? 60_000)),
      ...(senderId === null ? {} : { SenderId: senderId }),
      ApproximateFirstReceiveTimestamp: String(NOW.getTime()),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:111111111111:tripwire-prod-accounts",
    awsRegion: HOME,
  } as SQSRecord;
}

function review(records: SQSRecord[], raw: RawSettings = {}): Promise<RecordOutcome[]> {
  const settings = settingsFor(raw);
  return reviewBatch(records, {
    settings,
    factory: factoryFor(org, settings, "sweep"),
    sweepRoleId: SWEEP_ROLE_ID,
    now: () => NOW,
  });
}

const stale = FRESH_MESSAGE_MS + 60_000;
const accountCalls = (accountId: string) => org.calls.list().filter((c) => c.accountId === accountId);
const assumed = (accountId: string) =>
  org.calls.list({ operation: "AssumeRole" }).filter((c) => String(c.input.RoleArn).includes(`::${accountId}:`));

describe("a message the sweep did not send", () => {
  it("is dropped without any AWS call, and not reported as a failure", async () => {
    const [outcome] = await review([record({ senderId: "AROAOTHERROLE0000000:someone" })]);
    expect(outcome).toMatchObject({ failed: false, dropped: { kind: "sender" } });
    expect(org.calls.list()).toEqual([]);
  });

  it("is dropped when SQS gives no sender at all", async () => {
    const [outcome] = await review([record({ senderId: null })]);
    expect(outcome).toMatchObject({ failed: false, dropped: { kind: "sender" } });
  });

  it("is dropped when the sender only starts like the sweep's role id", async () => {
    const [outcome] = await review([record({ senderId: `${SWEEP_ROLE_ID}X:tripwire-prod-sweep` })]);
    expect(outcome?.dropped?.kind).toBe("sender");
  });

  it("names its sender in the outcome", async () => {
    const [outcome] = await review([record({ senderId: "AIDAUSER000000000000" })]);
    expect(outcome?.dropped?.senderId).toBe("AIDAUSER000000000000");
  });
});

describe("a message for an account out of scope", () => {
  it("is dropped before any read when the account is excluded", async () => {
    const [outcome] = await review([record()], { excludeAccounts: MEMBER });
    expect(outcome).toMatchObject({ failed: false, dropped: { kind: "scope" } });
    expect(accountCalls(MEMBER)).toEqual([]);
  });

  it("is dropped before any read when the account is not in the account list", async () => {
    const [outcome] = await review([record()], { accounts: OTHER_MEMBER });
    expect(outcome).toMatchObject({ failed: false, dropped: { kind: "scope" } });
    expect(assumed(MEMBER)).toEqual([]);
  });
});

describe("membership", () => {
  it("is taken from the sweep's listing while the message is fresh: no Organizations call", async () => {
    await review([record()]);
    expect(org.calls.list({ service: "organizations" })).toEqual([]);
  });

  it("is re-checked for an older message, then the account is reviewed", async () => {
    const [outcome] = await review([record({ ageMs: stale })]);
    expect(org.calls.count({ operation: "DescribeAccount" })).toBe(1);
    expect(outcome).toMatchObject({ failed: false, result: { accountId: MEMBER, status: "COMPLIANT" } });
  });

  it("drops an older message for an account outside the organization, without assuming a role", async () => {
    const [outcome] = await review([record({ accountId: "999988887777", ageMs: stale })]);
    expect(outcome).toMatchObject({ failed: false, dropped: { kind: "membership" } });
    expect(org.calls.count({ operation: "AssumeRole" })).toBe(0);
  });

  it("drops an older message for a suspended account", async () => {
    org.account(OTHER_MEMBER).setStatus("SUSPENDED");
    const [outcome] = await review([record({ accountId: OTHER_MEMBER, ageMs: stale })]);
    expect(outcome?.dropped?.reason).toMatch(/not ACTIVE/);
  });

  it("drops an older message for an account that is no longer under the OU", async () => {
    const ou = org.addOrganizationalUnit({ name: "workloads" });
    org.account(OTHER_MEMBER).moveTo(ou.id);
    const [outcome] = await review([record({ ageMs: stale })], { ou: ou.id });
    expect(outcome?.dropped?.reason).toMatch(`not under ${ou.id}`);
  });

  it("reviews an older message for an account under the OU", async () => {
    const ou = org.addOrganizationalUnit({ name: "workloads" });
    org.account(MEMBER).moveTo(ou.id);
    const [outcome] = await review([record({ ageMs: stale })], { ou: ou.id });
    expect(outcome?.result?.status).toBe("COMPLIANT");
  });

  it("fails the record, to be retried, when Organizations cannot answer", async () => {
    org.faults.fail({ operation: "DescribeAccount", error: { name: "ServiceException", httpStatusCode: 500 } });
    const [outcome] = await review([record({ ageMs: stale })]);
    expect(outcome).toMatchObject({ failed: true, error: expect.stringMatching(/membership check failed/) });
    expect(assumed(MEMBER)).toEqual([]);
  });
});

describe("the same account twice in one batch", () => {
  it("is reviewed once: its trails are read once", async () => {
    await review([record(), record({ accountId: OTHER_MEMBER }), record()]);
    expect(org.calls.count({ accountId: MEMBER, operation: "DescribeTrails" })).toBe(1);
  });

  it("is fixed once: the same writes as a batch holding it once", async () => {
    await review([record()]);
    const once = writeCalls(org);
    org = newOrganization();
    scenarios.bareAccount(org.addAccount({ id: MEMBER, name: "workload-prod" }), HOME);
    await review([record(), record()]);
    expect(writeCalls(org)).toEqual(once);
  });

  it("gives both records the same result, the second marked as sharing the first's review", async () => {
    const [first, second] = await review([record(), record()]);
    expect(second).toMatchObject({ duplicateOf: first?.messageId, result: first?.result, failed: false });
  });

  it("fails both records together when the review fails", async () => {
    org.account(MEMBER).removeRole("OrganizationAccountAccessRole");
    const outcomes = await review([record(), record()]);
    expect(outcomes.map((o) => o.failed)).toEqual([true, true]);
  });

  it("re-checks membership once when one of its messages is older", async () => {
    await review([record(), record({ ageMs: stale })]);
    expect(org.calls.count({ operation: "DescribeAccount" })).toBe(1);
  });
});

describe("a genuine message that does not parse", () => {
  it("fails, so that it ends in the dead-letter queue", async () => {
    const [outcome] = await review([record({ body: "{ not json" })]);
    expect(outcome).toMatchObject({ failed: true, error: expect.stringMatching(/malformed account message/) });
  });
});

it("keeps the order of the records in its outcomes", async () => {
  const records = [record({ accountId: OTHER_MEMBER }), record({ senderId: null }), record()];
  const outcomes = await review(records);
  expect(outcomes.map((o) => o.messageId)).toEqual(records.map((r) => r.messageId));
});
