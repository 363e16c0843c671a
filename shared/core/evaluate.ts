/**
 * Evaluate (pure): from observations to findings, a verdict and what the three well-known
 * scanners would say. tripwire judges a filter by what it matches (judgeCoverage), an alarm
 * by whether one event can trip it, and a topic by its confirmed subscriptions.
 */

import { isAimedAtControl } from "./aimed-filters.ts";
import { alarmCanFire } from "./alarm-can-fire.ts";
import { arnAccount, isSnsTopicArn } from "./arn.ts";
import {
  type AccountEvidence,
  type AlarmEvidence,
  alarmEvidence,
  type ChainEvidence,
  chainEvidence,
  type FilterEvidence,
  filterEvidence,
  type TopicEvidence,
  topicEvidence,
} from "./evidence.ts";
import { judgeCoverage, scannerVerdicts } from "./filter-pattern/index.ts";
import {
  type AlarmObservation,
  type ChainObservation,
  type Finding,
  type MetricFilterObservation,
  metricKey,
  type ScannerPrediction,
  type ScannerResult,
  type TrailSummary,
} from "./model.ts";
import { judgeTopicKey } from "./topic-key.ts";

export interface ChainVerdict {
  readonly trail: TrailSummary;
  /** Region of the log group (where filter, alarm and topic must be), or the trail's home region. */
  readonly region: string;
  /** Trail is multi-region, logging, with read+write management events, delivering to an existing log group. */
  readonly trailHealthy: boolean;
  /** Trail healthy and at least one filter that covers the control with a working alarm and topic. */
  readonly complete: boolean;
  /** Filters that cover the control and have at least one working alarm. */
  readonly workingFilters: readonly MetricFilterObservation[];
  readonly findings: readonly Finding[];
  /** What each scanner would say of this chain, judged from the trail owner's account. */
  readonly scanners: ScannerPrediction;
  /** The links of the chain that hold. */
  readonly evidence: ChainEvidence;
}

/** Judges one trail's chain. */
export function evaluateChain(chain: ChainObservation, prefix: string): ChainVerdict {
  const { trail } = chain;
  const region = trail.logGroup?.region ?? trail.homeRegion;
  const findings: Finding[] = [];
  const add = (code: Finding["code"], message: string, where = region) =>
    findings.push({ code, region: where, message });
  const label = `trail ${trail.name}`;

  // A state not read on purpose (heal) is taken as it was: judging it is the sweep's job.
  const logging = chain.chainOnly === true || chain.state?.isLogging === true;
  if (!logging) {
    add("TRAIL_NOT_LOGGING", `${label} is not logging`, trail.homeRegion);
  }
  const managementOk = chain.chainOnly === true || chain.state?.managementEvents === "READ_WRITE";
  if (chain.state && !managementOk) {
    const what = chain.state.managementEvents === "PARTIAL" ? "only read or only write" : "no";
    add(
      "TRAIL_MISSING_MANAGEMENT_EVENTS",
      `${label} records ${what} management events; read and write are needed`,
      trail.homeRegion,
    );
  }
  const noData = { securityHub: "FAIL", steampipe: "FAIL", prowler: "FAIL" } as const;
  const broken = (): ChainVerdict => ({
    trail,
    region,
    trailHealthy: false,
    complete: false,
    workingFilters: [],
    findings,
    scanners: noData,
    evidence: chainEvidence(chain, [], false),
  });
  if (!trail.logGroup) {
    add(
      "TRAIL_NOT_DELIVERING_TO_CLOUDWATCH",
      `${label} does not deliver to a CloudWatch Logs log group`,
      trail.homeRegion,
    );
    return broken();
  }
  if (!chain.logGroupExists) {
    add("LOG_GROUP_NOT_FOUND", `log group ${trail.logGroup.name} that ${label} delivers to does not exist`);
    return broken();
  }
  const trailHealthy = logging && managementOk && trail.isMultiRegion;

  const aimed = chain.filters.filter((f) => isAimedAtControl(f, prefix));
  if (aimed.length === 0) {
    add("NO_METRIC_FILTER", `no metric filter on log group ${trail.logGroup.name} catches unauthorized API calls`);
  }
  const workingFilters: MetricFilterObservation[] = [];
  const covering: FilterEvidence[] = [];
  // Several filters may feed one metric (tripwire's two do): judge each alarm once.
  const alarmVerdicts = new Map<string, AlarmEvidence | undefined>();
  const judgeAlarm = (alarm: AlarmObservation, value: string) => {
    const key = `${alarm.arn}|${value}`;
    if (!alarmVerdicts.has(key)) alarmVerdicts.set(key, workingAlarm(chain, alarm, value, add));
    return alarmVerdicts.get(key);
  };
  for (const filter of aimed) {
    const judgement = judgeCoverage(filter.pattern);
    if (judgement.classification === "MATCHES_EVERYTHING") {
      add(
        "FILTER_PATTERN_MATCHES_EVERYTHING",
        `filter ${filter.name} matches ${judgement.matchedBenign.length} of ${judgement.totalBenign} ordinary events: its alarm would fire all the time`,
      );
      continue;
    }
    if (judgement.classification !== "COVERS") {
      const missed = judgement.missedUnauthorized.length;
      add(
        "FILTER_PATTERN_MISSES_UNAUTHORIZED_EVENTS",
        judgement.classification === "INVALID"
          ? `filter ${filter.name}: tripwire cannot parse its pattern (${judgement.error ?? "invalid"})`
          : `filter ${filter.name} misses ${missed} of ${judgement.totalUnauthorized} unauthorized calls (e.g. ${describeRecord(judgement.missedUnauthorized[0])})`,
      );
      continue;
    }
    const evidence = coveringFilter(chain, filter, add, judgeAlarm);
    covering.push(...evidence);
    if (evidence.some((f) => f.alarms.length > 0)) workingFilters.push(filter);
  }
  const complete = trailHealthy && workingFilters.length > 0;
  return {
    trail,
    region,
    trailHealthy,
    complete,
    workingFilters,
    findings,
    scanners: predictScanners(chain),
    evidence: chainEvidence(chain, covering, complete),
  };
}

/** A covering filter's evidence per metric it emits: the alarms on that metric that work. */
function coveringFilter(
  chain: ChainObservation,
  filter: MetricFilterObservation,
  add: (code: Finding["code"], message: string) => void,
  judgeAlarm: (alarm: AlarmObservation, metricValue: string) => AlarmEvidence | undefined,
): FilterEvidence[] {
  return filter.metrics.map((metric) => {
    const alarms = chain.alarmsByMetric[metricKey(metric)] ?? [];
    if (alarms.length === 0) {
      add("NO_ALARM", `no alarm on metric ${metric.namespace}/${metric.name} of filter ${filter.name}`);
    }
    const working = alarms.flatMap((alarm) => judgeAlarm(alarm, metric.value) ?? []);
    return filterEvidence(filter, metric, working);
  });
}

/** The alarm's evidence when one event trips it and it reaches a confirmed subscriber; else its findings. */
function workingAlarm(
  chain: ChainObservation,
  alarm: AlarmObservation,
  metricValue: string,
  add: (code: Finding["code"], message: string) => void,
): AlarmEvidence | undefined {
  let works = true;
  if (!alarm.actionsEnabled) {
    add("ALARM_ACTIONS_DISABLED", `alarm ${alarm.name} has its actions disabled`);
    works = false;
  }
  const fire = alarmCanFire(alarm, metricValue);
  if (!fire.canFire) {
    add("ALARM_CANNOT_FIRE", `alarm ${alarm.name} cannot fire on one event: ${fire.reason}`);
    works = false;
  }
  const topicArns = alarm.alarmActions.filter(isSnsTopicArn);
  if (topicArns.length === 0) {
    add("ALARM_WITHOUT_SNS_ACTION", `alarm ${alarm.name} has no SNS topic among its alarm actions`);
    return undefined;
  }
  const delivering: TopicEvidence[] = [];
  for (const arn of topicArns) {
    const topic = chain.topics[arn];
    if (!topic || topic.state === "NOT_FOUND") {
      add("TOPIC_NOT_FOUND", `topic ${arn} of alarm ${alarm.name} does not exist`);
    } else if (topic.confirmed === 0) {
      add(
        "NO_CONFIRMED_SUBSCRIPTION",
        topic.pending > 0
          ? `topic ${arn} has only ${topic.pending} subscription(s) pending confirmation`
          : `topic ${arn} has no subscription`,
      );
    } else if (topic.key) {
      // Encrypted: the key policy decides whether the alarm may publish at all.
      const judged = judgeTopicKey(topic.key, { accountId: arnAccount(alarm.arn), alarmArns: [alarm.arn] });
      if (judged.verdict === "denies") {
        add(
          "TOPIC_KEY_DENIES_CLOUDWATCH",
          `topic ${arn} is encrypted with KMS key ${judged.keyId}, and alarm ${alarm.name} cannot publish to it: ${judged.reason}`,
        );
      } else {
        if (judged.verdict === "unknown") {
          add(
            "TOPIC_KEY_UNVERIFIED",
            `topic ${arn} is encrypted with KMS key ${judged.keyId}; whether alarm ${alarm.name} can publish to it is not proven: ${judged.reason}`,
          );
        }
        delivering.push({ ...topicEvidence(topic), keyAdmitsCloudWatch: judged.verdict === "admits" });
      }
    } else {
      delivering.push(topicEvidence(topic));
    }
  }
  return works && delivering.length > 0 ? alarmEvidence(alarm, delivering) : undefined;
}

function describeRecord(ref: { eventSource: string; eventName: string; errorCode?: string } | undefined): string {
  return ref ? `${ref.eventSource} ${ref.eventName} ${ref.errorCode ?? ""}`.trim() : "none";
}

/**
 * The three scanners' published logic, applied to one chain as seen from the trail owner's
 * account (docs/scanners.md). Alarms are compared on the metric's name and namespace
 * in the log group's region: tripwire reads no others, so an alarm that a name-only scanner
 * would accept in another region or namespace is not seen.
 */
export function predictScanners(chain: ChainObservation): ScannerPrediction {
  const trail = chain.trail;
  const state = chain.state;
  const subscribers = (arn: string) => {
    const t = chain.topics[arn];
    return t?.state === "FOUND" ? t.confirmed + t.pending : 0;
  };
  const alarmsOf = (f: MetricFilterObservation) => f.metrics.flatMap((m) => chain.alarmsByMetric[metricKey(m)] ?? []);
  const passing = (scanner: "securityHub" | "steampipe" | "prowler") =>
    chain.filters.filter((f) => scannerVerdicts(f.pattern)[scanner] === "PASS");
  const verdict = (ok: boolean): ScannerResult => (ok ? "PASS" : "FAIL");
  const baseTrail = trail.isMultiRegion && state?.isLogging === true && chain.logGroupExists;

  const securityHub =
    baseTrail &&
    state?.managementEvents === "READ_WRITE" &&
    passing("securityHub").some((f) =>
      alarmsOf(f).some((a) => a.alarmActions.some((arn) => isSnsTopicArn(arn) && subscribers(arn) > 0)),
    );
  const steampipe =
    baseTrail &&
    state?.basicSelectorsAll === true &&
    passing("steampipe").some((f) =>
      alarmsOf(f).some((a) => a.alarmActions.length > 0 && a.alarmActions.some((arn) => subscribers(arn) > 0)),
    );
  const prowler = chain.logGroupExists && passing("prowler").some((f) => alarmsOf(f).length > 0);
  return { securityHub: verdict(securityHub), steampipe: verdict(steampipe), prowler: verdict(prowler) };
}

export interface AccountVerdict {
  readonly compliant: boolean;
  readonly findings: readonly Finding[];
  readonly scanners: ScannerPrediction;
  /** The chains that satisfy the control; when none does, the parts of every judged chain that hold. */
  readonly evidence: AccountEvidence;
}

/**
 * The account's verdict from the trails it sees and the verdicts of the chains of its
 * multi-region trails (its own, and organization trails whose chain lives in another account).
 */
export function evaluateAccount(
  accountId: string,
  trails: readonly TrailSummary[],
  chains: ReadonlyMap<string, ChainVerdict>,
): AccountVerdict {
  const candidates = trails.filter((t) => t.isMultiRegion);
  if (candidates.length === 0) {
    const single = trails.map((t) => t.name);
    return {
      compliant: false,
      findings: [
        {
          code: "NO_MULTI_REGION_TRAIL",
          region: "global",
          message: single.length
            ? `no multi-region trail; single-region trail(s) seen: ${single.join(", ")}`
            : "no CloudTrail trail records this account's management events",
        },
      ],
      scanners: { securityHub: "FAIL", steampipe: "FAIL", prowler: "FAIL" },
      evidence: { chains: [] },
    };
  }
  const findings: Finding[] = [];
  const judged: ChainEvidence[] = [];
  let compliant = false;
  const own: ScannerPrediction[] = [];
  let foreign = 0;
  for (const trail of candidates) {
    const verdict = chains.get(trail.arn);
    if (!verdict) continue;
    const foreignTrail = trail.ownerAccountId !== accountId;
    if (foreignTrail) {
      foreign++;
      findings.push({
        code: "COVERED_BY_ORGANIZATION_TRAIL",
        region: verdict.region,
        message: `events land in ${trail.logGroup ? `log group ${trail.logGroup.name}` : "trail"} of account ${trail.ownerAccountId} (organization trail ${trail.name}); this verdict follows that chain`,
      });
      findings.push(
        ...verdict.findings.map((f) => ({ ...f, message: `in account ${trail.ownerAccountId}: ${f.message}` })),
      );
    } else {
      own.push(verdict.scanners);
      findings.push(...verdict.findings);
    }
    compliant ||= verdict.complete;
    judged.push(verdict.evidence);
  }
  const best = (key: keyof ScannerPrediction): ScannerResult =>
    own.some((s) => s[key] === "PASS")
      ? "PASS"
      : key === "securityHub" && own.length === 0 && foreign > 0
        ? "NO_DATA"
        : "FAIL";
  return {
    compliant,
    findings,
    scanners: { securityHub: best("securityHub"), steampipe: best("steampipe"), prowler: best("prowler") },
    evidence: { chains: compliant ? judged.filter((c) => c.satisfies) : judged },
  };
}
