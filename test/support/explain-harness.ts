/**
 * The live chain after tripwire's fix, for explain, replay and the notify function: an
 * organization whose member account has tripwire's chain, a way to make unauthorized calls
 * as some principal of that account, and the alarm notification that follows, taken from the
 * SQS queue subscribed to tripwire's topic (or from a Lambda invocation).
 */
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { ClientFactory } from "../../shared/adapters/aws/client-factory.ts";
import { loadSettings, type RawSettings, type Settings } from "../../shared/config/settings.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import {
  createSimulatedOrganization,
  ORGANIZATION_ACCESS_ROLE,
  type SimulatedAccount,
  type SimulatedOrganization,
  scenarios,
} from "../../shared/simulation/index.ts";
import { runSweep } from "../../shared/use-cases/sweep.ts";

export const HOME = "us-east-1";
export const OTHER = "eu-west-1";
/** CloudTrail's delivery delay the organization models, and tripwire's alarm period. */
export const DELAY_MS = 300_000;
export const PERIOD_MS = 300_000;

export interface LiveOrganization {
  readonly org: SimulatedOrganization;
  readonly member: SimulatedAccount;
  readonly queue: { readonly url: string; readonly arn: string };
  readonly settings: Settings;
}

export function settingsFor(raw: RawSettings = {}, now?: Date): Settings {
  return loadSettings({
    cli: { concurrency: "4", maxAttempts: "3", ...raw },
    env: {},
    ...(now ? { now } : {}),
  });
}

export function factoryFor(org: SimulatedOrganization, settings: Settings, purpose = "cli"): ClientFactory {
  return simulatedFactory(org, settings, { sessionPurpose: purpose });
}

/** A member with a bare trail in HOME, fixed by tripwire with an SQS queue (and `notify`) subscribed. */
export async function liveOrganization(
  options: { notify?: string[]; raw?: RawSettings } = {},
): Promise<LiveOrganization> {
  const org = createSimulatedOrganization({ regions: [HOME, OTHER], liveChain: { deliveryDelayMs: DELAY_MS } });
  const member = org.addAccount({ name: "workload" });
  scenarios.bareAccount(member, HOME);
  const queue = org.account(org.managementAccountId).createQueue(HOME, "security-alerts");
  const notify = [`sqs:${queue.arn}`, ...(options.notify ?? [])];
  const settings = settingsFor({ notify, ...options.raw });
  await runSweep({ mode: "fix", settings, factory: factoryFor(org, settings) });
  return { org, member, queue, settings };
}

/**
 * AssumeRole of a role that does not exist, from a session of `sessionName` on the member's
 * OrganizationAccountAccessRole: refused with AccessDenied, recorded by CloudTrail.
 */
export async function deniedCalls(live: LiveOrganization, sessionName: string, times = 1): Promise<void> {
  const sts = new STSClient({
    region: HOME,
    maxAttempts: 1,
    credentials: live.org.credentialsFor(live.member.id, { role: ORGANIZATION_ACCESS_ROLE, sessionName }),
  });
  live.org.instrument(sts as never);
  for (let i = 0; i < times; i++) {
    try {
      await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${live.member.id}:role/no-such-role`,
          RoleSessionName: sessionName,
        }),
      );
    } catch {
      // AccessDenied: the point of the call.
    }
  }
}

/** Lets CloudTrail deliver and the alarm evaluate. */
export async function letTheAlarmFire(live: LiveOrganization): Promise<void> {
  await live.org.clock.sleep(DELAY_MS + PERIOD_MS);
}

/** The SNS envelopes in the queue, as SQS message bodies (text). */
export async function queuedNotifications(live: LiveOrganization): Promise<string[]> {
  const sqs = new SQSClient({
    region: HOME,
    maxAttempts: 1,
    credentials: live.org.credentialsFor(live.org.managementAccountId),
  });
  live.org.instrument(sqs as never);
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: live.queue.url, MaxNumberOfMessages: 10 }));
  return (out.Messages ?? []).map((m) => m.Body ?? "");
}

/** The one notification the alarm sent to the queue. */
export async function theNotification(live: LiveOrganization): Promise<string> {
  const [body, ...more] = await queuedNotifications(live);
  if (body === undefined || more.length > 0) throw new Error(`expected one notification, got ${more.length + 1}`);
  return body;
}
