import type { AwsCredentialIdentity } from "@smithy/types";

/**
 * Any SDK v3 client. `instrument` receives each client the factory builds, so a simulation
 * or a latency model can add middleware below the engine without the engine knowing.
 */
export interface AnyClient {
  middlewareStack: { addRelativeTo: (...args: never[]) => unknown };
  config: { credentials: () => Promise<AwsCredentialIdentity>; region: () => Promise<string> };
}

export type ClientInstrument = (client: AnyClient) => void;
