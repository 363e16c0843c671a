/**
 * Paging as the services do it: a page size with the service's bounds, and an opaque token.
 * Tokens carry the sort key of the last item returned (not an offset), so items created or
 * deleted between pages do not make a caller skip or repeat the others.
 */

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/** Thrown for a token this simulation did not issue; handlers map it to the service's error. */
export class InvalidTokenError extends Error {
  constructor(token: string) {
    super(`invalid pagination token: ${token}`);
    this.name = "InvalidTokenError";
  }
}

const PREFIX = "sim1:";

function encode(key: string): string {
  return PREFIX + Buffer.from(key, "utf8").toString("base64url");
}

function decode(token: string): string {
  if (!token.startsWith(PREFIX)) throw new InvalidTokenError(token);
  return Buffer.from(token.slice(PREFIX.length), "base64url").toString("utf8");
}

/**
 * One page of `items`, which must be sorted by `keyOf` (unique keys), after `token`.
 * `limit` is already validated against the service's bounds by the caller.
 */
export function pageByKey<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  limit: number,
  token: string | undefined,
): Page<T> {
  let start = 0;
  if (token !== undefined) {
    const after = decode(token);
    start = lowerBound(items, keyOf, after);
    if (start < items.length && keyOf(items[start] as T) === after) start += 1;
  }
  const slice = items.slice(start, start + limit);
  const last = slice[slice.length - 1];
  const more = start + limit < items.length;
  return more && last !== undefined ? { items: slice, nextToken: encode(keyOf(last)) } : { items: slice };
}

/**
 * One page of `items` in insertion order (for lists that only grow, like an organization's
 * accounts), after `token`.
 */
export function pageByPosition<T>(items: readonly T[], limit: number, token: string | undefined): Page<T> {
  let start = 0;
  if (token !== undefined) {
    start = Number(decode(token));
    if (!Number.isInteger(start) || start < 0) throw new InvalidTokenError(token);
  }
  const end = start + limit;
  return end < items.length
    ? { items: items.slice(start, end), nextToken: encode(String(end)) }
    : { items: items.slice(start, end) };
}

function lowerBound<T>(items: readonly T[], keyOf: (item: T) => string, key: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(items[mid] as T) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sort by a string key with plain code-unit order (what the services' listings look like). */
export function sortByKey<T>(items: Iterable<T>, keyOf: (item: T) => string): T[] {
  return [...items].sort((a, b) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
