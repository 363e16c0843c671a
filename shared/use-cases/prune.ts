/**
 * `tripwire prune`, the rollback: removes what tripwire created in every in-scope ACTIVE
 * account, C at a time, and nothing else. Per account:
 *  1. Find the regions to search: the configured regions, else the regions of the log groups
 *     the account's trails deliver to (the only regions tripwire writes to) and the home region.
 *  2. Per region, find tripwire's resources (adapters/prune/own-resources-reader.ts).
 *  3. Unless dry-run, delete them in reverse dependency order: alarms (which point at the
 *     topic), then filters, then topics (deleting a topic deletes its subscriptions).
 *  4. With the securityHub setting, archive tripwire's Security Hub finding in each of those
 *     regions (use-cases/security-hub.ts): Security Hub hides it, and no later run of tripwire
 *     outside the account's new scope could.
 * A failed call stops that account and is reported; other accounts go on. Suspended accounts
 * are listed as skipped (their resources cannot be reached).
 */

import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import { listAccountsInScope } from "../adapters/organization/accounts-reader.ts";
import { findOwnResources, regionsToSearch } from "../adapters/prune/own-resources-reader.ts";
import { deleteOwnResources, type PruneAction, plannedDeletions } from "../adapters/prune/own-resources-writer.ts";
import type { Settings } from "../config/settings.ts";
import { mapWithConcurrency } from "../core/concurrency.ts";
import { describeError } from "../core/describe-error.ts";
import type { AccountRef } from "../core/model.ts";

export type { PruneAction };

export interface PruneAccountResult {
  readonly accountId: string;
  readonly name: string;
  readonly status: "PRUNED" | "NOTHING_TO_PRUNE" | "ERROR";
  readonly regions: readonly string[];
  readonly actions: readonly PruneAction[];
  readonly error?: string;
  /** What the Security Hub archive could not do (not enabled, denied): not an error of the prune. */
  readonly notes?: readonly string[];
}

export interface PruneOptions {
  readonly prefix: string;
  readonly regions?: readonly string[];
  readonly homeRegion: string;
  readonly dryRun: boolean;
  /** Archive tripwire's Security Hub finding too. */
  readonly securityHub?: boolean;
  readonly now?: () => Date;
}

export interface PruneReport {
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly accounts: readonly PruneAccountResult[];
  /** In-scope accounts that are not ACTIVE, by id, with their status. */
  readonly skipped: readonly { readonly accountId: string; readonly status: string }[];
  readonly summary: { readonly deleted: number; readonly planned: number; readonly errors: number };
}

export interface PruneRequest {
  readonly settings: Settings;
  readonly factory: ClientFactory;
  readonly onAccountDone?: (result: PruneAccountResult, done: number, total: number) => void;
  readonly now?: () => Date;
}

export async function runPrune(request: PruneRequest): Promise<PruneReport> {
  const { settings, factory } = request;
  const now = request.now ?? (() => new Date());
  const startedAt = now();
  const listing = await listAccountsInScope(factory.organizations(), settings);
  let done = 0;
  const accounts = await mapWithConcurrency(listing.active, settings.concurrency, async (account) => {
    const result = await pruneAccount(factory, account, {
      prefix: settings.prefix,
      regions: settings.regions,
      homeRegion: settings.homeRegion,
      dryRun: settings.dryRun,
      securityHub: settings.securityHub,
      now,
    });
    request.onAccountDone?.(result, ++done, listing.active.length);
    return result;
  });
  const actions = accounts.flatMap((a) => a.actions);
  return {
    dryRun: settings.dryRun,
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    accounts,
    skipped: listing.inactive.map((a) => ({ accountId: a.id, status: a.status })),
    summary: {
      deleted: actions.filter((a) => a.deleted).length,
      planned: actions.filter((a) => !a.deleted).length,
      errors: accounts.filter((a) => a.status === "ERROR").length,
    },
  };
}

/** Prunes one account; never throws: a failure is an ERROR result listing what was done before it. */
export async function pruneAccount(
  factory: ClientFactory,
  account: AccountRef,
  options: PruneOptions,
): Promise<PruneAccountResult> {
  const base = { accountId: account.id, name: account.name };
  const actions: PruneAction[] = [];
  let regions: readonly string[] = options.regions ?? [];
  try {
    const clients = await factory.forAccount(account.id);
    regions = options.regions ?? (await regionsToSearch(clients, options.homeRegion));
    for (const region of regions) {
      const found = await findOwnResources(clients, region, options.prefix);
      if (options.dryRun) actions.push(...plannedDeletions(region, found));
      else await deleteOwnResources(clients, region, found, (deleted) => actions.push(deleted));
    }
    const notes: string[] = [];
    if (options.securityHub) {
      const { archiveAccountFinding } = await import("./security-hub.ts");
      const now = options.now ?? (() => new Date());
      for (const region of regions) {
        const outcome = await archiveAccountFinding(clients, region, { now: now(), dryRun: options.dryRun });
        if (outcome.note) notes.push(outcome.note);
        if (outcome.found) {
          actions.push({ type: "finding", region, resource: outcome.findingId, deleted: outcome.archived });
        }
      }
    }
    return {
      ...base,
      status: actions.length > 0 ? "PRUNED" : "NOTHING_TO_PRUNE",
      regions,
      actions,
      ...(notes.length > 0 ? { notes } : {}),
    };
  } catch (error) {
    return { ...base, status: "ERROR", regions, actions, error: describeError(error) };
  }
}
