/**
 * A sweep cut off at any call, then retried (bench/sweep-resume.ts): no member is left without
 * a message, and the retry sends again at most the batches the record could not yet hold.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type CutResult, callsPerFullRun, cutAndRetry } from "../../bench/sweep-resume.ts";
import { UNSAVED_BATCHES } from "../../shared/use-cases/enqueue-accounts.ts";

const MEMBERS = 45;

describe("a sweep cut off at every call of its run, then retried", () => {
  let full = 0;
  let cuts: CutResult[] = [];
  beforeAll(async () => {
    full = await callsPerFullRun(MEMBERS);
    cuts = await Promise.all(
      Array.from({ length: full }, (_, i) => cutAndRetry({ members: MEMBERS, cutAt: i + 1, seed: i })),
    );
  });

  it("leaves no member without a message", () => {
    expect(cuts.filter((c) => c.missing > 0)).toEqual([]);
  });

  it("sends at most the unsaved batches twice", () => {
    expect(Math.max(...cuts.map((c) => c.duplicates))).toBeLessThanOrEqual(UNSAVED_BATCHES * 10);
  });

  it("sends fewer twice than a retry without the record would", async () => {
    const cutAt = Math.floor(full * 0.8);
    const without = await cutAndRetry({ members: MEMBERS, cutAt, seed: 1, record: false });
    const withRecord = await cutAndRetry({ members: MEMBERS, cutAt, seed: 1 });
    expect(withRecord.duplicates).toBeLessThan(without.duplicates);
  });
});
