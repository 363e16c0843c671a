/** The simulated AWS Organization: public surface for tests, the demo and the benchmark. */
export {
  createSimulatedOrganization,
  DEFAULT_REGIONS,
  ORGANIZATION_ACCESS_ROLE,
  SimulatedAccount,
  type AccountSpec,
  type PrincipalSpec,
  type RoleSpec,
  type SimulatedOrganization,
  type SimulatedOrganizationOptions,
  type SubscriptionView,
} from "./organization.ts";
export type { CallFilter, CallLog, CallRecord, SimulatedCall } from "./call-log.ts";
export type { CallMatcher, ErrorSpec, FailFault, FaultHandle, Faults, ThrottleFault } from "./faults.ts";
export type { BeforeCallHook } from "./middleware.ts";
export { SIMULATION_MIDDLEWARE_NAME } from "./middleware.ts";
export {
  serviceError,
  SimulationNotImplementedError,
  throttlingError,
  THROTTLING_ERROR_NAME,
  type ServiceId,
} from "./errors.ts";
export { MAX_FILTERS_PER_LOG_GROUP, MAX_FILTER_PATTERN_LENGTH } from "./services/logs.ts";
export { PENDING_CONFIRMATION } from "./services/sns.ts";
export type { AccountStatus, OrganizationalUnitState } from "./state.ts";
export * as scenarios from "./scenarios.ts";
