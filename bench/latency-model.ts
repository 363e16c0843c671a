/**
 * The benchmark's latency and quota model, as a simulation `beforeCall` hook:
 *  1. Every call costs `latencyMs` of wall time (optionally ± a seeded jitter), throttled or not:
 *     a refusal is a round trip too.
 *  2. Before that, the call takes one token from each bucket that governs it (per account +
 *     region + operation, plus per caller account + region for STS, per organization for
 *     Organizations). An empty bucket answers with the service's real throttling error
 *     (`throttlingError(service)`), which the SDK's retry middleware above the simulation retries
 *     with its backoff: throttling costs real time, as it does against AWS.
 *  3. It counts calls (per operation, per account, throttled or not) instead of keeping records,
 *     so 5,000 accounts cost a few maps, not a call log.
 * No Math.random: jitter comes from the seeded generator of the simulation.
 */
import { SeededRandom } from "../shared/simulation/determinism.ts";
import {
  type BeforeCallHook,
  type ServiceId,
  type SimulatedCall,
  throttlingError,
} from "../shared/simulation/index.ts";

/** Who shares a bucket. */
export type BucketScope =
  /** One bucket per account, region and operation (most AWS APIs). */
  | "account-region-operation"
  /** One bucket per calling account and region, shared by the service's operations (STS). */
  | "caller-region"
  /** One bucket for the whole organization, shared by every operation (Organizations). */
  | "organization";

export interface QuotaRule {
  /** Sustained requests per second. */
  readonly rate: number;
  /** Bucket size: requests that may arrive at once after a quiet period. */
  readonly burst: number;
  readonly scope: BucketScope;
  /** "published" with the page it is read from, or "assumed" and why. */
  readonly source: string;
}

const CLOUDTRAIL_QUOTAS = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html";
const CLOUDWATCH_QUOTAS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html";
const LOGS_QUOTAS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html";
const SNS_QUOTAS = "https://docs.aws.amazon.com/general/latest/gr/sns.html";
const SQS_QUOTAS = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html";
const STS_QUOTAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html";
const KMS_QUOTAS = "https://docs.aws.amazon.com/kms/latest/developerguide/requests-per-second.html";
const SECURITY_HUB_QUOTAS =
  "https://docs.aws.amazon.com/securityhub/latest/partnerguide/guidelines-batchimportfindings.html";
const ORGANIZATIONS_QUOTAS = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html";

/**
 * The request rates the model enforces. "published" figures were read on the cited page;
 * "assumed" ones are not published there in a form we could confirm, and are stated instead.
 * Where a page gives one figure for a family of operations (CloudTrail: "Get, describe, and
 * list APIs: 10 TPS"), each operation gets its own bucket of that size, per account and region.
 */
export const QUOTAS: Readonly<
  Record<ServiceId, { readonly byOperation: Readonly<Record<string, QuotaRule>>; readonly other: QuotaRule }>
> = {
  organizations: {
    byOperation: {},
    // The page says Organizations limits "apply at the organization level" and that the service
    // is hosted in us-east-1, but gives no request rate for the read APIs: assumed 10/s, burst 10.
    other: {
      rate: 10,
      burst: 10,
      scope: "organization",
      source: `assumed (no read rate published on ${ORGANIZATIONS_QUOTAS})`,
    },
  },
  sts: {
    byOperation: {},
    // One bucket per calling account and region for all STS requests (AssumeRole is called by
    // the hub account, so every member's AssumeRole shares it). 600/s as stated on the IAM and
    // STS quotas page at the time of writing; the stored copy we searched did not show the
    // figure, so treat it as assumed.
    other: {
      rate: 600,
      burst: 600,
      scope: "caller-region",
      source: `assumed 600/s per account and Region (${STS_QUOTAS})`,
    },
  },
  cloudtrail: {
    byOperation: {
      DescribeTrails: {
        rate: 10,
        burst: 10,
        scope: "account-region-operation",
        source: `published: Get, describe, and list APIs 10 TPS (${CLOUDTRAIL_QUOTAS})`,
      },
      GetTrailStatus: {
        rate: 10,
        burst: 10,
        scope: "account-region-operation",
        source: `published: Get, describe, and list APIs 10 TPS (${CLOUDTRAIL_QUOTAS})`,
      },
      GetEventSelectors: {
        rate: 10,
        burst: 10,
        scope: "account-region-operation",
        source: `published: Get, describe, and list APIs 10 TPS (${CLOUDTRAIL_QUOTAS})`,
      },
    },
    other: {
      rate: 1,
      burst: 1,
      scope: "account-region-operation",
      source: `published: all other APIs 1 TPS (${CLOUDTRAIL_QUOTAS})`,
    },
  },
  logs: {
    byOperation: {},
    // The CloudWatch Logs quotas page lists per-operation rates (5 TPS for the metric filter
    // operations when last checked); not confirmed from the stored copy: assumed 5/s.
    other: { rate: 5, burst: 5, scope: "account-region-operation", source: `assumed 5 TPS (${LOGS_QUOTAS})` },
  },
  cloudwatch: {
    byOperation: {
      DescribeAlarms: {
        rate: 9,
        burst: 9,
        scope: "account-region-operation",
        source: `published: DescribeAlarms 9 TPS (${CLOUDWATCH_QUOTAS})`,
      },
      DescribeAlarmsForMetric: {
        rate: 3,
        burst: 3,
        scope: "account-region-operation",
        source: `published: DescribeAlarmsForMetric 3 TPS (${CLOUDWATCH_QUOTAS})`,
      },
      PutMetricAlarm: {
        rate: 3,
        burst: 3,
        scope: "account-region-operation",
        source: `assumed 3 TPS (${CLOUDWATCH_QUOTAS})`,
      },
    },
    other: {
      rate: 3,
      burst: 3,
      scope: "account-region-operation",
      source: `published: alarm operations 3 TPS (${CLOUDWATCH_QUOTAS})`,
    },
  },
  sns: {
    byOperation: {},
    // The SNS endpoints-and-quotas page lists per-operation API throttling rates, many in the
    // tens to hundreds per second; not confirmed from the stored copy: assumed 30/s for each.
    other: { rate: 30, burst: 30, scope: "account-region-operation", source: `assumed 30 TPS (${SNS_QUOTAS})` },
  },
  sqs: {
    byOperation: {},
    // The sweep makes no SQS call; the simulation answers SQS for the proof's notification queue.
    // Standard queues are documented as nearly unlimited per API action: assumed 3000/s.
    other: {
      rate: 3000,
      burst: 3000,
      scope: "account-region-operation",
      source: `assumed 3000 TPS (${SQS_QUOTAS})`,
    },
  },
  kms: {
    byOperation: {},
    // DescribeKey and GetKeyPolicy have request quotas of their own, in the hundreds or more
    // per second; not confirmed from a stored copy: assumed 100/s.
    other: { rate: 100, burst: 100, scope: "account-region-operation", source: `assumed 100 TPS (${KMS_QUOTAS})` },
  },
  securityhub: {
    byOperation: {},
    other: {
      rate: 10,
      burst: 30,
      scope: "account-region-operation",
      source: `published: BatchImportFindings 10 TPS per account and Region, burst 30 (${SECURITY_HUB_QUOTAS})`,
    },
  },
  iam: {
    byOperation: {},
    // The proof's one GetRole per account. IAM publishes no request rate for its read APIs on
    // its quotas page: assumed 20/s per account, burst 20.
    other: {
      rate: 20,
      burst: 20,
      scope: "account-region-operation",
      source: `assumed 20/s (no read rate published on ${STS_QUOTAS})`,
    },
  },
};

export type QuotaTable = typeof QUOTAS;

export function quotaFor(service: ServiceId, operation: string, quotas: QuotaTable = QUOTAS): QuotaRule {
  const table = quotas[service];
  return table.byOperation[operation] ?? table.other;
}

/** A token bucket on a monotonic clock in ms. */
export class TokenBucket {
  #tokens: number;
  #at: number;
  /** Tokens taken so far: calls admitted. */
  admitted = 0;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#at = now;
  }

  /** Takes a token if there is one; false means the call is throttled. */
  take(now: number): boolean {
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) / 1000) * this.rate);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    this.admitted++;
    return true;
  }
}

/** Whom a call is charged to in the per-account figures. */
export type CallOwner = string;
export const ENUMERATION = "(enumeration)";
export const RUN = "(run)";

/**
 * The account a call works for: AssumeRole works for the account whose role it assumes (the
 * caller is always the hub), Organizations calls are the enumeration, GetCallerIdentity is
 * the run's; every other call works for the account whose credentials sign it.
 */
export function ownerOf(call: SimulatedCall): CallOwner {
  if (call.service === "organizations") return ENUMERATION;
  if (call.service === "sts") {
    if (call.operation !== "AssumeRole") return RUN;
    const arn = String(call.input.RoleArn ?? "");
    return arn.split(":")[4] || call.accountId;
  }
  return call.accountId;
}

export interface CallCounts {
  /** Attempts, throttled ones included. */
  total: number;
  throttled: number;
  /** "service:Operation" → attempts. */
  readonly byOperation: Map<string, number>;
  /** Owner → "service:Operation" → attempts that were not throttled. */
  readonly byOwner: Map<CallOwner, Map<string, number>>;
  /** Owner → throttled attempts. */
  readonly throttledByOwner: Map<CallOwner, number>;
}

export interface LatencyModelOptions {
  /** Mean latency of one call, ms (default 40). */
  readonly latencyMs?: number;
  /** Relative jitter: each call takes latency × (1 ± jitter·u), u seeded in [0,1) (default 0). */
  readonly jitter?: number;
  readonly seed?: number;
  /** Disable the token buckets (latency only): used to measure a critical path. */
  readonly unlimited?: boolean;
  /** Clock in ms (default performance.now): the buckets' clock, and the one a call's latency is measured on. */
  readonly now?: () => number;
  /** The rates enforced (default QUOTAS); a test may tighten them to reach a quota at a small size. */
  readonly quotas?: QuotaTable;
}

/** One token bucket's use over the run. */
export interface BucketUse {
  /** "service|operation|account|region", "service|account|region" or "service", after its scope. */
  readonly key: string;
  readonly rate: number;
  readonly burst: number;
  readonly admitted: number;
}

export interface LatencyModel {
  readonly beforeCall: BeforeCallHook;
  readonly counts: CallCounts;
  readonly latencyMs: number;
  readonly jitter: number;
  readonly quotas: QuotaTable;
  /** Start counting afresh (buckets keep their state). */
  resetCounts(): void;
  /** Every bucket that admitted a call, with how many it admitted. */
  bucketUse(): BucketUse[];
}

function newCounts(): CallCounts {
  return { total: 0, throttled: 0, byOperation: new Map(), byOwner: new Map(), throttledByOwner: new Map() };
}

/**
 * Waits at least `ms` on `now`. A timer alone may end early: node counts timers in whole
 * milliseconds of the event loop's clock, so a 40 ms timer can fire after 39.3 ms of
 * performance.now() (seen here after a busy turn of the loop). Over a chain of calls that is
 * enough for a run to beat the lower bound: a call must never be faster than the model says,
 * so what is left is waited again.
 */
export async function sleepAtLeast(ms: number, now: () => number = () => performance.now()): Promise<void> {
  const until = now() + ms;
  for (let left = ms; left > 0; left = until - now()) {
    await new Promise<void>((resolve) => setTimeout(resolve, Math.ceil(left)));
  }
}

export function createLatencyModel(options: LatencyModelOptions = {}): LatencyModel {
  const latencyMs = options.latencyMs ?? 40;
  const jitter = options.jitter ?? 0;
  const random = new SeededRandom(options.seed ?? 7);
  const now = options.now ?? (() => performance.now());
  const quotas = options.quotas ?? QUOTAS;
  const buckets = new Map<string, TokenBucket>();
  let counts = newCounts();

  const bucketKey = (call: SimulatedCall, rule: QuotaRule): string => {
    switch (rule.scope) {
      case "organization":
        return call.service;
      case "caller-region":
        return `${call.service}|${call.accountId}|${call.region}`;
      case "account-region-operation":
        return `${call.service}|${call.operation}|${call.accountId}|${call.region}`;
    }
  };

  const admit = (call: SimulatedCall): boolean => {
    if (options.unlimited) return true;
    const rule = quotaFor(call.service, call.operation, quotas);
    const key = bucketKey(call, rule);
    const at = now();
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(rule.rate, rule.burst, at);
      buckets.set(key, bucket);
    }
    return bucket.take(at);
  };

  const model: LatencyModel = {
    latencyMs,
    jitter,
    quotas,
    get counts() {
      return counts;
    },
    resetCounts() {
      counts = newCounts();
    },
    bucketUse() {
      return [...buckets].map(([key, b]) => ({ key, rate: b.rate, burst: b.burst, admitted: b.admitted }));
    },
    beforeCall: async (call) => {
      const admitted = admit(call);
      const op = `${call.service}:${call.operation}`;
      const owner = ownerOf(call);
      counts.total++;
      counts.byOperation.set(op, (counts.byOperation.get(op) ?? 0) + 1);
      if (admitted) {
        let ops = counts.byOwner.get(owner);
        if (!ops) {
          ops = new Map();
          counts.byOwner.set(owner, ops);
        }
        ops.set(op, (ops.get(op) ?? 0) + 1);
      } else {
        counts.throttled++;
        counts.throttledByOwner.set(owner, (counts.throttledByOwner.get(owner) ?? 0) + 1);
      }
      const delay = jitter > 0 ? latencyMs * (1 + jitter * (2 * random.next() - 1)) : latencyMs;
      if (delay > 0) await sleepAtLeast(delay, now);
      if (!admitted) throw throttlingError(call.service);
    },
  };
  return model;
}

/**
 * The SDK's standard backoff for throttling errors (full jitter, 1 s base doubling per retry,
 * 20 s cap, as in @smithy/core's retry strategy), drawn from a seeded generator so two runs
 * wait the same: for `ConfiguredRetryStrategy` via `AwsEnvironment.retryDelayMs`.
 */
export function seededSdkBackoff(seed: number, baseMs = 1000, capMs = 20_000): (attempt: number) => number {
  const random = new SeededRandom(seed);
  return (attempt) => Math.floor(random.next() * Math.min(capMs, baseMs * 2 ** (attempt - 1)));
}
