/**
 * The heal function's use case: one SQS batch from the heal queue, where the central bus's
 * rule puts each drift event (the record's body is the EventBridge event). The queue's
 * batching window gathers the events of a burst; here they coalesce, so that one account
 * deleting its chain piece by piece costs one heal, not one per call:
 *  1. A body that is not JSON is refused (dropped, logged). A body that is not a drift event
 *     goes to the heal use case alone, which refuses it without an AWS call.
 *  2. The other events are grouped by account, region and kind (repair: the chain; report: the
 *     trail). A group is healed once, by heal.ts's healFromEvent on one representative event:
 *     the earliest; when the heal ignores it (a failed call, tripwire's own session), the next
 *     one is tried, so a customer's deletion is never hidden behind tripwire's own write.
 *  3. An account and region's repair runs before its report, one after the other: the
 *     trail's report then judges the chain as repaired. Groups of different accounts or
 *     regions run side by side, `concurrency` at a time.
 * Every record of a group shares its outcome; the heal latency runs from the group's first
 * event. Records of a group whose heal failed are reported as batch item failures (retried,
 * then dead-lettered); refused and ignored records are not.
 */
import type { SQSRecord } from "aws-lambda";
import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import type { Settings } from "../config/settings.ts";
import { mapWithConcurrency } from "../core/concurrency.ts";
import { describeError } from "../core/describe-error.ts";
import { type DriftEvent, parseDriftEvent } from "../core/drift/parse-drift-event.ts";
import { type HealOutcome, healFromEvent } from "./heal.ts";

export interface HealBatchDeps {
  readonly settings: Settings;
  readonly factory: ClientFactory;
  readonly now?: () => Date;
}

/** One heal of the batch: a group's, or a lone record's (refused, malformed). */
export interface HealRun {
  /** The group's account, region and kind, when the events parsed. */
  readonly key?: { readonly account: string; readonly region: string; readonly kind: DriftEvent["kind"] };
  /** The records it stands for, the representative first. */
  readonly messageIds: readonly string[];
  /** The event names it coalesced, in event-time order. */
  readonly eventNames: readonly string[];
  /** Undefined when the heal threw (Organizations unreachable, ...): then `error` says why. */
  readonly outcome?: HealOutcome;
  /** From the group's first event to the end of its heal; only for heals that reviewed the account. */
  readonly latencyMs?: number;
  readonly error?: string;
  /** Its records are batch item failures. */
  readonly failed: boolean;
}

interface Parsed {
  readonly record: SQSRecord;
  readonly raw: unknown;
  readonly event: DriftEvent;
}

export async function healBatch(records: readonly SQSRecord[], deps: HealBatchDeps): Promise<HealRun[]> {
  const lone: Promise<HealRun>[] = [];
  const groups = new Map<string, Parsed[]>();
  for (const record of records) {
    let raw: unknown;
    try {
      raw = JSON.parse(record.body);
    } catch {
      lone.push(Promise.resolve(notJson(record)));
      continue;
    }
    let event: DriftEvent;
    try {
      event = parseDriftEvent(raw);
    } catch {
      lone.push(healAlone(record, raw, deps));
      continue;
    }
    const key = `${event.account}/${event.region}`;
    groups.set(key, [...(groups.get(key) ?? []), { record, raw, event }]);
  }
  const grouped = await mapWithConcurrency(groups.values(), deps.settings.concurrency, async (events) => {
    const runs: HealRun[] = [];
    // Repair first: the trail's report then judges the chain as repaired.
    for (const kind of ["repair", "report"] as const) {
      const group = events.filter((p) => p.event.kind === kind);
      if (group.length > 0) runs.push(await healOne(group, deps));
    }
    return runs;
  });
  return [...(await Promise.all(lone)), ...grouped.flat()];
}

/** A body that is not a drift event: the heal use case refuses it, with its own message and no AWS call. */
async function healAlone(record: SQSRecord, raw: unknown, deps: HealBatchDeps): Promise<HealRun> {
  const base = { messageIds: [record.messageId], eventNames: [] };
  try {
    const outcome = await healFromEvent(raw, {
      settings: deps.settings,
      factory: deps.factory,
      ...(deps.now ? { now: deps.now } : {}),
    });
    return { ...base, outcome, failed: outcome.status === "failed" };
  } catch (error) {
    return { ...base, error: describeError(error), failed: true };
  }
}

/** Heals a group through its first event the heal does not ignore. */
async function healOne(group: readonly Parsed[], deps: HealBatchDeps): Promise<HealRun> {
  const ordered = [...group].sort((a, b) => a.event.eventTime.getTime() - b.event.eventTime.getTime());
  const [head] = ordered;
  if (!head) throw new RangeError("a heal group holds at least one event");
  const first = head.event;
  const base = {
    key: { account: first.account, region: first.region, kind: first.kind },
    eventNames: ordered.map((p) => p.event.eventName),
  };
  let outcome: HealOutcome | undefined;
  let representative = head;
  try {
    for (const candidate of ordered) {
      representative = candidate;
      outcome = await healFromEvent(candidate.raw, {
        settings: deps.settings,
        factory: deps.factory,
        ...(deps.now ? { now: deps.now } : {}),
      });
      if (outcome.status !== "ignored") break;
    }
  } catch (error) {
    return { ...base, messageIds: ids(ordered, representative), error: describeError(error), failed: true };
  }
  const latencyMs =
    outcome && "latencyMs" in outcome
      ? outcome.latencyMs + (outcome.event.eventTime.getTime() - first.eventTime.getTime())
      : undefined;
  return {
    ...base,
    messageIds: ids(ordered, representative),
    ...(outcome ? { outcome } : {}),
    ...(latencyMs === undefined ? {} : { latencyMs }),
    failed: outcome?.status === "failed",
  };
}

/** The group's message ids, the representative's first. */
function ids(group: readonly Parsed[], representative: Parsed): string[] {
  return [representative.record.messageId, ...group.filter((p) => p !== representative).map((p) => p.record.messageId)];
}

function notJson(record: SQSRecord): HealRun {
  return {
    messageIds: [record.messageId],
    eventNames: [],
    error: "malformed event: the queue message's body is not JSON",
    failed: false,
  };
}
