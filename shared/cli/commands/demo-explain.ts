/**
 * The demo's explain step: unauthorized calls in a member account whose chain tripwire fixed,
 * CloudTrail delivers them, tripwire's alarm fires and notifies the demo's SQS queue; explain
 * reads that notification as a responder would (`tripwire explain --alarm -`) and groups the
 * calls, with one documented exclusion that sets the CI pipeline's calls aside.
 */
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { Settings } from "../../config/settings.ts";
import { parseAlarmNotification } from "../../core/alarm-notification.ts";
import type { Exclusion } from "../../core/exclusions.ts";
import type { Explanation } from "../../core/explain/explanation.ts";
import { simulatedFactory } from "../../simulation/factory.ts";
import { ORGANIZATION_ACCESS_ROLE, type SimulatedOrganization } from "../../simulation/index.ts";
import { explainAlarm } from "../../use-cases/explain.ts";

/** CloudTrail's delivery delay in the demo's live chain, and tripwire's alarm period. */
export const DEMO_DELIVERY_DELAY_MS = 300_000;
const ALARM_PERIOD_MS = 300_000;
const DAY_MS = 86_400_000;

/** Who calls what in the demo: a CI pipeline probing roles (excluded), and one person. */
export const DEMO_CALLERS = [
  { session: "ci-deployer", calls: 3 },
  { session: "jane.doe", calls: 1 },
] as const;

/** The demo's one exclusion: the CI pipeline's sessions, documented, expiring in 90 days. */
export function demoExclusion(now: Date): Exclusion {
  return {
    match: { principal: `arn:aws:sts::*:assumed-role/${ORGANIZATION_ACCESS_ROLE}/ci-*` },
    reason: "the CI pipeline probes for its deploy role before it creates it",
    owner: "platform-team@example.com",
    expires: new Date(now.getTime() + 90 * DAY_MS).toISOString().slice(0, 10),
  };
}

export interface DemoAlarm {
  readonly explanation: Explanation;
  /** The SNS envelope the alarm sent to the queue, as explain read it. */
  readonly notification: string;
}

/**
 * Makes the calls (AssumeRole of a role that does not exist: AccessDenied, recorded by
 * CloudTrail), lets the simulated clock run until the alarm has notified the queue, and
 * explains the one notification it finds there.
 */
export async function explainOneAlarm(
  org: SimulatedOrganization,
  settings: Settings,
  where: { readonly accountId: string; readonly region: string; readonly queueUrl: string },
): Promise<DemoAlarm> {
  for (const caller of DEMO_CALLERS) {
    const sts = new STSClient({
      region: where.region,
      maxAttempts: 1,
      credentials: org.credentialsFor(where.accountId, { role: ORGANIZATION_ACCESS_ROLE, sessionName: caller.session }),
    });
    org.instrument(sts as never);
    for (let i = 0; i < caller.calls; i++) {
      await sts
        .send(
          new AssumeRoleCommand({
            RoleArn: `arn:aws:iam::${where.accountId}:role/deploy-role-not-yet-created`,
            RoleSessionName: caller.session,
          }),
        )
        .catch(() => undefined); // AccessDenied: the point of the call.
    }
  }
  await org.clock.sleep(DEMO_DELIVERY_DELAY_MS + ALARM_PERIOD_MS);

  const sqs = new SQSClient({
    region: where.region,
    maxAttempts: 1,
    credentials: org.credentialsFor(org.managementAccountId),
  });
  org.instrument(sqs as never);
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: where.queueUrl, MaxNumberOfMessages: 10 }));
  const alarms = (out.Messages ?? []).map((m) => ({ body: m.Body ?? "", alarm: parseAlarmNotification(m.Body ?? "") }));
  const found = alarms.find((a) => a.alarm.accountId === where.accountId && a.alarm.newState === "ALARM");
  if (!found) throw new Error(`demo: no ALARM notification of account ${where.accountId} reached the queue`);
  const explanation = await explainAlarm(found.alarm, {
    settings,
    factory: simulatedFactory(org, settings),
    now: () => org.clock.now(),
  });
  const notification = found.body;
  return { explanation, notification };
}
