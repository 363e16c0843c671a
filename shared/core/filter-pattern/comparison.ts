import { compileWildcardString, parseNumber } from "./string-value.ts";

export type Operator = "=" | "!=" | "<" | "<=" | ">" | ">=";

export const OPERATORS: ReadonlySet<string> = new Set(["=", "!=", "<", "<=", ">", ">="]);

/** The right-hand side of a comparison, as written in the pattern. */
export type ValueLiteral =
  | { readonly kind: "string"; readonly text: string; readonly quoted: boolean }
  | { readonly kind: "number"; readonly text: string; readonly value: number }
  | { readonly kind: "regex"; readonly source: string; readonly regex: RegExp };

/** A test on one scalar (a JSON string or number, or a space-delimited field). */
export type ScalarTest = (value: string | number) => boolean;

/**
 * Compiles `value op literal` into a closure. Relational operators only take numbers (the
 * parser rejects anything else before calling this).
 */
export function compileComparison(op: Operator, literal: ValueLiteral): ScalarTest {
  if (literal.kind === "regex") {
    const re = literal.regex;
    const test: ScalarTest = (v) => re.test(typeof v === "string" ? v : String(v));
    return op === "!=" ? (v) => !test(v) : test;
  }
  if (literal.kind === "string") {
    const match = compileWildcardString(literal.text);
    const test: ScalarTest = (v) => match(typeof v === "string" ? v : String(v));
    return op === "!=" ? (v) => !test(v) : test;
  }
  const n = literal.value;
  const text = literal.text;
  const numeric = (v: string | number): number | undefined => (typeof v === "number" ? v : parseNumber(v));
  // A field that is not a number can still equal the literal character for character.
  const equal: ScalarTest = (v) => {
    const x = numeric(v);
    return x === undefined ? v === text : x === n;
  };
  switch (op) {
    case "=":
      return equal;
    case "!=":
      return (v) => !equal(v);
    case "<":
      return (v) => {
        const x = numeric(v);
        return x !== undefined && x < n;
      };
    case "<=":
      return (v) => {
        const x = numeric(v);
        return x !== undefined && x <= n;
      };
    case ">":
      return (v) => {
        const x = numeric(v);
        return x !== undefined && x > n;
      };
    case ">=":
      return (v) => {
        const x = numeric(v);
        return x !== undefined && x >= n;
      };
  }
}
