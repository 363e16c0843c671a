/**
 * Runs `fn` over the items of `source` (a list, or a stream such as the account listing),
 * at most `limit` at a time, taking the next item as soon as a slot frees; the output keeps
 * the order of the source.
 */
export async function mapWithConcurrency<T, R>(
  source: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  const out: R[] = [];
  let next = 0;
  const worker = async () => {
    for (;;) {
      const item = await iterator.next();
      if (item.done) return;
      const i = next++;
      out[i] = await fn(item.value);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return out;
}
