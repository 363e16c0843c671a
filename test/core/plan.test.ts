import { describe, expect, it } from "vitest";
import { evaluateChain } from "../../shared/core/evaluate.ts";
import { CIS_PATTERNS } from "../../shared/core/filter-pattern/index.ts";
import type { ChainObservation } from "../../shared/core/model.ts";
import { type PlanContext, planRemediation } from "../../shared/core/plan.ts";
import { projectChain } from "../../shared/core/project.ts";
import { ACCOUNT, alarm, compliantChain, filter, LOG_GROUP, REGION } from "./fixtures.ts";

const ctx: PlanContext = {
  accountId: ACCOUNT,
  partition: "aws",
  prefix: "tripwire",
  filterProfile: "all",
  notify: [{ protocol: "email", endpoint: "secops@example.com" }],
};
const bare = compliantChain({ filters: [], alarmsByMetric: {}, topics: {} });
const planOf = (chain: ChainObservation, c: PlanContext = ctx) =>
  planRemediation(chain, evaluateChain(chain, c.prefix), c);
const plan = (chain: ChainObservation, c: PlanContext = ctx) => planOf(chain, c).actions;

describe("planRemediation", () => {
  it("creates topic, subscription, both filters and the alarm on a bare log group", () => {
    expect(plan(bare).map((a) => a.type)).toEqual([
      "create-topic",
      "subscribe",
      "create-metric-filter",
      "create-metric-filter",
      "create-alarm",
    ]);
  });

  it("writes the exact CIS v1.2 and grouped v1.4 texts feeding one metric", () => {
    const filters = plan(bare).filter((a) => a.type === "create-metric-filter");
    expect(
      filters.map(
        (a) =>
          a.type === "create-metric-filter" && [a.input.filterPattern, a.input.metricTransformations?.[0]?.metricName],
      ),
    ).toEqual([
      [CIS_PATTERNS.v12, "UnauthorizedAPICalls"],
      [CIS_PATTERNS.v14Grouped, "UnauthorizedAPICalls"],
    ]);
  });

  it("writes only the v1.2 filter for the securityhub profile", () => {
    const names = plan(bare, { ...ctx, filterProfile: "securityhub" }).flatMap((a) =>
      a.type === "create-metric-filter" ? [a.input.filterName] : [],
    );
    expect(names).toEqual(["tripwire-unauthorized-api-calls-cis-v1.2"]);
  });

  it("adds only the v1.4 filter beside a working customer v1.2 chain", () => {
    const types = plan(compliantChain()).map(
      (a) => `${a.type}${a.type === "create-metric-filter" ? `:${a.input.filterName}` : ""}`,
    );
    expect(types).toEqual([
      "create-topic",
      "subscribe",
      "create-metric-filter:tripwire-unauthorized-api-calls-cis-v1.4",
      "create-alarm",
    ]);
  });

  it("plans nothing when a working chain already meets the profile", () => {
    expect(plan(compliantChain(), { ...ctx, filterProfile: "securityhub" })).toEqual([]);
  });

  it("plans nothing once its own writes are in place (idempotent)", () => {
    const first = plan(bare);
    const after = projectChain(bare, first);
    expect(plan(after)).toEqual([]);
  });

  it("plans nothing for a log group in another account", () => {
    const foreign = {
      ...bare,
      trail: { ...bare.trail, logGroup: { ...bare.trail.logGroup!, accountId: "111111111111" } },
    };
    expect(plan(foreign)).toEqual([]);
  });

  it("plans nothing when the log group does not exist", () => {
    expect(plan({ ...bare, logGroupExists: false })).toEqual([]);
  });

  it("puts every write in the log group's region", () => {
    expect(new Set(plan(bare).map((a) => a.region))).toEqual(new Set([REGION]));
  });
});

describe("projectChain", () => {
  it("makes the chain complete when the subscription is confirmed at once (SQS)", () => {
    const sqs = {
      ...ctx,
      notify: [{ protocol: "sqs" as const, endpoint: "arn:aws:sqs:eu-west-1:222222222222:alerts" }],
    };
    const after = projectChain(bare, plan(bare, sqs));
    expect(evaluateChain(after, "tripwire").complete).toBe(true);
  });

  it("leaves the chain waiting for an email confirmation", () => {
    const after = projectChain(bare, plan(bare));
    expect(evaluateChain(after, "tripwire").findings.map((f) => f.code)).toEqual(["NO_CONFIRMED_SUBSCRIPTION"]);
  });
});

describe("ownership of what the plan writes to", () => {
  const V12 = "tripwire-unauthorized-api-calls-cis-v1.2";
  const ALARM = "tripwire-unauthorized-api-calls";
  const OWN_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:tripwire-unauthorized-api-calls`;
  const fixedChain = () => projectChain(bare, plan(bare));
  const ownTransformation = [{ name: "UnauthorizedAPICalls", namespace: "tripwire", value: "1" }];
  const withFilter = (chain: ChainObservation, f: ChainObservation["filters"][number]) => ({
    ...chain,
    filters: [...chain.filters.filter((x) => x.name !== f.name), f],
  });
  const customerAlarm = alarm({
    name: ALARM,
    arn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${ALARM}`,
    metric: { name: "CPUUtilization", namespace: "AWS/EC2" },
    dimensions: { InstanceId: "i-0123456789abcdef0" },
    statistic: "Average",
    threshold: 90,
    comparison: "GreaterThanThreshold",
  });

  it("puts back tripwire's filter that holds tripwire's other pattern, as an update", () => {
    const swapped = withFilter(fixedChain(), {
      name: V12,
      pattern: CIS_PATTERNS.v14Grouped,
      metrics: ownTransformation,
    });
    expect(plan(swapped).map((a) => a.type)).toEqual(["update-metric-filter"]);
  });

  it("reports NAME_TAKEN for a filter of tripwire's name with another pattern, and plans no write at all", () => {
    const taken = withFilter(fixedChain(), filter('{ $.errorCode = "AccessDenied" }', V12, "UnauthorizedAPICalls"));
    expect(planOf(taken)).toMatchObject({ actions: [], findings: [{ code: "NAME_TAKEN", region: REGION }] });
  });

  it("takes a filter with tripwire's name and pattern but another metric for a customer's", () => {
    const taken = withFilter(bare, {
      name: V12,
      pattern: CIS_PATTERNS.v12,
      metrics: [{ name: "UnauthorizedAPICalls", namespace: "Customer/CIS", value: "1" }],
    });
    expect(planOf(taken).findings.map((f) => f.code)).toEqual(["NAME_TAKEN"]);
  });

  it("takes a filter with tripwire's transformation plus a default value for a customer's", () => {
    const taken = withFilter(bare, {
      name: V12,
      pattern: CIS_PATTERNS.v12,
      metrics: [{ ...ownTransformation[0]!, defaultValue: 0 }],
    });
    expect(planOf(taken).findings.map((f) => f.code)).toEqual(["NAME_TAKEN"]);
  });

  it("names the filter, its log group, the region and --prefix in the finding", () => {
    const taken = withFilter(bare, filter('{ $.eventName = "ConsoleLogin" }', V12, "ConsoleLogins"));
    expect(planOf(taken).findings[0]?.message).toMatch(
      new RegExp(`metric filter ${V12} on log group ${LOG_GROUP} in ${REGION} .*--prefix OTHER`),
    );
  });

  it("asks for the tag of an alarm of tripwire's name on another metric before anything", () => {
    const chain = { ...bare, ownNames: { alarm: customerAlarm } };
    expect(planOf(chain)).toEqual({ actions: [], findings: [], proofsNeeded: ["alarm"] });
  });

  it("reports NAME_TAKEN for an untagged alarm of tripwire's name, naming it and --prefix, and plans nothing", () => {
    const chain = { ...bare, ownNames: { alarm: customerAlarm, alarmTagged: false } };
    expect(planOf(chain)).toMatchObject({
      actions: [],
      findings: [
        { code: "NAME_TAKEN", message: expect.stringMatching(new RegExp(`^alarm ${ALARM} in ${REGION} .*--prefix`)) },
      ],
    });
  });

  it("puts back its own tagged alarm moved to another metric, as an update", () => {
    const chain = { ...bare, ownNames: { alarm: customerAlarm, alarmTagged: true } };
    expect(plan(chain).map((a) => a.type)).toContain("update-alarm");
  });

  it("leaves alone, without asking for its tag, an alarm of tripwire's name that already is exactly tripwire's", () => {
    const fixed = fixedChain();
    const own = fixed.ownNames?.alarm;
    const copy = { ...fixed, filters: fixed.filters.filter((f) => f.name !== V12), ownNames: { alarm: own ?? null } };
    expect(planOf(copy)).toMatchObject({ actions: [{ type: "create-metric-filter" }], proofsNeeded: [] });
  });

  it("asks for the tag of an existing topic of tripwire's name before subscribing to it", () => {
    const chain = {
      ...bare,
      topics: { [OWN_TOPIC]: { arn: OWN_TOPIC, state: "FOUND" as const, confirmed: 0, pending: 0, subscriptions: [] } },
      ownNames: { alarm: null },
    };
    expect(planOf(chain).proofsNeeded).toEqual(["topic"]);
  });

  it("reports NAME_TAKEN for an untagged topic of tripwire's name and plans neither a subscription nor an alarm", () => {
    const chain = {
      ...bare,
      topics: { [OWN_TOPIC]: { arn: OWN_TOPIC, state: "FOUND" as const, confirmed: 0, pending: 0, subscriptions: [] } },
      ownNames: { alarm: null, topicTagged: false },
    };
    expect(planOf(chain)).toMatchObject({ actions: [], findings: [{ code: "NAME_TAKEN" }] });
  });

  it("subscribes a new endpoint to its own tagged topic", () => {
    const chain = { ...fixedChain(), ownNames: { ...fixedChain().ownNames!, topicTagged: true } };
    const more = { ...ctx, notify: [...ctx.notify, { protocol: "email" as const, endpoint: "oncall@example.com" }] };
    expect(plan(chain, more).map((a) => a.type)).toEqual(["subscribe"]);
  });
});
