/**
 * fast-check arbitraries for the fault suite: a small organization drawn from the shared
 * scenarios, the settings of a run, and a fault plan. Everything is plain data, so a failing
 * run shrinks to the smallest organization and the fewest faults that still break an invariant.
 */
import fc from "fast-check";
import type { FilterProfile, RunMode } from "../../shared/core/model.ts";
import {
  type FaultPlan,
  type FaultService,
  type ListingFault,
  type Match,
  OPERATIONS,
  READS,
  type ReadService,
  WRITE_FAILURES,
  type WriteOperation,
} from "./fault-plan.ts";
import { ACCOUNT_KINDS, type AccountPlan, type OrganizationPlan } from "./world.ts";

export interface RunPlan {
  readonly organization: OrganizationPlan;
  /** Seed of the simulated organization: ids, ARNs, and which calls a fractional fault hits. */
  readonly seed: number;
  /** The faulted run's mode; the reruns are always `fix`. */
  readonly mode: RunMode;
  readonly filterProfile: FilterProfile;
  /** Subscribe an email address too (it stays pending) beside the SQS queue. */
  readonly emailToo: boolean;
  readonly concurrency: number;
  readonly maxAttempts: number;
  /** Per attempt, in ms: below the setting's 1 s minimum, given to the simulated factory only. */
  readonly callTimeout: number;
  /** Indexes of accounts (management, then members) for `--accounts`; undefined: the whole organization. */
  readonly accounts?: readonly number[];
  readonly faults: readonly FaultPlan[];
  readonly listing?: ListingFault;
}

/** How many accounts of the organization a fault may aim at: the management account and up to 4 members. */
const ACCOUNT_INDEXES = 5;

const accountIndex = fc.nat(ACCOUNT_INDEXES - 1);
/** `arb` one time in `every` (undefined otherwise); fast-check shrinks towards undefined. */
const sometimes = <T>(arb: fc.Arbitrary<T>, every = 2): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: every - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const optional = <T>(arb: fc.Arbitrary<T>) => sometimes(arb, 2);
/** True one time in `every`. */
const rarely = (every: number) => sometimes(fc.constant(true), every).map((b) => b === true);

const accountPlan: fc.Arbitrary<AccountPlan> = fc.record({
  kind: fc.constantFrom(...ACCOUNT_KINDS),
  region: fc.nat(1),
  suspended: rarely(10),
  roleMissing: rarely(12),
});

const organizationPlan: fc.Arbitrary<OrganizationPlan> = fc.record({
  regionCount: fc.integer({ min: 1, max: 2 }),
  organizationTrail: sometimes(fc.nat(1), 4),
  management: fc.constantFrom(...ACCOUNT_KINDS),
  members: fc.array(accountPlan, { minLength: 1, maxLength: ACCOUNT_INDEXES - 1 }),
  fillers: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(20) }),
});

const services = Object.keys(OPERATIONS) as FaultService[];

const match: fc.Arbitrary<Match> = fc.oneof(
  fc.record({ account: optional(accountIndex) }),
  ...services.map((service) =>
    fc.record({
      account: optional(accountIndex),
      service: fc.constant(service),
      operation: optional(fc.constantFrom(...OPERATIONS[service])),
    }),
  ),
);

const readServices = Object.keys(READS) as ReadService[];

const fault: fc.Arbitrary<FaultPlan> = fc.oneof(
  fc.record({
    kind: fc.constant("throttling" as const),
    match,
    fraction: fc.integer({ min: 5, max: 80 }).map((p) => p / 100),
    times: optional(fc.integer({ min: 1, max: 30 })),
  }),
  fc.record({
    kind: fc.constant("server-error" as const),
    match,
    status: fc.constantFrom(500 as const, 503 as const),
    times: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({ kind: fc.constant("hung-call" as const), match, times: fc.integer({ min: 1, max: 2 }) }),
  fc.constantFrom(...readServices).chain((service) =>
    fc.record({
      kind: fc.constant("access-denied" as const),
      account: accountIndex,
      service: fc.constant(service),
      operation: fc.constantFrom(...READS[service]),
      times: fc.constantFrom(1, 1000),
    }),
  ),
  fc.record({ kind: fc.constant("role-denied" as const), account: accountIndex }),
  fc.record({
    kind: fc.constant("write-fails" as const),
    operation: fc.constantFrom(...(Object.keys(WRITE_FAILURES) as WriteOperation[])),
    account: optional(accountIndex),
    skip: fc.integer({ min: 0, max: 2 }),
    times: fc.integer({ min: 1, max: 2 }),
  }),
  // DescribeOrganization fails the run when it fails maxAttempts times (2 to 4); DescribeAccount
  // (an explicit account list) is retried per account, 3 × maxAttempts.
  fc.record({
    kind: fc.constant("organizations-error" as const),
    operation: fc.constant("DescribeOrganization" as const),
    times: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant("organizations-error" as const),
    operation: fc.constant("DescribeAccount" as const),
    times: fc.integer({ min: 1, max: 8 }),
  }),
);

/**
 * A failing ListAccounts: with 20 fillers the members are on the second page, so the pages
 * after the first fail most often (past pageAttempts × maxAttempts, for good: the listing is
 * incomplete); else the first page (for good: the run stops before any review).
 */
function listingFault(organization: OrganizationPlan): fc.Arbitrary<ListingFault | undefined> {
  const later = organization.fillers > 0;
  return sometimes(
    fc.record({
      page: later
        ? fc.oneof(
            { weight: 3, arbitrary: fc.constant("later" as const) },
            { weight: 1, arbitrary: fc.constant("first" as const) },
          )
        : fc.constant("first" as const),
      error: fc.constantFrom("throttling" as const, "server-error" as const),
      times: fc.integer({ min: 1, max: later ? 20 : 8 }),
    }),
    later ? 2 : 5,
  );
}

export const runPlan: fc.Arbitrary<RunPlan> = organizationPlan.chain((organization) =>
  fc.record({
    organization: fc.constant(organization),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    mode: fc.oneof(
      { weight: 8, arbitrary: fc.constant("fix" as const) },
      { weight: 1, arbitrary: fc.constant("scan" as const) },
      { weight: 1, arbitrary: fc.constant("dry-run" as const) },
    ),
    filterProfile: fc.constantFrom("all" as const, "securityhub" as const, "cis-v1.4" as const),
    emailToo: fc.boolean(),
    concurrency: fc.integer({ min: 1, max: 4 }),
    maxAttempts: fc.integer({ min: 2, max: 4 }),
    callTimeout: fc.constantFrom(50, 100, 200),
    accounts:
      organization.fillers > 0
        ? fc.constant(undefined)
        : sometimes(
            fc.uniqueArray(fc.nat(organization.members.length), {
              minLength: 1,
              maxLength: organization.members.length + 1,
            }),
            4,
          ),
    faults: fc.array(fault, { minLength: 1, maxLength: 5 }),
    listing: listingFault(organization),
  }),
);
