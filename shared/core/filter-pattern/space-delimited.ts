import { compileComparison, OPERATORS, type Operator, type ScalarTest, type ValueLiteral } from "./comparison.ts";
import { MAX_REGEX_PER_PATTERN } from "./json-pattern.ts";
import { compileAwsRegex } from "./regex.ts";
import { parseNumber } from "./string-value.ts";
import { Cursor, isWhitespace } from "./tokenizer.ts";

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-term-space-delimited-log-events

export interface Clause {
  readonly name: string;
  readonly op: Operator;
  readonly value: ValueLiteral;
}

/** Conditions of one field: clauses joined by `&&` (inner) and `||` (outer). */
export type FieldCondition = readonly (readonly Clause[])[];

export type DelimitedField =
  | { readonly kind: "ellipsis" }
  | { readonly kind: "field"; readonly name: string | undefined; readonly condition: FieldCondition | undefined };

const NAME_CHAR = /^[A-Za-z0-9_-]$/;

/** Parses `[f1, f2=v, ..., f3 > 10 && f3 < 20]`; `open`/`close` are the bracket positions. */
export function parseSpaceDelimited(text: string, open: number, close: number): DelimitedField[] {
  const cur = new Cursor(text, open + 1, close);
  // `[]` is no field list, not a list of one empty field: TestMetricFilter's third example
  // runs it over seven-field lines and matches every one, split into $1 to $7. It fixes no
  // field count, as `[...]` does not.
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TestMetricFilter.html
  cur.skipWhitespace();
  if (cur.atEnd()) return [{ kind: "ellipsis" }];
  const fields: DelimitedField[] = [];
  const referenced: { name: string; position: number }[] = [];
  let regexes = 0;
  for (;;) {
    cur.skipWhitespace();
    if (cur.startsWith("...")) {
      cur.pos += 3;
      fields.push({ kind: "ellipsis" });
    } else if (cur.peek() === "," || cur.atEnd()) {
      // An empty slot (e.g. the trailing comma in `[..., status_code=4*,]`) is an unnamed field.
      fields.push({ kind: "field", name: undefined, condition: undefined });
    } else {
      let namePos = cur.pos;
      const name = readName(cur);
      cur.skipWhitespace();
      let condition: FieldCondition | undefined;
      if (cur.peek() !== "," && !cur.atEnd()) {
        const alternatives: Clause[][] = [];
        let conj: Clause[] = [];
        let clauseName = name;
        for (;;) {
          const clausePos = namePos;
          const clause = readClause(cur, clauseName, () => {
            regexes++;
            if (regexes > MAX_REGEX_PER_PATTERN)
              cur.fail(`a filter pattern may contain at most ${MAX_REGEX_PER_PATTERN} regexes`);
          });
          referenced.push({ name: clause.name, position: clausePos });
          conj.push(clause);
          cur.skipWhitespace();
          if (cur.startsWith("&&") || cur.startsWith("||")) {
            if (cur.startsWith("||")) {
              alternatives.push(conj);
              conj = [];
            }
            cur.pos += 2;
            cur.skipWhitespace();
            namePos = cur.pos;
            clauseName = readName(cur);
            cur.skipWhitespace();
            continue;
          }
          break;
        }
        alternatives.push(conj);
        condition = alternatives;
      }
      fields.push({ kind: "field", name, condition });
    }
    cur.skipWhitespace();
    if (cur.atEnd()) break;
    if (cur.peek() !== ",") cur.fail(`unexpected '${cur.peek()}': expected ',' between fields`);
    cur.pos++;
  }
  const names = new Set(fields.flatMap((f) => (f.kind === "field" && f.name !== undefined ? [f.name] : [])));
  for (const r of referenced) {
    if (!names.has(r.name))
      cur.fail(`condition refers to '${r.name}', which is not a field of this pattern`, r.position);
  }
  return fields;
}

function readName(cur: Cursor): string {
  const start = cur.pos;
  const name = cur.readWhile((c) => NAME_CHAR.test(c));
  if (name === "")
    cur.fail(cur.atEnd() ? "expected a field name" : `unexpected '${cur.peek()}': expected a field name`, start);
  return name;
}

function readClause(cur: Cursor, name: string, onRegex: () => void): Clause {
  const opPos = cur.pos;
  const op = cur.readWhile((c) => "=!<>~".includes(c));
  if (op === "") cur.fail(`expected an operator after '${name}'`, opPos);
  if (!OPERATORS.has(op)) cur.fail(`unknown operator '${op}' (expected =, !=, <, <=, >, >=)`, opPos);
  cur.skipWhitespace();
  const start = cur.pos;
  let value: ValueLiteral;
  if (cur.peek() === '"') {
    value = { kind: "string", text: cur.readDoubleQuoted(), quoted: true };
  } else if (cur.peek() === "'") {
    return cur.fail("single-quoted values are not supported: use double quotes");
  } else if (cur.peek() === "%") {
    onRegex();
    const { source, start: rs } = cur.readPercentRegex();
    value = { kind: "regex", source, regex: compileAwsRegex(source, rs) };
  } else {
    const bare = cur.readWhile((c) => !isWhitespace(c.charCodeAt(0)) && !',&|"'.includes(c));
    if (bare === "") cur.fail("expected a value after the operator", start);
    const n = parseNumber(bare);
    value = n === undefined ? { kind: "string", text: bare, quoted: false } : { kind: "number", text: bare, value: n };
  }
  if (op !== "=" && op !== "!=" && value.kind !== "number") cur.fail(`operator ${op} compares numbers`, opPos);
  return { name, op: op as Operator, value };
}

/**
 * Splits a log line into fields: runs of non-space characters, where text between `[` and
 * `]` or between double quotes is one field (without its brackets or quotes).
 */
export function splitDelimited(message: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = message.length;
  while (i < n) {
    while (i < n && isWhitespace(message.charCodeAt(i))) i++;
    if (i >= n) break;
    const c = message.charAt(i);
    if (c === '"' || c === "[") {
      const closer = c === '"' ? '"' : "]";
      const end = message.indexOf(closer, i + 1);
      const stop = end < 0 ? n : end;
      out.push(message.slice(i + 1, stop));
      i = stop + 1;
      continue;
    }
    const start = i;
    while (i < n && !isWhitespace(message.charCodeAt(i))) i++;
    out.push(message.slice(start, i));
  }
  return out;
}

/** Compiles the fields to a matcher over raw log lines. */
export function compileDelimitedMatcher(fields: readonly DelimitedField[]): (message: string) => boolean {
  const tests = fields.map((f) =>
    f.kind === "field" && f.condition !== undefined
      ? f.condition.map((conj) =>
          conj.map((c) => ({ name: c.name, test: compileComparison(c.op, c.value) as ScalarTest })),
        )
      : undefined,
  );
  const satisfied = (assigned: Map<string, string>): boolean =>
    tests.every(
      (alts) =>
        alts === undefined ||
        alts.some((conj) =>
          conj.every(({ name, test }) => {
            const v = assigned.get(name);
            return v !== undefined && test(v);
          }),
        ),
    );
  return (message) => {
    const tokens = splitDelimited(message);
    const values: (string | undefined)[] = new Array(fields.length);
    // Ellipses make the alignment ambiguous: try each and accept the first that satisfies
    // every condition.
    const align = (fi: number, ti: number): boolean => {
      if (fi === fields.length) {
        if (ti !== tokens.length) return false;
        const assigned = new Map<string, string>();
        fields.forEach((f, k) => {
          const v = values[k];
          if (f.kind === "field" && f.name !== undefined && v !== undefined) assigned.set(f.name, v);
        });
        return satisfied(assigned);
      }
      const f = fields[fi] as DelimitedField;
      if (f.kind === "ellipsis") {
        for (let skip = 0; ti + skip <= tokens.length; skip++) if (align(fi + 1, ti + skip)) return true;
        return false;
      }
      if (ti >= tokens.length) return false;
      values[fi] = tokens[ti];
      return align(fi + 1, ti + 1);
    };
    return align(0, 0);
  };
}
