/** A simulated organization with its live chain on, and the prove use case wired to it. */
import type { RawSettings } from "../../shared/config/settings.ts";
import { buildProveReport, type ProofRun, type ProveReport } from "../../shared/core/proof-run.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import { createSimulatedOrganization, type SimulatedOrganization } from "../../shared/simulation/index.ts";
import {
  DEFAULT_POLL_INTERVAL_MS,
  fireCanaries,
  type ProofEvent,
  type ProveDeps,
  prepareProof,
  waitForProofs,
} from "../../shared/use-cases/prove.ts";
import { HOME, OTHER, settingsFor } from "./integration-harness.ts";

/** CloudTrail's "about 5 minutes", as the live chain models it by default. */
export const DELIVERY_MS = 300_000;
export const TIMEOUT_MS = 20 * 60_000;

export function liveOrganization(): SimulatedOrganization {
  return createSimulatedOrganization({ regions: [HOME, OTHER], liveChain: { deliveryDelayMs: DELIVERY_MS } });
}

export function proveDeps(org: SimulatedOrganization, raw: RawSettings = {}, events: ProofEvent[] = []): ProveDeps {
  const settings = settingsFor(raw);
  return {
    settings,
    factory: simulatedFactory(org, settings, { sessionPurpose: "prove" }),
    clock: org.clock,
    onEvent: (e) => events.push(e),
  };
}

/**
 * The whole proof as the CLI runs it (scan, canaries, one polling loop), with a hook between
 * the scan and the canaries: a link broken there is one the scan could not see.
 */
export async function prove(
  org: SimulatedOrganization,
  raw: RawSettings = {},
  options: { readonly beforeCanaries?: () => void; readonly timeoutMs?: number; readonly events?: ProofEvent[] } = {},
): Promise<ProveReport> {
  const deps = proveDeps(org, raw, options.events);
  let run: ProofRun = await prepareProof(deps, "test-run");
  options.beforeCanaries?.();
  run = await fireCanaries(deps, run, options.timeoutMs ?? TIMEOUT_MS);
  run = await waitForProofs(deps, run, DEFAULT_POLL_INTERVAL_MS);
  return buildProveReport(run, org.clock.now());
}

export function recordOf(report: ProveReport, accountId: string) {
  const found = report.accounts.find((a) => a.accountId === accountId);
  if (!found) throw new Error(`account ${accountId} is not in the proof report`);
  return found;
}

/** The canary calls the simulation answered: AssumeRole of the canary role. */
export function canaryCalls(org: SimulatedOrganization): number {
  return org.calls
    .list({ operation: "AssumeRole" })
    .filter((c) => String((c.input as { RoleArn?: string }).RoleArn).endsWith(":role/tripwire-prove-canary")).length;
}
