import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DRIFT_EVENTS, driftEventPattern } from "../../../shared/core/drift/drift-events.ts";
import {
  MalformedEventError,
  NotADriftEventError,
  RegionOutOfScopeError,
} from "../../../shared/core/drift/heal-errors.ts";
import { mayBeOwnSession, ownSessionReason } from "../../../shared/core/drift/own-sessions.ts";
import { assertRegionInScope, parseDriftEvent } from "../../../shared/core/drift/parse-drift-event.ts";
import { asOwnSession, sampleEvent } from "../../support/heal-harness.ts";

const driftFiles = readdirSync(new URL("../../../events/drift", import.meta.url)).filter((f) => f.endsWith(".json"));
const rules = { prefix: "tripwire", roleName: "OrganizationAccountAccessRole", dedicatedRole: false };
const SECURITY = { accountId: "111122223333", partition: "aws" };
const MEMBER = "222233334444";

describe("the sample drift events", () => {
  it("hold one file per drift event of docs/drift-events.md", () => {
    const sampled = driftFiles.map((f) => {
      const e = sampleEvent(`drift/${f}`);
      return `${e.detail.eventSource} ${e.detail.eventName}`;
    });
    const expected = Object.entries(DRIFT_EVENTS).flatMap(([source, names]) => names.map((n) => `${source} ${n}`));
    expect(sampled.sort()).toEqual(expected.sort());
  });

  it.each(driftFiles)("%s parses as a drift event of a person, not of tripwire", (file) => {
    const event = parseDriftEvent(sampleEvent(`drift/${file}`));
    expect(event.account).toBe("222233334444");
    expect(event.region).toBe("us-east-1");
    expect(ownSessionReason(event.actor, rules, SECURITY, event.account)).toBeUndefined();
  });

  it.each(driftFiles)("%s matches the rule pattern", (file) => {
    const e = sampleEvent(`drift/${file}`);
    const pattern = driftEventPattern();
    expect(pattern.source).toContain(e.source);
    expect(pattern["detail-type"]).toContain(e["detail-type"]);
    expect(pattern.detail.eventSource).toContain(e.detail.eventSource);
    expect(pattern.detail.eventName).toContain(e.detail.eventName);
  });
});

describe("parseDriftEvent", () => {
  it("marks trail events for report and chain events for repair", () => {
    const kinds = [
      sampleEvent("drift/cloudtrail-stop-logging.json"),
      sampleEvent("drift/logs-delete-metric-filter.json"),
    ].map((e) => parseDriftEvent(e).kind);
    expect(kinds).toEqual(["report", "repair"]);
  });

  it("takes the call's time from detail.eventTime", () => {
    expect(parseDriftEvent(sampleEvent("drift/sns-delete-topic.json")).eventTime.toISOString()).toBe(
      "2025-03-04T09:21:02.000Z",
    );
  });

  it("refuses something that is not an object", () => {
    expect(() => parseDriftEvent("DeleteAlarms")).toThrow(MalformedEventError);
  });

  it("refuses an event of another detail-type", () => {
    const event = {
      ...sampleEvent("drift/monitoring-delete-alarms.json"),
      "detail-type": "CloudWatch Alarm State Change",
    };
    expect(() => parseDriftEvent(event)).toThrow(/detail-type/);
  });

  it("refuses an account id that is not 12 digits", () => {
    const event = { ...sampleEvent("drift/monitoring-delete-alarms.json"), account: "12345" };
    expect(() => parseDriftEvent(event)).toThrow(MalformedEventError);
  });

  it("refuses an envelope whose account differs from the CloudTrail recipient", () => {
    const event = { ...sampleEvent("drift/monitoring-delete-alarms.json"), account: "999988887777" };
    expect(() => parseDriftEvent(event)).toThrow(/recipientAccountId 222233334444 differs from account 999988887777/);
  });

  it("refuses an envelope whose region differs from the call's", () => {
    const event = { ...sampleEvent("drift/monitoring-delete-alarms.json"), region: "eu-west-1" };
    expect(() => parseDriftEvent(event)).toThrow(/awsRegion us-east-1 differs/);
  });

  it("refuses an event without userIdentity", () => {
    const event = sampleEvent("drift/monitoring-delete-alarms.json");
    delete event.detail.userIdentity;
    expect(() => parseDriftEvent(event)).toThrow(/userIdentity/);
  });

  it("refuses a CloudTrail call that is not a drift event", () => {
    const event = sampleEvent("drift/monitoring-delete-alarms.json");
    event.detail.eventName = "DescribeAlarms";
    expect(() => parseDriftEvent(event)).toThrow(NotADriftEventError);
  });

  it("keeps the error code of a failed call", () => {
    const event = sampleEvent("drift/monitoring-delete-alarms.json");
    event.detail.errorCode = "AccessDenied";
    expect(parseDriftEvent(event).errorCode).toBe("AccessDenied");
  });
});

describe("assertRegionInScope", () => {
  it("refuses a region outside the configured ones", () => {
    const event = parseDriftEvent(sampleEvent("drift/monitoring-delete-alarms.json"));
    expect(() => assertRegionInScope(event, ["eu-west-1"])).toThrow(RegionOutOfScopeError);
  });

  it("accepts any region when none is configured", () => {
    const event = parseDriftEvent(sampleEvent("drift/monitoring-delete-alarms.json"));
    expect(() => assertRegionInScope(event, undefined)).not.toThrow();
  });
});

describe("ownSessionReason", () => {
  const actorOf = (event: Record<string, any>) => parseDriftEvent(event).actor;
  const deletion = () => sampleEvent("drift/logs-delete-metric-filter.json");
  const dedicated = { prefix: "tripwire", roleName: "tripwire-member", dedicatedRole: true };
  /** The call as made in the security account itself, by a session of one of its roles. */
  const inSecurityAccount = (sessionName: string, roleName: string) => {
    const event = deletion();
    event.account = event.detail.recipientAccountId = SECURITY.accountId;
    return asOwnSession(event, sessionName, roleName);
  };

  it("keeps the ARN of the role that issued the session", () => {
    const actor = actorOf(asOwnSession(deletion(), "tripwire-heal", "tripwire-member"));
    expect(actor.issuerArn).toBe(`arn:aws:iam::${MEMBER}:role/tripwire-member`);
  });

  it("recognises a session issued by one of tripwire's function roles in the security account", () => {
    const actor = actorOf(inSecurityAccount("tripwire-prod-heal", "tripwire-heal-role"));
    expect(ownSessionReason(actor, rules, SECURITY, SECURITY.accountId)).toMatch(
      /^caused by tripwire's own role arn:aws:iam::111122223333:role\/tripwire-heal-role/,
    );
  });

  it("does not take a role named like a function role in a member account for tripwire", () => {
    const actor = actorOf(asOwnSession(deletion(), "admin", "tripwire-heal-role"));
    expect(ownSessionReason(actor, rules, SECURITY, MEMBER)).toBeUndefined();
  });

  it("does not take a tripwire-named session on OrganizationAccountAccessRole for tripwire", () => {
    const actor = actorOf(asOwnSession(deletion(), "tripwire-cli"));
    expect(ownSessionReason(actor, rules, SECURITY, MEMBER)).toBeUndefined();
  });

  it("recognises the member role in the event's account when it is dedicated to tripwire", () => {
    const actor = actorOf(asOwnSession(deletion(), "tripwire-heal", "tripwire-member"));
    expect(ownSessionReason(actor, dedicated, SECURITY, MEMBER)).toMatch(/tripwire's own role .*tripwire-member/);
  });

  it("does not take the member role for tripwire when it is not dedicated", () => {
    const actor = actorOf(asOwnSession(deletion(), "tripwire-heal", "tripwire-member"));
    expect(ownSessionReason(actor, { ...dedicated, dedicatedRole: false }, SECURITY, MEMBER)).toBeUndefined();
  });

  it("does not take the dedicated member role of another account for tripwire", () => {
    const actor = actorOf(asOwnSession(deletion(), "tripwire-heal", "tripwire-member", "999988887777"));
    expect(ownSessionReason(actor, dedicated, SECURITY, MEMBER)).toBeUndefined();
  });

  it("does not take a function role of another partition for tripwire", () => {
    const actor = actorOf(inSecurityAccount("tripwire-prod-heal", "tripwire-heal-role"));
    expect(ownSessionReason(actor, rules, { ...SECURITY, partition: "aws-cn" }, SECURITY.accountId)).toBeUndefined();
  });

  it("needs tripwire's own account only for a role that has one of tripwire's role names", () => {
    const names = [
      asOwnSession(deletion(), "tripwire-x"),
      asOwnSession(deletion(), "admin", "tripwire-heal-role"),
      asOwnSession(deletion(), "admin", "tripwire-member"),
    ].map((e) => mayBeOwnSession(actorOf(e), dedicated));
    expect(names).toEqual([false, true, true]);
  });
});
