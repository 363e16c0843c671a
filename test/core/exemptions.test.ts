/** Exemptions: when one holds, and the latest expiry a new one may have. */
import { describe, expect, it } from "vitest";
import { exemptionEnd, exemptionOf, latestExpiry, parseIsoDate } from "../../shared/core/exemptions.ts";

const exemption = { account: "111122223333", reason: "being closed", owner: "platform team", expires: "2026-06-30" };

describe("parseIsoDate", () => {
  it("reads a calendar date as midnight UTC", () => {
    expect(parseIsoDate("2026-06-30")?.toISOString()).toBe("2026-06-30T00:00:00.000Z");
  });

  it.each(["2026-02-30", "2026-13-01", "2026-6-30", "2026-06-30T00:00:00Z", "30/06/2026", ""])("refuses %j", (text) => {
    expect(parseIsoDate(text)).toBeUndefined();
  });
});

describe("exemptionEnd", () => {
  it("is the start of the day after the expiry date: the exemption holds through that day", () => {
    expect(exemptionEnd(exemption).toISOString()).toBe("2026-07-01T00:00:00.000Z");
  });
});

describe("latestExpiry", () => {
  it("is the same day one year later", () => {
    expect(latestExpiry(new Date("2026-03-05T23:59:00Z"))).toBe("2027-03-05");
  });

  it("is 28 February after a 29 February", () => {
    expect(latestExpiry(new Date("2028-02-29T12:00:00Z"))).toBe("2029-02-28");
  });
});

describe("exemptionOf", () => {
  it("finds nothing for an account without an exemption", () => {
    expect(exemptionOf([exemption], "444455556666", new Date("2026-06-01T00:00:00Z"))).toBeUndefined();
  });

  it("holds on the last day of the exemption", () => {
    expect(exemptionOf([exemption], exemption.account, new Date("2026-06-30T23:59:59Z"))?.state).toBe("active");
  });

  it("has expired from the next day on", () => {
    expect(exemptionOf([exemption], exemption.account, new Date("2026-07-01T00:00:00Z"))?.state).toBe("expired");
  });
});
