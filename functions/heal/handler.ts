/**
 * `heal`: consumes the heal queue, where the central bus's rule puts every drift event. One
 * batch (up to 100 events gathered over a 10-second window) is healed per account, region and
 * kind once (shared/use-cases/heal-batch.ts: validate, skip tripwire's own sessions, check
 * membership, then observe → plan → apply for that account and region). Refused and ignored
 * events are logged and deleted (a retry would not change the answer); the records of a heal
 * that failed are reported as batch item failures, so SQS delivers them again and, after
 * maxReceiveCount receives, dead-letters them. One summary line per batch, also an EMF
 * document: HealEvents, Heals, AccountsCompliant, AccountsFixed, AccountsErrored, HealLatency.
 */
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { CallerIdentity, ClientFactory } from "../../shared/adapters/aws/client-factory.ts";
import { productionFactory } from "../../shared/adapters/aws/production-factory.ts";
import type { Settings } from "../../shared/config/settings.ts";
import { type HealRun, healBatch } from "../../shared/use-cases/heal-batch.ts";
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

/** EMF keeps at most 100 values per metric; a batch holds at most 100 events. */
const MAX_LATENCIES = 100;

export function createHealHandler(deps: () => HealDeps) {
  return middy<SQSEvent, SQSBatchResponse>()
    .use(logErrors("heal", () => deps().write))
    .handler(async (event, context) => {
      const d = deps();
      const caller = callerFromContext(context, d.settings.prefix, "heal");
      const runs = await healBatch(event.Records, { settings: d.settings, factory: d.factory(caller), now: d.now });
      const reviewed = runs.flatMap((r) => (r.outcome && "result" in r.outcome ? [r.outcome] : []));
      const latencies = runs.flatMap((r) => (r.latencyMs === undefined ? [] : [r.latencyMs])).slice(0, MAX_LATENCIES);
      const metrics: MetricValue[] = [
        { name: "HealEvents", unit: "Count", value: event.Records.length },
        { name: "Heals", unit: "Count", value: reviewed.length },
        {
          name: "AccountsCompliant",
          unit: "Count",
          value: reviewed.filter((o) => o.result.status === "COMPLIANT").length,
        },
        { name: "AccountsFixed", unit: "Count", value: reviewed.filter((o) => o.status === "healed").length },
        { name: "AccountsErrored", unit: "Count", value: runs.filter((r) => r.failed).length },
      ];
      if (latencies.length > 0) metrics.push({ name: "HealLatency", unit: "Milliseconds", value: latencies });
      logSummary(d.write, {
        namespace: METRICS_NAMESPACE,
        dimensions: { Function: "heal" },
        metrics,
        properties: {
          level: runs.some((r) => r.failed) ? "ERROR" : runs.some(isRefused) ? "WARN" : "INFO",
          message: "heal summary",
          heals: runs.map(describeRun),
        },
        timestamp: d.now(),
      });
      return {
        batchItemFailures: runs
          .filter((r) => r.failed)
          .flatMap((r) => r.messageIds.map((id) => ({ itemIdentifier: id }))),
      };
    });
}

function isRefused(run: HealRun): boolean {
  return run.outcome?.status === "refused" || (run.outcome === undefined && !run.failed);
}

/** One heal in the summary: what it stood for, and what it did. */
function describeRun(run: HealRun): Record<string, unknown> {
  const outcome = run.outcome;
  const result = outcome && "result" in outcome ? outcome.result : undefined;
  return {
    status: outcome?.status ?? (run.failed ? "failed" : "refused"),
    reason: outcome?.reason ?? run.error,
    ...(run.key ? { accountId: run.key.account, region: run.key.region, kind: run.key.kind } : {}),
    messageIds: run.messageIds,
    eventNames: run.eventNames,
    ...(outcome?.event ? { eventId: outcome.event.id } : {}),
    ...(run.latencyMs === undefined ? {} : { latencyMs: run.latencyMs }),
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
          evidence: result.evidence,
          ...(result.exemption ? { exemption: result.exemption } : {}),
        }
      : {}),
  };
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
