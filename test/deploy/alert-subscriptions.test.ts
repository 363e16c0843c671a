/** The alert topic's subscriptions, built from the `notify` parameter by deploy/alert-subscriptions.cjs. */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const { alertSubscriptions } = createRequire(import.meta.url)("../../deploy/alert-subscriptions.cjs") as {
  alertSubscriptions: (notify: unknown) => { Resources: Record<string, { Properties: Record<string, unknown> }> };
};
/** The alert topic's subscriptions (the security alert topic gets the same ones: tested apart). */
const endpoints = (notify: unknown) =>
  Object.values(alertSubscriptions(notify).Resources)
    .filter((r) => JSON.stringify(r.Properties.TopicArn) === JSON.stringify({ Ref: "AlertTopic" }))
    .map((r) => `${r.Properties.Protocol} ${r.Properties.Endpoint}`);

describe("alertSubscriptions", () => {
  it("makes one subscription per comma-separated entry", () => {
    expect(endpoints("email:a@example.com, lambda:arn:aws:lambda:us-east-1:111111111111:function:pager")).toEqual([
      "email a@example.com",
      "lambda arn:aws:lambda:us-east-1:111111111111:function:pager",
    ]);
  });

  it("subscribes the same endpoints to the security alert topic", () => {
    const security = Object.values(
      alertSubscriptions("email:a@example.com,sqs:arn:aws:sqs:us-east-1:111111111111:q").Resources,
    )
      .filter((r) => JSON.stringify(r.Properties.TopicArn) === JSON.stringify({ Ref: "SecurityAlertTopic" }))
      .map((r) => `${r.Properties.Protocol} ${r.Properties.Endpoint}`);
    expect(security).toEqual(["email a@example.com", "sqs arn:aws:sqs:us-east-1:111111111111:q"]);
  });

  it("makes none for an empty value", () => {
    expect(endpoints("")).toEqual([]);
  });

  it("takes an https URL given alone or as https:URL", () => {
    expect(endpoints("https://hooks.example.com/a,https:https://hooks.example.com/b")).toEqual([
      "https https://hooks.example.com/a",
      "https https://hooks.example.com/b",
    ]);
  });

  it("makes one subscription of an endpoint given twice", () => {
    expect(endpoints("https://hooks.example.com/a,https:https://hooks.example.com/a")).toHaveLength(1);
  });

  it("keeps an endpoint's logical id when another endpoint is added before it", () => {
    const alone = Object.keys(alertSubscriptions("email:a@example.com").Resources);
    const after = Object.keys(alertSubscriptions("email:b@example.com,email:a@example.com").Resources);
    expect(after).toContain(alone[0]);
  });

  it.each([
    "sms:+15555550100",
    "email:not-an-address",
    "https:http://hooks.example.com/x",
    "sqs:arn:aws:sns:us-east-1:111111111111:t",
  ])("refuses %s, naming it", (entry) => {
    expect(() => alertSubscriptions(entry)).toThrow(`notify: ${JSON.stringify(entry)} is not protocol:endpoint`);
  });
});
