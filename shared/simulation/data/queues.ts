/** Simulated SQS standard queues and their messages, on the simulated clock. */
import { createHash } from "node:crypto";

export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly sentTimestamp: number;
  /** Epoch ms from which the message may be received again (delay, visibility timeout). */
  visibleAt: number;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** The handle of the latest receive; DeleteMessage must present it. */
  receiptHandle?: string;
}

export interface QueueState {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly arn: string;
  readonly url: string;
  readonly createdTimestamp: number;
  readonly attributes: Map<string, string>;
  readonly tags: Map<string, string>;
  readonly messages: QueueMessage[];
}

export function md5(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex");
}

export function queueUrl(region: string, accountId: string, name: string): string {
  return `https://sqs.${region}.amazonaws.com/${accountId}/${name}`;
}

export function queueArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:sqs:${region}:${accountId}:${name}`;
}

/** Account, region and name of a queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`). */
export function parseQueueUrl(url: string): { region?: string; accountId: string; name: string } | undefined {
  const m = /^https?:\/\/(?:sqs\.([a-z0-9-]+)\.amazonaws\.com|[^/]+)\/(\d{12})\/([A-Za-z0-9_-]{1,80}(?:\.fifo)?)$/.exec(
    url,
  );
  if (!m) return undefined;
  return { ...(m[1] ? { region: m[1] } : {}), accountId: m[2] as string, name: m[3] as string };
}

/** Every queue of the organization, by ARN. */
export class QueueStore {
  readonly #byArn = new Map<string, QueueState>();

  get(arn: string): QueueState | undefined {
    return this.#byArn.get(arn);
  }

  put(queue: QueueState): void {
    this.#byArn.set(queue.arn, queue);
  }

  delete(arn: string): void {
    this.#byArn.delete(arn);
  }
}
