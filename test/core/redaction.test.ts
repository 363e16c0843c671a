/** Redaction of the evidence package: what an auditor sees of subscribers and webhooks. */
import { describe, expect, it } from "vitest";
import { redactDeep, redactText } from "../../shared/core/redaction.ts";

describe("redactText", () => {
  it("keeps an email address's first character and domain", () => {
    expect(redactText("secops@example.com")).toBe("s***@example.com");
  });

  it("redacts an address inside an ARN (a role session named after a person)", () => {
    expect(redactText("arn:aws:sts::222233334444:assumed-role/Admin/jane.doe@example.com")).toBe(
      "arn:aws:sts::222233334444:assumed-role/Admin/j***@example.com",
    );
  });

  it("keeps a web endpoint's scheme and host", () => {
    expect(redactText("https://hooks.example.com/services/T00/B00/secret-token")).toBe("https://hooks.example.com/***");
  });

  it("drops a URL's user name and password with its path", () => {
    expect(redactText("https://user:pw@hooks.example.com/x")).toBe("https://hooks.example.com/***");
  });

  it("leaves a URL that is only scheme and host as it is", () => {
    expect(redactText("https://hooks.example.com")).toBe("https://hooks.example.com");
  });

  it("keeps a sentence's full stop after a redacted link", () => {
    expect(redactText("posts to https://hooks.example.com/a/b.")).toBe("posts to https://hooks.example.com/***.");
  });

  it("keeps whole a URL published on purpose (the runbook)", () => {
    const runbook = "https://wiki.example.com/runbooks/unauthorized-api-calls";
    expect(redactText(`Runbook: ${runbook}`, { keep: [runbook] })).toBe(`Runbook: ${runbook}`);
  });

  it("keeps SQS and Lambda ARNs, which are not personal data", () => {
    const arns = "arn:aws:sqs:us-east-1:111111111111:alerts arn:aws:lambda:us-east-1:111111111111:function:page";
    expect(redactText(arns)).toBe(arns);
  });
});

describe("redactDeep", () => {
  it("redacts every string of a nested value", () => {
    const subscriptions = {
      Subscriptions: [{ Protocol: "email", Endpoint: "secops@example.com", Owner: "111111111111" }],
    };
    expect(redactDeep(subscriptions)).toEqual({
      Subscriptions: [{ Protocol: "email", Endpoint: "s***@example.com", Owner: "111111111111" }],
    });
  });

  it("keeps only the last two digits of an SMS subscription's phone number", () => {
    expect(redactDeep({ Protocol: "sms", Endpoint: "+15551234567" })).toEqual({
      Protocol: "sms",
      Endpoint: "+*********67",
    });
  });

  it("writes dates as ISO text", () => {
    expect(redactDeep({ at: new Date("2025-01-01T00:00:00Z") })).toEqual({ at: "2025-01-01T00:00:00.000Z" });
  });

  it("leaves numbers and booleans alone", () => {
    expect(redactDeep({ confirmed: 2, ok: true })).toEqual({ confirmed: 2, ok: true });
  });
});
