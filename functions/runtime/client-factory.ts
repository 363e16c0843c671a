/**
 * The engine's client factory as the functions use it: the execution role's credentials
 * (the SDK's default chain), AssumeRole into member accounts with a session named
 * `${prefix}-<purpose>`, which the heal recognises as tripwire's own (no loops).
 * Same construction as the CLI's productionFactory, without pulling the CLI into the bundle.
 */
import { ClientFactory } from "../../shared/aws/client-factory.ts";
import type { Settings } from "../../shared/config/settings.ts";

export type SessionPurpose = "sweep" | "heal";

export function lambdaClientFactory(settings: Settings, purpose: SessionPurpose): ClientFactory {
  return new ClientFactory(
    { homeRegion: settings.homeRegion, maxAttempts: settings.maxAttempts },
    { roleName: settings.roleName, externalId: settings.externalId, sessionName: `${settings.prefix}-${purpose}` },
  );
}
