/**
 * The CloudTrail API calls that signal drift of the control (docs/drift-events.md), as EventBridge
 * delivers them ("AWS API Call via CloudTrail"). One list, used by the heal use case, by the
 * event rules of the central stack and the member template (a test checks they agree), and
 * by the sample events.
 */

export const CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail";

export const DRIFT_EVENTS = {
  "logs.amazonaws.com": ["DeleteMetricFilter", "PutMetricFilter", "DeleteLogGroup"],
  "monitoring.amazonaws.com": ["DeleteAlarms", "PutMetricAlarm", "DisableAlarmActions"],
  "sns.amazonaws.com": ["DeleteTopic", "Unsubscribe", "SetTopicAttributes"],
  "cloudtrail.amazonaws.com": ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"],
} as const satisfies Record<string, readonly string[]>;

export type DriftEventSource = keyof typeof DRIFT_EVENTS;

/** EventBridge `source` of a CloudTrail-delivered call: "aws." and the service's endpoint prefix. */
export function eventBridgeSource(eventSource: DriftEventSource): string {
  return `aws.${eventSource.split(".")[0]}`;
}

/**
 * What the heal does with an event: a change to the chain (filter, alarm, topic) is repaired;
 * a change to the trail is re-evaluated and reported, never changed by tripwire.
 */
export function healKind(eventSource: DriftEventSource): "repair" | "report" {
  return eventSource === "cloudtrail.amazonaws.com" ? "report" : "repair";
}

export function isDriftEvent(eventSource: string, eventName: string): eventSource is DriftEventSource {
  const names: readonly string[] | undefined = (DRIFT_EVENTS as Record<string, readonly string[]>)[eventSource];
  return names?.includes(eventName) === true;
}

/** The EventBridge pattern that matches every drift event (and nothing else of interest). */
export function driftEventPattern(): {
  source: string[];
  "detail-type": string[];
  detail: { eventSource: string[]; eventName: string[] };
} {
  const sources = Object.keys(DRIFT_EVENTS) as DriftEventSource[];
  return {
    source: sources.map(eventBridgeSource),
    "detail-type": [CLOUDTRAIL_DETAIL_TYPE],
    detail: {
      eventSource: sources,
      eventName: sources.flatMap((s) => [...DRIFT_EVENTS[s]]),
    },
  };
}
