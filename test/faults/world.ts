/**
 * The fault suite's organizations: a plan (plain data, drawn by fast-check) turned into a
 * simulated organization built from the shared scenarios. The same plan always builds the
 * same organization (same ids, same ARNs), so a faulted world and a clean one can be compared.
 */
import {
  createSimulatedOrganization,
  ORGANIZATION_ACCESS_ROLE,
  type SimulatedAccount,
  type SimulatedOrganization,
  scenarios,
} from "../../shared/simulation/index.ts";

export const PREFIX = "tripwire";
export const REGIONS = ["us-east-1", "eu-west-1"] as const;
export const MANAGEMENT_ID = "111111111111";
/** Where each account's chain alerts to: an SQS queue, confirmed as soon as it is subscribed. */
export const SQS_NOTIFY = "sqs:arn:aws:sqs:us-east-1:999999999999:secops-alerts";
export const EMAIL_NOTIFY = "email:secops@example.com";

/** What an account holds before the run, each from the shared scenarios or the ownership tests. */
export const ACCOUNT_KINDS = [
  "bare",
  "compliant",
  "compliant-stale-counts",
  "broken-alarm-disabled",
  "broken-alarm-cannot-fire",
  "broken-alarm-no-sns",
  "broken-alarm-missing-topic",
  "pending-subscription-only",
  "alarm-name-taken",
  "alarm-name-taken-tagged-customer",
  "topic-name-taken",
  "filter-name-taken",
  "filter-name-taken-beside-compliant",
  "own-chain-drifted",
  "trail-not-logging",
  "trail-s3-only",
  "no-trail",
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export interface AccountPlan {
  readonly kind: AccountKind;
  /** Index into the organization's regions: where the account's trail is homed. */
  readonly region: number;
  readonly suspended: boolean;
  /** The member role was removed: AssumeRole is refused, whatever the faults. */
  readonly roleMissing: boolean;
}

export interface OrganizationPlan {
  /** 1 or 2 regions. */
  readonly regionCount: number;
  /** An organization trail in the management account, homed in this region index. */
  readonly organizationTrail?: number;
  readonly management: AccountKind;
  readonly members: readonly AccountPlan[];
  /**
   * Suspended accounts listed right after the management account, so that 20 of them push the
   * members onto a second ListAccounts page (20 a page): a listing that fails there leaves them out.
   */
  readonly fillers: number;
}

export function memberId(index: number): string {
  return String(200_000_000_001 + index);
}

export function fillerId(index: number): string {
  return String(300_000_000_001 + index);
}

export function regionsOf(plan: OrganizationPlan): string[] {
  return REGIONS.slice(0, plan.regionCount);
}

/** Builds the organization of the plan: two builds of a plan with the same seed are identical. */
export function buildOrganization(plan: OrganizationPlan, seed: number): SimulatedOrganization {
  const regions = regionsOf(plan);
  // The seed also drives the sampling of fractional faults (throttle a fraction of the calls).
  const org = createSimulatedOrganization({ regions, managementAccountId: MANAGEMENT_ID, seed });
  const management = org.account(MANAGEMENT_ID);
  if (plan.organizationTrail !== undefined) {
    scenarios.organizationTrail(org, regions[plan.organizationTrail % regions.length] as string);
  } else {
    seedAccount(management, regions[0] as string, plan.management);
  }
  for (let i = 0; i < plan.fillers; i++) org.addAccount({ id: fillerId(i), name: `closed-${i}`, status: "SUSPENDED" });
  plan.members.forEach((m, i) => {
    const account = org.addAccount({ id: memberId(i), name: `member-${i}-${m.kind}` });
    seedAccount(account, regions[m.region % regions.length] as string, m.kind);
    if (m.roleMissing) account.removeRole(ORGANIZATION_ACCESS_ROLE);
    if (m.suspended) account.setStatus("SUSPENDED");
  });
  return org;
}

const OWN_ALARM = `${PREFIX}-unauthorized-api-calls`;
const OWN_TOPIC = `${PREFIX}-unauthorized-api-calls`;
const OWN_V12 = `${PREFIX}-unauthorized-api-calls-cis-v1.2`;
const OWN_V14 = `${PREFIX}-unauthorized-api-calls-cis-v1.4`;

/** A customer chain on the trail's log group whose alarm `alarm` describes. */
function customerChain(
  account: SimulatedAccount,
  region: string,
  alarm: Omit<scenarios.AlarmOptions, "metricName" | "namespace">,
  topic: scenarios.TopicOptions | false = {},
): void {
  const t = scenarios.trail(account, region);
  const filter = scenarios.metricFilter(account, region, { logGroupName: t.logGroupName ?? "" });
  const actions = topic === false ? [] : [scenarios.topic(account, region, topic).topicArn];
  scenarios.alarm(account, region, {
    metricName: filter.metricName,
    namespace: filter.namespace,
    actions,
    ...alarm,
  });
}

function seedAccount(account: SimulatedAccount, region: string, kind: AccountKind): void {
  switch (kind) {
    case "bare":
      scenarios.bareAccount(account, region);
      return;
    case "compliant":
      scenarios.compliantV12(account, region);
      return;
    case "compliant-stale-counts":
      customerChain(
        account,
        region,
        {},
        {
          staleCounts: true,
          subscriptions: [{ protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:999999999999:customer" }],
        },
      );
      return;
    case "broken-alarm-disabled":
      customerChain(account, region, { actionsEnabled: false });
      return;
    case "broken-alarm-cannot-fire":
      customerChain(account, region, { threshold: 5 });
      return;
    case "broken-alarm-no-sns":
      customerChain(account, region, {}, false);
      return;
    case "broken-alarm-missing-topic":
      customerChain(account, region, { actions: [`arn:aws:sns:${region}:${account.id}:deleted-topic`] }, false);
      return;
    case "pending-subscription-only":
      customerChain(account, region, {}, { subscriptions: [{ endpoint: "oncall@example.com", confirmed: false }] });
      return;
    case "alarm-name-taken":
      scenarios.bareAccount(account, region);
      scenarios.customerCpuAlarm(account, region, OWN_ALARM);
      return;
    case "alarm-name-taken-tagged-customer": {
      scenarios.bareAccount(account, region);
      const pager = account.createTopic(region, "customer-pager");
      scenarios.alarm(account, region, {
        alarmName: OWN_ALARM,
        namespace: PREFIX,
        metricName: "UnauthorizedAPICalls",
        period: 60,
        evaluationPeriods: 3,
        threshold: 5,
        actions: [pager],
        tags: { owner: "customer" },
      });
      return;
    }
    case "topic-name-taken":
      scenarios.bareAccount(account, region);
      account.createTopic(region, OWN_TOPIC);
      return;
    case "filter-name-taken": {
      const t = scenarios.bareAccount(account, region);
      for (const filterName of [OWN_V12, OWN_V14]) {
        scenarios.metricFilter(account, region, {
          logGroupName: t.logGroupName ?? "",
          filterName,
          pattern: '{ $.eventName = "ConsoleLogin" }',
          metricName: "ConsoleLogins",
          namespace: "Customer/Security",
        });
      }
      return;
    }
    case "filter-name-taken-beside-compliant": {
      const c = scenarios.compliantV12(account, region);
      scenarios.metricFilter(account, region, {
        logGroupName: c.trail.logGroupName ?? "",
        filterName: OWN_V14,
        pattern: '{ $.eventName = "ConsoleLogin" }',
        metricName: "ConsoleLogins",
        namespace: "Customer/Security",
      });
      return;
    }
    case "own-chain-drifted": {
      // tripwire's chain as an earlier fix left it, then someone raised the alarm's threshold.
      const t = scenarios.bareAccount(account, region);
      const topicArn = account.createTopic(region, OWN_TOPIC, { tags: { "managed-by": "tripwire" } });
      account.subscribe(topicArn, "sqs", SQS_NOTIFY.slice("sqs:".length));
      scenarios.metricFilter(account, region, {
        logGroupName: t.logGroupName ?? "",
        filterName: OWN_V12,
        metricName: "UnauthorizedAPICalls",
        namespace: PREFIX,
      });
      scenarios.alarm(account, region, {
        alarmName: OWN_ALARM,
        namespace: PREFIX,
        metricName: "UnauthorizedAPICalls",
        threshold: 50,
        actions: [topicArn],
        tags: { "managed-by": "tripwire" },
      });
      return;
    }
    case "trail-not-logging":
      scenarios.bareAccount(account, region, { logging: false });
      return;
    case "trail-s3-only":
      scenarios.bareAccount(account, region, { logGroup: false });
      return;
    case "no-trail":
      return;
  }
}
