import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BENIGN_RECORDS,
  CIS_PATTERNS,
  parseFilterPattern,
  patternImplies,
  UNAUTHORIZED_RECORDS,
  widestPatterns,
} from "../../../shared/core/filter-pattern/index.ts";

const p = parseFilterPattern;

describe("patternImplies", () => {
  it("shows that the grouped CIS v1.4 pattern matches only what the v1.2 one matches", () => {
    expect(patternImplies(p(CIS_PATTERNS.v14Grouped), p(CIS_PATTERNS.v12))).toBe(true);
  });

  it("does not claim the reverse: v1.2 matches HeadBucket denials that v1.4 leaves out", () => {
    expect(patternImplies(p(CIS_PATTERNS.v12), p(CIS_PATTERNS.v14Grouped))).toBe(false);
  });

  it("sees through the CIS v5 precedence: its AccessDenied branch is narrower than v1.2's", () => {
    expect(patternImplies(p(CIS_PATTERNS.v5), p(CIS_PATTERNS.v12))).toBe(true);
  });

  it("ignores spacing and quoting differences between two spellings of one condition", () => {
    expect(patternImplies(p('{ $.errorCode = "AccessDenied*" }'), p("{($.errorCode=AccessDenied*)}"))).toBe(true);
  });

  it("takes every pattern to be included in the empty pattern, which matches everything", () => {
    expect(patternImplies(p('{ $.errorCode = "x" }'), p(""))).toBe(true);
  });

  it("proves nothing between patterns of different kinds", () => {
    expect(patternImplies(p("AccessDenied"), p('{ $.errorCode = "AccessDenied*" }'))).toBe(false);
  });

  it("never claims an inclusion the corpus contradicts (random patterns over five conditions)", () => {
    const atoms = [
      '($.errorCode = "*UnauthorizedOperation")',
      '($.errorCode = "AccessDenied*")',
      '($.sourceIPAddress != "delivery.logs.amazonaws.com")',
      '($.eventName != "HeadBucket")',
      "($.readOnly IS TRUE)",
    ];
    const expression: fc.Arbitrary<string> = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.constantFrom(...atoms),
        fc.tuple(tie("node"), tie("node")).map(([a, b]) => `(${a} && ${b})`),
        fc.tuple(tie("node"), tie("node")).map(([a, b]) => `(${a} || ${b})`),
      ),
    })).node as fc.Arbitrary<string>;
    const records = [...UNAUTHORIZED_RECORDS, ...BENIGN_RECORDS].map((r) => r.message);
    fc.assert(
      fc.property(expression, expression, (a, b) => {
        const narrow = p(`{ ${a} }`);
        const wide = p(`{ ${b} }`);
        if (!patternImplies(narrow, wide)) return true;
        return records.every((m) => !narrow.test(m) || wide.test(m));
      }),
      { numRuns: 300 },
    );
  });
});

describe("widestPatterns", () => {
  it("queries tripwire's two filters with the v1.2 pattern alone, standing for both", () => {
    const kept = widestPatterns([p(CIS_PATTERNS.v14Grouped), p(CIS_PATTERNS.v12)]);
    expect(kept.map((k) => ({ text: k.pattern.text, covers: k.covers }))).toEqual([
      { text: CIS_PATTERNS.v12, covers: [0, 1] },
    ]);
  });

  it("keeps the first of two equal patterns", () => {
    const kept = widestPatterns([p(CIS_PATTERNS.v12), p(CIS_PATTERNS.v12)]);
    expect(kept.map((k) => k.covers)).toEqual([[0, 1]]);
  });

  it("keeps patterns neither of which includes the other", () => {
    const kept = widestPatterns([p('{ $.errorCode = "AccessDenied*" }'), p('{ $.errorCode = "*Unauthorized*" }')]);
    expect(kept).toHaveLength(2);
  });
});
