import { describe, expect, it } from "vitest";
import {
  type Exclusion,
  exclusionMatches,
  exclusionsAt,
  isExpired,
  wildcardMatcher,
} from "../../shared/core/exclusions.ts";

const exclusion = (match: Exclusion["match"], expires = "2025-06-30"): Exclusion => ({
  match,
  reason: "r",
  owner: "o",
  expires,
});

describe("wildcardMatcher", () => {
  it.each([
    ["Describe*", "DescribeTrails", true],
    ["*Bucket", "HeadBucket", true],
    ["arn:aws:sts::*:assumed-role/ci/*", "arn:aws:sts::111111111111:assumed-role/ci/run-1", true],
    ["*Denied*", "AccessDeniedException", true],
    ["Describe*", "describeTrails", false],
    ["HeadBucket", "HeadBucketX", false],
    ["a.b", "aXb", false],
  ])("%s against %s: %s", (pattern, value, expected) => {
    expect(wildcardMatcher(pattern)(value)).toBe(expected);
  });
});

describe("exclusionMatches", () => {
  it("needs every field it names to match", () => {
    const e = exclusion({ eventName: "AssumeRole", errorCode: "AccessDenied" });
    expect(exclusionMatches(e, { eventName: "AssumeRole", errorCode: "Client.UnauthorizedOperation" })).toBe(false);
  });

  it("matches nothing on a field the call lacks, even with *", () => {
    expect(exclusionMatches(exclusion({ errorCode: "*", eventName: "X" }), { eventName: "X" })).toBe(false);
  });
});

describe("expiry", () => {
  it("applies through the whole expiry day, UTC", () => {
    expect(isExpired({ expires: "2025-06-30" }, new Date("2025-06-30T23:59:59Z"))).toBe(false);
  });

  it("stops at midnight UTC after the expiry day", () => {
    expect(isExpired({ expires: "2025-06-30" }, new Date("2025-07-01T00:00:00Z"))).toBe(true);
  });

  it("sorts a list into the exclusions that apply and the expired ones, keeping their indexes", () => {
    const { active, expired } = exclusionsAt(
      [exclusion({ eventName: "A" }, "2024-01-01"), exclusion({ eventName: "B" })],
      new Date("2025-01-01T00:00:00Z"),
    );
    expect({ active: active.map((e) => e.index), expired: expired.map((e) => e.index) }).toEqual({
      active: [1],
      expired: [0],
    });
  });
});
