/**
 * Issue 11 with the real `tripwire explain` against moto: the alarm of a member tripwire fixed,
 * and the CloudTrail records in its trail's log group.
 *
 * moto 5.2 is not AWS here:
 *  - its FilterLogEvents does not evaluate a JSON filter pattern (`{ $.errorCode = ... }`): it
 *    returns every event of the span. That is the disagreement explain's re-evaluation exists
 *    for: the ordinary record comes back, tripwire's engine does not match it, and it is listed
 *    as unconfirmed instead of being counted;
 *  - its alarms do not turn a metric filter's datapoints into an ALARM notification, so the
 *    test writes the notification CloudWatch would send (events/alarm/alarm-message.json's
 *    shape) for the period the records fall in.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jsonOf } from "./cli.ts";
import { emulatorUnavailable, useEmulator } from "./emulator.ts";
import { memberScope, memberWithTrail, type Organization, OWN_ALARM, REGION, TRAIL_LOG_GROUP } from "./scenario.ts";

interface ExplainDocument {
  readonly matched: number;
  readonly excluded: number;
  readonly unconfirmed: readonly { readonly eventName: string | null }[];
  readonly groups: readonly { readonly principal: string; readonly eventName: string; readonly count: number }[];
}

const PERIOD_MS = 300_000;
const TEMPLATE = JSON.parse(
  readFileSync(new URL("../../events/alarm/alarm-message.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

/** `dd/mm/yy HH:MM:SS`, as an alarm's state reason writes a datapoint's time (UTC). */
function reasonTime(ms: number): string {
  const d = new Date(ms).toISOString();
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(2, 4)} ${d.slice(11, 19)}`;
}

function record(accountId: string, fields: Record<string, unknown>): string {
  return JSON.stringify({
    eventVersion: "1.09",
    userIdentity: { type: "IAMUser", arn: `arn:aws:iam::${accountId}:user/${fields.user}`, accountId },
    eventSource: fields.eventSource,
    eventName: fields.eventName,
    awsRegion: REGION,
    sourceIPAddress: "198.51.100.23",
    ...(fields.errorCode ? { errorCode: fields.errorCode } : {}),
    eventID: fields.eventID,
    recipientAccountId: accountId,
  });
}

describe.skipIf(emulatorUnavailable())("tripwire explain against moto", { timeout: 90_000 }, () => {
  const emulator = useEmulator();

  /** A fixed member, three records in one period (two unauthorized, one ordinary), and its alarm's notification. */
  async function alarmedMember(): Promise<{ org: Organization; alarmFile: string }> {
    const org = await memberWithTrail(emulator.aws);
    const fix = await emulator.cli.run(["fix", "--json", "--notify", `sqs:${org.queueArn}`, ...memberScope(org)]);
    if (fix.code !== 0) throw new Error(`arrangement: fix failed (exit ${fix.code}): ${fix.stderr.slice(-600)}`);
    const periodStart = Math.floor((Date.now() - 2 * PERIOD_MS) / PERIOD_MS) * PERIOD_MS;
    const m = org.member;
    await emulator.aws.call("member", "logs", "create_log_stream", {
      logGroupName: TRAIL_LOG_GROUP,
      logStreamName: `${m}_CloudTrail_${REGION}`,
    });
    await emulator.aws.call("member", "logs", "put_log_events", {
      logGroupName: TRAIL_LOG_GROUP,
      logStreamName: `${m}_CloudTrail_${REGION}`,
      logEvents: [
        {
          timestamp: periodStart + 1_000,
          message: record(m, {
            user: "alice",
            eventSource: "iam.amazonaws.com",
            eventName: "ListUsers",
            errorCode: "AccessDenied",
            eventID: "e-1",
          }),
        },
        {
          timestamp: periodStart + 2_000,
          message: record(m, {
            user: "bob",
            eventSource: "s3.amazonaws.com",
            eventName: "ListBuckets",
            eventID: "e-2",
          }),
        },
        {
          timestamp: periodStart + 3_000,
          message: record(m, {
            user: "bob",
            eventSource: "ec2.amazonaws.com",
            eventName: "RunInstances",
            errorCode: "Client.UnauthorizedOperation",
            eventID: "e-3",
          }),
        },
      ],
    });
    const alarm = {
      ...TEMPLATE,
      AWSAccountId: m,
      AlarmArn: `arn:aws:cloudwatch:${REGION}:${m}:alarm:${OWN_ALARM}`,
      AlarmActions: `[arn:aws:sns:${REGION}:${m}:${OWN_ALARM}]`,
      NewStateReason: `Threshold Crossed: 1 datapoint [2.0 (${reasonTime(periodStart)})] was greater than or equal to the threshold (1.0).`,
      StateChangeTime: new Date(periodStart + PERIOD_MS + 60_000).toISOString().replace("Z", "+0000"),
    };
    return { org, alarmFile: emulator.cli.writeFile("alarm.json", JSON.stringify(alarm)) };
  }

  it("counts the two unauthorized calls, each in its own group", async () => {
    const { org, alarmFile } = await alarmedMember();

    const run = await emulator.cli.run(["explain", "--alarm", alarmFile, "--json", ...memberScope(org)]);

    const doc = jsonOf<ExplainDocument>(run);
    expect(doc.groups).toMatchObject([
      { principal: `arn:aws:iam::${org.member}:user/alice`, eventName: "ListUsers", count: 1 },
      { principal: `arn:aws:iam::${org.member}:user/bob`, eventName: "RunInstances", count: 1 },
    ]);
    expect(run.code).toBe(0);
  });

  it("lists the ordinary record moto returned for the JSON pattern as unconfirmed, not counted", async () => {
    const { org, alarmFile } = await alarmedMember();

    const doc = jsonOf<ExplainDocument>(
      await emulator.cli.run(["explain", "--alarm", alarmFile, "--json", ...memberScope(org)]),
    );

    expect(doc).toMatchObject({ matched: 2, unconfirmed: [{ eventName: "ListBuckets" }] });
  });

  it("asks moto's FilterLogEvents once, with the v1.2 pattern that includes the v1.4 one", async () => {
    const { org, alarmFile } = await alarmedMember();
    emulator.proxy.reset();

    await emulator.cli.run(["explain", "--alarm", alarmFile, "--json", ...memberScope(org)]);

    expect(emulator.proxy.calls.filter((c) => c.operation === "FilterLogEvents")).toHaveLength(1);
  });
});
