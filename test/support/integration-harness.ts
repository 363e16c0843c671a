/** A simulated organization wired to the engine, for the integration tests. */
import { loadSettings, type RawSettings, type Settings } from "../../shared/config/settings.ts";
import type { AccountResult } from "../../shared/core/model.ts";
import type { Report } from "../../shared/core/report.ts";
import { runModeOf } from "../../shared/core/run-mode.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import type { SimulatedOrganization } from "../../shared/simulation/index.ts";
import { runSweep } from "../../shared/use-cases/sweep.ts";

export { HOME, newOrganization, OTHER, SQS_NOTIFY, scenarios, writeCalls } from "./simulated-organization.ts";

export function settingsFor(raw: RawSettings = {}): Settings {
  return loadSettings({ cli: { concurrency: "4", maxAttempts: "4", ...raw }, env: {} });
}

export async function sweep(org: SimulatedOrganization, mode: "scan" | "fix", raw: RawSettings = {}): Promise<Report> {
  const settings = settingsFor(raw);
  return runSweep({ mode: runModeOf(mode, settings.dryRun), settings, factory: simulatedFactory(org, settings) });
}

export function accountOf(report: Report, id: string): AccountResult {
  const found = report.accounts.find((a) => a.accountId === id);
  if (!found) throw new Error(`account ${id} is not in the report`);
  return found;
}

export const codesOf = (result: AccountResult) => result.findings.map((f) => f.code);
