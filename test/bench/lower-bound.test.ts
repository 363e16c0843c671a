/**
 * The benchmark's lower bound is a bound: over seeded runs at small sizes, on both paths, in
 * scan and fix, with jitter, batches and tightened quotas (so the listing's rate and the
 * busiest bucket decide at these sizes too), the measured wall time is never below it. And the
 * terms it is made of, on inputs worked out by hand.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { QUOTAS, type QuotaTable } from "../../bench/latency-model.ts";
import { type BoundInputs, lowerBound, VirtualClock } from "../../bench/lower-bound.ts";
import type { AccountKind } from "../../bench/organization-mix.ts";
import { runOnce } from "../../bench/run-size.ts";

/**
 * Organizations at 4/s with a burst of 2 (the first page and DescribeOrganization): the rest
 * of the listing is paced by the bucket.
 */
const SLOW_ORGANIZATIONS: QuotaTable = {
  ...QUOTAS,
  organizations: { ...QUOTAS.organizations, other: { ...QUOTAS.organizations.other, rate: 4, burst: 2 } },
};
/** STS at 15/s with a burst of 3: the hub's AssumeRole bucket is the busiest. */
const SLOW_STS: QuotaTable = {
  ...QUOTAS,
  sts: { ...QUOTAS.sts, other: { ...QUOTAS.sts.other, rate: 15, burst: 3 } },
};

describe("lower bound", () => {
  it("is never beaten by a seeded run at a small size", { timeout: 180_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 1, max: 10_000 }),
          accounts: fc.integer({ min: 8, max: 45 }),
          regions: fc.integer({ min: 1, max: 3 }),
          mode: fc.constantFrom("scan" as const, "fix" as const),
          path: fc.constantFrom("lambda" as const, "cli" as const),
          concurrency: fc.constantFrom(4, 10, 20),
          batchSize: fc.integer({ min: 1, max: 5 }),
          latencyMs: fc.integer({ min: 4, max: 12 }),
          jitter: fc.constantFrom(0, 0.3),
          quotas: fc.constantFrom(QUOTAS, SLOW_ORGANIZATIONS, SLOW_STS),
        }),
        async (run) => {
          // The SDK's backoff scaled down with the latency, so throttled runs stay short.
          const figures = await runOnce({ ...run, backoffBaseMs: 100, profile: false });

          expect(figures.wallMs).toBeGreaterThanOrEqual(figures.bound.boundMs);
        },
      ),
      { numRuns: 12 },
    );
  });
});

const inputs = (over: Partial<BoundInputs>): BoundInputs => ({
  path: "lambda",
  latencyMs: 10,
  concurrency: 10,
  batchSize: 5,
  listing: ["management"],
  depths: new Map(),
  buckets: [],
  ...over,
});

describe("lower bound terms", () => {
  it("starts the members' listing after DescribeOrganization and the management account's review", () => {
    const bound = lowerBound(inputs({ depths: new Map([["management", 4]]) }));

    expect(bound.startMs).toBe(50);
  });

  it("on the CLI path, counts the first page before the management account's review", () => {
    const bound = lowerBound(inputs({ path: "cli", depths: new Map([["management", 4]]) }));

    expect(bound.startMs).toBe(60);
  });

  it("paces the pages by the Organizations bucket once its burst is spent", () => {
    // 41 accounts: 3 pages; 4 pages a second after a burst of 2.
    const quotas = SLOW_ORGANIZATIONS;
    const listing: AccountKind[] = ["management", ...Array<AccountKind>(40).fill("org-trail")];
    const bound = lowerBound(inputs({ listing, depths: new Map([["org-trail", 2]]), quotas }));

    // t_s 10 ms, page 3 admitted at t_s + (3 − 2)/4 s, returns 10 ms later, then 2 calls.
    expect(bound).toMatchObject({ pages: 3, listingPage: 3, listingMs: 10 + 250 + 10 + 20 });
  });

  it("charges each batch its deepest review, with the batches that make the sum smallest", () => {
    const listing: AccountKind[] = ["management", "bare", "compliant", "compliant", "denied", "org-trail", "bare"];
    const depths = new Map<AccountKind, number>([
      ["bare", 6],
      ["compliant", 5],
      ["denied", 1],
      ["org-trail", 2],
    ]);
    // Depths 6 6 5 5 2 1, batches of 2: 6 + 5 + 2 = 13 calls, over 1 container (C = 2).
    const bound = lowerBound(inputs({ listing, depths, batchSize: 2, concurrency: 2 }));

    expect(bound).toMatchObject({ concurrencyCalls: 13, concurrencyMs: 10 + 10 + 130 });
  });

  it("charges each of the run's own batches its deepest review, when the batches are known", () => {
    const depths = new Map<AccountKind, number>([
      ["bare", 6],
      ["compliant", 5],
      ["denied", 1],
    ]);
    const listing: AccountKind[] = ["management", "bare", "denied", "bare", "compliant"];
    // Batches of 2 as the queue formed them: [bare, denied] [bare, compliant]: 6 + 6 = 12 calls,
    // where the best packing ([bare, bare] [compliant, denied]) would be 6 + 5 = 11.
    const batches: AccountKind[][] = [
      ["bare", "denied"],
      ["bare", "compliant"],
    ];
    const bound = lowerBound(inputs({ listing, depths, batches, batchSize: 2, concurrency: 2 }));

    expect(bound).toMatchObject({ concurrencyCalls: 12, bestPackingCalls: 11, concurrencyMs: 10 + 10 + 120 });
  });

  it("takes the busiest bucket's admitted calls beyond its burst at its rate", () => {
    const buckets = [
      { key: "sts|111111111111|us-east-1", rate: 10, burst: 5, admitted: 25 },
      { key: "organizations", rate: 10, burst: 10, admitted: 12 },
    ];
    const bound = lowerBound(inputs({ buckets }));

    expect(bound).toMatchObject({ quotaMs: 2000 + 10, binding: "T_quota" });
  });

  it("counts the shortest call a jittered latency allows", () => {
    const bound = lowerBound(inputs({ latencyMs: 40, jitter: 0.25 }));

    expect(bound.callMs).toBe(30);
  });
});

describe("virtual clock", () => {
  it("counts dependent calls, and calls made together once", async () => {
    const clock = new VirtualClock();
    const call = () => clock.beforeCall({} as never) as Promise<void>;

    await call();
    await Promise.all([call(), call().then(call)]);

    expect(clock.now).toBe(3);
  });

  it("does not move while the engine is busy between two calls", async () => {
    const clock = new VirtualClock();
    const call = () => clock.beforeCall({} as never) as Promise<void>;

    await call();
    const busyUntil = performance.now() + 30;
    while (performance.now() < busyUntil);
    await call();

    expect(clock.now).toBe(2);
  });
});
