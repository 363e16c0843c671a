import { compileComparison, OPERATORS, type Operator, type ScalarTest, type ValueLiteral } from "./comparison.ts";
import { compileAwsRegex } from "./regex.ts";
import {
  compileMultiResolver,
  compileSingleResolver,
  isObject,
  MISSING,
  parseSelector,
  type Selector,
} from "./selector.ts";
import { parseNumber } from "./string-value.ts";
import { Cursor, isWhitespace } from "./tokenizer.ts";

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-json-log-events
export const MAX_WILDCARDS_PER_PATTERN = 3;
// Same page, regex quotas: "a limit of 2 regex for each filter pattern when creating a
// delimited or JSON filter pattern".
export const MAX_REGEX_PER_PATTERN = 2;

export type JsonCondition =
  | { readonly kind: "compare"; readonly selector: Selector; readonly op: Operator; readonly value: ValueLiteral }
  | { readonly kind: "is"; readonly selector: Selector; readonly value: null | true | false }
  | { readonly kind: "notExists"; readonly selector: Selector };

export type JsonExpression =
  | { readonly kind: "or"; readonly operands: readonly JsonExpression[] }
  | { readonly kind: "and"; readonly operands: readonly JsonExpression[] }
  | { readonly kind: "condition"; readonly condition: JsonCondition };

type Predicate = (root: Record<string, unknown>) => boolean;

/**
 * Parses `{ ... }` (the whole pattern text, `open`/`close` being the brace positions) into
 * an expression tree with AWS precedence: parentheses, then `&&`, then `||`.
 */
export function parseJsonPattern(text: string, open: number, close: number): JsonExpression {
  const cur = new Cursor(text, open + 1, close);
  const counts = { wildcards: 0, regexes: 0 };
  cur.skipWhitespace();
  if (cur.atEnd()) cur.fail("empty JSON pattern: put a condition between { and }", open);
  const expr = parseOr(cur, counts);
  cur.skipWhitespace();
  if (!cur.atEnd()) {
    if (cur.peek() === ")") cur.fail("unbalanced parentheses: this ')' has no matching '('");
    cur.fail(`unexpected '${cur.peek()}': expected && or || between conditions`);
  }
  return expr;
}

function parseOr(cur: Cursor, counts: Counts): JsonExpression {
  const operands = [parseAnd(cur, counts)];
  for (;;) {
    cur.skipWhitespace();
    if (!cur.startsWith("||")) break;
    cur.pos += 2;
    operands.push(parseAnd(cur, counts));
  }
  return operands.length === 1 ? (operands[0] as JsonExpression) : { kind: "or", operands };
}

function parseAnd(cur: Cursor, counts: Counts): JsonExpression {
  const operands = [parseUnary(cur, counts)];
  for (;;) {
    cur.skipWhitespace();
    if (!cur.startsWith("&&")) break;
    cur.pos += 2;
    operands.push(parseUnary(cur, counts));
  }
  return operands.length === 1 ? (operands[0] as JsonExpression) : { kind: "and", operands };
}

interface Counts {
  wildcards: number;
  regexes: number;
}

function parseUnary(cur: Cursor, counts: Counts): JsonExpression {
  cur.skipWhitespace();
  const c = cur.peek();
  if (c === "(") {
    const open = cur.pos;
    cur.pos++;
    cur.skipWhitespace();
    if (cur.peek() === ")") cur.fail("empty parentheses", open);
    const inner = parseOr(cur, counts);
    cur.skipWhitespace();
    if (cur.peek() !== ")") {
      if (cur.atEnd()) cur.fail("unbalanced parentheses: this '(' is never closed", open);
      cur.fail(`unexpected '${cur.peek()}': expected ')', && or ||`);
    }
    cur.pos++;
    return inner;
  }
  if (c === "") cur.fail("expected a condition after && or ||");
  if (c === ")") cur.fail("unbalanced parentheses: this ')' has no matching '(', or a condition is missing");
  if (c !== "$") {
    if (c === "&" || c === "|") cur.fail(`expected a condition before '${c}${cur.peek(1)}'`);
    cur.fail("a property selector must start with '$.'");
  }
  return { kind: "condition", condition: parseCondition(cur, counts) };
}

function parseCondition(cur: Cursor, counts: Counts): JsonCondition {
  const selector = parseSelector(cur);
  counts.wildcards += selector.wildcards;
  if (counts.wildcards > MAX_WILDCARDS_PER_PATTERN) {
    cur.fail(`a filter pattern may use at most ${MAX_WILDCARDS_PER_PATTERN} wildcard selectors`, selector.position);
  }
  cur.skipWhitespace();
  const kwPos = cur.pos;
  const word = readWord(cur);
  if (word === "IS") {
    cur.skipWhitespace();
    const argPos = cur.pos;
    const arg = readWord(cur);
    if (arg === "NULL") return { kind: "is", selector, value: null };
    if (arg === "TRUE") return { kind: "is", selector, value: true };
    if (arg === "FALSE") return { kind: "is", selector, value: false };
    if (arg === "NOT") cur.fail("IS NOT is not supported by CloudWatch Logs (use != or NOT EXISTS)", kwPos);
    cur.fail("IS must be followed by NULL, TRUE or FALSE", argPos);
  }
  if (word === "NOT") {
    cur.skipWhitespace();
    if (readWord(cur) === "EXISTS") return { kind: "notExists", selector };
    cur.fail("NOT must be followed by EXISTS", kwPos);
  }
  if (word === "EXISTS") cur.fail("EXISTS is not supported by CloudWatch Logs (only NOT EXISTS is)", kwPos);
  if (word !== "") cur.fail(`unknown operator '${word}' (expected =, !=, <, <=, >, >=, IS or NOT EXISTS)`, kwPos);

  const op = cur.readWhile((ch) => "=!<>~".includes(ch));
  if (op === "") {
    cur.fail(
      cur.atEnd()
        ? "expected an operator after the selector"
        : `unknown operator '${cur.peek()}' (expected =, !=, <, <=, >, >=, IS or NOT EXISTS)`,
    );
  }
  if (!OPERATORS.has(op)) cur.fail(`unknown operator '${op}' (expected =, !=, <, <=, >, >=, IS or NOT EXISTS)`, kwPos);
  cur.skipWhitespace();
  const value = parseValue(cur, counts);
  if (op !== "=" && op !== "!=" && value.kind !== "number") {
    cur.fail(
      `operator ${op} compares numbers; '${value.kind === "regex" ? `%${value.source}%` : value.text}' is not a number`,
      kwPos,
    );
  }
  return { kind: "compare", selector, op: op as Operator, value };
}

function readWord(cur: Cursor): string {
  return cur.readWhile((ch) => (ch >= "A" && ch <= "Z") || (ch >= "a" && ch <= "z"));
}

// Bare (unquoted) values. The page says anything beyond letters, digits and '_' must be
// quoted, yet its own example `{ $.sourceIPAddress != 123.123.* }` is bare; numbers need
// '+', '-', '.' too. So: those, plus '*' for wildcards.
const BARE_CHAR = /^[A-Za-z0-9_.*+-]$/;

function parseValue(cur: Cursor, counts: Counts): ValueLiteral {
  const start = cur.pos;
  const c = cur.peek();
  if (c === '"') return { kind: "string", text: cur.readDoubleQuoted(), quoted: true };
  if (c === "'") cur.fail("single-quoted values are not supported: use double quotes");
  if (c === "%") {
    const { source, start: rs } = cur.readPercentRegex();
    counts.regexes++;
    if (counts.regexes > MAX_REGEX_PER_PATTERN)
      cur.fail(`a filter pattern may contain at most ${MAX_REGEX_PER_PATTERN} regexes`, start);
    return { kind: "regex", source, regex: compileAwsRegex(source, rs) };
  }
  const bare = cur.readWhile((ch) => !isWhitespace(ch.charCodeAt(0)) && !"()&|".includes(ch));
  if (bare === "") cur.fail("expected a value after the operator", start);
  for (let i = 0; i < bare.length; i++) {
    if (!BARE_CHAR.test(bare.charAt(i))) {
      cur.fail(`character '${bare.charAt(i)}' must be inside a double-quoted value`, start + i);
    }
  }
  const n = parseNumber(bare);
  return n === undefined ? { kind: "string", text: bare, quoted: false } : { kind: "number", text: bare, value: n };
}

/** Compiles the expression to a closure over the parsed event (a JSON object). */
export function compileJsonExpression(expr: JsonExpression): Predicate {
  if (expr.kind === "condition") return compileCondition(expr.condition);
  const parts = expr.operands.map(compileJsonExpression);
  if (expr.kind === "and") {
    if (parts.length === 2) {
      const [a, b] = parts as [Predicate, Predicate];
      return (r) => a(r) && b(r);
    }
    return (r) => parts.every((p) => p(r));
  }
  if (parts.length === 2) {
    const [a, b] = parts as [Predicate, Predicate];
    return (r) => a(r) || b(r);
  }
  return (r) => parts.some((p) => p(r));
}

function compileCondition(cond: JsonCondition): Predicate {
  const test = valueTest(cond);
  if (cond.selector.wildcards === 0) {
    const get = compileSingleResolver(cond.selector.steps);
    return (r) => test(get(r));
  }
  const getAll = compileMultiResolver(cond.selector.steps);
  if (cond.kind === "notExists") return (r) => getAll(r).length === 0;
  return (r) => getAll(r).some(test);
}

function valueTest(cond: JsonCondition): (v: unknown) => boolean {
  switch (cond.kind) {
    case "notExists":
      return (v) => v === MISSING;
    case "is":
      return (v) => v === cond.value;
    case "compare": {
      const scalar: ScalarTest = compileComparison(cond.op, cond.value);
      // Only strings and numbers are "value nodes": a missing field, an object, an array,
      // null or a boolean makes every comparison false, != included.
      return (v) => (typeof v === "string" || typeof v === "number") && scalar(v);
    }
  }
}

/** Parses `message` and tests it; anything but a JSON object never matches. */
export function compileJsonMatcher(predicate: Predicate): (message: string) => boolean {
  return (message) => {
    let i = 0;
    while (i < message.length && isWhitespace(message.charCodeAt(i))) i++;
    if (message.charCodeAt(i) !== 123 /* { */) return false;
    let root: unknown;
    try {
      root = JSON.parse(message);
    } catch {
      return false;
    }
    return isObject(root) && predicate(root);
  };
}
