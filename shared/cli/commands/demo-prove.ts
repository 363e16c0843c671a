/**
 * The demo's proof step: `tripwire prove` of one account on the simulated organization, whose
 * live chain turns the canary into a CloudTrail record delivered five simulated minutes later,
 * counted by the filters, raising the alarm and notifying its subscribers. The clock is the
 * simulation's: the wait takes no real time.
 */
import type { Settings } from "../../config/settings.ts";
import { buildProveReport } from "../../core/proof-run.ts";
import { simulatedFactory } from "../../simulation/factory.ts";
import type { SimulatedOrganization } from "../../simulation/index.ts";
import {
  DEFAULT_POLL_INTERVAL_MS,
  DEFAULT_PROVE_TIMEOUT_MS,
  fireCanaries,
  prepareProof,
  waitForProofs,
} from "../../use-cases/prove.ts";
import type { CliIo } from "../io.ts";
import { renderProveReport } from "../render-proof.ts";

/** Proves `accountId`; returns whether it was PROVEN. */
export async function demoProve(
  org: SimulatedOrganization,
  userSettings: Settings,
  io: CliIo,
  accountId: string,
): Promise<boolean> {
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
  io.stdout(`${renderProveReport(report, { color: io.isTty })}\n`);
  const simulated = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
  io.stdout(
    `\n(${Math.round(simulated / 60)} simulated minutes, ${Date.now() - started} ms of real time: the clock is the simulation's)\n`,
  );
  return report.accounts.every((a) => a.status === "PROVEN");
}
