/**
 * `heal`: target of the rule on the central event bus. Runs the heal use case on the drift
 * event (validate, skip tripwire's own sessions, check membership, then observe → plan →
 * apply for that account and region). A refused or ignored event is logged and dropped (a
 * retry would not change the answer); a failed review throws, so Lambda retries it and then
 * sends it to the heal dead-letter queue. One summary line per event, also an EMF document:
 * HealEvents, AccountsCompliant, AccountsFixed, AccountsErrored, HealLatency.
 */
import middy from "@middy/core";
import type { EventBridgeEvent } from "aws-lambda";
import type { CallerIdentity, ClientFactory } from "../../shared/adapters/aws/client-factory.ts";
import { productionFactory } from "../../shared/adapters/aws/production-factory.ts";
import type { Settings } from "../../shared/config/settings.ts";
import { type HealOutcome, healFromEvent } from "../../shared/use-cases/heal.ts";
import { callerFromContext } from "../runtime/client-factory.ts";
import type { MetricValue } from "../runtime/emf.ts";
import { METRICS_NAMESPACE, settingsFromEnvironment } from "../runtime/environment.ts";
import { type LogWriter, logSummary, stdoutWriter } from "../runtime/log.ts";
import { logErrors } from "../runtime/log-errors.ts";

export interface HealDeps {
  readonly settings: Settings;
  readonly factory: (caller?: CallerIdentity) => ClientFactory;
  readonly now: () => Date;
  readonly write: LogWriter;
}

/** The review of the event's account ended in ERROR: thrown so Lambda retries the event. */
export class HealFailedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "HealFailedError";
  }
}

export function createHealHandler(deps: () => HealDeps) {
  return middy<EventBridgeEvent<string, unknown>, { status: HealOutcome["status"]; reason: string }>()
    .use(logErrors("heal", () => deps().write))
    .handler(async (event, context) => {
      const d = deps();
      const caller = callerFromContext(context, d.settings.prefix, "heal");
      const outcome = await healFromEvent(event, { settings: d.settings, factory: d.factory(caller), now: d.now });
      const result = "result" in outcome ? outcome.result : undefined;
      const metrics: MetricValue[] = [
        { name: "HealEvents", unit: "Count", value: 1 },
        { name: "AccountsCompliant", unit: "Count", value: result?.status === "COMPLIANT" ? 1 : 0 },
        { name: "AccountsFixed", unit: "Count", value: outcome.status === "healed" ? 1 : 0 },
        { name: "AccountsErrored", unit: "Count", value: outcome.status === "failed" ? 1 : 0 },
      ];
      if ("latencyMs" in outcome) metrics.push({ name: "HealLatency", unit: "Milliseconds", value: outcome.latencyMs });
      logSummary(d.write, {
        namespace: METRICS_NAMESPACE,
        dimensions: { Function: "heal" },
        metrics,
        properties: {
          level: outcome.status === "failed" ? "ERROR" : outcome.status === "refused" ? "WARN" : "INFO",
          message: "heal summary",
          status: outcome.status,
          reason: outcome.reason,
          eventId: typeof event.id === "string" ? event.id : undefined,
          ...(outcome.event
            ? { accountId: outcome.event.account, region: outcome.event.region, eventName: outcome.event.eventName }
            : {}),
          ...(result
            ? {
                accountStatus: result.status,
                findings: result.findings.map((f) => f.code),
                actions: result.actions.map((a) => ({
                  type: a.type,
                  region: a.region,
                  resource: a.resource,
                  applied: a.applied,
                })),
              }
            : {}),
        },
        timestamp: d.now(),
      });
      if (outcome.status === "failed") throw new HealFailedError(outcome.reason);
      return { status: outcome.status, reason: outcome.reason };
    });
}

let production: HealDeps | undefined;

function productionDeps(): HealDeps {
  if (!production) {
    const settings = settingsFromEnvironment(process.env);
    production = {
      settings,
      factory: (caller) => productionFactory(settings, "heal", caller),
      now: () => new Date(),
      write: stdoutWriter,
    };
  }
  return production;
}

export const handler = createHealHandler(productionDeps);
