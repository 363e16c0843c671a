/** The heal use case on the simulated organization, one drift situation per test. */
import { beforeEach, describe, expect, it } from "vitest";
import type { Settings } from "../../shared/config/settings.ts";
import { AccountNotActiveError, NotOrganizationMemberError } from "../../shared/core/drift/heal-errors.ts";
import { ownAlarmName, ownFilterName, ownTopicArn } from "../../shared/core/naming.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import { type HealOutcome, healFromEvent } from "../../shared/use-cases/heal.ts";
import { ControlRun } from "../../shared/use-cases/review/control-run.ts";
import {
  asOwnSession,
  factoryFor,
  fixSampleMember,
  HOME,
  organizationWithSampleMember,
  SAMPLE_ACCOUNT,
  sampleEvent,
  scenarios,
  settingsFor,
  trailLogGroup,
  writeCalls,
} from "../support/heal-harness.ts";

let org: SimulatedOrganization;
let member: SimulatedAccount;
let logGroup: string;

beforeEach(async () => {
  ({ org, member } = organizationWithSampleMember());
  logGroup = trailLogGroup(member);
  await fixSampleMember(org);
  org.calls.reset();
});

const heal = (event: unknown, settings: Settings = settingsFor()) =>
  healFromEvent(event, {
    settings,
    factory: factoryFor(org, settings, "heal"),
    now: () => new Date("2025-03-04T09:20:00Z"),
  });

const filterNames = () => member.metricFilters(HOME, logGroup).map((f) => f.filterName);

describe("a deleted metric filter", () => {
  it("is put back, and the account is compliant again", async () => {
    member.deleteMetricFilter(HOME, logGroup, ownFilterName("tripwire", "cis-v1.2"));
    const outcome = await heal(sampleEvent("drift/logs-delete-metric-filter.json"));
    expect(outcome.status).toBe("healed");
    expect(filterNames()).toContain(ownFilterName("tripwire", "cis-v1.2"));
    expect("result" in outcome && outcome.result.status).toBe("COMPLIANT");
  });

  it("measures the latency from the call to the end of the heal", async () => {
    member.deleteMetricFilter(HOME, logGroup, ownFilterName("tripwire", "cis-v1.2"));
    const outcome = await heal(sampleEvent("drift/logs-delete-metric-filter.json"));
    // eventTime 09:15:02, now 09:20:00
    expect("latencyMs" in outcome && outcome.latencyMs).toBe(298_000);
  });

  it("writes only in the event's region, only the missing filter", async () => {
    member.deleteMetricFilter(HOME, logGroup, ownFilterName("tripwire", "cis-v1.2"));
    await heal(sampleEvent("drift/logs-delete-metric-filter.json"));
    expect(writeCalls(org)).toEqual([`${SAMPLE_ACCOUNT}:${HOME}:PutMetricFilter`]);
  });

  it("is planned but not written in dry-run mode", async () => {
    member.deleteMetricFilter(HOME, logGroup, ownFilterName("tripwire", "cis-v1.2"));
    const outcome = await heal(sampleEvent("drift/logs-delete-metric-filter.json"), settingsFor({ dryRun: true }));
    expect(outcome.status).toBe("planned");
    expect(writeCalls(org)).toEqual([]);
  });
});

describe("a deleted alarm and topic", () => {
  it("are created again", async () => {
    member.deleteAlarm(HOME, ownAlarmName("tripwire"));
    member.deleteTopic(ownTopicArn("aws", HOME, SAMPLE_ACCOUNT, "tripwire"));
    const outcome = await heal(sampleEvent("drift/sns-delete-topic.json"));
    expect(outcome.status).toBe("healed");
    expect(member.alarm(HOME, ownAlarmName("tripwire"))?.AlarmActions).toEqual([
      ownTopicArn("aws", HOME, SAMPLE_ACCOUNT, "tripwire"),
    ]);
  });
});

describe("an event that needs nothing", () => {
  it("is unchanged when the chain is intact", async () => {
    const outcome = await heal(sampleEvent("drift/monitoring-put-metric-alarm.json"));
    expect(outcome.status).toBe("unchanged");
    expect(writeCalls(org)).toEqual([]);
  });

  it("is ignored when the call failed", async () => {
    const event = sampleEvent("drift/logs-delete-metric-filter.json");
    event.detail.errorCode = "AccessDenied";
    const outcome = await heal(event);
    expect(outcome.status).toBe("ignored");
    expect(org.calls.list()).toEqual([]);
  });
});

describe("loop prevention: tripwire's sessions are told by the issuing role's full ARN", () => {
  /** The heal function in the security account (the management account here), as its context tells it. */
  const functionFactory = (settings: Settings) =>
    simulatedFactory(org, settings, {
      sessionPurpose: "heal",
      caller: {
        accountId: org.managementAccountId,
        partition: "aws",
        arn: `arn:aws:sts::${org.managementAccountId}:assumed-role/tripwire-heal-role/tripwire-heal`,
      },
    });
  /** The sample event as made in the security account itself. */
  const inSecurityAccount = (path: string) => {
    const event = sampleEvent(path);
    event.account = event.detail.recipientAccountId = org.managementAccountId;
    return event;
  };

  it("ignores an event of the heal function's role in the security account, without any call", async () => {
    const settings = settingsFor();
    const event = asOwnSession(
      inSecurityAccount("drift/logs-put-metric-filter.json"),
      "tripwire-heal",
      "tripwire-heal-role",
    );
    const outcome = await healFromEvent(event, { settings, factory: functionFactory(settings) });
    expect(outcome.status).toBe("ignored");
    expect(org.calls.list()).toEqual([]);
  });

  it("ignores an event of the sweep-account function's role in the security account", async () => {
    const settings = settingsFor();
    const event = asOwnSession(
      inSecurityAccount("drift/monitoring-put-metric-alarm.json"),
      "tripwire-sweep-account",
      "tripwire-sweep-account-role",
    );
    const outcome = await healFromEvent(event, { settings, factory: functionFactory(settings) });
    expect(outcome.status).toBe("ignored");
  });

  it("heals a deletion by a session of a role named tripwire-heal-role in the member account", async () => {
    member.deleteMetricFilter(HOME, logGroup, ownFilterName("tripwire", "cis-v1.2"));
    const event = asOwnSession(sampleEvent("drift/logs-delete-metric-filter.json"), "admin", "tripwire-heal-role");
    const outcome = await heal(event);
    expect(outcome.status).toBe("healed");
    expect(filterNames()).toContain(ownFilterName("tripwire", "cis-v1.2"));
  });

  it("heals a deletion by a session named tripwire-x on OrganizationAccountAccessRole", async () => {
    member.deleteMetricFilter(HOME, logGroup, ownFilterName("tripwire", "cis-v1.2"));
    const outcome = await heal(asOwnSession(sampleEvent("drift/logs-delete-metric-filter.json"), "tripwire-x"));
    expect(outcome.status).toBe("healed");
    expect(filterNames()).toContain(ownFilterName("tripwire", "cis-v1.2"));
  });

  it("ignores a session of the member role when the role is dedicated to tripwire", async () => {
    member.addRole("tripwire-member");
    const settings = settingsFor({ roleName: "tripwire-member", dedicatedRole: true });
    member.deleteMetricFilter(HOME, logGroup, ownFilterName("tripwire", "cis-v1.2"));
    const event = asOwnSession(sampleEvent("drift/logs-delete-metric-filter.json"), "tripwire-heal", "tripwire-member");
    const outcome = await heal(event, settings);
    expect(outcome.status).toBe("ignored");
    expect(writeCalls(org)).toEqual([]);
  });

  it("heals a deletion by a session of the member role when the role is not dedicated to tripwire", async () => {
    member.addRole("tripwire-member");
    const settings = settingsFor({ roleName: "tripwire-member" });
    member.deleteMetricFilter(HOME, logGroup, ownFilterName("tripwire", "cis-v1.2"));
    const event = asOwnSession(sampleEvent("drift/logs-delete-metric-filter.json"), "tripwire-heal", "tripwire-member");
    expect((await heal(event, settings)).status).toBe("healed");
  });

  it("writes nothing when it heals the events that tripwire's own CLI fix raised", async () => {
    const fresh = organizationWithSampleMember();
    const settings = settingsFor();
    await new ControlRun(factoryFor(fresh.org, settings, "cli"), settings, "fix").reviewAccount({
      id: SAMPLE_ACCOUNT,
      name: "workload-prod",
      status: "ACTIVE",
    });
    const raised = fresh.org.calls
      .list({ errored: false })
      .filter((c) => c.accountId === SAMPLE_ACCOUNT && SAMPLE_OF[c.operation])
      .map((c) => {
        const event = asOwnSession(sampleEvent(`drift/${SAMPLE_OF[c.operation]}`), "tripwire-cli");
        event.detail.requestParameters = c.input;
        return event;
      });
    fresh.org.calls.reset();
    const outcomes = [];
    for (const event of raised) {
      outcomes.push(
        (await healFromEvent(event, { settings, factory: factoryFor(fresh.org, settings, "heal") })).status,
      );
    }
    expect({ outcomes, writes: writeCalls(fresh.org) }).toEqual({
      outcomes: ["unchanged", "unchanged", "unchanged"],
      writes: [],
    });
  });
});

/** The sample event of each drift call a fix makes. */
const SAMPLE_OF: Record<string, string> = {
  PutMetricFilter: "logs-put-metric-filter.json",
  PutMetricAlarm: "monitoring-put-metric-alarm.json",
  SetTopicAttributes: "sns-set-topic-attributes.json",
};

describe("a change to tripwire's filter that it can no longer prove its own", () => {
  it("is reported as NAME_TAKEN and left as it is", async () => {
    member.putMetricFilter(HOME, {
      logGroupName: logGroup,
      filterName: ownFilterName("tripwire", "cis-v1.2"),
      filterPattern: '{ $.errorCode = "AccessDenied*" }',
      metricTransformations: [{ metricName: "UnauthorizedAPICalls", metricNamespace: "tripwire", metricValue: "1" }],
    });
    const outcome = await heal(sampleEvent("drift/logs-put-metric-filter.json"));
    expect({
      writes: writeCalls(org),
      codes: "result" in outcome ? outcome.result.findings.map((f) => f.code) : [],
    }).toEqual({ writes: [], codes: expect.arrayContaining(["NAME_TAKEN"]) });
  });
});

describe("a trail event", () => {
  it("is re-evaluated and reported, and the trail is not changed", async () => {
    member.setLogging(member.trails()[0]?.TrailARN ?? "", false);
    const outcome = await heal(sampleEvent("drift/cloudtrail-stop-logging.json"));
    expect(outcome.status).toBe("reported");
    expect("result" in outcome && outcome.result.findings.map((f) => f.code)).toEqual(["TRAIL_NOT_LOGGING"]);
    expect(writeCalls(org)).toEqual([]);
  });
});

describe("refused events write nothing", () => {
  const refused = (outcome: HealOutcome) => (outcome.status === "refused" ? outcome.error : undefined);

  it("refuses an account that is not in the organization, naming it", async () => {
    const event = sampleEvent("drift/logs-delete-metric-filter.json");
    event.account = "999988887777";
    event.detail.recipientAccountId = "999988887777";
    const outcome = await heal(event);
    expect(refused(outcome)).toBeInstanceOf(NotOrganizationMemberError);
    expect(outcome.reason).toBe("account 999988887777 is not a member of this organization");
    expect(writeCalls(org)).toEqual([]);
  });

  it("refuses a suspended account", async () => {
    member.setStatus("SUSPENDED");
    const outcome = await heal(sampleEvent("drift/logs-delete-metric-filter.json"));
    expect(refused(outcome)).toBeInstanceOf(AccountNotActiveError);
    expect(writeCalls(org)).toEqual([]);
  });

  it("refuses an excluded account", async () => {
    const outcome = await heal(
      sampleEvent("drift/logs-delete-metric-filter.json"),
      settingsFor({ excludeAccounts: [SAMPLE_ACCOUNT] }),
    );
    expect(outcome.status).toBe("refused");
    expect(outcome.reason).toBe(`account ${SAMPLE_ACCOUNT} is out of scope: it is excluded`);
  });

  it("refuses an account outside the configured OU", async () => {
    const ou = org.addOrganizationalUnit({ name: "sandbox" });
    const outcome = await heal(sampleEvent("drift/logs-delete-metric-filter.json"), settingsFor({ ou: ou.id }));
    expect(outcome.status).toBe("refused");
    expect(outcome.reason).toBe(`account ${SAMPLE_ACCOUNT} is out of scope: it is not under ${ou.id}`);
  });

  it("heals an account under the configured OU", async () => {
    const ou = org.addOrganizationalUnit({ name: "workloads" });
    member.moveTo(ou.id);
    const outcome = await heal(sampleEvent("drift/logs-delete-metric-filter.json"), settingsFor({ ou: ou.id }));
    expect(outcome.status).toBe("unchanged");
  });

  it("heals an account two OUs below the configured one, asking Organizations only for its parents", async () => {
    const ou = org.addOrganizationalUnit({ name: "workloads" });
    const prod = org.addOrganizationalUnit({ name: "prod", parentId: ou.id });
    for (let i = 0; i < 30; i++) org.addAccount({ name: `neighbour-${i}`, parentId: ou.id });
    member.moveTo(prod.id);
    org.calls.reset();
    const outcome = await heal(sampleEvent("drift/logs-delete-metric-filter.json"), settingsFor({ ou: ou.id }));
    expect(outcome.status).toBe("unchanged");
    expect(org.calls.count({ operation: "ListParents" })).toBe(2);
    expect(org.calls.count({ service: "organizations", operation: "ListAccountsForParent" })).toBe(0);
  });

  it("refuses a region out of scope before any call", async () => {
    const outcome = await heal(
      sampleEvent("drift/logs-delete-metric-filter.json"),
      settingsFor({ regions: ["eu-west-1"] }),
    );
    expect(outcome.status).toBe("refused");
    expect(org.calls.list()).toEqual([]);
  });
});

describe("an account whose role cannot be assumed", () => {
  it("fails the heal with the reason", async () => {
    member.removeRole("OrganizationAccountAccessRole");
    const outcome = await heal(sampleEvent("drift/logs-delete-metric-filter.json"));
    expect(outcome.status).toBe("failed");
    expect(outcome.reason).toContain("cannot assume");
  });
});

describe("cost of a repair", () => {
  it("puts back one deleted filter in at most 8 API calls, with an organization trail beside the account's own", async () => {
    scenarios.organizationTrail(org, HOME);
    member.deleteMetricFilter(HOME, logGroup, ownFilterName("tripwire", "cis-v1.2"));
    const settings = settingsFor();
    const caller = {
      accountId: org.managementAccountId,
      partition: "aws",
      arn: `arn:aws:sts::${org.managementAccountId}:assumed-role/tripwire-heal-role/tripwire-heal`,
    };
    const factory = simulatedFactory(org, settings, { sessionPurpose: "heal", caller });
    org.calls.reset();
    const outcome = await healFromEvent(sampleEvent("drift/logs-delete-metric-filter.json"), { settings, factory });
    expect(outcome.status).toBe("healed");
    expect(org.calls.count()).toBeLessThanOrEqual(8);
  });
});
