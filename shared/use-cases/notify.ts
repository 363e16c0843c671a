/**
 * The use case behind the notify function: one SNS record from tripwire's topic in a member
 * account becomes one readable message on the central alert topic.
 *  1. The topic's account must be a member of the organization: the Lambda permission admits
 *     any account's topic of tripwire's name (SNS cannot be narrowed to an organization there),
 *     so a stranger's message is dropped, logged, never forwarded.
 *  2. An ALARM notification is explained (use-cases/explain.ts) within a deadline.
 *  3. When every matched event is excluded, nothing is published: the suppression is
 *     returned (the handler logs it, with counts per exclusion, and counts it in EMF).
 *  4. Otherwise the enriched message is published. When the notification cannot be explained
 *     (not an alarm, another state, not tripwire's, out of scope, a timeout, throttling,
 *     access denied), the original is forwarded with the reason: an alert is never dropped
 *     for want of an explanation. A failed Publish throws, so Lambda retries the record.
 */
import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import type { AlertPublisher } from "../adapters/notify/alert-publisher.ts";
import { checkMembership } from "../adapters/organization/membership-reader.ts";
import type { Settings } from "../config/settings.ts";
import { type AlarmNotification, parseAlarmNotification } from "../core/alarm-notification.ts";
import { parseArn } from "../core/arn.ts";
import { describeError } from "../core/describe-error.ts";
import type { ExclusionRef } from "../core/exclusions.ts";
import { enrichedAlert, unenrichedAlert } from "../core/explain/alert-message.ts";
import { ExplainRefusedError } from "../core/explain/errors.ts";
import type { Explanation } from "../core/explain/explanation.ts";
import { explainAlarm } from "./explain.ts";

/** The part of a Lambda SNS event record the use case reads. */
export interface SnsRecord {
  readonly EventSource?: string;
  readonly Sns: {
    readonly TopicArn?: string;
    readonly Subject?: string | null;
    readonly Message?: string;
    readonly MessageId?: string;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

export interface NotifyDeps {
  readonly factory: ClientFactory;
  readonly settings: Settings;
  readonly publish: AlertPublisher;
  /** Longest time the explanation may take before the original is forwarded (ms). */
  readonly enrichTimeoutMs: number;
  readonly now?: () => Date;
  readonly runbookUrl?: string;
}

export type NotifyOutcome =
  | {
      readonly status: "enriched";
      readonly alarm: AlarmNotification;
      readonly explanation: Explanation;
      readonly messageId: string;
    }
  | {
      readonly status: "suppressed";
      readonly alarm: AlarmNotification;
      readonly explanation: Explanation;
      readonly suppressedBy: readonly { readonly exclusion: ExclusionRef; readonly events: number }[];
    }
  | {
      /** Published without enrichment; `reason` says why. */
      readonly status: "forwarded";
      readonly reason: string;
      readonly alarm?: AlarmNotification;
      readonly messageId: string;
    }
  | { readonly status: "dropped"; readonly reason: string; readonly topicArn?: string };

/** The explanation did not come in time. */
export class EnrichmentTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the explanation took longer than ${Math.round(timeoutMs / 1000)} s`);
    this.name = "EnrichmentTimeoutError";
  }
}

export async function notifyFromRecord(record: SnsRecord, deps: NotifyDeps): Promise<NotifyOutcome> {
  const { settings } = deps;
  const topicArn = record.Sns.TopicArn;
  const topicAccount = topicArn ? parseArn(topicArn)?.accountId : undefined;
  const raw = { subject: record.Sns.Subject ?? undefined, message: record.Sns.Message ?? "" };
  const options = deps.runbookUrl ? { runbookUrl: deps.runbookUrl } : {};
  const forward = async (reason: string, alarm?: AlarmNotification): Promise<NotifyOutcome> => {
    const messageId = await deps.publish(unenrichedAlert({ ...raw, ...(alarm ? { alarm } : {}) }, reason, options));
    return { status: "forwarded", reason, ...(alarm ? { alarm } : {}), messageId };
  };

  // 1. Only the organization's topics.
  if (!topicAccount) return { status: "dropped", reason: "the record names no SNS topic of an account" };
  let verifiedMember: { accountId: string; name: string } | undefined;
  try {
    const membership = await checkMembership(deps.factory.organizations(), topicAccount, undefined);
    if (!membership.member && membership.why === "not-a-member") {
      return { status: "dropped", reason: `topic ${topicArn} belongs to ${membership.reason}`, topicArn };
    }
    // A member that is not ACTIVE is refused by explain's own check, and forwarded.
    if (membership.member) verifiedMember = { accountId: topicAccount, name: membership.account.name };
  } catch (error) {
    // Membership unknown: the message may be a genuine alert, and is never dropped then.
    return forward(`the topic's account could not be checked: ${describeError(error)}`);
  }

  // 2. Explain an ALARM.
  let alarm: AlarmNotification;
  try {
    alarm = parseAlarmNotification({ Records: [{ ...record, EventSource: record.EventSource ?? "aws:sns" }] });
  } catch (error) {
    return forward((error as Error).message);
  }
  if (alarm.newState !== "ALARM") {
    return forward(`the alarm went to ${alarm.newState}: only ALARM notifications are explained`, alarm);
  }
  let explanation: Explanation;
  try {
    explanation = await withDeadline(deps.enrichTimeoutMs, (signal) =>
      explainAlarm(alarm, {
        factory: deps.factory,
        settings,
        signal,
        countBeyondCap: 0,
        ...(deps.now ? { now: deps.now } : {}),
        ...(verifiedMember ? { verifiedMember } : {}),
      }),
    );
  } catch (error) {
    const why = error instanceof ExplainRefusedError ? error.message : describeError(error);
    return forward(why, alarm);
  }

  // 3. Everything excluded: no page.
  if (explanation.matched > 0 && explanation.excluded === explanation.matched) {
    return { status: "suppressed", alarm, explanation, suppressedBy: explanation.excludedByExclusion };
  }

  // 4. The enriched message.
  const messageId = await deps.publish(enrichedAlert(explanation, options));
  return { status: "enriched", alarm, explanation, messageId };
}

/** Runs `work` with a signal that aborts after `ms`; rejects with EnrichmentTimeoutError then. */
async function withDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new EnrichmentTimeoutError(ms);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
