/**
 * Decide (pure): which of an account's chains tripwire may write to, and whether another
 * account's chain (an organization trail's) must be read to judge the account.
 */
import type { ChainVerdict } from "./evaluate.ts";
import type { ChainObservation, TrailSummary } from "./model.ts";

/** Trails whose chain lives in the account (its own log group), and the others it sees. */
export function splitTrails(
  accountId: string,
  trails: readonly TrailSummary[],
): { own: TrailSummary[]; foreign: TrailSummary[] } {
  const multiRegion = trails.filter((t) => t.isMultiRegion);
  const isOwn = (t: TrailSummary) => (t.logGroup?.accountId ?? t.ownerAccountId) === accountId;
  return { own: multiRegion.filter(isOwn), foreign: multiRegion.filter((t) => !isOwn(t)) };
}

export interface FixScope {
  /** Whether tripwire may write in this region. */
  readonly inScope: (region: string) => boolean;
  /** Heal: only a chain whose log group is in this region. */
  readonly region?: string;
}

/**
 * The chain this account may write to: its own trail's, with an existing log group in
 * scope, preferring one that already works, then one whose trail is healthy. Organization
 * trails are fixed by the account that owns them, in its own review.
 */
export function chooseChainToFix(
  accountId: string,
  chains: readonly ChainObservation[],
  verdicts: ReadonlyMap<string, ChainVerdict>,
  scope: FixScope,
): ChainObservation | undefined {
  const candidates = chains.filter((c) => {
    const logGroup = c.trail.logGroup;
    return (
      logGroup?.accountId === accountId &&
      c.logGroupExists &&
      scope.inScope(logGroup.region) &&
      (!scope.region || logGroup.region === scope.region)
    );
  });
  const rank = (c: ChainObservation) => {
    const v = verdicts.get(c.trail.arn);
    return v?.complete ? 0 : v?.trailHealthy ? 1 : 2;
  };
  return [...candidates].sort((a, b) => rank(a) - rank(b))[0];
}

/**
 * Another account's chain decides the verdict only when none of the account's own chains does
 * the job (after its fix), and never in a chain-only heal, which judges the account's own
 * chain alone.
 */
export function needsForeignChains(
  ownVerdicts: Iterable<ChainVerdict>,
  foreign: readonly TrailSummary[],
  chainOnly: boolean,
): boolean {
  if (chainOnly || foreign.length === 0) return false;
  for (const v of ownVerdicts) if (v.complete) return false;
  return true;
}
