/** The simulated AWS Organization: public surface for tests, the demo and the benchmark. */

export type { CallFilter, CallLog, CallRecord, SimulatedCall } from "./call-log.ts";
export type { CloudTrailEventEnvelope, CloudTrailEventListener, LiveChainOptions } from "./chain/live-chain.ts";
export type { SnsEnvelope } from "./chain/sns-delivery.ts";
export type { Clock, SimulationClock } from "./clock.ts";
export type { LambdaInvocation, LambdaListener, LambdaSnsEvent, SnsDelivery } from "./data/data-plane.ts";
export type { StoredLogEvent } from "./data/log-events.ts";
export {
  type ServiceId,
  SimulationNotImplementedError,
  serviceError,
  THROTTLING_ERROR_NAME,
  throttlingError,
} from "./errors.ts";
export {
  type CallMatcher,
  type ErrorSpec,
  type FailFault,
  type FaultHandle,
  type FaultOutcome,
  type Faults,
  type HangFault,
  HUNG,
  type ThrottleFault,
} from "./faults.ts";
export type { BeforeCallHook } from "./middleware.ts";
export { SIMULATION_MIDDLEWARE_NAME } from "./middleware.ts";
export {
  type AccountSpec,
  createSimulatedOrganization,
  DEFAULT_REGIONS,
  ORGANIZATION_ACCESS_ROLE,
  type PrincipalSpec,
  type RoleSpec,
  SimulatedAccount,
  type SimulatedOrganization,
  type SimulatedOrganizationOptions,
  type SubscriptionView,
} from "./organization.ts";
export * as scenarios from "./scenarios.ts";
export { defaultKeyPolicy, type KeySpec } from "./services/kms.ts";
export { MAX_FILTER_PATTERN_LENGTH, MAX_FILTERS_PER_LOG_GROUP } from "./services/logs.ts";
export { PENDING_CONFIRMATION } from "./services/sns.ts";
export type { AccountStatus, OrganizationalUnitState } from "./state.ts";
