import { describe, expect, it } from "vitest";
import {
  CIS_PATTERNS,
  FilterPatternSyntaxError,
  parseFilterPattern,
} from "../../../shared/core/filter-pattern/index.ts";

// Rules from https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
// unless a case says otherwise; length limit from
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TestMetricFilter.html

function syntaxError(pattern: string): FilterPatternSyntaxError {
  try {
    parseFilterPattern(pattern);
  } catch (e) {
    if (e instanceof FilterPatternSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected ${pattern} to be rejected`);
}

describe("parseFilterPattern", () => {
  it.each([
    ["", "match-all"],
    ["   ", "match-all"],
    ["ERROR -Exiting", "terms"],
    ["%AUTHORIZED%", "regex"],
    ['{ $.eventType = "UpdateTrail" }', "json"],
    ["[ip, user, ...]", "space-delimited"],
  ])("reads %j as a %s pattern", (text, kind) => {
    expect(parseFilterPattern(text).kind).toBe(kind);
  });

  it.each(Object.entries(CIS_PATTERNS))("parses the published CIS pattern %s", (_name, text) => {
    expect(parseFilterPattern(text).kind).toBe("json");
  });

  it("accepts a pattern of exactly 1024 characters", () => {
    const text = `{ $.errorCode = "${"x".repeat(1024 - 20)}" }`;
    expect(text).toHaveLength(1024);
    expect(parseFilterPattern(text).kind).toBe("json");
  });

  it("rejects a pattern over 1024 characters at position 1024", () => {
    const error = syntaxError(`{ $.errorCode = "${"x".repeat(1024 - 19)}" }`);
    expect(error.position).toBe(1024);
  });

  it.each<[string, number, string]>([
    ["{ $.a IS NOT NULL }", 6, "IS NOT"],
    ["{ $.a EXISTS }", 6, "EXISTS is not supported"],
    ["{ $.a = 'x' }", 8, "single-quoted"],
    ["{ ($.a = 1 }", 2, "never closed"],
    ["{ (($.a = 1) || $.b = 2 }", 2, "never closed"],
    ["{ $.a = 1) }", 9, "no matching '('"],
    ["{ errorCode = 1 }", 2, "'$.'"],
    ["{ $errorCode = 1 }", 2, "'$.'"],
    ["{ $.a == 1 }", 6, "unknown operator '=='"],
    ['{ $.a =~ "x" }', 6, "unknown operator '=~'"],
    ['{ $.a LIKE "x" }', 6, "unknown operator 'LIKE'"],
    ["{ $.a IS MISSING }", 9, "NULL, TRUE or FALSE"],
    ['{ $.a > "10" }', 6, "compares numbers"],
    ["{ $.a = }", 8, "expected a value"],
    ["{ }", 0, "empty JSON pattern"],
    ["{ $.a = 1", 8, "must end with '}'"],
    ['{ $.["a.b"] = 1 }', 5, "single quotes"],
    ['{ $.a = "x }', 8, "unterminated"],
    ["{ $.a = 1 $.b = 2 }", 10, "expected && or ||"],
    ["{ $.a = user@example.com }", 12, "'@' must be inside a double-quoted value"],
    ["{ $.a = %a(b)% }", 10, "parentheses"],
    ["%something!%", 10, "'!'"],
    ["{ $.a = %café% }", 12, "'é'"],
    ["{ $.a = %% }", 9, "empty regex"],
    ["{ $.a = %abc }", 8, "unterminated regex"],
    ["{ $.*.b.* = 1 }", 2, "at most 1 wildcard"],
    ["{ $.a[*] = 1 && $.b[*] = 2 && $.c[*] = 3 && $.d[*] = 4 }", 44, "at most 3 wildcard selectors"],
    ["{ $.a = %a% && $.b = %b% && $.c = %c% }", 34, "at most 2 regexes"],
    ["ERROR %abc%", 6, "whole pattern"],
    ["ERROR -", 6, "followed by a term"],
    ["[a, b", 4, "must end with ']'"],
    ["[a, b = 'x']", 8, "single-quoted"],
    ["[a, b > x]", 6, "compares numbers"],
    ["[a=1 && zz=2, b]", 8, "'zz'"],
    ["[a b, c]", 3, "expected an operator after 'a'"],
  ])("rejects %j at position %i (%s)", (pattern, position, fragment) => {
    const error = syntaxError(pattern);
    expect({ position: error.position, hasFragment: error.message.includes(fragment) }).toEqual({
      position,
      hasFragment: true,
    });
  });

  it("names the error class and puts the position in the one-line message", () => {
    const error = syntaxError("{ $.a EXISTS }");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("FilterPatternSyntaxError");
    expect(error.message).toBe("EXISTS is not supported by CloudWatch Logs (only NOT EXISTS is) (at position 6)");
  });

  it("allows three wildcard selectors across a compound pattern", () => {
    expect(parseFilterPattern("{ $.a[*] = 1 && $.b[*] = 2 || $.* = 3 }").kind).toBe("json");
  });

  it("allows two regexes in one JSON pattern", () => {
    expect(parseFilterPattern("{ $.a = %x% || $.b != %y% }").kind).toBe("json");
  });

  // One rendering of the page lists ':' among the regex symbols, another omits it; we accept
  // it, since judging a filter AWS already stored must not call it invalid.
  it("accepts ':' inside a regex", () => {
    expect(parseFilterPattern("%12:00:0[0-9]%").kind).toBe("regex");
  });

  // The page asks for quotes around anything but letters, digits and '_', yet its own
  // example `{ $.sourceIPAddress != 123.123.* }` is bare: dots, signs and '*' are accepted.
  it("accepts a bare value with dots and a trailing wildcard", () => {
    expect(parseFilterPattern("{ $.sourceIPAddress != 123.123.* }").kind).toBe("json");
  });

  it("accepts whitespace anywhere between tokens, or none", () => {
    const tight = '{($.errorCode="*UnauthorizedOperation")||($.errorCode="AccessDenied*")}';
    const loose =
      '  {\n  ( $.errorCode   =   "*UnauthorizedOperation" )\n  ||\n  ( $.errorCode = "AccessDenied*" )\n}  ';
    expect(parseFilterPattern(tight).kind).toBe("json");
    expect(parseFilterPattern(loose).kind).toBe("json");
  });
});
