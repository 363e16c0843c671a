import { FilterPatternSyntaxError } from "./errors.ts";

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#regex-expressions
// Letters, digits, the listed symbols, the listed operators, and a space (the page's own
// example `%^starting|^initializing|^shutting down%` contains one). ':' is listed on the
// current page but missing from an older copy of it; we accept it (docs/filter-patterns.md).
const ALLOWED = /^[A-Za-z0-9:_#=@/;,\- ^$?[\]{}|\\*+.]$/;

/**
 * Checks an AWS filter-pattern regex (the text between the `%` signs) and compiles it to a
 * JavaScript RegExp with the same meaning. `start` is the position of the first regex
 * character in the whole pattern, for error positions.
 */
export function compileAwsRegex(source: string, start: number): RegExp {
  if (source.length === 0) throw new FilterPatternSyntaxError("empty regex between % signs", start);
  for (let i = 0; i < source.length; i++) {
    const c = source.charAt(i);
    if (c === "(" || c === ")") {
      throw new FilterPatternSyntaxError(
        "parentheses are not supported in a filter-pattern regex (use \\x28 / \\x29 to match them)",
        start + i,
      );
    }
    if (!ALLOWED.test(c)) {
      throw new FilterPatternSyntaxError(
        `character '${c}' is not allowed in a filter-pattern regex (letters, digits, space, ` +
          `: _ # = @ / ; , - and the operators ^ $ ? [ ] { } | \\ * + . only)`,
        start + i,
      );
    }
    if (c === "\\") {
      const next = source.charAt(i + 1);
      if (next === "") throw new FilterPatternSyntaxError("regex ends with a lone backslash", start + i);
      if (next === "x" && !/^[0-9A-Fa-f]{2}$/.test(source.slice(i + 2, i + 4))) {
        throw new FilterPatternSyntaxError("\\x must be followed by two hexadecimal digits", start + i);
      }
      i++;
    }
  }
  // The page documents `{m, n}` with either bound optional; JavaScript only reads `{m,n}`
  // and `{m,}` as quantifiers, so normalise spacing and an omitted minimum.
  const js = source.replace(
    /\{(\d*)\s*,\s*(\d*)\}/g,
    (_m, lo: string, hi: string) => `{${lo === "" ? "0" : lo},${hi}}`,
  );
  try {
    return new RegExp(js);
  } catch (cause) {
    throw new FilterPatternSyntaxError(`invalid regex: ${(cause as Error).message}`, start, { cause });
  }
}
