/**
 * An alarm of one account may notify a topic of another (a central security account). That
 * topic is read with the other account's clients, which its own review also uses and, when it
 * ends, releases (the clients handed out then refuse calls: client-pool.ts). A read still under
 * way when the topic account's review ends must finish all the same: here a listing of the
 * topic's subscriptions whose second page is asked for after that review has ended (the SDK's
 * paginator keeps the client of the first page).
 */
import { describe, expect, it } from "vitest";
import { accountOf, HOME, newOrganization, scenarios, sweep } from "../support/integration-harness.ts";

const SQS_SUBSCRIBER = { protocol: "sqs", endpoint: `arn:aws:sqs:${HOME}:999999999999:pager` };

describe("a topic of another account, read while that account's own review ends", () => {
  it("is read to the end: the alarm's account is not made ERROR", async () => {
    const org = newOrganization();
    const central = org.addAccount({ name: "security" });
    const workload = org.addAccount({ name: "workload" });
    scenarios.bareAccount(central, HOME);
    // Stale counts: the read lists the subscriptions after GetTopicAttributes. 100 pending
    // ones come first, so the confirmed one is on the second page (SNS pages by 100).
    const pending = Array.from({ length: 100 }, (_, i) => ({ endpoint: `p${i}@example.com`, confirmed: false }));
    const topic = scenarios.topic(central, HOME, { subscriptions: [...pending, SQS_SUBSCRIBER], staleCounts: true });
    const t = scenarios.trail(workload, HOME);
    const f = scenarios.metricFilter(workload, HOME, { logGroupName: t.logGroupName ?? "" });
    scenarios.alarm(workload, HOME, { metricName: f.metricName, namespace: f.namespace, actions: [topic.topicArn] });
    // The central account's review is still under way when the workload's listing of its topic
    // starts (its last reads wait 50 ms), and ends while the first page waits (100 ms).
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    org.setBeforeCall(async (call) => {
      if (call.accountId !== central.id) return;
      if (call.operation === "ListSubscriptionsByTopic" && !call.input.NextToken) await wait(100);
      if (call.operation === "DescribeMetricFilters") await wait(50);
    });

    const result = accountOf(await sweep(org, "scan", { accounts: `${central.id},${workload.id}` }), workload.id);

    expect(result.status).not.toBe("ERROR");
  });
});
