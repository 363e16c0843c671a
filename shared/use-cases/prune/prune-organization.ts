/**
 * `tripwire prune`: removes what tripwire created in every in-scope ACTIVE account, C at a
 * time. Suspended accounts are listed as skipped (their resources cannot be reached).
 */
import type { ClientFactory } from "../../adapters/aws/client-factory.ts";
import type { Settings } from "../../config/settings.ts";
import { mapWithConcurrency } from "../sweep.ts";
import { listAccountsInScope } from "../../adapters/organization/accounts-reader.ts";
import { pruneAccount, type PruneAccountResult } from "./prune-account.ts";

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
