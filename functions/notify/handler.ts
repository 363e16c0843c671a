/**
 * `notify`: subscribed (by fix and the sweep) to tripwire's topic in every account and region.
 * Each alarm notification becomes one readable message on the central security alert topic:
 * who made the unauthorized calls, what they called, the window, a console link
 * (shared/use-cases/notify.ts). A notification whose every matched event is excluded does not
 * page: the suppression is logged, with counts per exclusion. One that cannot be explained is
 * forwarded as it came, with the reason. A message from a topic outside the organization is
 * dropped. A failed Publish fails the invocation, so Lambda retries it (twice), then keeps the
 * event in the notify dead-letter queue. One summary line per invocation, also an EMF
 * document: Notifications, NotificationsEnriched, NotificationsForwarded,
 * NotificationsSuppressed, NotificationsDropped, ExcludedEvents.
 */
import { SNSClient } from "@aws-sdk/client-sns";
import middy from "@middy/core";
import type { SNSEvent } from "aws-lambda";
import type { CallerIdentity, ClientFactory } from "../../shared/adapters/aws/client-factory.ts";
import { productionFactory } from "../../shared/adapters/aws/production-factory.ts";
import { type AlertPublisher, snsAlertPublisher } from "../../shared/adapters/notify/alert-publisher.ts";
import type { Settings } from "../../shared/config/settings.ts";
import { type NotifyOutcome, notifyFromRecord, type SnsRecord } from "../../shared/use-cases/notify.ts";
import { callerFromContext } from "../runtime/client-factory.ts";
import { METRICS_NAMESPACE, requiredVariable, settingsFromEnvironment } from "../runtime/environment.ts";
import { type LogWriter, logSummary, stdoutWriter } from "../runtime/log.ts";
import { logErrors } from "../runtime/log-errors.ts";

export interface NotifyFunctionDeps {
  readonly settings: Settings;
  readonly factory: (caller?: CallerIdentity) => ClientFactory;
  /** The central alert topic's publisher, on the function's own clients. */
  readonly publisher: (factory: ClientFactory) => AlertPublisher;
  readonly now: () => Date;
  readonly write: LogWriter;
}

/** Time kept after the explanation's deadline to publish (enriched or not) before Lambda's timeout. */
export const PUBLISH_RESERVE_MS = 10_000;
const MIN_ENRICH_MS = 1_000;
const DEFAULT_REMAINING_MS = 60_000;

export function createNotifyHandler(deps: () => NotifyFunctionDeps) {
  return middy<SNSEvent, void>()
    .use(logErrors("notify", () => deps().write))
    .handler(async (event, context) => {
      const d = deps();
      const factory = d.factory(callerFromContext(context, d.settings.prefix, "notify"));
      const publish = d.publisher(factory);
      const remaining = context?.getRemainingTimeInMillis?.() ?? DEFAULT_REMAINING_MS;
      const { runbookUrl } = d.settings;
      const outcomes: NotifyOutcome[] = [];
      // One record per invocation in practice (SNS invokes Lambda per message); in order, so
      // a failed Publish leaves the later records to the retry.
      for (const record of event.Records ?? []) {
        outcomes.push(
          await notifyFromRecord(record as unknown as SnsRecord, {
            factory,
            settings: d.settings,
            publish,
            enrichTimeoutMs: Math.max(MIN_ENRICH_MS, remaining - PUBLISH_RESERVE_MS),
            now: d.now,
            ...(runbookUrl ? { runbookUrl } : {}),
          }),
        );
      }
      const count = (status: NotifyOutcome["status"]) => outcomes.filter((o) => o.status === status).length;
      const excludedEvents = outcomes.reduce(
        (n, o) => n + (o.status === "suppressed" || o.status === "enriched" ? o.explanation.excluded : 0),
        0,
      );
      logSummary(d.write, {
        namespace: METRICS_NAMESPACE,
        dimensions: { Function: "notify" },
        metrics: [
          { name: "Notifications", unit: "Count", value: outcomes.length },
          { name: "NotificationsEnriched", unit: "Count", value: count("enriched") },
          { name: "NotificationsForwarded", unit: "Count", value: count("forwarded") },
          { name: "NotificationsSuppressed", unit: "Count", value: count("suppressed") },
          { name: "NotificationsDropped", unit: "Count", value: count("dropped") },
          { name: "ExcludedEvents", unit: "Count", value: excludedEvents },
        ],
        properties: {
          level: count("dropped") + count("forwarded") > 0 ? "WARN" : "INFO",
          message: "notify summary",
          notifications: outcomes.map(describeOutcome),
        },
        timestamp: d.now(),
      });
    });
}

function describeOutcome(o: NotifyOutcome): Record<string, unknown> {
  const alarm =
    o.status === "dropped" || !o.alarm
      ? {}
      : { alarm: o.alarm.alarmName, accountId: o.alarm.accountId, region: o.alarm.region };
  switch (o.status) {
    case "enriched":
      return {
        status: o.status,
        ...alarm,
        matched: o.explanation.matched,
        excluded: o.explanation.excluded,
        unconfirmed: o.explanation.unconfirmed.length,
        messageId: o.messageId,
      };
    case "suppressed":
      return {
        status: o.status,
        ...alarm,
        matched: o.explanation.matched,
        suppressedBy: o.suppressedBy.map((s) => ({ ...s.exclusion, events: s.events })),
      };
    case "forwarded":
      return { status: o.status, ...alarm, reason: o.reason, messageId: o.messageId };
    case "dropped":
      return { status: o.status, reason: o.reason, ...(o.topicArn ? { topicArn: o.topicArn } : {}) };
  }
}

let production: NotifyFunctionDeps | undefined;

function productionDeps(): NotifyFunctionDeps {
  if (!production) {
    const settings = settingsFromEnvironment(process.env);
    const topicArn = requiredVariable(process.env, "TRIPWIRE_ALERT_TOPIC_ARN");
    production = {
      settings,
      factory: (caller) => productionFactory(settings, "notify", caller),
      publisher: (factory) => snsAlertPublisher(factory.caller(SNSClient), topicArn),
      now: () => new Date(),
      write: stdoutWriter,
    };
  }
  return production;
}

export const handler = createNotifyHandler(productionDeps);
