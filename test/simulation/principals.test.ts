import { describe, expect, it } from "vitest";
import { stableId } from "../../shared/simulation/principals.ts";

describe("simulated principal ids", () => {
  it("use only the 32 characters of IAM unique ids, 21 in all, whatever the name", () => {
    const ids = Array.from({ length: 500 }, (_, i) => stableId("AROA", `arn:aws:iam::2000000000${i}:role/Role${i}`));

    expect(ids.filter((id) => !/^AROA[A-Z2-7]{17}$/.test(id))).toEqual([]);
  });

  it("give the same name the same id", () => {
    expect(stableId("AIDA", "arn:aws:iam::111111111111:user/admin")).toBe(
      stableId("AIDA", "arn:aws:iam::111111111111:user/admin"),
    );
  });
});
