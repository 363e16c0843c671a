/**
 * The read-only calls a proof's checks make, each returning plain views for core/proof-hops.ts:
 * the denied AssumeRole records of a log group (FilterLogEvents), per-minute sums of metrics
 * (GetMetricData), an alarm's history (DescribeAlarmHistory), a topic's confirmed SQS
 * subscribers (ListSubscriptionsByTopic), and a look into an SQS queue that leaves it as it
 * was (ReceiveMessage with VisibilityTimeout 0; nothing is ever deleted).
 */
import { type CloudWatchClient, DescribeAlarmHistoryCommand, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { type CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { ListSubscriptionsByTopicCommand, type SNSClient } from "@aws-sdk/client-sns";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { parseArn } from "../../core/arn.ts";
import { CANARY_RECORD_PATTERN, type HistoryItemView, type LogEventView } from "../../core/proof-hops.ts";

/** Pages read per log group and check; the next check reads on. */
const MAX_LOG_PAGES = 20;
const MAX_HISTORY_PAGES = 10;
const MAX_QUERIES_PER_CALL = 500;

/** Denied STS AssumeRole records of the group whose eventTime is in [startMs, endMs]. */
export async function readCanaryRecords(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  startMs: number,
  endMs: number,
): Promise<{ events: LogEventView[]; complete: boolean }> {
  const events: LogEventView[] = [];
  let nextToken: string | undefined;
  // "Partially full or empty pages don't necessarily mean that pagination is finished": follow the token.
  for (let page = 0; page < MAX_LOG_PAGES; page++) {
    const out = await logs.send(
      new FilterLogEventsCommand({
        logGroupName,
        startTime: startMs,
        endTime: endMs,
        filterPattern: CANARY_RECORD_PATTERN,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    for (const e of out.events ?? []) {
      events.push({
        message: e.message ?? "",
        ...(e.eventId ? { eventId: e.eventId } : {}),
        ...(e.logStreamName ? { logStreamName: e.logStreamName } : {}),
        ...(e.timestamp !== undefined ? { timestamp: e.timestamp } : {}),
        ...(e.ingestionTime !== undefined ? { ingestionTime: e.ingestionTime } : {}),
      });
    }
    nextToken = out.nextToken;
    if (!nextToken) return { events, complete: true };
  }
  return { events, complete: false };
}

export interface MetricQuery {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
}

/** Sum per minute of each metric over [startMs, endMs): by query id, then minute (epoch ms). */
export async function readMetricSums(
  cloudWatch: CloudWatchClient,
  queries: readonly MetricQuery[],
  startMs: number,
  endMs: number,
): Promise<Map<string, Map<number, number>>> {
  const sums = new Map<string, Map<number, number>>();
  for (let i = 0; i < queries.length; i += MAX_QUERIES_PER_CALL) {
    const chunk = queries.slice(i, i + MAX_QUERIES_PER_CALL);
    let nextToken: string | undefined;
    do {
      const out = await cloudWatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(startMs),
          EndTime: new Date(endMs),
          ScanBy: "TimestampAscending",
          MetricDataQueries: chunk.map((q) => ({
            Id: q.id,
            MetricStat: { Metric: { Namespace: q.namespace, MetricName: q.name }, Period: 60, Stat: "Sum" },
            ReturnData: true,
          })),
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      for (const r of out.MetricDataResults ?? []) {
        if (!r.Id) continue;
        const byMinute = sums.get(r.Id) ?? new Map<number, number>();
        (r.Timestamps ?? []).forEach((t, k) => {
          const v = r.Values?.[k];
          if (v !== undefined) byMinute.set(t.getTime(), (byMinute.get(t.getTime()) ?? 0) + v);
        });
        sums.set(r.Id, byMinute);
      }
      nextToken = out.NextToken;
    } while (nextToken);
  }
  return sums;
}

/** The alarm's history items since `since`, every type, oldest first. */
export async function readAlarmHistory(
  cloudWatch: CloudWatchClient,
  alarmName: string,
  since: Date,
): Promise<HistoryItemView[]> {
  const items: HistoryItemView[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
    const out = await cloudWatch.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: alarmName,
        StartDate: since,
        EndDate: new Date(Date.UTC(9999, 0)),
        ScanBy: "TimestampAscending",
        MaxRecords: 100,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    for (const i of out.AlarmHistoryItems ?? []) {
      items.push({
        alarmName: i.AlarmName ?? alarmName,
        timestamp: i.Timestamp?.getTime() ?? 0,
        type: i.HistoryItemType ?? "",
        summary: i.HistorySummary ?? "",
        ...(i.HistoryData ? { data: i.HistoryData } : {}),
      });
    }
    nextToken = out.NextToken;
    if (!nextToken) break;
  }
  return items;
}

/** The topic's confirmed subscriptions: how many of any protocol, and the SQS queues among them. */
export async function confirmedSubscribers(
  sns: SNSClient,
  topicArn: string,
): Promise<{ confirmed: number; queues: string[] }> {
  const queues: string[] = [];
  let confirmedCount = 0;
  let nextToken: string | undefined;
  do {
    const out = await sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, ...(nextToken ? { NextToken: nextToken } : {}) }),
    );
    for (const s of out.Subscriptions ?? []) {
      const confirmed = s.SubscriptionArn?.startsWith("arn:");
      if (confirmed) confirmedCount++;
      if (confirmed && s.Protocol === "sqs" && s.Endpoint) queues.push(s.Endpoint);
    }
    nextToken = out.NextToken;
  } while (nextToken);
  return { confirmed: confirmedCount, queues };
}

export type QueueAccess =
  | { readonly readable: true; readonly queueUrl: string }
  | { readonly readable: false; readonly reason: string };

/**
 * Whether tripwire may look into the queue: its URL, and no redrive policy (every receive
 * counts toward maxReceiveCount, so reading a queue that has one could move its messages to
 * the dead-letter queue: such a queue is left alone).
 */
export async function queueAccess(sqs: SQSClient, queueArn: string): Promise<QueueAccess> {
  const arn = parseArn(queueArn);
  if (arn?.service !== "sqs") return { readable: false, reason: `${queueArn} is not an SQS queue ARN` };
  const { QueueUrl } = await sqs.send(
    new GetQueueUrlCommand({ QueueName: arn.resource, QueueOwnerAWSAccountId: arn.accountId }),
  );
  if (!QueueUrl) return { readable: false, reason: `no URL for ${queueArn}` };
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["RedrivePolicy"] }));
  if (Attributes?.RedrivePolicy) {
    return {
      readable: false,
      reason: `${queueArn} has a redrive policy: reading could send its messages to the dead-letter queue`,
    };
  }
  return { readable: true, queueUrl: QueueUrl };
}

/** Up to 10 messages, left visible to everyone else (VisibilityTimeout 0), not deleted. */
export async function peekQueue(sqs: SQSClient, queueUrl: string): Promise<{ messageId?: string; body: string }[]> {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
    }),
  );
  return (out.Messages ?? []).map((m) => ({ ...(m.MessageId ? { messageId: m.MessageId } : {}), body: m.Body ?? "" }));
}
