import { describe, expect, it } from "vitest";
import { evaluateChain } from "../../shared/core/evaluate.ts";
import { CIS_PATTERNS } from "../../shared/core/filter-pattern/index.ts";
import type { ChainObservation } from "../../shared/core/model.ts";
import { type PlanContext, planRemediation } from "../../shared/core/plan.ts";
import { projectChain } from "../../shared/core/project.ts";
import { ACCOUNT, compliantChain, filter, REGION } from "./fixtures.ts";

const ctx: PlanContext = {
  accountId: ACCOUNT,
  partition: "aws",
  prefix: "tripwire",
  filterProfile: "all",
  notify: [{ protocol: "email", endpoint: "secops@example.com" }],
};
const bare = compliantChain({ filters: [], alarmsByMetric: {}, topics: {} });
const plan = (chain: ChainObservation, c: PlanContext = ctx) =>
  planRemediation(chain, evaluateChain(chain, c.prefix), c);

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

  it("restores its own filter when its pattern was changed, as an update", () => {
    const after = projectChain(bare, plan(bare));
    const tampered = {
      ...after,
      filters: after.filters.map((f) =>
        f.name.endsWith("cis-v1.2") ? filter('{ $.errorCode = "AccessDenied" }', f.name) : f,
      ),
    };
    expect(plan(tampered).map((a) => a.type)).toEqual(["update-metric-filter"]);
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
