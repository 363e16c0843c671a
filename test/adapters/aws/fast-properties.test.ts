import { describe, expect, it } from "vitest";
import { fastProperties } from "../../../shared/adapters/aws/fast-properties.ts";

describe("fastProperties", () => {
  it("changes no property of the object it speeds up, accessors included", () => {
    const target: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) Object.assign(target, { [`p${i}`]: i });
    let stored = "initial";
    Object.defineProperty(target, "credentials", { get: () => stored, set: (v) => (stored = v), enumerable: true });
    const before = Object.getOwnPropertyDescriptors(target);

    fastProperties(target);

    expect(Object.getOwnPropertyDescriptors(target)).toEqual(before);
  });

  it("leaves the object's prototype as it was", () => {
    const target = Object.create({ inherited: true }) as object;
    const prototype = Object.getPrototypeOf(target);

    fastProperties(target);

    expect(Object.getPrototypeOf(target)).toBe(prototype);
  });
});
