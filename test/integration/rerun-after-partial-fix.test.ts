/**
 * A fix cut short by a failed write is finished by the next fix: it ends where a fix without
 * the failure ends. Found by the fault suite (test/faults/): a Subscribe that failed while the
 * alarm was written left tripwire's chain working through the other endpoint, and the next
 * fix, seeing a working chain, never subscribed the missing one.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { ownTopicArn } from "../../shared/core/naming.ts";
import { type SimulatedAccount, type SimulatedOrganization, serviceError } from "../../shared/simulation/index.ts";
import {
  accountOf,
  HOME,
  newOrganization,
  SQS_NOTIFY,
  scenarios,
  sweep,
  writeCalls,
} from "../support/integration-harness.ts";

const EMAIL = "email:secops@example.com";

let org: SimulatedOrganization;
let member: SimulatedAccount;

beforeEach(() => {
  org = newOrganization();
  member = org.addAccount({ name: "workload" });
  scenarios.bareAccount(member, HOME);
});

const fix = async () =>
  accountOf(await sweep(org, "fix", { accounts: member.id, notify: [SQS_NOTIFY, EMAIL] }), member.id);
const endpoints = () =>
  member
    .subscriptions(ownTopicArn("aws", HOME, member.id, "tripwire"))
    .map((s) => `${s.protocol}:${s.endpoint}`)
    .sort();

/** The email Subscribe fails once, for good (no retry cures it); the SQS one succeeds. */
function failEmailSubscribeOnce() {
  let failed = false;
  org.setBeforeCall((call) => {
    if (failed || call.operation !== "Subscribe" || call.input.Protocol !== "email") return;
    failed = true;
    throw serviceError("sns", "SubscriptionLimitExceeded", "too many subscriptions");
  });
}

describe("a fix whose Subscribe of one --notify endpoint failed", () => {
  it("is reported ERROR, the other endpoint and the alarm written", async () => {
    failEmailSubscribeOnce();
    const result = await fix();
    expect(result).toMatchObject({
      status: "ERROR",
      actions: expect.arrayContaining([
        expect.objectContaining({ type: "subscribe", resource: expect.stringContaining(EMAIL), applied: false }),
        expect.objectContaining({ type: "create-alarm", applied: true }),
      ]),
    });
  });

  it("has the missing endpoint subscribed by the next fix", async () => {
    failEmailSubscribeOnce();
    await fix();
    await fix();
    expect(endpoints()).toEqual([EMAIL, SQS_NOTIFY]);
  });

  it("has the next fix write that subscription and nothing else", async () => {
    failEmailSubscribeOnce();
    await fix();
    org.calls.reset();
    await fix();
    expect(writeCalls(org)).toEqual([`${member.id}:${HOME}:Subscribe`]);
  });

  it("leaves nothing for a third fix to write", async () => {
    failEmailSubscribeOnce();
    await fix();
    await fix();
    org.calls.reset();
    await fix();
    expect(writeCalls(org)).toEqual([]);
  });
});
