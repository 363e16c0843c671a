import { Cursor, isWhitespace } from "./tokenizer.ts";

export interface Term {
  readonly kind: "include" | "exclude" | "optional";
  readonly text: string;
  readonly quoted: boolean;
}

/**
 * Parses an unstructured-text pattern: words, "exact phrases", -exclusions, ?alternatives.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-unstructured-log-events
 */
export function parseTermPattern(text: string): Term[] {
  const cur = new Cursor(text);
  const terms: Term[] = [];
  for (;;) {
    cur.skipWhitespace();
    if (cur.atEnd()) return terms;
    let kind: Term["kind"] = "include";
    const prefixPos = cur.pos;
    if (cur.peek() === "-" || cur.peek() === "?") {
      kind = cur.peek() === "-" ? "exclude" : "optional";
      cur.pos++;
      // The older page writes an exclusion as `"ERROR" - "Exiting"`, with a space.
      cur.skipWhitespace();
      if (cur.atEnd()) cur.fail(`'${kind === "exclude" ? "-" : "?"}' must be followed by a term`, prefixPos);
    }
    if (cur.peek() === '"') {
      terms.push({ kind, text: cur.readDoubleQuoted(), quoted: true });
      continue;
    }
    const start = cur.pos;
    const word = cur.readWhile((ch) => !isWhitespace(ch.charCodeAt(0)));
    if (word.length >= 2 && word.startsWith("%") && word.endsWith("%")) {
      cur.fail("a %regex% must be the whole pattern, or a value inside a JSON or space-delimited pattern", start);
    }
    terms.push({ kind, text: word, quoted: false });
  }
}

/** Compiles terms to a substring test on the raw message (case-sensitive). */
export function compileTermMatcher(terms: readonly Term[]): (message: string) => boolean {
  // A phrase of only spaces matches everything: the current page's "match everything"
  // example is `" "`, the older page's is `""`.
  const present = (t: Term) => (message: string) => t.text.trim() === "" || message.includes(t.text);
  const include = terms.filter((t) => t.kind === "include").map(present);
  const exclude = terms.filter((t) => t.kind === "exclude").map(present);
  const optional = terms.filter((t) => t.kind === "optional").map(present);
  if (include.length === 0 && exclude.length === 0) {
    if (optional.length === 0) return () => true;
    return (m) => optional.some((p) => p(m));
  }
  // "If you combine ? with other filter patterns, all question mark terms will be ignored."
  return (m) => include.every((p) => p(m)) && !exclude.some((p) => p(m));
}
