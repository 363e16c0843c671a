import { describe, expect, it } from "vitest";
import { groupEvents, Reevaluation } from "../../../shared/core/explain/event-groups.ts";
import { CIS_PATTERNS } from "../../../shared/core/filter-pattern/index.ts";

const V12 = { name: "v12", pattern: CIS_PATTERNS.v12, metricValue: "1" };
const V14 = { name: "v14", pattern: CIS_PATTERNS.v14Grouped, metricValue: "1" };

let next = 0;
function record(fields: Record<string, unknown>, timestamp = 1_000) {
  const message = JSON.stringify({
    eventSource: "sts.amazonaws.com",
    eventName: "AssumeRole",
    errorCode: "AccessDenied",
    sourceIPAddress: "198.51.100.10",
    recipientAccountId: "111111111111",
    userIdentity: { arn: "arn:aws:sts::111111111111:assumed-role/ci/run" },
    ...fields,
  });
  return { eventId: String(next++), timestamp, message, logStreamName: "s" };
}

describe("Reevaluation", () => {
  it("lists apart an event the engine does not match, and does not count it", () => {
    const r = new Reevaluation([V12, V14]);
    r.add(record({ errorCode: "ThrottlingException" }));
    expect({ confirmed: r.confirmed.length, unconfirmed: r.unconfirmed.map((u) => u.errorCode) }).toEqual({
      confirmed: 0,
      unconfirmed: ["ThrottlingException"],
    });
  });

  it("takes an event returned twice (by two queries) once", () => {
    const r = new Reevaluation([V12]);
    const e = record({});
    r.add(e);
    r.add(e);
    expect(r.confirmed).toHaveLength(1);
  });

  it("records what each matching filter adds to the metric: a HeadBucket denial only v1.2's", () => {
    const r = new Reevaluation([V12, V14]);
    r.add(record({ eventName: "HeadBucket", eventSource: "s3.amazonaws.com" }));
    expect(r.confirmed[0]?.contributions).toEqual([[0, 1]]);
  });

  it("counts an event both filters match for both, in filter order, though the v1.4 match is tested first", () => {
    const r = new Reevaluation([V12, V14]);
    r.add(record({}));
    expect(r.confirmed[0]?.contributions).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });

  it("admits an event id once: a second admission says it was read already", () => {
    const r = new Reevaluation([V12]);
    r.admit("e-1");
    expect(r.admit("e-1")).toBe(false);
  });

  it("counts an admitted event as read before it is evaluated", () => {
    const r = new Reevaluation([V12]);
    r.admit("e-1");
    expect(r.size).toBe(1);
  });

  it("counts each confirmed event into its group as it evaluates it: the same groups as groupEvents", () => {
    const r = new Reevaluation([V12]);
    r.add(record({}, 5));
    r.add(record({ userIdentity: { arn: "arn:aws:iam::111111111111:user/jane" } }, 9));
    r.add(record({}, 2));
    const now = new Date("2025-03-04T00:00:00Z");
    expect(r.grouped([], now)).toEqual(groupEvents(r.confirmed, [], now));
  });

  it("counts a filter with dimensions only for events of the alarm's dimension values", () => {
    const filter = { ...V12, dimensions: { Account: "$.recipientAccountId" } };
    const r = new Reevaluation([filter], { Account: "222222222222" });
    r.add(record({}));
    expect(r.unconfirmed).toHaveLength(1);
  });

  it("names a service's own call by invokedBy when it has no ARN", () => {
    const r = new Reevaluation([V12]);
    r.add(record({ userIdentity: { type: "AWSService", invokedBy: "config.amazonaws.com" } }));
    expect(r.confirmed[0]?.facts.principal).toBe("config.amazonaws.com");
  });
});

describe("groupEvents", () => {
  const now = new Date("2025-03-04T00:00:00Z");

  it("groups by principal and call, with counts and first and last times", () => {
    const r = new Reevaluation([V12]);
    r.add(record({}, Date.parse("2025-03-04T00:00:05Z")));
    r.add(record({}, Date.parse("2025-03-04T00:00:01Z")));
    r.add(record({ userIdentity: { arn: "arn:aws:iam::111111111111:user/jane" } }, 9));
    const { groups } = groupEvents(r.confirmed, [], now);
    expect(groups).toMatchObject([
      {
        principal: "arn:aws:sts::111111111111:assumed-role/ci/run",
        count: 2,
        first: "2025-03-04T00:00:01.000Z",
        last: "2025-03-04T00:00:05.000Z",
      },
      { principal: "arn:aws:iam::111111111111:user/jane", count: 1 },
    ]);
  });

  it("orders groups of equal count and first time by their fields, in code-unit order (Z before a)", () => {
    const r = new Reevaluation([V12]);
    r.add(record({ userIdentity: { arn: "arn:aws:iam::111111111111:user/alice" } }, 7));
    r.add(record({ userIdentity: { arn: "arn:aws:iam::111111111111:user/Zed" } }, 7));
    const { groups } = groupEvents(r.confirmed, [], now);
    expect(groups.map((g) => g.principal)).toEqual([
      "arn:aws:iam::111111111111:user/Zed",
      "arn:aws:iam::111111111111:user/alice",
    ]);
  });

  it("reports the first matching exclusion of the list, and how many events each set aside", () => {
    const r = new Reevaluation([V12]);
    r.add(record({}));
    r.add(record({}));
    const exclusions = [
      { match: { eventName: "Describe*" }, reason: "a", owner: "o", expires: "2025-12-31" },
      { match: { eventName: "Assume*" }, reason: "b", owner: "o", expires: "2025-12-31" },
      { match: { errorCode: "AccessDenied" }, reason: "c", owner: "o", expires: "2025-12-31" },
    ];
    const grouped = groupEvents(r.confirmed, exclusions, now);
    expect({ excluded: grouped.excluded, by: grouped.excludedByExclusion }).toMatchObject({
      excluded: 2,
      by: [{ exclusion: { index: 1, reason: "b" }, events: 2 }],
    });
  });
});
