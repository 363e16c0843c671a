/**
 * Whether every event one filter pattern matches is also matched by another, decided from the
 * patterns' structure alone: sound (a `true` is a proof) and incomplete (a `false` means "not
 * shown", not "no"). It lets a caller that needs the events of several filters ask CloudWatch
 * Logs once for the widest pattern instead of once per filter: tripwire's CIS v1.4 pattern is
 * `(v1.2) && (...)`, so the v1.2 query returns every event of both.
 *
 * Rules, each valid in Boolean logic (x ⇒ y):
 *  - x and y are the same expression (same selectors, operators and values);
 *  - x = x1 || … || xn: every xi ⇒ y;
 *  - y = y1 && … && yn: x ⇒ every yj;
 *  - x = x1 && … && xn: some xi ⇒ y;
 *  - y = y1 || … || yn: x ⇒ some yj.
 * An empty pattern (match everything) is implied by every pattern.
 */
import type { JsonCondition, JsonExpression } from "./json-pattern.ts";
import type { FilterPattern } from "./parse.ts";

/** True when every event `narrow` matches is provably matched by `wide` too. */
export function patternImplies(narrow: FilterPattern, wide: FilterPattern): boolean {
  if (wide.kind === "match-all" || narrow.text === wide.text) return true;
  if (narrow.json && wide.json) return expressionImplies(narrow.json, wide.json);
  return false;
}

function expressionImplies(x: JsonExpression, y: JsonExpression): boolean {
  if (sameExpression(x, y)) return true;
  if (x.kind === "or") return x.operands.every((xi) => expressionImplies(xi, y));
  if (y.kind === "and") return y.operands.every((yj) => expressionImplies(x, yj));
  if (x.kind === "and" && x.operands.some((xi) => expressionImplies(xi, y))) return true;
  if (y.kind === "or" && y.operands.some((yj) => expressionImplies(x, yj))) return true;
  return false;
}

function sameExpression(a: JsonExpression, b: JsonExpression): boolean {
  if (a.kind === "condition" || b.kind === "condition") {
    return a.kind === "condition" && b.kind === "condition" && conditionKey(a.condition) === conditionKey(b.condition);
  }
  return (
    a.kind === b.kind &&
    a.operands.length === b.operands.length &&
    a.operands.every((operand, i) => sameExpression(operand, b.operands[i] as JsonExpression))
  );
}

/** What a condition tests, without where it was written (positions, quoting). */
function conditionKey(c: JsonCondition): string {
  const selector = JSON.stringify(c.selector.steps);
  switch (c.kind) {
    case "notExists":
      return `${selector} NOT EXISTS`;
    case "is":
      return `${selector} IS ${String(c.value)}`;
    case "compare": {
      const v = c.value;
      const value = v.kind === "regex" ? `%${v.source}%` : v.kind === "number" ? `#${v.value}` : JSON.stringify(v.text);
      return `${selector} ${c.op} ${value}`;
    }
  }
}

/**
 * The fewest patterns whose matches include every match of all `patterns`: a pattern another
 * one provably includes is dropped (of two equivalent ones, the first stays). Returns, for each
 * kept pattern, the indexes of the patterns it stands for.
 */
export function widestPatterns(patterns: readonly FilterPattern[]): { pattern: FilterPattern; covers: number[] }[] {
  const kept: { pattern: FilterPattern; covers: number[] }[] = [];
  patterns.forEach((pattern, index) => {
    const wider = kept.find((k) => patternImplies(pattern, k.pattern));
    if (wider) {
      wider.covers.push(index);
      return;
    }
    const covers = [index];
    for (let i = kept.length - 1; i >= 0; i--) {
      const k = kept[i] as { pattern: FilterPattern; covers: number[] };
      if (patternImplies(k.pattern, pattern)) {
        covers.push(...k.covers);
        kept.splice(i, 1);
      }
    }
    kept.push({ pattern, covers: covers.sort((a, b) => a - b) });
  });
  return kept;
}
