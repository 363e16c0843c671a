/**
 * Issue 10 with the real `tripwire` command against moto: the owner and runbook on tripwire's
 * alarm and topic (a changed owner re-tags them), and `tripwire evidence`, whose reads
 * (DescribeAlarmHistory among them) go over the SDK's real wire protocols.
 *
 * Where moto is not AWS (see each comment), the test says so.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { emulatorUnavailable, useEmulator } from "./emulator.ts";
import {
  alarmNamed,
  alarmTags,
  memberScope,
  memberWithTrail,
  OWN_ALARM,
  OWN_TOPIC,
  topicArn,
  topicTags,
} from "./scenario.ts";

const RUNBOOK = "https://wiki.example.com/runbooks/unauthorized-api-calls";
const WRITE_OPERATION = /^(Put|Create|Delete|Subscribe|Unsubscribe|Set|Tag|Untag|Update|Start|Stop|Disable|Enable)/;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(emulatorUnavailable())("issue 10 against moto", { timeout: 90_000 }, () => {
  const emulator = useEmulator();

  it("a changed owner updates tripwire's alarm and tags its alarm and topic again", async () => {
    const org = await memberWithTrail(emulator.aws);
    const fix = (owner: string) =>
      emulator.cli.run([
        "fix",
        "--json",
        "--notify",
        `sqs:${org.queueArn}`,
        "--owner",
        owner,
        "--runbook-url",
        RUNBOOK,
        ...memberScope(org),
      ]);
    const first = await fix("Platform Security");
    if (first.code !== 0) throw new Error(`arrangement: the first fix failed: ${first.stderr.slice(-600)}`);
    emulator.proxy.reset();

    const second = await fix("Cloud Security");

    const alarm = await alarmNamed(emulator.aws, "member", OWN_ALARM);
    const topic = topicArn(org.member, OWN_TOPIC);
    expect({
      code: second.code,
      writes: emulator.proxy.calls
        .filter((c) => WRITE_OPERATION.test(c.operation))
        .map((c) => c.operation)
        .sort(),
      description: alarm?.AlarmDescription,
      alarmTags: await alarmTags(emulator.aws, "member", alarm?.AlarmArn ?? ""),
      topicTags: await topicTags(emulator.aws, "member", topic),
    }).toEqual({
      code: 0,
      writes: ["PutMetricAlarm", "TagResource", "TagResource"],
      description: expect.stringMatching(new RegExp(`Owner: Cloud Security\\. .*Runbook: ${RUNBOOK}$`)),
      alarmTags: { "managed-by": "tripwire", owner: "Cloud Security", runbook: RUNBOOK },
      topicTags: { "managed-by": "tripwire", owner: "Cloud Security", runbook: RUNBOOK },
    });
  });

  it("evidence writes the package of a fixed member, and no write call", async () => {
    const org = await memberWithTrail(emulator.aws);
    const fix = await emulator.cli.run(["fix", "--json", "--notify", `sqs:${org.queueArn}`, ...memberScope(org)]);
    if (fix.code !== 0) throw new Error(`arrangement: the fix failed: ${fix.stderr.slice(-600)}`);
    emulator.proxy.reset();
    const dir = join(mkdtempSync(join(tmpdir(), "tripwire-evidence-moto-")), "package");
    dirs.push(dir);

    const run = await emulator.cli.run(["evidence", "--out", dir, ...memberScope(org)]);

    const exported = existsSync(join(dir, "accounts", `${org.member}.json`))
      ? JSON.parse(readFileSync(join(dir, "accounts", `${org.member}.json`), "utf8"))
      : {};
    // moto 5.2 has no DescribeAlarmHistory (it answers an HTML page): the export records the
    // failed read by name, and the page says the history was not read, rather than "no change".
    const page = existsSync(join(dir, "index.html")) ? readFileSync(join(dir, "index.html"), "utf8") : "";
    expect({
      code: run.code,
      stderr: run.stderr.includes("tripwire:") ? run.stderr : "",
      trails: (exported.trails?.response.trailList ?? []).length,
      alarms: (exported.alarms ?? []).flatMap((a: { response: { MetricAlarms: { AlarmName: string }[] } }) =>
        a.response.MetricAlarms.map((m) => m.AlarmName),
      ),
      errors: exported.errors,
      historyNotRead: page.includes(`History not read for <code>${org.member}/us-east-1/${OWN_ALARM}</code>`),
      writes: emulator.proxy.calls.filter((c) => WRITE_OPERATION.test(c.operation)).map((c) => c.operation),
    }).toEqual({
      code: 0,
      stderr: "",
      trails: 1,
      alarms: [OWN_ALARM, OWN_ALARM],
      errors: [expect.stringMatching(/^DescribeAlarmHistory \(cloudwatch us-east-1\): /)],
      historyNotRead: true,
      writes: [],
    });
  });
});
