/**
 * A ClientFactory whose clients talk to a simulated organization: the same factory the CLI
 * uses against AWS, given the simulation's instrument and a caller in the management account.
 */
import { type CallerIdentity, ClientFactory } from "../adapters/aws/client-factory.ts";
import type { ClientPool } from "../adapters/aws/client-pool.ts";
import type { SimulatedOrganization } from "./organization.ts";

export interface SimulatedFactoryOptions {
  /** Account of the caller (default: the management account). */
  readonly callerAccountId?: string;
  /** Session purpose, as in `${prefix}-${purpose}` (default "cli"). */
  readonly sessionPurpose?: string;
  /** Backoff between retries in ms (default 1: tests and the demo need not wait). */
  readonly retryDelayMs?: (attempt: number) => number;
  /** The caller, when known (as a Lambda knows it from its own ARN): no GetCallerIdentity. */
  readonly caller?: CallerIdentity;
  /** Member clients shared with other factories (a Lambda container's pool). */
  readonly clientPool?: ClientPool;
}

export function simulatedFactory(
  org: SimulatedOrganization,
  settings: {
    readonly homeRegion: string;
    readonly maxAttempts: number;
    readonly roleName: string;
    readonly externalId?: string;
    readonly prefix: string;
    /** Per attempt of every call, in ms (the factory's default when not given). */
    readonly callTimeout?: number;
  },
  options: SimulatedFactoryOptions = {},
): ClientFactory {
  return new ClientFactory(
    {
      homeRegion: settings.homeRegion,
      credentials: org.credentialsFor(options.callerAccountId ?? org.managementAccountId),
      maxAttempts: settings.maxAttempts,
      retryDelayMs: options.retryDelayMs ?? (() => 1),
      ...(settings.callTimeout !== undefined ? { callTimeoutMs: settings.callTimeout } : {}),
      instrument: org.instrument,
      ...(options.caller ? { caller: options.caller } : {}),
      ...(options.clientPool ? { clientPool: options.clientPool } : {}),
    },
    {
      roleName: settings.roleName,
      externalId: settings.externalId,
      sessionName: `${settings.prefix}-${options.sessionPurpose ?? "cli"}`,
    },
  );
}
