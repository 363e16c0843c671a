/**
 * Chains that several accounts follow (organization trails: every member sees the
 * management account's trail and is judged by its log group). One run reads each once; a
 * Lambda container may keep them across invocations for a short while, so a sweep fanned
 * out over many batches does not read the same chain once per batch.
 */
import type { ChainObservation } from "../../core/model.ts";

export class SharedChainCache {
  readonly #entries = new Map<string, { readonly chain: Promise<ChainObservation>; readonly until: number }>();

  /**
   * @param ttlMs how long an observation stays usable (Infinity for one run)
   * @param now clock, for tests
   */
  constructor(
    readonly ttlMs = Number.POSITIVE_INFINITY,
    readonly now: () => number = Date.now,
  ) {}

  get(trailArn: string): Promise<ChainObservation> | undefined {
    const entry = this.#entries.get(trailArn);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.#entries.delete(trailArn);
      return undefined;
    }
    return entry.chain;
  }

  set(trailArn: string, chain: Promise<ChainObservation>): void {
    this.#entries.set(trailArn, { chain, until: this.now() + this.ttlMs });
    // A failed read is not kept: the next account tries again.
    chain.catch(() => {
      if (this.#entries.get(trailArn)?.chain === chain) this.#entries.delete(trailArn);
    });
  }
}
