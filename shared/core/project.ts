/**
 * The chain as it stands after the applied writes (pure), so the verdict after a fix is
 * judged without reading everything again. Subscriptions to SQS queues and Lambda functions
 * are confirmed at once by SNS; email and HTTPS ones wait for a person or an endpoint.
 */

import { toAlarmObservation, toFilterObservation } from "./from-sdk.ts";
import { type ChainObservation, metricKey, type OwnNamesObservation, type TopicObservation } from "./model.ts";
import type { PlannedAction } from "./plan.ts";

export function projectChain(chain: ChainObservation, applied: readonly PlannedAction[]): ChainObservation {
  let filters = [...chain.filters];
  const alarmsByMetric = { ...chain.alarmsByMetric };
  const topics: Record<string, TopicObservation> = { ...chain.topics };
  // What tripwire wrote is tripwire's: created with its tag, or updated after the tag was read.
  let ownNames: OwnNamesObservation | undefined = chain.ownNames;
  for (const action of applied) {
    switch (action.type) {
      case "create-metric-filter":
      case "update-metric-filter": {
        const filter = toFilterObservation(action.input);
        filters = [...filters.filter((f) => f.name !== filter.name), filter];
        break;
      }
      case "create-alarm":
      case "update-alarm": {
        const alarm = toAlarmObservation({ ...action.input, AlarmArn: action.resource });
        const key = metricKey(alarm.metric);
        for (const [k, list] of Object.entries(alarmsByMetric))
          alarmsByMetric[k] = list.filter((x) => x.name !== alarm.name);
        alarmsByMetric[key] = [...(alarmsByMetric[key] ?? []), alarm];
        ownNames = { ...ownNames, alarm, alarmTagged: true };
        break;
      }
      case "create-topic": {
        const kmsMasterKeyId = action.input.Attributes?.KmsMasterKeyId;
        // An encrypted topic is judged by the key it was created with, read before the plan.
        const key = kmsMasterKeyId ? chain.ownNames?.topicKey : undefined;
        topics[action.resource] = {
          arn: action.resource,
          state: "FOUND",
          confirmed: 0,
          pending: 0,
          subscriptions: [],
          ...(kmsMasterKeyId ? { kmsMasterKeyId } : {}),
          ...(key ? { key } : {}),
        };
        ownNames = { alarm: null, ...ownNames, topicTagged: true };
        break;
      }
      case "tag-alarm":
      case "tag-topic": {
        const tags = Object.fromEntries((action.input.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
        const key = action.type === "tag-alarm" ? "alarmTags" : "topicTags";
        ownNames = { alarm: null, ...ownNames, [key]: { ...ownNames?.[key], ...tags } };
        break;
      }
      case "subscribe": {
        const arn = action.input.TopicArn ?? "";
        const topic = topics[arn];
        if (topic?.state !== "FOUND") break;
        const protocol = action.input.Protocol ?? "";
        const confirmed = protocol === "sqs" || protocol === "lambda";
        topics[arn] = {
          ...topic,
          confirmed: topic.confirmed + (confirmed ? 1 : 0),
          pending: topic.pending + (confirmed ? 0 : 1),
          subscriptions: [
            ...(topic.subscriptions ?? []),
            { protocol, endpoint: action.input.Endpoint ?? "", confirmed },
          ],
        };
        break;
      }
    }
  }
  return { ...chain, filters, alarmsByMetric, topics, ...(ownNames ? { ownNames } : {}) };
}
