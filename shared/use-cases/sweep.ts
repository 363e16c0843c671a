/**
 * The organization-wide use case behind `tripwire scan` and `tripwire fix`:
 *  1. Review the account that owns organization trails first (review/owner-first.ts).
 *  2. List the accounts in scope page by page; review each ACTIVE one as it arrives, C at a
 *     time, while the next pages are fetched; report the others SKIPPED.
 */

import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import { accountsInScope } from "../adapters/organization/accounts-reader.ts";
import type { Settings } from "../config/settings.ts";
import { mapWithConcurrency } from "../core/concurrency.ts";
import type { AccountResult, RunMode } from "../core/model.ts";
import { buildReport, type Report } from "../core/report.ts";
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
  const run = new ControlRun(factory, settings, request.mode);
  const { owner } = await reviewOwnerFirst(run);

  let active = 0;
  let done = 0;
  const results = await mapWithConcurrency(
    accountsInScope(factory.organizations(), settings),
    settings.concurrency,
    async (account) => {
      if (account.status !== "ACTIVE") return run.skipped(account);
      active++;
      const result =
        account.id === owner?.accountId ? { ...owner, name: account.name } : await run.reviewAccount(account);
      request.onAccountDone?.(result, ++done, active);
      return result;
    },
  );
  return buildReport({
    mode: request.mode,
    startedAt,
    finishedAt: now(),
    accounts: [...results.filter((r) => r.status !== "SKIPPED"), ...results.filter((r) => r.status === "SKIPPED")],
  });
}
