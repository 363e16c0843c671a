/**
 * What the simulated services hold besides their resources: log events per log group, metric
 * datapoints and alarm history per account and region, SQS queues, and the record of SNS
 * deliveries. Everything is created on first use, so an organization that never puts a log
 * event or publishes a message pays one empty object.
 */
import type { AlarmHistoryItem } from "@aws-sdk/client-cloudwatch";
import { SeededRandom } from "../determinism.ts";
import type { LogGroupState } from "../state.ts";
import { LogEventStore } from "./log-events.ts";
import { MetricStore } from "./metrics.ts";
import { QueueStore } from "./queues.ts";

/** One SNS delivery attempt to one subscription. */
export interface SnsDelivery {
  readonly topicArn: string;
  readonly messageId: string;
  readonly subscriptionArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  /** Epoch ms on the simulated clock. */
  readonly at: number;
  /** False when the endpoint does not exist (an SQS queue that was deleted, ...). */
  readonly delivered: boolean;
  readonly subject?: string;
  readonly message: string;
}

/** The event a Lambda function subscribed to a topic receives (the Lambda SNS event shape). */
export interface LambdaSnsEvent {
  readonly Records: readonly {
    readonly EventVersion: "1.0";
    readonly EventSubscriptionArn: string;
    readonly EventSource: "aws:sns";
    readonly Sns: {
      readonly Type: "Notification";
      readonly MessageId: string;
      readonly TopicArn: string;
      readonly Subject?: string;
      readonly Message: string;
      readonly Timestamp: string;
      readonly SignatureVersion: "1";
      readonly Signature: string;
      readonly SigningCertUrl: string;
      readonly UnsubscribeUrl: string;
      readonly MessageAttributes: Record<string, { readonly Type: string; readonly Value: string }>;
    };
  }[];
}

export interface LambdaInvocation {
  readonly functionArn: string;
  readonly subscriptionArn: string;
  /** Epoch ms on the simulated clock. */
  readonly at: number;
  readonly event: LambdaSnsEvent;
}

/** Receives each Lambda invocation an SNS delivery makes; may be async (its work is awaited by `sleep`). */
export type LambdaListener = (invocation: LambdaInvocation) => unknown;

export class DataPlane {
  readonly queues = new QueueStore();
  readonly snsDeliveries: SnsDelivery[] = [];
  readonly lambdaInvocations: LambdaInvocation[] = [];
  readonly lambdaListeners = new Set<LambdaListener>();
  /** Ids of messages and log events: a generator of its own, so the resources' ids do not shift. */
  readonly random: SeededRandom;
  readonly #logEvents = new WeakMap<LogGroupState, LogEventStore>();
  readonly #metrics = new Map<string, MetricStore>();
  readonly #alarmHistory = new Map<string, AlarmHistoryItem[]>();
  #order = 0;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  /** The group's events; created on first use. Deleting the group drops them with it. */
  logEvents(group: LogGroupState): LogEventStore {
    let store = this.#logEvents.get(group);
    if (!store) {
      store = new LogEventStore();
      this.#logEvents.set(group, store);
    }
    return store;
  }

  peekLogEvents(group: LogGroupState): LogEventStore | undefined {
    return this.#logEvents.get(group);
  }

  /** The next ingestion order number (shared by every log group, so it also orders across them). */
  nextLogEventOrder(): number {
    return ++this.#order;
  }

  metrics(accountId: string, region: string): MetricStore {
    const key = `${accountId}/${region}`;
    let store = this.#metrics.get(key);
    if (!store) {
      store = new MetricStore();
      this.#metrics.set(key, store);
    }
    return store;
  }

  peekMetrics(accountId: string, region: string): MetricStore | undefined {
    return this.#metrics.get(`${accountId}/${region}`);
  }

  /** Alarm history of an account and region, oldest first; kept when the alarm is deleted, as AWS does. */
  alarmHistory(accountId: string, region: string): AlarmHistoryItem[] {
    const key = `${accountId}/${region}`;
    let items = this.#alarmHistory.get(key);
    if (!items) {
      items = [];
      this.#alarmHistory.set(key, items);
    }
    return items;
  }

  peekAlarmHistory(accountId: string, region: string): readonly AlarmHistoryItem[] {
    return this.#alarmHistory.get(`${accountId}/${region}`) ?? [];
  }
}
