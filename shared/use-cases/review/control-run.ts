/**
 * The use case for one account, in three steps:
 *  1. Observe (read-only): open the account (its own credentials, or AssumeRole; a refusal is
 *     ROLE_NOT_ASSUMABLE), list the trails it sees from one region, read the chains of its
 *     own multi-region trails.
 *  2. Decide (pure, core/decide.ts): which chain tripwire may write to, and whether another
 *     account's chain (an organization trail's) must be read to judge the account.
 *  3. Act: in dry-run and fix, plan that chain's writes; in fix, apply them, then judge the
 *     state after the run from the observation with the applied writes projected on it.
 *  4. With the securityHub setting, import the verdict into the account's Security Hub
 *     (../security-hub.ts, loaded only then), with the account's clients, before they are
 *     released.
 * An account with a documented exemption (core/exemptions.ts) is reviewed read-only whatever
 * the run's mode and reported EXEMPT; once the exemption has expired it is reviewed like any
 * other, with an EXEMPTION_EXPIRED finding.
 */

import type { AccountClients } from "../../adapters/aws/account-clients.ts";
import type { ClientFactory } from "../../adapters/aws/client-factory.ts";
import { RoleNotAssumableError } from "../../adapters/aws/role-not-assumable-error.ts";
import { observeChain, observePlanInputs, readOwnershipProofs } from "../../adapters/chain-reader.ts";
import { applyPlan } from "../../adapters/chain-writer.ts";
import { readTopic } from "../../adapters/topic-reader.ts";
import { observeTrails } from "../../adapters/trail-reader.ts";
import type { Settings } from "../../config/settings.ts";
import { arnAccount } from "../../core/arn.ts";
import { judgedRegion } from "../../core/control-finding.ts";
import { chooseChainToFix, needsForeignChains, splitTrails } from "../../core/decide.ts";
import { describeError } from "../../core/describe-error.ts";
import { type ChainVerdict, evaluateAccount, evaluateChain } from "../../core/evaluate.ts";
import { type Exemption, exemptionOf, exemptionReport } from "../../core/exemptions.ts";
import type {
  AccountRef,
  AccountResult,
  ActionReport,
  ChainObservation,
  Finding,
  RunMode,
  TopicObservation,
  TrailSummary,
} from "../../core/model.ts";
import { needsPlan, type PlanContext, planRemediation } from "../../core/plan.ts";
import { projectChain } from "../../core/project.ts";
import { SharedChainCache } from "./shared-chains.ts";

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
  /** The time exemptions are judged at, and the Security Hub finding's UpdatedAt (default: now). */
  readonly now?: () => Date;
}

/** What the review of one account used, for the steps after the verdict. */
interface Reviewed {
  clients?: AccountClients;
  /** Only the chain was read, not the trail's state (a heal of a chain event). */
  partial: boolean;
}

const NO_EVIDENCE = { chains: [] } as const;
const NO_SCANNER_DATA = { securityHub: "NO_DATA", steampipe: "NO_DATA", prowler: "NO_DATA" } as const;

/**
 * State shared by the accounts of one run: the client factory and the chains of
 * organization trails (read once, by whoever needs them first).
 */
export class ControlRun {
  readonly #shared: SharedChainCache;
  /**
   * Accounts whose clients serve other accounts' reviews (the owner of a shared chain, the
   * account of a topic another account's alarm notifies): their clients stay open for the whole
   * run, since releasing them ends their leases (client-pool.ts).
   */
  readonly #lent = new Set<string>();
  readonly #now: () => Date;

  constructor(
    readonly factory: ClientFactory,
    readonly settings: Settings,
    readonly mode: RunMode,
    options: ControlRunOptions = {},
  ) {
    this.#shared = options.sharedChains ?? new SharedChainCache();
    this.#now = options.now ?? (() => new Date());
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
    const reviewed: Reviewed = { partial: false };
    try {
      const result = await this.#judge(account, scope, reviewed);
      return this.settings.securityHub ? await this.#publish(result, reviewed) : result;
    } finally {
      // Thousands of accounts in one run: keep no account's clients longer than its review.
      if (!this.#lent.has(account.id)) this.factory.release(account.id);
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
      evidence: NO_EVIDENCE,
      error: `account status is ${account.status}`,
    };
  }

  /**
   * The account's finding in its own Security Hub. An account that could not be opened has no
   * clients to import with; a heal that read only the chain imports a failing verdict (the
   * chain it read is broken, whatever the trail) but not a passing one (it did not read the
   * trail): the next sweep imports that.
   */
  async #publish(result: AccountResult, reviewed: Reviewed): Promise<AccountResult> {
    const { notImported, publishAccountFinding } = await import("../security-hub.ts");
    const region = judgedRegion(result, this.primaryRegion);
    if (!reviewed.clients) {
      return {
        ...result,
        securityHub: notImported(result, region, "the account could not be opened: no finding imported"),
      };
    }
    if (reviewed.partial && result.status === "COMPLIANT") {
      const why = "a heal of a chain event does not read the trail: the next sweep imports the account's verdict";
      return { ...result, securityHub: notImported(result, region, why) };
    }
    const imported = await publishAccountFinding(reviewed.clients, result, {
      region,
      mode: this.mode,
      now: this.#now(),
    });
    return { ...result, securityHub: imported };
  }

  /** The account's verdict, its exemption applied: an exempt account is read, never written to. */
  async #judge(account: AccountRef, scope: ReviewScope, reviewed: Reviewed): Promise<AccountResult> {
    const exemption = exemptionOf(this.settings.exemptions, account.id, this.#now());
    if (exemption?.state === "active")
      return exempt(await this.#review(account, scope, reviewed, "scan"), exemption.exemption);
    const result = await this.#review(account, scope, reviewed, this.mode);
    return exemption ? expired(result, exemption.exemption) : result;
  }

  async #review(account: AccountRef, scope: ReviewScope, reviewed: Reviewed, mode: RunMode): Promise<AccountResult> {
    const base = { accountId: account.id, name: account.name };
    let clients: AccountClients;
    try {
      clients = await this.factory.forAccount(account.id);
      reviewed.clients = clients;
    } catch (error) {
      const message = error instanceof RoleNotAssumableError ? error.message : describeError(error);
      return {
        ...base,
        status: "ERROR",
        findings: [{ code: "ROLE_NOT_ASSUMABLE", region: "global", message }],
        actions: [],
        scanners: NO_SCANNER_DATA,
        evidence: NO_EVIDENCE,
        error: message,
      };
    }
    let actions: readonly ActionReport[] = [];
    try {
      // 1. Observe.
      const trails = await observeTrails(clients, scope.region ?? this.primaryRegion);
      const { own, foreign } = splitTrails(account.id, trails);
      const chainOnly = scope.chainOnly === true && own.length > 0;
      reviewed.partial = chainOnly;
      const observed = await Promise.all(own.map((t) => this.#chain(t, clients, chainOnly)));
      let verdicts = new Map(observed.map((c) => [c.trail.arn, evaluateChain(c, this.settings.prefix)]));

      // 2. Decide, 3. act.
      let applyError: string | undefined;
      let planFindings: readonly Finding[] = [];
      const chosen =
        mode === "scan"
          ? undefined
          : chooseChainToFix(account.id, observed, verdicts, {
              inScope: (region) => this.inScope(region),
              ...(scope.region ? { region: scope.region } : {}),
            });
      if (chosen && needsPlan(chosen, verdicts.get(chosen.trail.arn) as ChainVerdict, this.#planContext(clients))) {
        const outcome = await this.#remediate(clients, chosen, mode);
        actions = outcome.actions;
        planFindings = outcome.findings;
        applyError = outcome.error;
        if (outcome.after)
          verdicts = new Map(verdicts).set(outcome.after.trail.arn, evaluateChain(outcome.after, this.settings.prefix));
      }

      let judged = trails.filter((t) => !foreign.includes(t));
      if (needsForeignChains(verdicts.values(), foreign, chainOnly)) {
        const followed = await Promise.all(foreign.map((t) => this.#chain(t, clients, false)));
        verdicts = new Map([
          ...verdicts,
          ...followed.map((c) => [c.trail.arn, evaluateChain(c, this.settings.prefix)] as const),
        ]);
        judged = trails;
      }
      const verdict = evaluateAccount(account.id, judged, verdicts);
      return {
        ...base,
        status: applyError ? "ERROR" : verdict.compliant ? "COMPLIANT" : "NON_COMPLIANT",
        findings: [...verdict.findings, ...planFindings],
        actions,
        scanners: verdict.scanners,
        evidence: verdict.evidence,
        ...(applyError ? { error: applyError } : {}),
      };
    } catch (error) {
      return {
        ...base,
        status: "ERROR",
        findings: [],
        actions,
        scanners: NO_SCANNER_DATA,
        evidence: NO_EVIDENCE,
        error: describeError(error),
      };
    }
  }

  /**
   * Plans the chain's writes (reading the tags of the resources of tripwire's names it would
   * write to, when it needs them); in fix mode applies them and returns the chain as it stands
   * after. NAME_TAKEN findings come back with an empty plan.
   */
  async #remediate(
    clients: AccountClients,
    chain: ChainObservation,
    mode: RunMode,
  ): Promise<{
    actions: readonly ActionReport[];
    findings: readonly Finding[];
    error?: string;
    after?: ChainObservation;
  }> {
    const ctx = this.#planContext(clients);
    let target = await observePlanInputs(clients, chain, this.settings.prefix, ctx);
    const verdict = evaluateChain(target, this.settings.prefix);
    let plan = planRemediation(target, verdict, ctx);
    if (plan.proofsNeeded.length > 0) {
      target = await readOwnershipProofs(clients, target, plan.proofsNeeded, this.settings.prefix);
      plan = planRemediation(target, verdict, ctx);
    }
    const { actions, findings } = plan;
    if (mode !== "fix") {
      return {
        actions: actions.map((a) => ({ type: a.type, region: a.region, resource: a.resource, applied: false })),
        findings,
      };
    }
    if (actions.length === 0) return { actions: [], findings };
    const outcome = await applyPlan(clients, actions);
    const after = projectChain(target, outcome.applied);
    if (target.trail.isOrganizationTrail) this.#shared.set(target.trail.arn, Promise.resolve(after));
    return { actions: outcome.reports, findings, after, ...(outcome.error ? { error: outcome.error } : {}) };
  }

  #planContext(clients: AccountClients): PlanContext {
    const { prefix, filterProfile, notify, owner, runbookUrl, topicKmsKey } = this.settings;
    return {
      accountId: clients.accountId,
      partition: clients.partition,
      prefix,
      filterProfile,
      notify,
      ...(owner ? { owner } : {}),
      ...(runbookUrl ? { runbookUrl } : {}),
      ...(topicKmsKey ? { topicKmsKey } : {}),
    };
  }

  /**
   * A trail's chain. The account's own trail is read with its own clients, every time. An
   * organization trail's chain is read once and shared: by its owner, fresh, because the
   * owner may fix it; by a member, from the run's cache (the owner, reviewed first, put it there).
   */
  async #chain(trail: TrailSummary, reviewer: AccountClients, chainOnly: boolean): Promise<ChainObservation> {
    const ownerId = trail.logGroup?.accountId ?? trail.ownerAccountId;
    const read = (clients: AccountClients) =>
      observeChain(clients, trail, {
        prefix: this.settings.prefix,
        chainOnly,
        readForeignTopic: (arn) => this.#readForeignTopic(arn),
      });
    if (!trail.isOrganizationTrail && ownerId === reviewer.accountId) return read(reviewer);
    this.#lent.add(ownerId);
    if (ownerId === reviewer.accountId) {
      const chain = read(reviewer);
      // A partial read (no trail state) is the owner's own business, not for members to follow.
      if (!chainOnly) this.#shared.set(trail.arn, chain);
      return chain;
    }
    let chain = this.#shared.get(trail.arn);
    if (!chain) {
      chain = this.factory.forAccount(ownerId).then(read);
      this.#shared.set(trail.arn, chain);
    }
    return chain;
  }

  /** A topic of another account, read with that account's clients; a failure makes the review ERROR. */
  async #readForeignTopic(arn: string): Promise<TopicObservation> {
    const accountId = arnAccount(arn);
    this.#lent.add(accountId);
    return readTopic(await this.factory.forAccount(accountId), arn);
  }
}

/** An exempt account's result: what was seen, reported EXEMPT, nothing written. */
function exempt(result: AccountResult, exemption: Exemption): AccountResult {
  return { ...result, status: "EXEMPT", actions: [], exemption: exemptionReport(exemption) };
}

/** A result after the exemption ended: judged as any other, and saying the exemption is over. */
function expired(result: AccountResult, exemption: Exemption): AccountResult {
  return {
    ...result,
    findings: [
      ...result.findings,
      {
        code: "EXEMPTION_EXPIRED",
        region: "global",
        message: `the exemption of account ${result.accountId} ended after ${exemption.expires} (owner ${exemption.owner}: ${exemption.reason}); the account is judged again`,
      },
    ],
    exemption: exemptionReport(exemption),
  };
}
