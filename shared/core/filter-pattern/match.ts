import { type FilterPattern, parseFilterPattern } from "./parse.ts";

const parsed = new Map<string, FilterPattern>();
const PARSE_CACHE_LIMIT = 512;

/**
 * Whether CloudWatch Logs would count `message` (one raw log event) as a match of
 * `pattern`. Case-sensitive; a JSON pattern never matches a message that is not a JSON
 * object; a comparison on a missing field, an object or an array is false (`!=` included).
 * Pass a parsed pattern when testing many messages.
 *
 * @throws FilterPatternSyntaxError if `pattern` is text CloudWatch Logs would reject.
 */
export function matchesEvent(pattern: string | FilterPattern, message: string): boolean {
  if (typeof pattern !== "string") return pattern.test(message);
  let p = parsed.get(pattern);
  if (p === undefined) {
    p = parseFilterPattern(pattern);
    if (parsed.size >= PARSE_CACHE_LIMIT) parsed.clear();
    parsed.set(pattern, p);
  }
  return p.test(message);
}
