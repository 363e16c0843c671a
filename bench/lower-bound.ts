/**
 * The lower bound on wall time that the latency and quota model allows, and the critical path
 * it needs, measured rather than guessed:
 *  - critical path of an account = the longest chain of dependent calls of its review, found
 *    by reviewing one account of each kind alone with latency L and no quota (elapsed / L);
 *  - bound = max( T_enum + T_crit,  T_par,  T_sts,  T_org ) where
 *      T_enum = max(ListAccounts pages × L, (Organizations calls − burst) / Organizations rate)
 *      T_crit = the longest critical path of the kinds present × L
 *      T_par  = Σ over reviewed accounts of (critical path × L) / C   (C accounts in flight)
 *      T_sts  = (STS calls − burst) / STS rate of the hub account     (every AssumeRole shares it)
 *      T_org  = (Organizations calls − burst) / Organizations rate
 *    i.e. enumeration plus one account's critical path, or the total work over the allowed
 *    parallel rate (concurrency, or the binding shared bucket), whichever is larger.
 */
import type { Settings } from "../shared/config/settings.ts";
import type { RunMode } from "../shared/core/model.ts";
import { simulatedFactory } from "../shared/simulation/factory.ts";
import { ControlRun } from "../shared/use-cases/review/control-run.ts";
import { createLatencyModel, QUOTAS } from "./latency-model.ts";
import { type AccountKind, buildMixedOrganization } from "./organization-mix.ts";

/** ListAccounts returns at most 20 accounts per page (the engine asks for 20). */
export const LIST_ACCOUNTS_PAGE = 20;

export type Depths = ReadonlyMap<AccountKind, number>;

/**
 * Depth (dependent calls) of one review per kind, the management account's included: the
 * management account is reviewed first in a fresh run (as the sweep does), then the member.
 */
export async function measureDepths(
  mode: RunMode,
  settings: Settings,
  regions: number,
  kinds: readonly Exclude<AccountKind, "management">[],
): Promise<Map<AccountKind, number>> {
  // Long enough that the SDK's own CPU time per call (a few ms) cannot add a step when rounding.
  const latencyMs = 100;
  const measured = await Promise.all(
    kinds.map(async (kind) => {
      const model = createLatencyModel({ latencyMs, unlimited: true });
      const { org } = buildMixedOrganization({ accounts: 1, regions, only: [kind], beforeCall: model.beforeCall });
      const factory = simulatedFactory(org, settings, { retryDelayMs: () => 1 });
      const run = new ControlRun(factory, settings, mode);
      const member = org.accountIds().find((id) => id !== org.managementAccountId) as string;
      const timed = async (id: string) => {
        const account = org.account(id);
        const start = performance.now();
        await run.reviewAccount({ id, name: account.name, status: account.status });
        return Math.round((performance.now() - start) / latencyMs);
      };
      const management = await timed(org.managementAccountId);
      return { kind, management, member: kind === "suspended" ? 0 : await timed(member) };
    }),
  );
  const depths = new Map<AccountKind, number>();
  for (const m of measured) {
    depths.set("management", Math.max(depths.get("management") ?? 0, m.management));
    depths.set(m.kind, m.member);
  }
  return depths;
}

export interface BoundInputs {
  readonly latencyMs: number;
  readonly concurrency: number;
  /** Accounts ListAccounts returned (all statuses). */
  readonly listedAccounts: number;
  /** Reviewed (ACTIVE) accounts per kind, the management account included. */
  readonly reviewedByKind: ReadonlyMap<AccountKind, number>;
  readonly depths: Depths;
  /** Attempts the run made to Organizations and to STS (hub account). */
  readonly organizationsCalls: number;
  readonly stsCalls: number;
}

export interface LowerBound {
  readonly boundMs: number;
  readonly enumerationMs: number;
  readonly criticalPathMs: number;
  readonly criticalPathCalls: number;
  readonly parallelMs: number;
  readonly stsMs: number;
  readonly organizationsMs: number;
  /** Which term is the bound. */
  readonly binding: "enumeration + critical path" | "concurrency" | "STS rate" | "Organizations rate";
  readonly formula: string;
}

export const BOUND_FORMULA =
  "bound = max(T_enum + T_crit, T_par, T_sts, T_org); T_enum = max(ceil(listed/20)·L, (org calls − burst)/org rate); " +
  "T_crit = longest critical path·L; T_par = Σ(critical path·L)/C; T_sts = (STS calls − burst)/STS rate; T_org = (org calls − burst)/org rate";

export function lowerBound(input: BoundInputs): LowerBound {
  const L = input.latencyMs;
  const org = QUOTAS.organizations.other;
  const sts = QUOTAS.sts.other;
  const pages = Math.max(1, Math.ceil(input.listedAccounts / LIST_ACCOUNTS_PAGE));
  const organizationsMs = (Math.max(0, input.organizationsCalls - org.burst) / org.rate) * 1000;
  const enumerationMs = Math.max(pages * L, organizationsMs);
  let criticalPathCalls = 0;
  let work = 0;
  for (const [kind, count] of input.reviewedByKind) {
    const depth = input.depths.get(kind) ?? 0;
    criticalPathCalls = Math.max(criticalPathCalls, depth);
    work += count * depth * L;
  }
  const criticalPathMs = criticalPathCalls * L;
  const parallelMs = work / input.concurrency;
  const stsMs = (Math.max(0, input.stsCalls - sts.burst) / sts.rate) * 1000;
  const terms = [
    ["enumeration + critical path", enumerationMs + criticalPathMs],
    ["concurrency", parallelMs],
    ["STS rate", stsMs],
    ["Organizations rate", organizationsMs],
  ] as const;
  const [binding, boundMs] = terms.reduce((a, b) => (b[1] > a[1] ? b : a));
  return {
    boundMs,
    enumerationMs,
    criticalPathMs,
    criticalPathCalls,
    parallelMs,
    stsMs,
    organizationsMs,
    binding,
    formula: BOUND_FORMULA,
  };
}
