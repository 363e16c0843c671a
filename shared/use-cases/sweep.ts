/**
 * The organization-wide use case behind `tripwire scan` and `tripwire fix`:
 *  1. Open the listing of the accounts in scope: an explicit account list is resolved here,
 *     whole, and otherwise the first page is read, so an id outside the organization, or a
 *     listing that cannot start, stops the run before any review.
 *  2. Review the account that owns organization trails first (review/owner-first.ts).
 *  3. List the accounts page by page; review each ACTIVE one as it arrives, C at a time,
 *     while the next pages are fetched; report the others SKIPPED.
 *  4. When the listing stops for good (a page failing beyond its retries), the accounts
 *     already listed still finish, and the report says the listing is incomplete and why.
 */

import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import { AccountListingError, openAccountListing } from "../adapters/organization/accounts-reader.ts";
import type { Settings } from "../config/settings.ts";
import { mapWithConcurrency } from "../core/concurrency.ts";
import type { AccountRef, AccountResult, RunMode } from "../core/model.ts";
import { buildReport, type ListingState, type Report } from "../core/report.ts";
import { ControlRun } from "./review/control-run.ts";
import { reviewOwnerFirst } from "./review/owner-first.ts";

export interface SweepRequest {
  readonly mode: RunMode;
  readonly settings: Settings;
  readonly factory: ClientFactory;
  /** Called after each account, for progress output. */
  readonly onAccountDone?: (result: AccountResult, done: number, total: number) => void;
  readonly now?: () => Date;
}

export async function runSweep(request: SweepRequest): Promise<Report> {
  const now = request.now ?? (() => new Date());
  const startedAt = now();
  const { settings, factory } = request;
  const run = new ControlRun(factory, settings, request.mode, { now });
  const accounts = await openAccountListing(factory.organizations(), settings, {
    ...(factory.retryDelayMs ? { pageRetryDelayMs: factory.retryDelayMs } : {}),
  });
  const { owner } = await reviewOwnerFirst(run);

  let listing: ListingState = { complete: true };
  async function* untilTheListingStops(): AsyncGenerator<AccountRef> {
    try {
      yield* accounts;
    } catch (error) {
      if (!(error instanceof AccountListingError)) throw error;
      listing = { complete: false, error: error.message };
    }
  }

  let active = 0;
  let done = 0;
  const results = await mapWithConcurrency(untilTheListingStops(), settings.concurrency, async (account) => {
    if (account.status !== "ACTIVE") return run.skipped(account);
    active++;
    const result =
      account.id === owner?.accountId ? { ...owner, name: account.name } : await run.reviewAccount(account);
    request.onAccountDone?.(result, ++done, active);
    return result;
  });
  // The owner was reviewed first; if the listing stopped before its page, it is reported all the same.
  if (owner && !results.some((r) => r.accountId === owner.accountId)) results.unshift(owner);
  return buildReport({
    mode: request.mode,
    startedAt,
    finishedAt: now(),
    accounts: [...results.filter((r) => r.status !== "SKIPPED"), ...results.filter((r) => r.status === "SKIPPED")],
    listing,
  });
}
