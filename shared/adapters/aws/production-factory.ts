/**
 * The client factory for real AWS, used by the CLI and the Lambda functions alike: the
 * SDK's default credential chain (or a named profile), the SDK's own endpoint settings
 * (AWS_ENDPOINT_URL), and AssumeRole sessions named `${prefix}-<purpose>`, which the heal
 * path recognises as tripwire's own.
 */
import type { Settings } from "../../config/settings.ts";
import { type CallerIdentity, ClientFactory } from "./client-factory.ts";
import type { ClientPool } from "./client-pool.ts";

export type SessionPurpose = "cli" | "sweep" | "heal" | "notify" | "prove";

export function productionFactory(
  settings: Settings,
  purpose: SessionPurpose,
  caller?: CallerIdentity,
  clientPool?: ClientPool,
): ClientFactory {
  return new ClientFactory(
    {
      homeRegion: settings.homeRegion,
      maxAttempts: settings.maxAttempts,
      callTimeoutMs: settings.callTimeout,
      ...(settings.awsProfile ? { profile: settings.awsProfile } : {}),
      ...(caller ? { caller } : {}),
      ...(clientPool ? { clientPool } : {}),
    },
    { roleName: settings.roleName, externalId: settings.externalId, sessionName: `${settings.prefix}-${purpose}` },
  );
}
