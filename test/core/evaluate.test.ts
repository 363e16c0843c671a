import { describe, expect, it } from "vitest";
import { evaluateAccount, evaluateChain } from "../../shared/core/evaluate.ts";
import { CIS_PATTERNS } from "../../shared/core/filter-pattern/index.ts";
import { ACCOUNT, alarm, compliantChain, filter, TOPIC, trail } from "./fixtures.ts";

const codes = (c: Parameters<typeof evaluateChain>[0]) => evaluateChain(c, "tripwire").findings.map((f) => f.code);

describe("evaluateChain", () => {
  it("judges a working CIS v1.2 chain complete with no findings", () => {
    const v = evaluateChain(compliantChain(), "tripwire");
    expect(v.complete).toBe(true);
    expect(v.findings).toEqual([]);
  });

  it("accepts the v1.2 pattern written without spaces", () => {
    const v = evaluateChain(
      compliantChain({ filters: [filter('{($.errorCode="*UnauthorizedOperation")||($.errorCode="AccessDenied*")}')] }),
      "tripwire",
    );
    expect(v.complete).toBe(true);
  });

  it("flags the CIS v1.4 CLI text as matching everything", () => {
    expect(codes(compliantChain({ filters: [filter(CIS_PATTERNS.v14CliText)] }))).toEqual([
      "FILTER_PATTERN_MATCHES_EVERYTHING",
    ]);
  });

  it("flags a pattern that catches only part of the unauthorized calls", () => {
    expect(codes(compliantChain({ filters: [filter('{ $.errorCode = "AccessDenied" }')] }))).toEqual([
      "FILTER_PATTERN_MISSES_UNAUTHORIZED_EVENTS",
    ]);
  });

  it("ignores filters aimed at other controls and reports the missing one", () => {
    expect(codes(compliantChain({ filters: [filter('{ $.userIdentity.type = "Root" }', "root-usage")] }))).toEqual([
      "NO_METRIC_FILTER",
    ]);
  });

  it("does not count a filter as aimed at the control merely because its name starts with the prefix", () => {
    expect(codes(compliantChain({ filters: [filter("ERROR", "tripwire-app-errors", "Errors")] }))).toEqual([
      "NO_METRIC_FILTER",
    ]);
  });

  it("judges a filter of tripwire's exact name even when it catches nothing", () => {
    const own = filter('{ $.eventName = "ConsoleLogin" }', "tripwire-unauthorized-api-calls-cis-v1.2");
    expect(codes(compliantChain({ filters: [own] }))).toEqual(["FILTER_PATTERN_MISSES_UNAUTHORIZED_EVENTS"]);
  });

  it("reports a covering filter without an alarm", () => {
    expect(codes(compliantChain({ alarmsByMetric: {} }))).toEqual(["NO_ALARM"]);
  });

  it("reports an alarm whose actions are disabled", () => {
    expect(
      codes(
        compliantChain({ alarmsByMetric: { "CISBenchmark/UnauthorizedAPICalls": [alarm({ actionsEnabled: false })] } }),
      ),
    ).toEqual(["ALARM_ACTIONS_DISABLED"]);
  });

  it("reports an alarm with no SNS action", () => {
    expect(
      codes(compliantChain({ alarmsByMetric: { "CISBenchmark/UnauthorizedAPICalls": [alarm({ alarmActions: [] })] } })),
    ).toEqual(["ALARM_WITHOUT_SNS_ACTION"]);
  });

  it("reports an alarm that one event cannot trip", () => {
    expect(
      codes(compliantChain({ alarmsByMetric: { "CISBenchmark/UnauthorizedAPICalls": [alarm({ threshold: 10 })] } })),
    ).toEqual(["ALARM_CANNOT_FIRE"]);
  });

  it("reports a topic that no longer exists", () => {
    expect(codes(compliantChain({ topics: { [TOPIC]: { arn: TOPIC, state: "NOT_FOUND" } } }))).toEqual([
      "TOPIC_NOT_FOUND",
    ]);
  });

  it("does not count a subscription pending confirmation", () => {
    const v = evaluateChain(
      compliantChain({ topics: { [TOPIC]: { arn: TOPIC, state: "FOUND", confirmed: 0, pending: 1 } } }),
      "tripwire",
    );
    expect(v.complete).toBe(false);
    expect(v.findings.map((f) => f.code)).toEqual(["NO_CONFIRMED_SUBSCRIPTION"]);
  });

  it("reports a stopped trail and keeps the chain incomplete", () => {
    const c = compliantChain({
      state: { isLogging: false, managementEvents: "READ_WRITE", basicSelectorsAll: true, selectorKind: "basic" },
    });
    const v = evaluateChain(c, "tripwire");
    expect(v.complete).toBe(false);
    expect(v.findings.map((f) => f.code)).toEqual(["TRAIL_NOT_LOGGING"]);
  });

  it("reports write-only management events", () => {
    const c = compliantChain({
      state: { isLogging: true, managementEvents: "PARTIAL", basicSelectorsAll: false, selectorKind: "basic" },
    });
    expect(codes(c)).toEqual(["TRAIL_MISSING_MANAGEMENT_EVENTS"]);
  });

  it("reports a trail without a log group", () => {
    expect(codes(compliantChain({ trail: trail({ logGroup: undefined }) }))).toEqual([
      "TRAIL_NOT_DELIVERING_TO_CLOUDWATCH",
    ]);
  });

  it("reports a log group that does not exist", () => {
    expect(codes(compliantChain({ logGroupExists: false, filters: [] }))).toEqual(["LOG_GROUP_NOT_FOUND"]);
  });
});

describe("scanner predictions", () => {
  it("has Security Hub and Prowler pass the exact v1.2 chain and Steampipe fail it", () => {
    expect(evaluateChain(compliantChain(), "tripwire").scanners).toEqual({
      securityHub: "PASS",
      steampipe: "FAIL",
      prowler: "PASS",
    });
  });

  it("has Steampipe pass the grouped v1.4 chain and Security Hub fail it", () => {
    const v = evaluateChain(compliantChain({ filters: [filter(CIS_PATTERNS.v14Grouped)] }), "tripwire");
    expect(v.scanners).toEqual({ securityHub: "FAIL", steampipe: "PASS", prowler: "PASS" });
  });

  it("has every scanner pass an alarm that is disabled, where tripwire does not", () => {
    const c = compliantChain({
      filters: [filter(CIS_PATTERNS.v12), filter(CIS_PATTERNS.v14Grouped, "v14")],
      alarmsByMetric: { "CISBenchmark/UnauthorizedAPICalls": [alarm({ actionsEnabled: false })] },
    });
    const v = evaluateChain(c, "tripwire");
    expect(v.complete).toBe(false);
    expect(v.scanners).toEqual({ securityHub: "PASS", steampipe: "PASS", prowler: "PASS" });
  });

  it("has Steampipe fail a trail with advanced event selectors", () => {
    const c = compliantChain({
      filters: [filter(CIS_PATTERNS.v14Grouped)],
      state: { isLogging: true, managementEvents: "READ_WRITE", basicSelectorsAll: false, selectorKind: "advanced" },
    });
    expect(evaluateChain(c, "tripwire").scanners.steampipe).toBe("FAIL");
  });
});

describe("evaluateAccount", () => {
  it("reports no multi-region trail and names the single-region ones", () => {
    const v = evaluateAccount(ACCOUNT, [trail({ isMultiRegion: false, name: "local" })], new Map());
    expect(v.findings).toEqual([
      {
        code: "NO_MULTI_REGION_TRAIL",
        region: "global",
        message: "no multi-region trail; single-region trail(s) seen: local",
      },
    ]);
  });

  it("follows an organization trail's chain and says so, with Security Hub NO_DATA", () => {
    const orgTrail = trail({
      ownerAccountId: "111111111111",
      isOrganizationTrail: true,
      arn: "arn:aws:cloudtrail:eu-west-1:111111111111:trail/org",
    });
    const chain = compliantChain({ trail: orgTrail });
    const v = evaluateAccount(ACCOUNT, [orgTrail], new Map([[orgTrail.arn, evaluateChain(chain, "tripwire")]]));
    expect(v.compliant).toBe(true);
    expect(v.findings.map((f) => f.code)).toEqual(["COVERED_BY_ORGANIZATION_TRAIL"]);
    expect(v.scanners.securityHub).toBe("NO_DATA");
  });
});

describe("evidence", () => {
  const accountEvidence = (chain = compliantChain()) => {
    const verdict = evaluateChain(chain, "tripwire");
    return evaluateAccount(ACCOUNT, [chain.trail], new Map([[chain.trail.arn, verdict]])).evidence;
  };

  it("names the trail, its state and the log group of the chain that satisfies the control", () => {
    const [chain] = accountEvidence().chains;
    expect(chain).toMatchObject({
      satisfies: true,
      trail: {
        arn: trail().arn,
        homeRegion: trail().homeRegion,
        isLogging: true,
        managementEvents: "READ_WRITE",
        selectorKind: "basic",
      },
      logGroup: { arn: trail().logGroup?.arn, name: trail().logGroup?.name },
    });
  });

  it("gives each covering filter's name, pattern and metric", () => {
    const [chain] = accountEvidence().chains;
    expect(chain?.filters).toEqual([
      expect.objectContaining({
        name: "cis-unauthorized",
        pattern: CIS_PATTERNS.v12,
        metric: { namespace: "CISBenchmark", name: "UnauthorizedAPICalls", value: "1" },
      }),
    ]);
  });

  it("gives the working alarm's ARN, statistic, period, threshold and actions", () => {
    const alarmEvidence = accountEvidence().chains[0]?.filters[0]?.alarms[0];
    expect(alarmEvidence).toMatchObject({
      arn: alarm().arn,
      statistic: "Sum",
      period: 300,
      threshold: 1,
      comparison: "GreaterThanOrEqualToThreshold",
      actions: [TOPIC],
    });
  });

  it("gives the delivering topic with its confirmed subscriptions, by protocol when they were listed", () => {
    const listed = compliantChain({
      topics: {
        [TOPIC]: {
          arn: TOPIC,
          state: "FOUND",
          confirmed: 2,
          pending: 1,
          subscriptions: [
            { protocol: "sqs", endpoint: "arn:aws:sqs:eu-west-1:222222222222:q", confirmed: true },
            { protocol: "email", endpoint: "a@example.com", confirmed: true },
            { protocol: "email", endpoint: "b@example.com", confirmed: false },
          ],
        },
      },
    });
    const topic = accountEvidence(listed).chains[0]?.filters[0]?.alarms[0]?.topics[0];
    expect(topic).toEqual({ arn: TOPIC, confirmed: 2, pending: 1, confirmedByProtocol: { sqs: 1, email: 1 } });
  });

  it("keeps, for a failing account, the parts of the chain that hold and leaves out a broken alarm", () => {
    const broken = compliantChain({
      alarmsByMetric: { "CISBenchmark/UnauthorizedAPICalls": [alarm({ actionsEnabled: false })] },
    });
    const [chain] = accountEvidence(broken).chains;
    expect(chain?.satisfies).toBe(false);
    expect(chain?.filters.map((f) => f.name)).toEqual(["cis-unauthorized"]);
    expect(chain?.filters[0]?.alarms).toEqual([]);
  });

  it("lists no filter that does not cover the control", () => {
    const noisy = compliantChain({ filters: [filter(CIS_PATTERNS.v14CliText)] });
    expect(accountEvidence(noisy).chains[0]?.filters).toEqual([]);
  });

  it("has no log group when the trail's log group does not exist", () => {
    expect(accountEvidence(compliantChain({ logGroupExists: false })).chains[0]?.logGroup).toBeUndefined();
  });
});
