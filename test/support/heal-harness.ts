/** A simulated organization and the helpers the heal, prune and function tests share. */
import { readFileSync } from "node:fs";
import type { ClientFactory } from "../../shared/adapters/aws/client-factory.ts";
import { loadSettings, type RawSettings, type Settings } from "../../shared/config/settings.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import { ControlRun } from "../../shared/use-cases/review/control-run.ts";
import { HOME, newOrganization, SQS_NOTIFY, scenarios } from "./simulated-organization.ts";

export { HOME, newOrganization, OTHER, SQS_NOTIFY, scenarios, writeCalls } from "./simulated-organization.ts";

/** The member account of every sample drift event in events/drift/. */
export const SAMPLE_ACCOUNT = "222233334444";

/** The organization with the sample events' member account, its trail delivering in HOME. */
export function organizationWithSampleMember(): { org: SimulatedOrganization; member: SimulatedAccount } {
  const org = newOrganization();
  const member = org.addAccount({ id: SAMPLE_ACCOUNT, name: "workload-prod" });
  scenarios.bareAccount(member, HOME);
  return { org, member };
}

/** The log group the sample member's trail delivers to. */
export function trailLogGroup(member: SimulatedAccount): string {
  return member.trails()[0]?.CloudWatchLogsLogGroupArn?.split(":")[6] ?? "";
}

/** A fix of the sample member, as the sweep would run it: tripwire's chain is then in place. */
export async function fixSampleMember(org: SimulatedOrganization, settings: Settings = settingsFor()): Promise<void> {
  await new ControlRun(factoryFor(org, settings), settings, "fix").reviewAccount({
    id: SAMPLE_ACCOUNT,
    name: "workload-prod",
    status: "ACTIVE",
  });
}

export function settingsFor(raw: RawSettings = {}): Settings {
  return loadSettings({ cli: { concurrency: "4", maxAttempts: "3", notify: [SQS_NOTIFY], ...raw }, env: {} });
}

export function factoryFor(org: SimulatedOrganization, settings: Settings, purpose = "cli"): ClientFactory {
  return simulatedFactory(org, settings, { sessionPurpose: purpose });
}

/** A sample event from events/, parsed fresh each time so a test may change it. */
export function sampleEvent(path: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../../events/${path}`, import.meta.url), "utf8"));
}

/**
 * The sample event as if a session of `roleName` had made the call: by default a role of the
 * event's account; `roleAccount` puts the role (and the call) in another account.
 */
export function asOwnSession(
  event: Record<string, any>,
  sessionName: string,
  roleName = "OrganizationAccountAccessRole",
  roleAccount?: string,
): Record<string, any> {
  const account = roleAccount ?? (event.account as string);
  event.detail.userIdentity = {
    type: "AssumedRole",
    principalId: `AROAOWNROLE:${sessionName}`,
    arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`,
    accountId: account,
    sessionContext: {
      sessionIssuer: {
        type: "Role",
        principalId: "AROAOWNROLE",
        arn: `arn:aws:iam::${account}:role/${roleName}`,
        accountId: account,
        userName: roleName,
      },
      attributes: { creationDate: "2025-03-04T09:12:55Z", mfaAuthenticated: "false" },
    },
  };
  return event;
}
