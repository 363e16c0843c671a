/** Which chain a fix may write to, and when another account's chain is read: pure, no simulation. */
import { describe, expect, it } from "vitest";
import { chooseChainToFix, needsForeignChains, splitTrails } from "../../shared/core/decide.ts";
import { evaluateChain } from "../../shared/core/evaluate.ts";
import type { ChainObservation } from "../../shared/core/model.ts";
import { runModeOf } from "../../shared/core/run-mode.ts";
import { ACCOUNT, compliantChain, REGION, trail } from "./fixtures.ts";

const OTHER_ACCOUNT = "111111111111";
const verdictsOf = (chains: ChainObservation[]) =>
  new Map(chains.map((c) => [c.trail.arn, evaluateChain(c, "tripwire")]));
const everywhere = { inScope: () => true };

const organizationTrail = trail({
  arn: `arn:aws:cloudtrail:${REGION}:${OTHER_ACCOUNT}:trail/org`,
  name: "org",
  ownerAccountId: OTHER_ACCOUNT,
  isOrganizationTrail: true,
  logGroup: {
    arn: `arn:aws:logs:${REGION}:${OTHER_ACCOUNT}:log-group:org:*`,
    accountId: OTHER_ACCOUNT,
    region: REGION,
    name: "org",
  },
});

describe("splitTrails", () => {
  it("counts a trail as the account's own when its log group is in the account", () => {
    expect(splitTrails(ACCOUNT, [trail(), organizationTrail]).own.map((t) => t.name)).toEqual(["main"]);
  });

  it("counts an organization trail delivering to another account as foreign", () => {
    expect(splitTrails(ACCOUNT, [trail(), organizationTrail]).foreign.map((t) => t.name)).toEqual(["org"]);
  });

  it("leaves single-region trails out of both", () => {
    const split = splitTrails(ACCOUNT, [trail({ isMultiRegion: false })]);
    expect(split.own.length + split.foreign.length).toBe(0);
  });
});

describe("chooseChainToFix", () => {
  it("prefers a chain that already works over one whose trail is stopped", () => {
    const stopped = compliantChain({
      trail: trail({ arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/stopped`, name: "stopped" }),
      state: { isLogging: false, managementEvents: "READ_WRITE", basicSelectorsAll: true, selectorKind: "basic" },
    });
    const working = compliantChain();
    const chosen = chooseChainToFix(ACCOUNT, [stopped, working], verdictsOf([stopped, working]), everywhere);
    expect(chosen?.trail.name).toBe("main");
  });

  it("never chooses a chain whose log group is in another account", () => {
    const foreign = compliantChain({ trail: organizationTrail });
    expect(chooseChainToFix(ACCOUNT, [foreign], verdictsOf([foreign]), everywhere)).toBeUndefined();
  });

  it("never chooses a chain whose log group does not exist", () => {
    const missing = compliantChain({ logGroupExists: false });
    expect(chooseChainToFix(ACCOUNT, [missing], verdictsOf([missing]), everywhere)).toBeUndefined();
  });

  it("never chooses a chain in a region out of scope", () => {
    const chain = compliantChain();
    expect(chooseChainToFix(ACCOUNT, [chain], verdictsOf([chain]), { inScope: (r) => r !== REGION })).toBeUndefined();
  });

  it("in a heal, chooses only a chain of the event's region", () => {
    const chain = compliantChain();
    expect(
      chooseChainToFix(ACCOUNT, [chain], verdictsOf([chain]), { ...everywhere, region: "us-east-1" }),
    ).toBeUndefined();
  });
});

describe("needsForeignChains", () => {
  const broken = compliantChain({ filters: [] });

  it("reads another account's chain when no own chain works", () => {
    expect(needsForeignChains(verdictsOf([broken]).values(), [organizationTrail], false)).toBe(true);
  });

  it("does not read it when an own chain works", () => {
    expect(needsForeignChains(verdictsOf([compliantChain()]).values(), [organizationTrail], false)).toBe(false);
  });

  it("does not read it in a chain-only heal", () => {
    expect(needsForeignChains(verdictsOf([broken]).values(), [organizationTrail], true)).toBe(false);
  });

  it("has nothing to read without foreign trails", () => {
    expect(needsForeignChains(verdictsOf([broken]).values(), [], false)).toBe(false);
  });
});

describe("runModeOf", () => {
  it("makes a scan read-only whatever the dry-run flag says", () => {
    expect(runModeOf("scan", false)).toBe("scan");
  });

  it("makes a fix with the dry-run flag a dry run", () => {
    expect(runModeOf("fix", true)).toBe("dry-run");
  });

  it("makes a fix without it a fix", () => {
    expect(runModeOf("fix", false)).toBe("fix");
  });
});
