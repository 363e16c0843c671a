/**
 * A simulated organization of N member accounts in a realistic, seeded mix of situations, so
 * two runs with the same seed review the same accounts in the same states:
 *  - the management account owns an organization trail (Control Tower style) in the home
 *    region, delivering to a log group without the CIS filter: some members rely on it only;
 *  - members are mostly compliant (their own multi-region trail, homed in a seeded region,
 *    with the CIS v1.2 and v1.4 filters feeding one metric, an alarm and a confirmed topic:
 *    what all three scanners pass, e.g. after tripwire's first fix), some compliant with the
 *    v1.2 filter only (Security Hub's; a fix adds the v1.4 one for Steampipe), some bare
 *    (trail and log group only), a few with a broken alarm (actions disabled), some covered
 *    by the organization trail only, a few suspended and a few whose role cannot be assumed.
 */
import { CIS_PATTERNS } from "../shared/core/filter-pattern/index.ts";
import { SeededRandom } from "../shared/simulation/determinism.ts";
import {
  type BeforeCallHook,
  createSimulatedOrganization,
  DEFAULT_REGIONS,
  type SimulatedOrganization,
  scenarios,
} from "../shared/simulation/index.ts";

export type AccountKind =
  | "management"
  | "compliant"
  | "compliant-v12"
  | "bare"
  | "broken-alarm"
  | "org-trail"
  | "suspended"
  | "denied";

/** Share of each member kind, in draw order (the rest of 1.0 is "compliant"). */
export const MIX: ReadonlyArray<readonly [Exclude<AccountKind, "management" | "compliant">, number]> = [
  ["compliant-v12", 0.2],
  ["bare", 0.1],
  ["broken-alarm", 0.04],
  ["org-trail", 0.1],
  ["suspended", 0.02],
  ["denied", 0.02],
];

export interface MixedOrganization {
  readonly org: SimulatedOrganization;
  readonly homeRegion: string;
  readonly regions: readonly string[];
  /** Account id → kind, the management account included. */
  readonly kinds: ReadonlyMap<string, AccountKind>;
}

export interface MixOptions {
  readonly accounts: number;
  readonly regions: number;
  readonly seed?: number;
  readonly beforeCall?: BeforeCallHook;
  /** Only these kinds (for measuring one kind alone); default: the seeded mix. */
  readonly only?: readonly Exclude<AccountKind, "management">[];
  /** Give the management account its organization trail (default true). */
  readonly organizationTrail?: boolean;
}

/** The first `n` of the 17 default regions; the home region is the first. */
export function regionList(n: number): string[] {
  if (n < 1 || n > DEFAULT_REGIONS.length) throw new Error(`regions must be 1..${DEFAULT_REGIONS.length}`);
  return DEFAULT_REGIONS.slice(0, n);
}

export function drawKind(random: SeededRandom): Exclude<AccountKind, "management"> {
  let u = random.next();
  for (const [kind, share] of MIX) {
    if (u < share) return kind;
    u -= share;
  }
  return "compliant";
}

export function buildMixedOrganization(options: MixOptions): MixedOrganization {
  const regions = regionList(options.regions);
  const homeRegion = regions[0] as string;
  const seed = options.seed ?? 1;
  const org = createSimulatedOrganization({
    regions,
    seed,
    recordCalls: false,
    managementAccountName: "management",
    ...(options.beforeCall ? { beforeCall: options.beforeCall } : {}),
  });
  const random = new SeededRandom(seed * 7919 + 17);
  const kinds = new Map<string, AccountKind>([[org.managementAccountId, "management"]]);

  // The management account: an organization trail delivering to a log group (Control Tower
  // style) with no CIS filter yet, seen by every member: the fix repairs it first.
  if (options.organizationTrail ?? true) scenarios.organizationTrail(org, homeRegion);

  for (let i = 0; i < options.accounts; i++) {
    const kind = options.only
      ? (options.only[i % options.only.length] as Exclude<AccountKind, "management">)
      : drawKind(random);
    const region = regions[Math.floor(random.next() * regions.length)] as string;
    const account = org.addAccount({ name: `${kind}-${i}`, status: kind === "suspended" ? "SUSPENDED" : "ACTIVE" });
    kinds.set(account.id, kind);
    switch (kind) {
      case "compliant": {
        const chain = scenarios.compliantV12(account, region);
        scenarios.metricFilter(account, region, {
          logGroupName: chain.trail.logGroupName as string,
          filterName: "unauthorized-api-calls-cis-v1.4",
          pattern: CIS_PATTERNS.v14Grouped,
        });
        break;
      }
      case "compliant-v12":
        scenarios.compliantV12(account, region);
        break;
      case "bare":
        scenarios.bareAccount(account, region);
        break;
      case "broken-alarm": {
        const t = scenarios.trail(account, region);
        const f = scenarios.metricFilter(account, region, { logGroupName: t.logGroupName as string });
        const tp = scenarios.topic(account, region);
        scenarios.alarm(account, region, {
          metricName: f.metricName,
          namespace: f.namespace,
          actions: [tp.topicArn],
          actionsEnabled: false,
        });
        break;
      }
      case "org-trail":
      case "suspended":
        break;
      case "denied":
        scenarios.compliantV12(account, region);
        org.faults.denyAssumeRole(account.id);
        break;
    }
  }
  return { org, homeRegion, regions, kinds };
}
