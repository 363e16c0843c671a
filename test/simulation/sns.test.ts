import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import {
  createSimulatedOrganization,
  PENDING_CONFIRMATION,
  type SimulatedOrganization,
  scenarios,
} from "../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../support/simulation-harness.ts";

const REGION = "ap-southeast-2";

async function memberSns(org: SimulatedOrganization, accountId: string) {
  return (await factoryFor(org).forAccount(accountId)).sns(REGION);
}

describe("simulated SNS", () => {
  it("counts pending and confirmed subscriptions separately in GetTopicAttributes", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const { topicArn } = scenarios.topic(member, REGION, {
      subscriptions: [
        { endpoint: "ops@example.com", confirmed: true },
        { endpoint: "new@example.com", confirmed: false },
        { protocol: "sqs", endpoint: `arn:aws:sqs:${REGION}:${member.id}:alerts` },
      ],
    });
    const sns = await memberSns(org, member.id);

    const before = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
    member.confirmSubscription(topicArn, "new@example.com");
    const after = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));

    expect(before.Attributes).toMatchObject({
      SubscriptionsConfirmed: "2",
      SubscriptionsPending: "1",
      Owner: member.id,
      TopicArn: topicArn,
    });
    expect(after.Attributes).toMatchObject({ SubscriptionsConfirmed: "3", SubscriptionsPending: "0" });
  });

  it("leaves email subscriptions pending until confirmed and lists them as PendingConfirmation", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const sns = await memberSns(org, member.id);

    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "alerts" }));
    const again = await sns.send(new CreateTopicCommand({ Name: "alerts" }));
    const sub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "email", Endpoint: "sec@example.com" }));
    const lambda = await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: "lambda",
        Endpoint: `arn:aws:lambda:${REGION}:${member.id}:function:f`,
      }),
    );
    const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));

    expect(again.TopicArn).toBe(TopicArn);
    expect(sub.SubscriptionArn).toBe("pending confirmation");
    expect(lambda.SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    expect(listed.Subscriptions?.map((s) => s.SubscriptionArn).sort()).toEqual(
      [lambda.SubscriptionArn, PENDING_CONFIRMATION].sort(),
    );
  });

  it("answers a missing topic with NotFoundException", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const sns = await memberSns(org, member.id);

    const error = await rejectionOf(
      sns.send(new GetTopicAttributesCommand({ TopicArn: `arn:aws:sns:${REGION}:${member.id}:gone` })),
    );

    expect(error.name).toBe("NotFoundException");
  });

  it("refuses another account's topic with AuthorizationErrorException unless its policy admits the caller", async () => {
    const org = createSimulatedOrganization();
    const owner = org.addAccount({ name: "security" });
    const member = org.addAccount({ name: "member" });
    const { topicArn } = scenarios.topic(owner, REGION);
    const sns = await memberSns(org, member.id);

    const denied = await rejectionOf(sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn })));
    owner.setTopicAttribute(
      topicArn,
      "Policy",
      JSON.stringify({
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${member.id}:root` },
            Action: "sns:GetTopicAttributes",
            Resource: topicArn,
          },
        ],
      }),
    );
    const allowed = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));

    expect(denied.name).toBe("AuthorizationErrorException");
    expect(allowed.Attributes?.Owner).toBe(owner.id);
  });

  it("unsubscribes a confirmed subscription and counts it as deleted", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const { topicArn, subscriptionArns } = scenarios.topic(member, REGION);
    const sns = await memberSns(org, member.id);

    await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArns[0] }));
    const attrs = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));

    expect(attrs.Attributes).toMatchObject({ SubscriptionsConfirmed: "0", SubscriptionsDeleted: "1" });
  });

  it("pages ListTopics 100 at a time", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    for (let i = 0; i < 150; i++) member.createTopic(REGION, `t-${i}`);
    const sns = await memberSns(org, member.id);

    const first = await sns.send(new ListTopicsCommand({}));
    const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));

    expect(first.Topics).toHaveLength(100);
    expect(second.Topics).toHaveLength(50);
    expect(second.NextToken).toBeUndefined();
  });
});

describe("simulated SNS with stale subscription counts", () => {
  it("reports 0 confirmed and 0 pending in GetTopicAttributes while the listing shows the subscriptions", async () => {
    const org = createSimulatedOrganization();
    const member = org.addAccount({ name: "member" });
    const { topicArn } = scenarios.topic(member, REGION, {
      subscriptions: [{ protocol: "sqs", endpoint: `arn:aws:sqs:${REGION}:${member.id}:alerts` }],
      staleCounts: true,
    });
    const sns = await memberSns(org, member.id);

    const counts = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
    const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));

    expect(counts.Attributes).toMatchObject({ SubscriptionsConfirmed: "0", SubscriptionsPending: "0" });
    expect(listed.Subscriptions?.map((s) => s.SubscriptionArn?.startsWith("arn:"))).toEqual([true]);
  });
});
