/**
 * The demo's proof step: `tripwire prove` of one account on the simulated organization, whose
 * live chain turns the canary into a CloudTrail record delivered five simulated minutes later,
 * counted by the filters, raising the alarm and notifying its subscribers. The clock is the
 * simulation's: the wait takes no real time.
 */
import type { Settings } from "../../config/settings.ts";
import { buildProveReport, type ProveReport } from "../../core/proof-run.ts";
import { simulatedFactory } from "../../simulation/factory.ts";
import type { SimulatedOrganization } from "../../simulation/index.ts";
import {
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_PROVE_TIMEOUT_MS,
  fireCanaries,
  prepareProof,
  waitForProofs,
} from "../../use-cases/prove.ts";
import { colorFor } from "../color.ts";
import type { CliIo } from "../io.ts";
import { renderProveReport } from "../render-proof.ts";

/**
 * Proves `accountId` and returns the report; prints it, unless `print` is false (demo --json
 * puts the report in its document instead).
 */
export async function demoProve(
  org: SimulatedOrganization,
  userSettings: Settings,
  io: CliIo,
  accountId: string,
  print = true,
): Promise<ProveReport> {
  const settings: Settings = Object.freeze({ ...userSettings, accounts: [accountId] });
  const deps = {
    settings,
    factory: simulatedFactory(org, settings, { sessionPurpose: "prove" }),
    clock: org.clock,
  };
  const started = Date.now();
  let run = await prepareProof(deps, "demo");
  run = await fireCanaries(deps, run, DEFAULT_PROVE_TIMEOUT_MS);
  run = await waitForProofs(deps, run, DEFAULT_POLL_INTERVAL_MS);
  const report = buildProveReport(run, org.clock.now());
  if (!print) return report;
  io.stdout(`${renderProveReport(report, { color: colorFor(io, "stdout") })}\n`);
  const simulated = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
  io.stdout(
    `\n(${Math.round(simulated / 60)} simulated minutes, ${Date.now() - started} ms of real time: the clock is the simulation's)\n`,
  );
  return report;
}

/** Whether the demo's proof proved every account it tried. */
export const allProven = (report: ProveReport): boolean => report.accounts.every((a) => a.status === "PROVEN");
