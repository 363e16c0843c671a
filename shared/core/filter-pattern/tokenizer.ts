import { FilterPatternSyntaxError } from "./errors.ts";

/**
 * A read position over pattern text. The filter-pattern grammar is context-sensitive (what
 * follows an operator is a value, not an operator), so the parsers pull tokens through this
 * cursor instead of tokenising the whole text up front.
 */
export class Cursor {
  pos: number;

  constructor(
    readonly text: string,
    start = 0,
    /** Exclusive end: lets a parser work on the inside of `{...}` or `[...]`. */
    readonly end = text.length,
  ) {
    this.pos = start;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  peek(offset = 0): string {
    const i = this.pos + offset;
    return i < this.end ? this.text.charAt(i) : "";
  }

  startsWith(s: string): boolean {
    return this.pos + s.length <= this.end && this.text.startsWith(s, this.pos);
  }

  skipWhitespace(): void {
    while (this.pos < this.end && isWhitespace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  fail(detail: string, position = this.pos): never {
    throw new FilterPatternSyntaxError(detail, position);
  }

  /** Reads `"..."` starting at the opening quote; `\"` and `\\` are escapes. Returns the inside. */
  readDoubleQuoted(): string {
    const open = this.pos;
    this.pos++;
    let out = "";
    while (this.pos < this.end) {
      const c = this.text.charAt(this.pos);
      if (c === "\\" && this.pos + 1 < this.end) {
        const next = this.text.charAt(this.pos + 1);
        if (next === '"' || next === "\\") {
          out += next;
          this.pos += 2;
          continue;
        }
      }
      if (c === '"') {
        this.pos++;
        return out;
      }
      out += c;
      this.pos++;
    }
    return this.fail("unterminated double-quoted string", open);
  }

  /** Reads `%...%` starting at the opening percent sign. Returns the regex source. */
  readPercentRegex(): { source: string; start: number } {
    const open = this.pos;
    const close = this.text.indexOf("%", open + 1);
    if (close < 0 || close >= this.end) this.fail("unterminated regex: a regex starts and ends with %", open);
    this.pos = close + 1;
    return { source: this.text.slice(open + 1, close), start: open + 1 };
  }

  /** Reads characters while `accept` says yes. */
  readWhile(accept: (c: string) => boolean): string {
    const start = this.pos;
    while (this.pos < this.end && accept(this.text.charAt(this.pos))) this.pos++;
    return this.text.slice(start, this.pos);
  }
}

export function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}
