/**
 * The organization-wide use case behind `tripwire scan` and `tripwire fix`:
 *  1. Ask Organizations which account is the management account, and start its review at
 *     once: organization trails are its own, so members judged by their chain wait for it
 *     (in a fix, they are judged on the repaired chain).
 *  2. List the accounts in scope page by page; review each ACTIVE one as it arrives, C at a
 *     time, while the next pages are fetched; report the others SKIPPED.
 */
import { DescribeOrganizationCommand } from "@aws-sdk/client-organizations";
import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import type { Settings } from "../config/settings.ts";
import { accountsInScope } from "../adapters/organization/accounts-reader.ts";
import { buildReport, type Report } from "../core/report.ts";
import type { AccountRef, AccountResult } from "../core/model.ts";
import { ControlRun, type RunMode } from "./review/control-run.ts";

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
  const org = factory.organizations();
  const organization = await org.send(new DescribeOrganizationCommand({}));
  const run = new ControlRun(factory, settings, request.mode);

  const managementId = organization.Organization?.MasterAccountId;
  // Its name comes with its page of the listing; under an OU, it is reviewed when listed.
  const managementFirst =
    managementId && !settings.ou && !settings.excludeAccounts.includes(managementId) && (!settings.accounts || settings.accounts.includes(managementId))
      ? run.reviewOwner({ id: managementId, name: "", status: "ACTIVE" })
      : undefined;

  const listed: AccountRef[] = [];
  let done = 0;
  const results = await mapWithConcurrency(accountsInScope(org, settings), settings.concurrency, async (account) => {
    listed.push(account);
    let result: AccountResult;
    if (account.status !== "ACTIVE") return run.skipped(account);
    if (account.id === managementId && managementFirst) result = { ...(await managementFirst), name: account.name };
    else if (account.id === managementId) result = await run.reviewOwner(account);
    else result = await run.reviewAccount(account);
    request.onAccountDone?.(result, ++done, listed.filter((a) => a.status === "ACTIVE").length);
    return result;
  });
  return buildReport({
    mode: request.mode === "scan" ? "scan" : settings.dryRun ? "dry-run" : "fix",
    startedAt,
    finishedAt: now(),
    accounts: [...results.filter((r) => r.status !== "SKIPPED"), ...results.filter((r) => r.status === "SKIPPED")],
  });
}

/**
 * Runs `fn` over the items of `source` (a list, or a stream such as the account listing),
 * at most `limit` at a time, taking the next item as soon as a slot frees; the output keeps
 * the order of the source.
 */
export async function mapWithConcurrency<T, R>(
  source: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  const out: R[] = [];
  let next = 0;
  const worker = async () => {
    for (;;) {
      const item = await iterator.next();
      if (item.done) return;
      const i = next++;
      out[i] = await fn(item.value);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return out;
}
