/**
 * The use case for one account: observe → evaluate → plan → apply → judge again.
 *  1. Open the account (its own credentials, or AssumeRole); a refusal is ROLE_NOT_ASSUMABLE.
 *  2. List the trails it sees from one region (multi-region trails show everywhere).
 *  3. Observe the chains of its own multi-region trails.
 *  4. Evaluate; in fix mode, plan the account's own chain and, unless dry-run, apply it.
 *  5. Judge the state after the run: the observation with the applied writes projected on it.
 *     Only when none of its own chains is complete, read the chain it follows in another
 *     account (an organization trail's): once per run, shared by every member.
 */
import { ClientFactory, RoleNotAssumableError, describeError, type AccountClients } from "../../adapters/aws/client-factory.ts";
import type { Settings } from "../../config/settings.ts";
import { applyPlan } from "../../adapters/apply.ts";
import { evaluateAccount, evaluateChain, type ChainVerdict } from "../../core/evaluate.ts";
import type { AccountRef, AccountResult, ActionReport, ChainObservation, TopicObservation, TrailSummary } from "../../core/model.ts";
import { observeChain, observePlanInputs, observeTrails, readTopic } from "../../adapters/observe.ts";
import { needsRemediation, planRemediation } from "../../core/plan.ts";
import { projectChain } from "../../core/project.ts";
import { SharedChainCache } from "./shared-chains.ts";

export type RunMode = "scan" | "fix";

export interface ReviewScope {
  /** Heal: plan and apply only for chains in this region. */
  readonly region?: string;
  /**
   * Heal of a filter, alarm or topic event: when the account has a chain of its own, observe
   * only its own chains (not an organization trail's in another account) and not the
   * trail's state, which such an event cannot change: the repair needs neither.
   */
  readonly chainOnly?: boolean;
}

export interface ControlRunOptions {
  /** Chains shared by several accounts; give one that outlives the run to reuse them across runs. */
  readonly sharedChains?: SharedChainCache;
}

const NO_SCANNER_DATA = { securityHub: "NO_DATA", steampipe: "NO_DATA", prowler: "NO_DATA" } as const;

/**
 * State shared by the accounts of one run: the client factory, the chains of organization
 * trails (read once, by whoever needs them first), and the reviews that such chains wait on.
 */
export class ControlRun {
  readonly #shared: SharedChainCache;
  /** Reviews in progress of accounts that own shared chains: a member judged by such a chain waits for its fix. */
  readonly #ownerReviews = new Map<string, Promise<unknown>>();
  /** Accounts that own a shared chain: their clients stay open for the whole run. */
  readonly #chainOwners = new Set<string>();

  constructor(
    readonly factory: ClientFactory,
    readonly settings: Settings,
    readonly mode: RunMode,
    options: ControlRunOptions = {},
  ) {
    this.#shared = options.sharedChains ?? new SharedChainCache();
  }

  /**
   * Reviews the account that owns organization trails (the management account) and makes
   * every member whose verdict follows one of those chains wait for that review, so that in
   * a fix the members are judged on the repaired chain. Reviews of other members go on.
   */
  reviewOwner(account: AccountRef): Promise<AccountResult> {
    const review = this.reviewAccount(account);
    this.#ownerReviews.set(account.id, review);
    return review;
  }

  get dryRun(): boolean {
    return this.mode === "scan" || this.settings.dryRun;
  }

  /** Region the trails are listed from: the first region in scope, or the home region. */
  get primaryRegion(): string {
    return this.settings.regions?.[0] ?? this.settings.homeRegion;
  }

  inScope(region: string): boolean {
    return !this.settings.regions || this.settings.regions.includes(region);
  }

  /** Reviews one ACTIVE account; never throws: failures become an ERROR result. */
  async reviewAccount(account: AccountRef, scope: ReviewScope = {}): Promise<AccountResult> {
    try {
      return await this.#review(account, scope);
    } finally {
      // Thousands of accounts in one run: keep no account's clients longer than its review.
      if (!this.#chainOwners.has(account.id)) this.factory.release(account.id);
    }
  }

  async #review(account: AccountRef, scope: ReviewScope): Promise<AccountResult> {
    const base = { accountId: account.id, name: account.name };
    let clients: AccountClients;
    try {
      clients = await this.factory.forAccount(account.id);
    } catch (error) {
      const message = error instanceof RoleNotAssumableError ? error.message : describeError(error);
      return {
        ...base,
        status: "ERROR",
        findings: [{ code: "ROLE_NOT_ASSUMABLE", region: "global", message }],
        actions: [],
        scanners: NO_SCANNER_DATA,
        error: message,
      };
    }
    let actions: readonly ActionReport[] = [];
    try {
      const trails = await observeTrails(clients, scope.region ?? this.primaryRegion);
      const multiRegion = trails.filter((t) => t.isMultiRegion);
      const isOwn = (t: TrailSummary) => (t.logGroup?.accountId ?? t.ownerAccountId) === account.id;
      const own = multiRegion.filter(isOwn);
      const foreign = multiRegion.filter((t) => !isOwn(t));
      const chainOnly = scope.chainOnly === true && own.length > 0;
      const observed = await Promise.all(own.map((t) => this.#chain(t, clients, chainOnly)));
      let verdicts = new Map(observed.map((c) => [c.trail.arn, evaluateChain(c, this.settings.prefix)]));

      let applyError: string | undefined;
      if (this.mode === "fix") {
        const chosen = this.#chooseChainToFix(account.id, observed, verdicts, scope);
        if (chosen && needsRemediation(verdicts.get(chosen.trail.arn) as ChainVerdict, this.settings.filterProfile)) {
          const target = await observePlanInputs(clients, chosen, this.settings.prefix);
          const plan = planRemediation(target, evaluateChain(target, this.settings.prefix), {
            accountId: account.id,
            partition: clients.partition,
            prefix: this.settings.prefix,
            filterProfile: this.settings.filterProfile,
            notify: this.settings.notify,
          });
          if (this.dryRun) {
            actions = plan.map((a) => ({ type: a.type, region: a.region, resource: a.resource, applied: false }));
          } else if (plan.length > 0) {
            const outcome = await applyPlan(clients, plan);
            actions = outcome.reports;
            applyError = outcome.error;
            const after = projectChain(target, outcome.applied);
            if (target.trail.isOrganizationTrail) this.#shared.set(target.trail.arn, Promise.resolve(after));
            verdicts = new Map(verdicts).set(after.trail.arn, evaluateChain(after, this.settings.prefix));
          }
        }
      }
      // Another account's chain (an organization trail's) decides the verdict only when none of
      // the account's own chains does the job, after its fix: only then is it read.
      let judged = trails;
      if ([...verdicts.values()].some((v) => v.complete) || chainOnly) {
        judged = trails.filter((t) => !foreign.includes(t));
      } else if (foreign.length > 0) {
        const followed = await Promise.all(foreign.map((t) => this.#chain(t, clients, false)));
        verdicts = new Map([...verdicts, ...followed.map((c) => [c.trail.arn, evaluateChain(c, this.settings.prefix)] as const)]);
      }
      const verdict = evaluateAccount(account.id, judged, verdicts);
      return {
        ...base,
        status: applyError ? "ERROR" : verdict.compliant ? "COMPLIANT" : "NON_COMPLIANT",
        findings: verdict.findings,
        actions,
        scanners: verdict.scanners,
        ...(applyError ? { error: applyError } : {}),
      };
    } catch (error) {
      return { ...base, status: "ERROR", findings: [], actions, scanners: NO_SCANNER_DATA, error: describeError(error) };
    }
  }

  /** A SKIPPED result for an account that is not ACTIVE. */
  skipped(account: AccountRef): AccountResult {
    return {
      accountId: account.id,
      name: account.name,
      status: "SKIPPED",
      findings: [],
      actions: [],
      scanners: NO_SCANNER_DATA,
      error: `account status is ${account.status}`,
    };
  }

  /**
   * The chain this account may write to: its own trail's, in scope, preferring one that
   * already works, then one whose trail is healthy. Organization trails are fixed by the
   * account that owns them, in its own review.
   */
  #chooseChainToFix(
    accountId: string,
    chains: readonly ChainObservation[],
    verdicts: ReadonlyMap<string, ChainVerdict>,
    scope: ReviewScope,
  ): ChainObservation | undefined {
    const own = chains.filter(
      (c) =>
        c.trail.logGroup?.accountId === accountId &&
        c.logGroupExists &&
        this.inScope(c.trail.logGroup.region) &&
        (!scope.region || c.trail.logGroup.region === scope.region),
    );
    const rank = (c: ChainObservation) => {
      const v = verdicts.get(c.trail.arn);
      return v?.complete ? 0 : v?.trailHealthy ? 1 : 2;
    };
    return [...own].sort((a, b) => rank(a) - rank(b))[0];
  }

  /**
   * A trail's chain. The account's own trail is read with its own clients, every time. An
   * organization trail's chain is read once and shared: by its owner, fresh, because the
   * owner may fix it; by a member, after the owner's review in this run if there is one.
   */
  async #chain(trail: TrailSummary, reviewer: AccountClients, chainOnly: boolean): Promise<ChainObservation> {
    const ownerId = trail.logGroup?.accountId ?? trail.ownerAccountId;
    const read = (clients: AccountClients) =>
      observeChain(clients, trail, {
        prefix: this.settings.prefix,
        readTrailState: !chainOnly,
        readForeignTopic: (arn) => this.#readForeignTopic(arn),
      });
    if (!trail.isOrganizationTrail && ownerId === reviewer.accountId) return read(reviewer);
    this.#chainOwners.add(ownerId);
    if (ownerId === reviewer.accountId) {
      const chain = read(reviewer);
      // A partial read (no trail state) is the owner's own business, not for members to follow.
      if (!chainOnly) this.#shared.set(trail.arn, chain);
      return chain;
    }
    await this.#ownerReviews.get(ownerId)?.catch(() => undefined);
    let chain = this.#shared.get(trail.arn);
    if (!chain) {
      chain = this.factory.forAccount(ownerId).then(read);
      this.#shared.set(trail.arn, chain);
    }
    return chain;
  }

  async #readForeignTopic(arn: string): Promise<TopicObservation> {
    const accountId = arn.split(":")[4] ?? "";
    try {
      return await readTopic(await this.factory.forAccount(accountId), arn);
    } catch (error) {
      return { arn, state: "UNREADABLE", reason: describeError(error) };
    }
  }
}

