/** Ownership on the alert (issue 10, item 3), end to end on the simulated organization. */
import { beforeEach, describe, expect, it } from "vitest";
import { ownAlarmDescription } from "../../shared/core/alert-ownership.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import {
  accountOf,
  HOME,
  newOrganization,
  SQS_NOTIFY,
  scenarios,
  sweep,
  writeCalls,
} from "../support/integration-harness.ts";

const ALARM = "tripwire-unauthorized-api-calls";
const RUNBOOK = "https://wiki.example.com/runbooks/unauthorized-api-calls";
let org: SimulatedOrganization;
let member: SimulatedAccount;
const topicArn = () => `arn:aws:sns:${HOME}:${member.id}:${ALARM}`;
const fixWith = (owner: string) => sweep(org, "fix", { notify: [SQS_NOTIFY], owner, runbookUrl: RUNBOOK });

beforeEach(() => {
  org = newOrganization();
  scenarios.compliantV12(org.account(org.managementAccountId), HOME);
  member = org.addAccount({ name: "workload" });
  scenarios.bareAccount(member, HOME);
});

describe("a fix with owner and runbook", () => {
  it("writes the description with the owner and the runbook on tripwire's alarm", async () => {
    await fixWith("Platform Security");
    expect(member.alarm(HOME, ALARM)?.AlarmDescription).toBe(
      ownAlarmDescription({ owner: "Platform Security", runbookUrl: RUNBOOK }),
    );
  });

  it("tags tripwire's alarm with its mark, the owner and the runbook", async () => {
    await fixWith("Platform Security");
    expect(member.alarmTags(HOME, ALARM)).toEqual({
      "managed-by": "tripwire",
      owner: "Platform Security",
      runbook: RUNBOOK,
    });
  });

  it("tags tripwire's topic the same way", async () => {
    await fixWith("Platform Security");
    expect(member.topic(topicArn())?.tags).toEqual({
      "managed-by": "tripwire",
      owner: "Platform Security",
      runbook: RUNBOOK,
    });
  });
});

describe("a changed owner", () => {
  beforeEach(async () => {
    await fixWith("Platform Security");
    org.calls.reset();
  });

  it("updates tripwire's alarm and tags its alarm and topic on the next fix, and writes nothing else", async () => {
    await fixWith("Cloud Security");
    expect(
      writeCalls(org)
        .filter((w) => w.startsWith(member.id))
        .sort(),
    ).toEqual([
      `${member.id}:${HOME}:PutMetricAlarm`,
      `${member.id}:${HOME}:TagResource`,
      `${member.id}:${HOME}:TagResource`,
    ]);
  });

  it("leaves the alarm and topic with the new owner", async () => {
    await fixWith("Cloud Security");
    expect({
      alarm: member.alarmTags(HOME, ALARM).owner,
      topic: member.topic(topicArn())?.tags.owner,
      description: member.alarm(HOME, ALARM)?.AlarmDescription,
    }).toEqual({
      alarm: "Cloud Security",
      topic: "Cloud Security",
      description: expect.stringContaining("Owner: Cloud Security."),
    });
  });

  it("leaves the account compliant", async () => {
    expect(accountOf(await fixWith("Cloud Security"), member.id).status).toBe("COMPLIANT");
  });

  it("writes nothing on the fix after", async () => {
    await fixWith("Cloud Security");
    org.calls.reset();
    await fixWith("Cloud Security");
    expect(writeCalls(org)).toEqual([]);
  });

  it("is only planned by a dry run", async () => {
    const report = await sweep(org, "fix", {
      notify: [SQS_NOTIFY],
      owner: "Cloud Security",
      runbookUrl: RUNBOOK,
      dryRun: true,
    });
    expect(accountOf(report, member.id).actions.map((a) => `${a.type}:${a.applied}`)).toEqual([
      "update-alarm:false",
      "tag-alarm:false",
      "tag-topic:false",
    ]);
  });
});

describe("a customer's chain", () => {
  it("is never updated or tagged for the owner", async () => {
    org.calls.reset();
    await sweep(org, "fix", { notify: [SQS_NOTIFY], owner: "Platform Security", filterProfile: "securityhub" });
    expect(writeCalls(org).filter((w) => w.startsWith(org.managementAccountId))).toEqual([]);
  });
});
