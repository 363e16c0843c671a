/**
 * The organization-wide use case behind `tripwire scan` and `tripwire fix`:
 *  1. Resolve the caller and the organization, list the accounts in scope.
 *  2. Review the management account first, alone: organization trails are its own, so its
 *     fix lands before the member accounts that follow that chain are judged.
 *  3. Review every other ACTIVE account, C at a time; report the others SKIPPED.
 */
import { DescribeOrganizationCommand } from "@aws-sdk/client-organizations";
import type { ClientFactory } from "../aws/client-factory.ts";
import type { Settings } from "../config/settings.ts";
import { listAccountsInScope } from "../organization/list-accounts.ts";
import { buildReport, type Report } from "../report/report.ts";
import type { AccountRef, AccountResult } from "./model.ts";
import { ControlRun, type RunMode } from "./review-account.ts";

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
  const [listing, organization] = await Promise.all([
    listAccountsInScope(org, settings),
    org.send(new DescribeOrganizationCommand({})),
  ]);
  const run = new ControlRun(factory, settings, request.mode);
  const managementId = organization.Organization?.MasterAccountId;
  const first = listing.active.filter((a) => a.id === managementId);
  const rest = listing.active.filter((a) => a.id !== managementId);

  const total = listing.active.length;
  let done = 0;
  const review = async (account: AccountRef) => {
    const result = await run.reviewAccount(account);
    request.onAccountDone?.(result, ++done, total);
    return result;
  };
  const results = [
    ...(await mapWithConcurrency(first, 1, review)),
    ...(await mapWithConcurrency(rest, settings.concurrency, review)),
    ...listing.inactive.map((a) => run.skipped(a)),
  ];
  const order = new Map([...listing.active, ...listing.inactive].map((a, i) => [a.id, i]));
  results.sort((a, b) => (order.get(a.accountId) ?? 0) - (order.get(b.accountId) ?? 0));
  return buildReport({
    mode: request.mode === "scan" ? "scan" : settings.dryRun ? "dry-run" : "fix",
    startedAt,
    finishedAt: now(),
    accounts: results,
  });
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the input order in the output. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
