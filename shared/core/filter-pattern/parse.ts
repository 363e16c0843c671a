import { FilterPatternSyntaxError } from "./errors.ts";
import { compileJsonExpression, compileJsonMatcher, type JsonExpression, parseJsonPattern } from "./json-pattern.ts";
import { compileAwsRegex } from "./regex.ts";
import { compileDelimitedMatcher, type DelimitedField, parseSpaceDelimited } from "./space-delimited.ts";
import { compileTermMatcher, parseTermPattern, type Term } from "./term-pattern.ts";
import { isWhitespace } from "./tokenizer.ts";

// MetricFilter.filterPattern: "Length Constraints: Minimum length of 0. Maximum length of 1024."
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricFilter.html
export const MAX_PATTERN_LENGTH = 1024;

export type PatternKind = "match-all" | "terms" | "regex" | "json" | "space-delimited";

/**
 * A parsed and compiled filter pattern. Treat it as opaque: `kind` and `text` are for
 * reports; the syntax tree fields are there for debugging and may change.
 */
export interface FilterPattern {
  readonly kind: PatternKind;
  readonly text: string;
  /** The compiled matcher over one raw log event message. */
  readonly test: (message: string) => boolean;
  /**
   * JSON patterns only: the same matcher over an event already parsed (a JSON object), for
   * callers that parse each event once and read other fields of it too.
   */
  readonly testDocument?: (document: Record<string, unknown>) => boolean;
  readonly json?: JsonExpression;
  readonly terms?: readonly Term[];
  readonly fields?: readonly DelimitedField[];
}

/**
 * Parses any CloudWatch Logs filter pattern (JSON, terms, standalone regex,
 * space-delimited, empty) and compiles it once, so matching is a closure call.
 *
 * @throws FilterPatternSyntaxError where CloudWatch Logs would reject the pattern.
 */
export function parseFilterPattern(text: string): FilterPattern {
  if (text.length > MAX_PATTERN_LENGTH) {
    throw new FilterPatternSyntaxError(
      `filter pattern is ${text.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`,
      MAX_PATTERN_LENGTH,
    );
  }
  let first = 0;
  while (first < text.length && isWhitespace(text.charCodeAt(first))) first++;
  let last = text.length - 1;
  while (last >= first && isWhitespace(text.charCodeAt(last))) last--;
  if (first > last) return Object.freeze({ kind: "match-all", text, test: () => true });

  const opener = text.charAt(first);
  const closer = text.charAt(last);
  if (opener === "{") {
    if (closer !== "}") throw new FilterPatternSyntaxError("a JSON pattern must end with '}'", last);
    const json = parseJsonPattern(text, first, last);
    const testDocument = compileJsonExpression(json);
    return Object.freeze({ kind: "json", text, json, test: compileJsonMatcher(testDocument), testDocument });
  }
  if (opener === "[") {
    if (closer !== "]") throw new FilterPatternSyntaxError("a space-delimited pattern must end with ']'", last);
    const fields = parseSpaceDelimited(text, first, last);
    return Object.freeze({ kind: "space-delimited", text, fields, test: compileDelimitedMatcher(fields) });
  }
  if (opener === "%" && closer === "%" && last > first) {
    const re = compileAwsRegex(text.slice(first + 1, last), first + 1);
    return Object.freeze({ kind: "regex", text, test: (m: string) => re.test(m) });
  }
  const terms = parseTermPattern(text);
  return Object.freeze({ kind: "terms", text, terms, test: compileTermMatcher(terms) });
}
