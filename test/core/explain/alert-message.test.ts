import { describe, expect, it } from "vitest";
import { alertSubject, shortPrincipal, snsSubject, topPrincipal } from "../../../shared/core/explain/alert-message.ts";
import type { EventGroup } from "../../../shared/core/explain/event-groups.ts";
import type { Explanation } from "../../../shared/core/explain/explanation.ts";

const group = (principal: string, count: number, excluded = false): EventGroup => ({
  accountId: "111111111111",
  principal,
  eventSource: "sts.amazonaws.com",
  eventName: "AssumeRole",
  errorCode: "AccessDenied",
  sourceIPAddress: "198.51.100.10",
  count,
  first: "2025-03-04T09:00:00.000Z",
  last: "2025-03-04T09:00:00.000Z",
  excludedBy: excluded ? { index: 0, reason: "r", owner: "o", expires: "2025-12-31" } : null,
});

function explanation(groups: EventGroup[], accountName = "prod"): Explanation {
  const matched = groups.reduce((n, g) => n + g.count, 0);
  return {
    alarm: {
      name: "a",
      arn: "arn:aws:cloudwatch:us-east-1:111111111111:alarm:a",
      accountId: "111111111111",
      accountName,
      region: "us-east-1",
      state: "ALARM",
      stateChangeTime: "2025-03-04T09:11:00.000Z",
      reason: "",
      metric: { namespace: "tripwire", name: "UnauthorizedAPICalls" },
    },
    window: { start: new Date(0), end: new Date(1), basis: "b" },
    logGroup: "g",
    filters: [],
    queried: [],
    matched,
    excluded: groups.filter((g) => g.excludedBy).reduce((n, g) => n + g.count, 0),
    unconfirmed: [],
    groups,
    expiredExclusions: [],
    excludedByExclusion: [],
    leftOut: { count: 0, complete: true },
    consoleUrl: "https://example.com",
    pages: 1,
    largestPage: 1,
    reevaluationMs: 0,
  };
}

describe("the alert subject", () => {
  it("names the account and the principal with most calls that still page", () => {
    const x = explanation([
      group("arn:aws:iam::111111111111:user/ci", 9, true),
      group("arn:aws:iam::111111111111:user/jane", 2),
    ]);
    expect(alertSubject(x)).toBe("tripwire: 2 unauthorized calls in 111111111111 (prod) by user/jane");
  });

  it("adds up a principal's groups", () => {
    const x = explanation([
      group("arn:aws:iam::111111111111:user/a", 2),
      group("arn:aws:iam::111111111111:user/b", 3),
      { ...group("arn:aws:iam::111111111111:user/a", 2), eventName: "GetObject" },
    ]);
    expect(topPrincipal(x.groups)).toEqual({ principal: "arn:aws:iam::111111111111:user/a", count: 4 });
  });

  it("stays within SNS's 100 characters for a long session name", () => {
    const long = `arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_AdministratorAccess_4f8c2a1b9d3e7f60/${"x".repeat(80)}`;
    expect(alertSubject(explanation([group(long, 1)])).length).toBeLessThanOrEqual(100);
  });

  it("replaces what SNS subjects cannot hold (non-ASCII, line breaks)", () => {
    expect(snsSubject("Konto Müller\nprod")).toBe("Konto M?ller prod");
  });

  it("says when no matching call was found", () => {
    expect(alertSubject(explanation([]))).toBe("tripwire: alarm in 111111111111 (prod), no matching call found");
  });
});

describe("shortPrincipal", () => {
  it.each([
    ["arn:aws:sts::111111111111:assumed-role/Role/session", "assumed-role/Role/session"],
    ["arn:aws:iam::111111111111:root", "root"],
    ["config.amazonaws.com", "config.amazonaws.com"],
  ])("%s is %s", (arn, short) => {
    expect(shortPrincipal(arn)).toBe(short);
  });
});
