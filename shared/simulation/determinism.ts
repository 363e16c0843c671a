/**
 * Deterministic source for the simulation: a seeded pseudo-random generator for ids and
 * sampled faults, so two runs with the same seed and the same calls produce the same ids and
 * ARNs (timestamps come from the simulated clock, clock.ts).
 */

/** mulberry32: small, fast and good enough for ids and fault sampling (not for secrets). */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** `length` characters drawn from `alphabet`. */
  chars(length: number, alphabet: string): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  hex(length: number): string {
    return this.chars(length, "0123456789abcdef");
  }

  /** Lower-case letters and digits, the alphabet of organization, root and OU ids. */
  lowerAlnum(length: number): string {
    return this.chars(length, "abcdefghijklmnopqrstuvwxyz0123456789");
  }

  /** Upper-case letters and digits, the alphabet of access key ids. */
  upperAlnum(length: number): string {
    return this.chars(length, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
