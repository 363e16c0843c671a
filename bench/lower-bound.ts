/**
 * The lower bound on a sweep's wall time that the latency and quota model enforces: no run of
 * the same organization, path and settings can be faster, whatever the CPU, because each term
 * only counts what the model makes every run wait for.
 *
 *  - L = latency × (1 − jitter): the shortest any call takes (latency-model.ts waits at least that).
 *  - D(kind): the depth of one review (its longest chain of dependent calls), measured by
 *    reviewing accounts of each kind on a virtual clock that moves only when the engine is idle,
 *    so the engine's CPU time cannot lengthen it: the fewest latencies any review of that kind
 *    waits in sequence. The smallest over a few accounts of the kind, each after the management
 *    account (whose organization trail chain is then cached, as it is for the run's members).
 *  - t_s: the management account is reviewed (and fixed) before any member is
 *    (use-cases/review/owner-first.ts). Deployed path: DescribeOrganization, the management
 *    account's review, then the listing: t_s = (1 + D_mgmt)·L. CLI path (runSweep): the first
 *    page of the listing, DescribeOrganization, the management account: t_s = (2 + D_mgmt)·L,
 *    and pages 2.. come after.
 *  - Pages: ListAccounts returns 20 accounts a page, in the organization's order, each page
 *    asked after the previous one returned; all Organizations calls share one bucket (rate R,
 *    burst B), which holds at most B tokens at t_s. The i-th page asked after t_s is admitted no
 *    earlier than t_s + max((i − 1)·L, (i − B)/R), returns L later, and its accounts' reviews
 *    start then: T_list = max over pages of (admission + L + the page's deepest review).
 *  - Concurrency: deployed, ⌊C/b⌋ containers each review one SQS batch of at most b accounts at
 *    a time, and a batch lasts as long as its deepest review (the handler returns when every
 *    record of its batch is done), so the containers are busy for at least Σ over the batches
 *    of their deepest review: T_batch = t_s + L + Σ_batches max d·L / ⌊C/b⌋. The batches are
 *    the run's own, as the queue handed them out (it gives the messages in the order the sweep
 *    sent them, the listing's order; the engine cannot choose them). Whatever the batches, that
 *    sum is at least Σ_j d↓[j·b] (the depths sorted from the deepest, every b-th: the best
 *    packing): that figure is printed too, and used when the batches are not known; the gap
 *    between the two is what grouping accounts by b costs, not the engine.
 *    CLI: C reviews at a time, T_par = t_s + Σ d·L / C.
 *  - Quotas: a bucket that admitted n calls admitted its last no earlier than (n − burst)/rate
 *    after its first, and that call took L: T_quota = max over buckets of (n − burst)/rate + L.
 *  bound = max(T_list, T_batch or T_par, T_quota).
 */
import type { Settings } from "../shared/config/settings.ts";
import type { RunMode } from "../shared/core/model.ts";
import { runModeOf } from "../shared/core/run-mode.ts";
import { simulatedFactory } from "../shared/simulation/factory.ts";
import type { BeforeCallHook } from "../shared/simulation/index.ts";
import { ControlRun } from "../shared/use-cases/review/control-run.ts";
import { reviewOwnerFirst } from "../shared/use-cases/review/owner-first.ts";
import { type BucketUse, QUOTAS, type QuotaTable } from "./latency-model.ts";
import { type AccountKind, buildMixedOrganization } from "./organization-mix.ts";

/** ListAccounts returns at most 20 accounts per page (the engine asks for 20). */
export const LIST_ACCOUNTS_PAGE = 20;

export type Depths = ReadonlyMap<AccountKind, number>;
export type SweepPath = "lambda" | "cli";

/**
 * A clock for dependent calls: each call waits one unit, and time moves only when nothing
 * else can run (every pending promise chain is waiting for a call), so CPU time adds nothing.
 */
export class VirtualClock {
  now = 0;
  readonly #pending: { at: number; resolve: () => void }[] = [];
  #scheduled = false;

  readonly beforeCall: BeforeCallHook = () =>
    new Promise<void>((resolve) => {
      this.#pending.push({ at: this.now + 1, resolve });
      this.#schedule();
    });

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // After every microtask and pending callback of this turn: the engine has gone idle.
    setImmediate(() => this.#advance());
  }

  #advance(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0) return;
    const at = Math.min(...this.#pending.map((p) => p.at));
    this.now = at;
    const due = this.#pending.filter((p) => p.at === at);
    this.#pending.splice(0, this.#pending.length, ...this.#pending.filter((p) => p.at !== at));
    for (const p of due) p.resolve();
    if (this.#pending.length > 0) this.#schedule();
  }
}

export interface DepthOptions {
  readonly path: SweepPath;
  /** The sweep's mode: on the deployed path sweep-account fixes, dry-run when scanning. */
  readonly mode: RunMode;
  readonly settings: Settings;
  readonly regions: number;
  readonly kinds: readonly Exclude<AccountKind, "management">[];
  /** Accounts of each kind measured; the smallest depth is kept (default 3). */
  readonly samplesPerKind?: number;
}

/** The mode the engine runs in: the deployed sweep is the fix use case, in dry-run to scan. */
export function engineMode(path: SweepPath, mode: RunMode, settings: Pick<Settings, "dryRun">): RunMode {
  return path === "lambda" ? runModeOf("fix", settings.dryRun) : mode;
}

/**
 * Depth of one review per kind, the management account's included, as the path makes them:
 * the management account first (deployed: the function knows its account, so no
 * GetCallerIdentity; CLI: one, on the management account's path), then each member.
 */
export async function measureDepths(options: DepthOptions): Promise<Map<AccountKind, number>> {
  const samples = options.samplesPerKind ?? 3;
  const clock = new VirtualClock();
  const only = Array.from({ length: samples }, () => options.kinds).flat();
  const { org, kinds } = buildMixedOrganization({
    accounts: only.length,
    regions: options.regions,
    only,
    beforeCall: clock.beforeCall,
  });
  const management = org.managementAccountId;
  const factory = simulatedFactory(org, options.settings, {
    retryDelayMs: () => 1,
    ...(options.path === "lambda" ? { caller: { accountId: management, partition: "aws", arn: "bench" } } : {}),
  });
  const run = new ControlRun(factory, options.settings, engineMode(options.path, options.mode, options.settings));
  const depths = new Map<AccountKind, number>();
  const keep = (kind: AccountKind, depth: number) => depths.set(kind, Math.min(depths.get(kind) ?? depth, depth));

  let start = clock.now;
  await reviewOwnerFirst(run);
  // DescribeOrganization is counted apart (t_s), not in the management account's depth.
  keep("management", clock.now - start - 1);
  for (const [id, kind] of kinds) {
    if (kind === "management") continue;
    if (kind === "suspended") {
      keep(kind, 0);
      continue;
    }
    const account = org.account(id);
    start = clock.now;
    await run.reviewAccount({ id, name: account.name, status: account.status });
    keep(kind, clock.now - start);
  }
  return depths;
}

export interface BoundInputs {
  readonly path: SweepPath;
  readonly latencyMs: number;
  readonly jitter?: number;
  readonly concurrency: number;
  /** SQS batch size (deployed path). */
  readonly batchSize: number;
  /** Every listed account's kind, in the organization's listing order (the management account included). */
  readonly listing: readonly AccountKind[];
  readonly depths: Depths;
  /** Deployed path: the kinds of the accounts of each batch, as the run's queue handed them out. */
  readonly batches?: readonly (readonly AccountKind[])[];
  /** The model's buckets and what each admitted. */
  readonly buckets: readonly BucketUse[];
  readonly quotas?: QuotaTable;
}

export interface LowerBound {
  readonly boundMs: number;
  /** The shortest call, L = latency × (1 − jitter). */
  readonly callMs: number;
  /** When the members' listing may start (after DescribeOrganization and the management account's review). */
  readonly startMs: number;
  readonly managementDepth: number;
  readonly pages: number;
  /** T_list, and the page (1-based) and its deepest review that give it. */
  readonly listingMs: number;
  readonly listingPage: number;
  readonly listingPageDepth: number;
  /** T_batch (deployed) or T_par (CLI). */
  readonly concurrencyMs: number;
  readonly concurrencyTerm: "T_batch" | "T_par";
  /** Σ over the batches' deepest reviews (T_batch) or over all reviews (T_par), in calls. */
  readonly concurrencyCalls: number;
  /** Deployed path: Σ_j d↓[j·b], the batches' deepest reviews with the best packing, in calls. */
  readonly bestPackingCalls?: number;
  readonly quotaMs: number;
  readonly quotaBucket: string;
  readonly binding: "T_list" | "T_batch" | "T_par" | "T_quota";
  readonly formula: string;
}

export const BOUND_FORMULA =
  "bound = max(T_list, T_batch | T_par, T_quota); L = latency·(1 − jitter); t_s = (1 + D_mgmt)·L deployed, (2 + D_mgmt)·L CLI; " +
  "page i after t_s admitted ≥ t_s + max((i−1)·L, (i − B_org)/R_org); T_list = max over pages (admission + L + page's deepest D·L); " +
  "T_batch = t_s + L + Σ_batches max D·L / ⌊C/b⌋ (the run's batches; ≥ Σ_j D↓[j·b], the best packing); T_par = t_s + Σ D·L / C; T_quota = max over buckets ((admitted − burst)/rate) + L";

export function lowerBound(input: BoundInputs): LowerBound {
  const L = input.latencyMs * (1 - (input.jitter ?? 0));
  const org = (input.quotas ?? QUOTAS).organizations.other;
  const depthOf = (kind: AccountKind) => (kind === "management" ? 0 : (input.depths.get(kind) ?? 0));
  const managementDepth = input.depths.get("management") ?? 0;
  const startMs = (input.path === "lambda" ? 1 : 2) * L + managementDepth * L;

  // T_list: each page's admission, then its deepest review.
  const pages = Math.max(1, Math.ceil(input.listing.length / LIST_ACCOUNTS_PAGE));
  let listingMs = 0;
  let listingPage = 1;
  let listingPageDepth = 0;
  for (let page = 1; page <= pages; page++) {
    const deepest = Math.max(
      0,
      ...input.listing.slice((page - 1) * LIST_ACCOUNTS_PAGE, page * LIST_ACCOUNTS_PAGE).map(depthOf),
    );
    // The CLI reads its first page before the management account's review.
    const i = input.path === "cli" ? page - 1 : page;
    const reviewsFrom = i === 0 ? startMs : startMs + Math.max((i - 1) * L, ((i - org.burst) / org.rate) * 1000) + L;
    const end = reviewsFrom + deepest * L;
    if (end > listingMs) {
      listingMs = end;
      listingPage = page;
      listingPageDepth = deepest;
    }
  }

  // T_batch / T_par: the reviews of the members, C (or ⌊C/b⌋ batches) at a time.
  const memberDepths = input.listing
    .filter((k) => k !== "management")
    .map(depthOf)
    .filter((d) => d > 0)
    .sort((a, b) => b - a);
  let concurrencyMs: number;
  let concurrencyCalls: number;
  let bestPackingCalls: number | undefined;
  if (input.path === "lambda") {
    const b = Math.max(1, input.batchSize);
    const containers = Math.max(1, Math.floor(input.concurrency / b));
    bestPackingCalls = memberDepths.filter((_, j) => j % b === 0).reduce((a, d) => a + d, 0);
    concurrencyCalls = input.batches
      ? input.batches.reduce((sum, batch) => sum + Math.max(0, ...batch.map(depthOf)), 0)
      : bestPackingCalls;
    concurrencyMs = startMs + L + (concurrencyCalls * L) / containers;
  } else {
    concurrencyCalls = memberDepths.reduce((a, d) => a + d, 0);
    concurrencyMs = startMs + (concurrencyCalls * L) / Math.max(1, input.concurrency);
  }

  // T_quota: the busiest bucket.
  let quotaMs = 0;
  let quotaBucket = "";
  for (const b of input.buckets) {
    const ms = (Math.max(0, b.admitted - b.burst) / b.rate) * 1000 + L;
    if (ms > quotaMs) {
      quotaMs = ms;
      quotaBucket = `${b.key} (${b.admitted} calls, ${b.rate}/s, burst ${b.burst})`;
    }
  }

  const concurrencyTerm = input.path === "lambda" ? "T_batch" : "T_par";
  const terms = [
    ["T_list", listingMs],
    [concurrencyTerm, concurrencyMs],
    ["T_quota", quotaMs],
  ] as const;
  const [binding, boundMs] = terms.reduce((a, b) => (b[1] > a[1] ? b : a));
  return {
    boundMs,
    callMs: L,
    startMs,
    managementDepth,
    pages,
    listingMs,
    listingPage,
    listingPageDepth,
    concurrencyMs,
    concurrencyTerm,
    concurrencyCalls,
    ...(bestPackingCalls === undefined ? {} : { bestPackingCalls }),
    quotaMs,
    quotaBucket,
    binding,
    formula: BOUND_FORMULA,
  };
}
