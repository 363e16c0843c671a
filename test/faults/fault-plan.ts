/**
 * The faults of one run, as plain data (so fast-check can draw and shrink them), and their
 * injection into a simulated organization through its fault handles (and its before-call hook,
 * for what a handle cannot match: a call's input, the n-th call). Each injected fault
 * counts the calls it hit, so the suite reports faults that really happened, not faults planned.
 */
import {
  type ServiceId,
  type SimulatedCall,
  type SimulatedOrganization,
  serviceError,
  throttlingError,
} from "../../shared/simulation/index.ts";
import { MANAGEMENT_ID } from "./world.ts";

/** The calls tripwire makes in member accounts, by service: reads and writes alike. */
export const OPERATIONS = {
  cloudtrail: ["DescribeTrails", "GetTrailStatus", "GetEventSelectors"],
  logs: ["DescribeMetricFilters", "PutMetricFilter"],
  cloudwatch: ["DescribeAlarmsForMetric", "DescribeAlarms", "ListTagsForResource", "PutMetricAlarm"],
  sns: ["GetTopicAttributes", "ListSubscriptionsByTopic", "ListTagsForResource", "CreateTopic", "Subscribe"],
  sts: ["AssumeRole", "GetCallerIdentity"],
} as const satisfies Partial<Record<ServiceId, readonly string[]>>;
export type FaultService = keyof typeof OPERATIONS;

export const READS = {
  cloudtrail: ["DescribeTrails", "GetTrailStatus", "GetEventSelectors"],
  logs: ["DescribeMetricFilters"],
  cloudwatch: ["DescribeAlarmsForMetric", "DescribeAlarms", "ListTagsForResource"],
  sns: ["GetTopicAttributes", "ListSubscriptionsByTopic", "ListTagsForResource"],
} as const;
export type ReadService = keyof typeof READS;

/** Each write tripwire makes, with an error that no retry cures (the write fails for good). */
export const WRITE_FAILURES = {
  PutMetricAlarm: { service: "cloudwatch", name: "LimitExceeded", message: "too many alarms" },
  Subscribe: { service: "sns", name: "SubscriptionLimitExceeded", message: "too many subscriptions" },
  // Not LimitExceededException, AWS's answer to a 101st filter: the SDK takes it for throttling and retries it.
  PutMetricFilter: { service: "logs", name: "InvalidParameterException", message: "filter refused" },
  CreateTopic: { service: "sns", name: "TopicLimitExceeded", message: "too many topics" },
} as const;
export type WriteOperation = keyof typeof WRITE_FAILURES;

/** The service's own name for "you may not". */
const ACCESS_DENIED: Record<ReadService, string> = {
  cloudtrail: "AccessDeniedException",
  logs: "AccessDeniedException",
  cloudwatch: "AccessDenied",
  sns: "AuthorizationError",
};

/** Which calls a fault hits; an omitted field matches everything. `account` indexes the organization's accounts. */
export interface Match {
  readonly account?: number;
  readonly service?: FaultService;
  readonly operation?: string;
}

export type FaultPlan =
  | { readonly kind: "throttling"; readonly match: Match; readonly fraction: number; readonly times?: number }
  | { readonly kind: "server-error"; readonly match: Match; readonly status: 500 | 503; readonly times: number }
  | { readonly kind: "hung-call"; readonly match: Match; readonly times: number }
  | {
      readonly kind: "access-denied";
      readonly account: number;
      readonly service: ReadService;
      readonly operation: string;
      readonly times: number;
    }
  | { readonly kind: "role-denied"; readonly account: number }
  | {
      readonly kind: "write-fails";
      readonly operation: WriteOperation;
      readonly account?: number;
      /** Matching writes let through first: the second Subscribe of a plan fails, not the first. */
      readonly skip: number;
      readonly times: number;
    }
  | {
      readonly kind: "organizations-error";
      readonly operation: "DescribeOrganization" | "DescribeAccount";
      readonly times: number;
    };

/** ListAccounts failing (throttled or 5xx): on the first page, or on the pages after it. */
export interface ListingFault {
  readonly page: "first" | "later";
  readonly error: "throttling" | "server-error";
  /** Calls failed before the listing answers again (past pageAttempts × maxAttempts, for good). */
  readonly times: number;
}

export type FaultKind = FaultPlan["kind"] | "listing";

export interface InjectedFaults {
  /** Calls each kind of fault hit so far. */
  hits(): Map<FaultKind, number>;
}

/** The account ids a fault plan's indexes refer to: the management account, then the members. */
export function accountAt(accountIds: readonly string[], index: number | undefined): string | undefined {
  return index === undefined ? undefined : accountIds[index % accountIds.length];
}

export function injectFaults(
  org: SimulatedOrganization,
  accountIds: readonly string[],
  faults: readonly FaultPlan[],
  listing?: ListingFault,
): InjectedFaults {
  const counters: { kind: FaultKind; hits: () => number }[] = [];
  /** Faults the handles cannot express (a call's input, the n-th call), run before each call. */
  const hooks: ((call: SimulatedCall) => void)[] = [];
  const matcher = (m: Match) => {
    const accountId = accountAt(accountIds, m.account);
    return {
      ...(accountId ? { accountId } : {}),
      ...(m.service ? { service: m.service } : {}),
      ...(m.operation ? { operation: m.operation } : {}),
    };
  };
  for (const fault of faults) {
    switch (fault.kind) {
      case "throttling": {
        const h = org.faults.throttle({
          ...matcher(fault.match),
          fraction: fault.fraction,
          ...(fault.times === undefined ? {} : { times: fault.times }),
        });
        counters.push({ kind: fault.kind, hits: () => h.hits });
        break;
      }
      case "server-error": {
        const name = fault.status === 500 ? "InternalFailure" : "ServiceUnavailable";
        const h = org.faults.fail({
          ...matcher(fault.match),
          times: fault.times,
          error: { name, message: `${name} (injected)`, httpStatusCode: fault.status },
        });
        counters.push({ kind: fault.kind, hits: () => h.hits });
        break;
      }
      case "hung-call": {
        const h = org.faults.hang({ ...matcher(fault.match), times: fault.times });
        counters.push({ kind: fault.kind, hits: () => h.hits });
        break;
      }
      case "access-denied": {
        const h = org.faults.fail({
          accountId: accountAt(accountIds, fault.account) as string,
          service: fault.service,
          operation: fault.operation,
          times: fault.times,
          error: { name: ACCESS_DENIED[fault.service], message: "not authorized (injected)", httpStatusCode: 403 },
        });
        counters.push({ kind: fault.kind, hits: () => h.hits });
        break;
      }
      case "role-denied": {
        const accountId = accountAt(accountIds, fault.account) as string;
        // The management account is read with the caller's own credentials: no AssumeRole to deny.
        if (accountId === MANAGEMENT_ID) break;
        org.faults.denyAssumeRole(accountId);
        const refused = (c: { operation: string; error?: string; input: Readonly<Record<string, unknown>> }) =>
          c.operation === "AssumeRole" &&
          c.error === "AccessDenied" &&
          String(c.input.RoleArn).includes(`::${accountId}:`);
        counters.push({ kind: fault.kind, hits: () => org.calls.all.filter(refused).length });
        break;
      }
      case "write-fails": {
        // Fault handles count from the first matching call; this one lets `skip` through first.
        const spec = WRITE_FAILURES[fault.operation];
        const accountId = accountAt(accountIds, fault.account);
        let seen = 0;
        let hits = 0;
        hooks.push((call) => {
          if (call.operation !== fault.operation || (accountId && call.accountId !== accountId)) return;
          if (++seen <= fault.skip || hits >= fault.times) return;
          hits++;
          throw serviceError(spec.service, spec.name, `${spec.message} (injected)`, 400);
        });
        counters.push({ kind: fault.kind, hits: () => hits });
        break;
      }
      case "organizations-error": {
        const h = org.faults.fail({
          service: "organizations",
          operation: fault.operation,
          times: fault.times,
          error: { name: "ServiceException", message: "injected", httpStatusCode: 500 },
        });
        counters.push({ kind: fault.kind, hits: () => h.hits });
        break;
      }
    }
  }
  if (listing) {
    let hits = 0;
    // Fault matchers cannot tell pages apart; the before-call hook sees the NextToken.
    hooks.push((call) => {
      if (call.operation !== "ListAccounts" || hits >= listing.times) return;
      if ((call.input.NextToken !== undefined) !== (listing.page === "later")) return;
      hits++;
      throw listing.error === "throttling"
        ? throttlingError("organizations")
        : serviceError("organizations", "ServiceException", "injected", 500);
    });
    counters.push({ kind: "listing", hits: () => hits });
  }
  if (hooks.length > 0)
    org.setBeforeCall((call) => {
      for (const hook of hooks) hook(call);
    });
  return {
    hits() {
      const out = new Map<FaultKind, number>();
      for (const c of counters) out.set(c.kind, (out.get(c.kind) ?? 0) + c.hits());
      return out;
    },
  };
}

/** No fault of any kind, hook included: the organization answers every call again. */
export function clearFaults(org: SimulatedOrganization): void {
  org.faults.clear();
  org.setBeforeCall(undefined);
}
