/**
 * Compiles a string value with AWS wildcard rules: `*` at the start and/or end is a
 * wildcard, `*` anywhere else is a literal character, and a value made only of `*` matches
 * anything.
 */
export function compileWildcardString(value: string): (text: string) => boolean {
  if (/^\*+$/.test(value)) return () => true;
  const leading = value.startsWith("*");
  const trailing = value.length > 1 && value.endsWith("*");
  const core = value.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  if (leading && trailing) return (text) => text.includes(core);
  if (leading) return (text) => text.endsWith(core);
  if (trailing) return (text) => text.startsWith(core);
  return (text) => text === core;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The numeric value of `text` if it is a number as AWS writes one (signs, decimals, exponents). */
export function parseNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}
