/**
 * One run of the fault suite (see fault-suite.test.ts), and the tally of what all runs saw.
 */
import { expect } from "vitest";
import { loadSettings, type Settings } from "../../shared/config/settings.ts";
import type { RunMode } from "../../shared/core/model.ts";
import type { Report } from "../../shared/core/report.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import type { SimulatedOrganization } from "../../shared/simulation/index.ts";
import { runSweep } from "../../shared/use-cases/sweep.ts";
import { clearFaults, type FaultKind, injectFaults } from "./fault-plan.ts";
import type { RunPlan } from "./generators.ts";
import { actionViolations, statusViolations, successfulWrites, verdicts } from "./invariants.ts";
import { differences, type ResourceMap, resourcesOf } from "./resources.ts";
import { buildOrganization, EMAIL_NOTIFY, fillerId, MANAGEMENT_ID, memberId, PREFIX, SQS_NOTIFY } from "./world.ts";

/** What the runs saw, for the one summary line the suite prints. */
export const tally = {
  runs: 0,
  modes: new Map<RunMode, number>(),
  faults: new Map<FaultKind, number>(),
  accountResults: 0,
  errorResults: 0,
  accountsWithoutStatus: 0,
  leftOutByIncompleteListing: 0,
  incompleteListings: 0,
  stoppedBeforeAnyWrite: 0,
  customerResourcesChanged: 0,
  actionsChecked: 0,
  actionMismatches: 0,
  rerunsDiffering: 0,
  faultFreeFixes: 0,
  thirdRuns: 0,
  thirdRunsSkipped: 0,
  thirdRunWrites: 0,
};

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function settingsOf(plan: RunPlan): Settings {
  const ids = [MANAGEMENT_ID, ...plan.organization.members.map((_, i) => memberId(i))];
  const accounts = plan.accounts?.map((i) => ids[i % ids.length] as string);
  const settings = loadSettings({
    cli: {
      concurrency: String(plan.concurrency),
      maxAttempts: String(plan.maxAttempts),
      filterProfile: plan.filterProfile,
      prefix: PREFIX,
      notify: plan.emailToo ? [SQS_NOTIFY, EMAIL_NOTIFY] : [SQS_NOTIFY],
      ...(accounts ? { accounts: accounts.join(",") } : {}),
    },
    env: {},
  });
  // The setting starts at 1 s; the simulated factory takes any value, so hung calls cost little.
  return { ...settings, callTimeout: plan.callTimeout };
}

type Outcome = { readonly report: Report } | { readonly error: unknown };

async function sweep(org: SimulatedOrganization, settings: Settings, mode: RunMode): Promise<Outcome> {
  try {
    return { report: await runSweep({ mode, settings, factory: simulatedFactory(org, settings) }) };
  } catch (error) {
    return { error };
  }
}

function reportOf(outcome: Outcome, what: string): Report {
  if ("error" in outcome) throw new Error(`${what} failed: ${String(outcome.error)}`, { cause: outcome.error });
  return outcome.report;
}

function scopeOf(org: SimulatedOrganization, settings: Settings): string[] {
  return settings.accounts ? [...new Set(settings.accounts)] : org.accountIds();
}

function suspendedOf(plan: RunPlan): Set<string> {
  const ids = plan.organization.members.flatMap((m, i) => (m.suspended ? [memberId(i)] : []));
  for (let i = 0; i < plan.organization.fillers; i++) ids.push(fillerId(i));
  return new Set(ids);
}

/** Accounts whose role cannot be assumed by construction: ERROR even without a fault. */
function roleMissingOf(plan: RunPlan): Set<string> {
  return new Set(plan.organization.members.flatMap((m, i) => (m.roleMissing && !m.suspended ? [memberId(i)] : [])));
}

/** A fix without faults of the plan's organization, built afresh. */
async function cleanFix(plan: RunPlan, settings: Settings): Promise<{ report: Report; tripwire: ResourceMap }> {
  const org = buildOrganization(plan.organization, plan.seed);
  const report = reportOf(await sweep(org, settings, "fix"), "the clean fix");
  return { report, tripwire: resourcesOf(org).tripwire };
}

/**
 * One run of the suite: the faulted run, the rerun without faults compared with a clean fix from
 * the start, and the third run; each invariant is asserted with its name as the message.
 */
export async function exercise(plan: RunPlan): Promise<void> {
  tally.runs++;
  bump(tally.modes, plan.mode);
  const settings = settingsOf(plan);
  const org = buildOrganization(plan.organization, plan.seed);
  const accountIds = [MANAGEMENT_ID, ...plan.organization.members.map((_, i) => memberId(i))];
  const inScope = scopeOf(org, settings);
  const suspended = suspendedOf(plan);
  const customerBefore = resourcesOf(org).customer;

  // 1. The faulted run.
  const injected = injectFaults(org, accountIds, plan.faults, plan.listing);
  org.calls.reset();
  const faulted = await sweep(org, settings, plan.mode);
  const faultedWrites = successfulWrites(org);
  const hits = injected.hits();
  for (const [kind, n] of hits) bump(tally.faults, kind, n);
  clearFaults(org);

  const afterFaulted = resourcesOf(org);
  const changedAfterFaults = differences(customerBefore, afterFaulted.customer);
  tally.customerResourcesChanged += changedAfterFaults.length;
  expect(changedAfterFaults, "no customer resource is changed or deleted by the faulted run").toEqual([]);

  if ("error" in faulted) {
    // A failure before any account was reviewed (the listing cannot start, Organizations
    // cannot be asked): the CLI exits 2, and nothing may have been written.
    tally.stoppedBeforeAnyWrite++;
    expect(
      faultedWrites.map((w) => `${w.accountId} ${w.operation}`),
      `a run that stops (${String(faulted.error)}) has written nothing`,
    ).toEqual([]);
  } else {
    const { report } = faulted;
    const status = statusViolations(report, inScope, suspended);
    tally.accountResults += report.accounts.length;
    tally.errorResults += report.accounts.filter((a) => a.status === "ERROR").length;
    tally.leftOutByIncompleteListing += report.listing.complete ? 0 : status.leftOut;
    tally.incompleteListings += report.listing.complete ? 0 : 1;
    tally.accountsWithoutStatus += status.violations.filter((v) => v.includes("no status")).length;
    expect(status.violations, "every in-scope account has exactly one status").toEqual([]);
    if (!report.listing.complete)
      expect((hits.get("listing") ?? 0) > 0, "only a failing listing makes it incomplete").toBe(true);

    const actions = actionViolations(org, report, plan.mode, faultedWrites);
    tally.actionsChecked += actions.applied + actions.notApplied;
    tally.actionMismatches += actions.violations.length;
    expect(actions.violations, "each action's applied matches the simulated state").toEqual([]);
  }

  // 2. A rerun without faults ends where a clean fix from the start ends.
  org.calls.reset();
  const rerun = reportOf(await sweep(org, settings, "fix"), "the rerun without faults");
  const rerunWrites = successfulWrites(org);
  expect(statusViolations(rerun, inScope, suspended).violations, "the rerun gives each account one status").toEqual([]);
  expect(actionViolations(org, rerun, "fix", rerunWrites).violations, "the rerun's actions match its writes").toEqual(
    [],
  );
  const roleMissing = roleMissingOf(plan);
  expect(
    rerun.accounts.filter((a) => a.status === "ERROR" && !roleMissing.has(a.accountId)).map((a) => a.error),
    "without faults, only an account whose role is missing is ERROR",
  ).toEqual([]);
  const afterRerun = resourcesOf(org);
  const changedAfterRerun = differences(customerBefore, afterRerun.customer);
  tally.customerResourcesChanged += changedAfterRerun.length;
  expect(changedAfterRerun, "no customer resource is changed or deleted by the rerun").toEqual([]);

  // A fix that no fault hit is itself the clean fix from the start (same organization, same
  // settings, every call answered): it is the reference then, and saves a run.
  const faultFree = plan.mode === "fix" && "report" in faulted && [...hits.values()].every((n) => n === 0);
  const clean = faultFree
    ? { report: faulted.report, tripwire: afterFaulted.tripwire }
    : await cleanFix(plan, settings);
  if (faultFree) tally.faultFreeFixes++;
  const sameResources = differences(clean.tripwire, afterRerun.tripwire);
  const sameVerdicts = differences(verdicts(clean.report), verdicts(rerun));
  tally.rerunsDiffering += sameResources.length + sameVerdicts.length > 0 ? 1 : 0;
  expect(sameResources, "the rerun leaves tripwire's resources as a clean fix does").toEqual([]);
  expect(sameVerdicts, "the rerun leaves each account's status and findings as a clean fix does").toEqual([]);

  // 3. A third run writes nothing. When the rerun wrote nothing, the third run would start
  // from the very state the rerun started from, with no fault: it is the rerun again, already
  // checked. Skipping it saves a quarter of the suite's time.
  if (rerunWrites.length === 0) {
    tally.thirdRunsSkipped++;
    return;
  }
  org.calls.reset();
  reportOf(await sweep(org, settings, "fix"), "the third run");
  const third = successfulWrites(org).map((w) => `${w.accountId} ${w.region} ${w.operation}`);
  tally.thirdRuns++;
  tally.thirdRunWrites += third.length;
  expect(third, "a third run writes nothing").toEqual([]);
}

/** The suite's summary line, from what the runs counted. */
export function summary(seed: number): string {
  const list = (m: Map<string, number>) =>
    [...m]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
  const faults = [...tally.faults.values()].reduce((a, b) => a + b, 0);
  return (
    `fault suite: ${tally.runs} runs (seed ${seed}; ${list(tally.modes)}), ` +
    `${faults} faults injected (${list(tally.faults)}), ` +
    `${tally.accountResults} account results under faults (${tally.errorResults} ERROR), ` +
    `${tally.accountsWithoutStatus} accounts without a status, ` +
    `${tally.leftOutByIncompleteListing} left out by ${tally.incompleteListings} incomplete listings (reported), ` +
    `${tally.stoppedBeforeAnyWrite} runs stopped before any write, ` +
    `${tally.customerResourcesChanged} customer resources changed, ` +
    `${tally.actionsChecked} actions checked against the simulation (${tally.actionMismatches} mismatched), ` +
    `${tally.rerunsDiffering} reruns differing from a clean fix (${tally.faultFreeFixes} fixes no fault hit), ` +
    `${tally.thirdRunWrites} writes by ${tally.thirdRuns} third runs (${tally.thirdRunsSkipped} reruns wrote nothing)`
  );
}
