import { describe, expect, it } from "vitest";
import type { ChainObservation } from "../../shared/core/model.ts";
import { SharedChainCache } from "../../shared/use-cases/review/shared-chains.ts";
import { compliantChain } from "../core/fixtures.ts";

describe("SharedChainCache", () => {
  it("returns a chain within its time to live", () => {
    let now = 0;
    const cache = new SharedChainCache(1000, () => now);
    const chain = Promise.resolve(compliantChain());
    cache.set("arn:trail", chain);
    now = 999;
    expect(cache.get("arn:trail")).toBe(chain);
  });

  it("forgets a chain once its time to live has passed", () => {
    let now = 0;
    const cache = new SharedChainCache(1000, () => now);
    cache.set("arn:trail", Promise.resolve(compliantChain()));
    now = 1000;
    expect(cache.get("arn:trail")).toBeUndefined();
  });

  it("does not keep a failed read", async () => {
    const cache = new SharedChainCache();
    const failed = Promise.reject(new Error("throttled")) as Promise<ChainObservation>;
    cache.set("arn:trail", failed);
    await failed.catch(() => undefined);
    expect(cache.get("arn:trail")).toBeUndefined();
  });
});
