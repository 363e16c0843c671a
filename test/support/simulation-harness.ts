/** Builds the engine's real ClientFactory on top of a simulated organization. */
import { ClientFactory } from "../../shared/adapters/aws/client-factory.ts";
import { ORGANIZATION_ACCESS_ROLE, type SimulatedOrganization } from "../../shared/simulation/index.ts";

export interface HarnessOptions {
  /** Account whose user runs the tool (default: the management account). */
  readonly callerAccountId?: string;
  readonly maxAttempts?: number;
  readonly roleName?: string;
  readonly externalId?: string;
  readonly homeRegion?: string;
  /** Per attempt of every call, in ms (the factory's default when not given). */
  readonly callTimeoutMs?: number;
}

export function factoryFor(org: SimulatedOrganization, options: HarnessOptions = {}): ClientFactory {
  return new ClientFactory(
    {
      homeRegion: options.homeRegion ?? "us-east-1",
      credentials: org.credentialsFor(options.callerAccountId ?? org.managementAccountId),
      maxAttempts: options.maxAttempts ?? 3,
      retryDelayMs: () => 1,
      instrument: org.instrument,
      ...(options.callTimeoutMs !== undefined ? { callTimeoutMs: options.callTimeoutMs } : {}),
    },
    {
      roleName: options.roleName ?? ORGANIZATION_ACCESS_ROLE,
      sessionName: "tripwire",
      ...(options.externalId ? { externalId: options.externalId } : {}),
    },
  );
}

/** The rejection of `promise`, or a failure if it resolved. */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number; requestId?: string } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the call to fail, it succeeded");
}
