import { describe, expect, it } from "vitest";
import {
  CIS_PATTERNS,
  type FilterPattern,
  FilterPatternSyntaxError,
  matchesEvent,
  parseFilterPattern,
} from "../../../shared/core/filter-pattern/index.ts";

// Semantics beyond the worked examples. Page:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-json-log-events
// ("If a property selector points to an array or object, the filter pattern won't match").
// The `!=`-on-a-missing-field rule is observed AWS behaviour (docs/filter-patterns.md).

/** Asserts the pattern's outcome on each message, keyed by message so a failure names it. */
const expectOutcomes = (pattern: FilterPattern, expected: Record<string, boolean>) =>
  expect(Object.fromEntries(Object.keys(expected).map((m) => [m, matchesEvent(pattern, m)]))).toEqual(expected);

describe("matchesEvent on JSON patterns", () => {
  it("does not match != when the field is missing", () => {
    expect(matchesEvent('{ $.sourceIPAddress != "delivery.logs.amazonaws.com" }', '{"eventName":"HeadBucket"}')).toBe(
      false,
    );
  });

  it("does not match != when the field is an object", () => {
    expect(matchesEvent('{ $.userIdentity != "x" }', '{"userIdentity":{"type":"Root"}}')).toBe(false);
  });

  it("does not match = or != when the field is null or a boolean", () => {
    const patterns = ['{ $.a = "null" }', '{ $.a != "x" }', '{ $.b = "true" }', '{ $.b != "x" }'];
    const verdicts = Object.fromEntries(patterns.map((p) => [p, matchesEvent(p, '{"a":null,"b":true}')]));
    expect(verdicts).toEqual(Object.fromEntries(patterns.map((p) => [p, false])));
  });

  it.each([
    ["plain text", "AccessDenied by policy"],
    ["a JSON array", '[{"errorCode":"AccessDenied"}]'],
    ["a JSON string", '"AccessDenied"'],
    ["truncated JSON", '{"errorCode":"AccessDenied"'],
  ])("never matches %s", (_kind, message) => {
    expect(matchesEvent(CIS_PATTERNS.v12, message)).toBe(false);
  });

  it("matches a JSON object that has leading whitespace", () => {
    expect(matchesEvent(CIS_PATTERNS.v12, '  \n{"errorCode":"AccessDenied"}')).toBe(true);
  });

  it("compares case-sensitively", () => {
    expect(matchesEvent(CIS_PATTERNS.v12, '{"errorCode":"accessdenied"}')).toBe(false);
  });

  it("matches any string or number with a bare *, but not a missing field or null", () => {
    const p = parseFilterPattern("{ $.errorCode = * }");
    expectOutcomes(p, { '{"errorCode":"X"}': true, '{"errorCode":5}': true, "{}": false, '{"errorCode":null}': false });
  });

  it("compares a bare number with a number written differently or a numeric string", () => {
    const p = parseFilterPattern("{ $.status = 400 }");
    expectOutcomes(p, { '{"status":4e2}': true, '{"status":"400"}': true, '{"status":"400 Bad Request"}': false });
  });

  it("matches a [*] selector when any element satisfies the comparison", () => {
    expect(matchesEvent('{ $.tags[*] = "prod" }', '{"tags":["dev","prod"]}')).toBe(true);
  });

  it("matches NOT EXISTS through a wildcard only when it reaches nothing", () => {
    const p = parseFilterPattern("{ $.items[*].id NOT EXISTS }");
    expectOutcomes(p, { '{"items":[]}': true, '{"items":[{"id":1}]}': false });
  });

  it("does not resolve selectors through the object prototype", () => {
    const p = parseFilterPattern("{ $.constructor NOT EXISTS && $.toString NOT EXISTS }");
    expect(matchesEvent(p, "{}")).toBe(true);
  });

  it("binds && tighter than || (the CIS v5 text)", () => {
    const deliveryProbe = JSON.stringify({
      errorCode: "AccessDenied",
      sourceIPAddress: "delivery.logs.amazonaws.com",
      eventName: "HeadBucket",
    });
    const ec2Denied = JSON.stringify({
      errorCode: "Client.UnauthorizedOperation",
      sourceIPAddress: "delivery.logs.amazonaws.com",
      eventName: "HeadBucket",
    });
    expect(matchesEvent(CIS_PATTERNS.v5, deliveryProbe)).toBe(false);
    expect(matchesEvent(CIS_PATTERNS.v5, ec2Denied)).toBe(true);
  });

  it("matches almost anything with the v1.4 CLI text, because of its || before the != clauses", () => {
    expect(
      matchesEvent(CIS_PATTERNS.v14CliText, '{"eventName":"GetCallerIdentity","sourceIPAddress":"198.51.100.7"}'),
    ).toBe(true);
  });
});

describe("matchesEvent in general", () => {
  it("gives the same answer for pattern text and a parsed pattern", () => {
    const message = '{"errorCode":"Client.UnauthorizedOperation"}';
    expect(matchesEvent(CIS_PATTERNS.v12, message)).toBe(true);
    expect(matchesEvent(parseFilterPattern(CIS_PATTERNS.v12), message)).toBe(true);
  });

  it("throws FilterPatternSyntaxError for pattern text CloudWatch Logs would reject", () => {
    expect(() => matchesEvent("{ $.a EXISTS }", "{}")).toThrow(FilterPatternSyntaxError);
  });

  it("matches term patterns against the raw text of a JSON event", () => {
    expect(matchesEvent("AccessDenied", '{"requestParameters":{"alarmName":"AccessDeniedCount"}}')).toBe(true);
  });

  it("treats bracketed and quoted text as one space-delimited field", () => {
    expect(matchesEvent('[a, b="y z", c="w v"]', 'x "y z" [w v]')).toBe(true);
  });

  it("lets a space-delimited condition refer to another field", () => {
    expect(matchesEvent("[a, b = 1 && a = x]", "x 1")).toBe(true);
  });

  // TestMetricFilter's third example matches `[]` on seven-field lines; the engine reads it
  // as no field list, so the number of fields is free (conformance.test.ts has the example).
  it("matches a line of any number of fields with [], which names no field", () => {
    const twelve = "a b c d e f g h i j k l";
    expectOutcomes(parseFilterPattern("[]"), { one: true, [twelve]: true });
    expectOutcomes(parseFilterPattern("[ ]"), { one: true, [twelve]: true });
  });

  it("still needs one field per slot when a field is named", () => {
    expectOutcomes(parseFilterPattern("[a]"), { one: true, "one two": false });
  });
});
