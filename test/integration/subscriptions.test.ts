/**
 * A customer topic is judged by its GetTopicAttributes counts first (one call, however many
 * subscribers); when they say no subscription is confirmed, the listing decides: the counts
 * are maintained by SNS on its own schedule (and never by moto).
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import { accountOf, codesOf, HOME, newOrganization, scenarios, sweep } from "../support/integration-harness.ts";

let org: SimulatedOrganization;
let member: SimulatedAccount;

beforeEach(() => {
  org = newOrganization();
  member = org.addAccount({ name: "workload" });
});

const only = () => ({ accounts: member.id });

function chainWith(topic: Parameters<typeof scenarios.topic>[2]) {
  scenarios.compliantV12(member, HOME, { topic });
}

const SQS_SUBSCRIBER = { protocol: "sqs", endpoint: `arn:aws:sqs:${HOME}:999999999999:pager` };

describe("a customer topic whose counts lag behind its subscriptions", () => {
  it("is judged by the listing: a confirmed SQS subscriber makes the account COMPLIANT", async () => {
    chainWith({ subscriptions: [SQS_SUBSCRIBER], staleCounts: true });
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(result).toMatchObject({ status: "COMPLIANT", findings: [] });
  });

  it("stays NO_CONFIRMED_SUBSCRIPTION when the listing shows only a pending subscription", async () => {
    chainWith({ subscriptions: [{ endpoint: "oncall@example.com", confirmed: false }], staleCounts: true });
    const result = accountOf(await sweep(org, "scan", only()), member.id);
    expect(codesOf(result)).toEqual(["NO_CONFIRMED_SUBSCRIPTION"]);
  });

  it("is listed only after the counts said no confirmed subscription", async () => {
    chainWith({ subscriptions: [SQS_SUBSCRIBER], staleCounts: true });
    org.calls.reset();
    await sweep(org, "scan", only());
    expect(org.calls.list({ service: "sns" }).map((c) => c.operation)).toEqual([
      "GetTopicAttributes",
      "ListSubscriptionsByTopic",
    ]);
  });
});

describe("a customer topic whose counts show a confirmed subscription", () => {
  it("costs one call, GetTopicAttributes, and no listing", async () => {
    chainWith({ subscriptions: [SQS_SUBSCRIBER] });
    org.calls.reset();
    await sweep(org, "scan", only());
    expect(org.calls.list({ service: "sns" }).map((c) => c.operation)).toEqual(["GetTopicAttributes"]);
  });
});
