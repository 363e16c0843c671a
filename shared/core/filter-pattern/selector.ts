import type { Cursor } from "./tokenizer.ts";

/** One step of a JSON property selector. */
export type SelectorStep =
  | { readonly kind: "key"; readonly name: string }
  | { readonly kind: "index"; readonly index: number }
  | { readonly kind: "anyKey" }
  | { readonly kind: "anyIndex" };

export interface Selector {
  readonly text: string;
  readonly position: number;
  readonly steps: readonly SelectorStep[];
  readonly wildcards: number;
}

/** What a selector resolves to when the path does not exist in the event. */
export const MISSING: unique symbol = Symbol("missing");

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-json-log-events
// "Property selectors are alphanumeric strings that support hyphen and underscore".
const NAME_CHAR = /^[A-Za-z0-9_-]$/;
export const MAX_WILDCARDS_PER_SELECTOR = 1;

/** Reads `$.a.b[0]['c.d'].*` at the cursor (which is on `$`). */
export function parseSelector(cur: Cursor): Selector {
  const start = cur.pos;
  if (!cur.startsWith("$.")) cur.fail("a property selector must start with '$.'", start);
  cur.pos += 2;
  const steps: SelectorStep[] = [];
  let wildcards = 0;
  let expectName = true;
  for (;;) {
    const c = cur.peek();
    if (expectName) {
      if (c === "*") {
        cur.pos++;
        steps.push({ kind: "anyKey" });
        wildcards++;
      } else if (c === "[") {
        steps.push(readBracket(cur));
        if (steps.at(-1)?.kind === "anyIndex") wildcards++;
      } else {
        const namePos = cur.pos;
        const name = cur.readWhile((ch) => NAME_CHAR.test(ch));
        if (name === "") {
          cur.fail(
            c === "" || c === " "
              ? "a property name must follow '.' in a selector"
              : `character '${c}' is not allowed in a property name (quote it: $.['name'])`,
            namePos,
          );
        }
        steps.push({ kind: "key", name });
      }
      expectName = false;
      continue;
    }
    if (c === ".") {
      cur.pos++;
      expectName = true;
    } else if (c === "[") {
      const step = readBracket(cur);
      if (step.kind === "anyIndex") wildcards++;
      steps.push(step);
    } else {
      break;
    }
  }
  if (wildcards > MAX_WILDCARDS_PER_SELECTOR) {
    cur.fail(`a property selector may use at most ${MAX_WILDCARDS_PER_SELECTOR} wildcard (* or [*])`, start);
  }
  return { text: cur.text.slice(start, cur.pos), position: start, steps, wildcards };
}

function readBracket(cur: Cursor): SelectorStep {
  const open = cur.pos;
  cur.pos++;
  const c = cur.peek();
  let step: SelectorStep;
  if (c === "*") {
    cur.pos++;
    step = { kind: "anyIndex" };
  } else if (c === "'") {
    const close = cur.text.indexOf("'", cur.pos + 1);
    if (close < 0 || close >= cur.end) cur.fail("unterminated quoted property name", open);
    step = { kind: "key", name: cur.text.slice(cur.pos + 1, close) };
    cur.pos = close + 1;
  } else if (c === '"') {
    return cur.fail("a quoted property name takes single quotes: $.['name']", cur.pos);
  } else {
    const digits = cur.readWhile((ch) => ch >= "0" && ch <= "9");
    if (digits === "") cur.fail("expected an array index, '*' or a single-quoted name inside [ ]", cur.pos);
    step = { kind: "index", index: Number(digits) };
  }
  if (cur.peek() !== "]") cur.fail("expected ']'", cur.pos);
  cur.pos++;
  return step;
}

/** Resolves a wildcard-free selector to one value, or MISSING. */
export function compileSingleResolver(steps: readonly SelectorStep[]): (root: unknown) => unknown {
  if (steps.length === 1 && steps[0]?.kind === "key") {
    const name = steps[0].name;
    return (root) => (Object.hasOwn(root as object, name) ? (root as Record<string, unknown>)[name] : MISSING);
  }
  return (root) => {
    let node: unknown = root;
    for (const step of steps) {
      node = descend(node, step);
      if (node === MISSING) return MISSING;
    }
    return node;
  };
}

/** Resolves a selector with a wildcard to every value it reaches (possibly none). */
export function compileMultiResolver(steps: readonly SelectorStep[]): (root: unknown) => unknown[] {
  return (root) => {
    let nodes: unknown[] = [root];
    for (const step of steps) {
      const next: unknown[] = [];
      for (const node of nodes) {
        if (step.kind === "anyKey") {
          if (isObject(node)) next.push(...Object.values(node));
        } else if (step.kind === "anyIndex") {
          if (Array.isArray(node)) next.push(...(node as unknown[]));
        } else {
          const v = descend(node, step);
          if (v !== MISSING) next.push(v);
        }
      }
      nodes = next;
      if (nodes.length === 0) break;
    }
    return nodes;
  };
}

function descend(node: unknown, step: SelectorStep): unknown {
  if (step.kind === "key") {
    return isObject(node) && Object.hasOwn(node, step.name) ? node[step.name] : MISSING;
  }
  if (step.kind === "index") {
    return Array.isArray(node) && step.index < node.length ? (node as unknown[])[step.index] : MISSING;
  }
  return MISSING;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
