/** Hand-built observations for the pure evaluate/plan tests. */
import { CIS_PATTERNS } from "../../shared/core/filter-pattern/index.ts";
import type {
  AlarmObservation,
  ChainObservation,
  MetricFilterObservation,
  TopicObservation,
  TrailSummary,
} from "../../shared/core/model.ts";

export const ACCOUNT = "222222222222";
export const REGION = "eu-west-1";
export const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:secops`;
export const LOG_GROUP = "aws-cloudtrail-logs-222222222222-1a2b3c4d";

export function trail(overrides: Partial<TrailSummary> = {}): TrailSummary {
  return {
    arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/main`,
    name: "main",
    homeRegion: REGION,
    ownerAccountId: ACCOUNT,
    isMultiRegion: true,
    isOrganizationTrail: false,
    logGroup: {
      arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${LOG_GROUP}:*`,
      accountId: ACCOUNT,
      region: REGION,
      name: LOG_GROUP,
    },
    ...overrides,
  };
}

export function filter(
  pattern: string,
  name = "cis-unauthorized",
  metric = "UnauthorizedAPICalls",
): MetricFilterObservation {
  return { name, pattern, metrics: [{ name: metric, namespace: "CISBenchmark", value: "1" }] };
}

export function alarm(overrides: Partial<AlarmObservation> = {}): AlarmObservation {
  return {
    name: "cis-unauthorized",
    arn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:cis-unauthorized`,
    metric: { name: "UnauthorizedAPICalls", namespace: "CISBenchmark" },
    actionsEnabled: true,
    alarmActions: [TOPIC],
    statistic: "Sum",
    period: 300,
    evaluationPeriods: 1,
    threshold: 1,
    comparison: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
    ...overrides,
  };
}

export function confirmedTopic(arn = TOPIC): TopicObservation {
  return { arn, state: "FOUND", confirmed: 1, pending: 0 };
}

/** A v1.2 chain that works end to end. */
export function compliantChain(overrides: Partial<ChainObservation> = {}): ChainObservation {
  return {
    trail: trail(),
    state: { isLogging: true, managementEvents: "READ_WRITE", basicSelectorsAll: true, selectorKind: "basic" },
    logGroupExists: true,
    filters: [filter(CIS_PATTERNS.v12)],
    alarmsByMetric: { "CISBenchmark/UnauthorizedAPICalls": [alarm()] },
    topics: { [TOPIC]: confirmedTopic() },
    ...overrides,
  };
}
