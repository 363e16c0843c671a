/** Ownership on the alert (issue 10, item 3): the alarm's description and the owner and runbook tags, planned. */
import { describe, expect, it } from "vitest";
import {
  MAX_ALARM_DESCRIPTION,
  ownAlarmDescription,
  ownTags,
  ownTagsDiffer,
} from "../../shared/core/alert-ownership.ts";
import { evaluateChain } from "../../shared/core/evaluate.ts";
import type { ChainObservation } from "../../shared/core/model.ts";
import { ownAlarmNeedsUpdate, type PlanContext, planRemediation } from "../../shared/core/plan.ts";
import { projectChain } from "../../shared/core/project.ts";
import { ACCOUNT, compliantChain, REGION } from "./fixtures.ts";

const RUNBOOK = "https://wiki.example.com/runbooks/unauthorized-api-calls";
const ctx: PlanContext = {
  accountId: ACCOUNT,
  partition: "aws",
  prefix: "tripwire",
  filterProfile: "all",
  notify: [{ protocol: "sqs", endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:alerts` }],
  owner: "Platform Security",
  runbookUrl: RUNBOOK,
};
const OWN_ALARM = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:tripwire-unauthorized-api-calls`;
const OWN_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:tripwire-unauthorized-api-calls`;
const planOf = (chain: ChainObservation, c: PlanContext = ctx) =>
  planRemediation(chain, evaluateChain(chain, c.prefix), c);

/** tripwire's chain as a fix with `c` leaves it, its alarm and topic tags as written. */
function fixedWith(c: PlanContext): ChainObservation {
  const bare = compliantChain({ filters: [], alarmsByMetric: {}, topics: {} });
  const after = projectChain(bare, planOf(bare, c).actions);
  return { ...after, ownNames: { alarm: after.ownNames?.alarm ?? null } };
}
/** The same chain after the plan read its proofs: tagged, with the tags `c` wrote. */
function proven(chain: ChainObservation, written: PlanContext): ChainObservation {
  const tags = Object.fromEntries(ownTags(written).map((t) => [t.Key, t.Value]));
  return {
    ...chain,
    ownNames: {
      alarm: chain.ownNames?.alarm ?? null,
      alarmTagged: true,
      topicTagged: true,
      alarmTags: tags,
      topicTags: tags,
    },
  };
}

describe("ownAlarmDescription", () => {
  it("says what the alarm detects", () => {
    expect(ownAlarmDescription({})).toMatch(/^Detects unauthorized API calls: .*AccessDenied\*/);
  });

  it("says what to do when it fires", () => {
    expect(ownAlarmDescription({})).toMatch(/When it fires: find the refused calls/);
  });

  it("names the owner and ends with the runbook link", () => {
    expect(ownAlarmDescription(ctx)).toMatch(new RegExp(`Owner: Platform Security\\. .* Runbook: ${RUNBOOK}$`));
  });

  it("fits CloudWatch's 1024 characters with the longest owner and runbook the settings take", () => {
    const longest = { owner: "o".repeat(256), runbookUrl: `https://${"a".repeat(236)}.example.com` };
    expect(ownAlarmDescription(longest).length).toBeLessThanOrEqual(MAX_ALARM_DESCRIPTION);
  });
});

describe("ownTags", () => {
  it("carries tripwire's mark, the owner and the runbook", () => {
    expect(ownTags(ctx)).toEqual([
      { Key: "managed-by", Value: "tripwire" },
      { Key: "owner", Value: "Platform Security" },
      { Key: "runbook", Value: RUNBOOK },
    ]);
  });

  it("is tripwire's mark alone without owner or runbook", () => {
    expect(ownTags({})).toEqual([{ Key: "managed-by", Value: "tripwire" }]);
  });
});

describe("ownTagsDiffer", () => {
  it("says nothing of tags not read", () => {
    expect(ownTagsDiffer(undefined, ctx)).toBe(false);
  });

  it("finds a stale owner", () => {
    expect(ownTagsDiffer({ owner: "Old Team", runbook: RUNBOOK }, ctx)).toBe(true);
  });

  it("does not ask to remove an owner the settings no longer give", () => {
    expect(ownTagsDiffer({ owner: "Old Team" }, {})).toBe(false);
  });
});

describe("a plan with owner and runbook", () => {
  const bare = compliantChain({ filters: [], alarmsByMetric: {}, topics: {} });

  it("creates the alarm with the description and the three tags", () => {
    const create = planOf(bare).actions.find((a) => a.type === "create-alarm");
    expect(create?.input).toMatchObject({ AlarmDescription: ownAlarmDescription(ctx), Tags: ownTags(ctx) });
  });

  it("creates the topic with the three tags", () => {
    const create = planOf(bare).actions.find((a) => a.type === "create-topic");
    expect(create?.input).toMatchObject({ Tags: ownTags(ctx) });
  });

  it("finds tripwire's working alarm in need of an update when the owner changed", () => {
    const fixed = fixedWith(ctx);
    expect(ownAlarmNeedsUpdate(fixed, { ...ctx, owner: "Cloud Security" })).toBe(true);
  });

  it("finds nothing to update when the settings did not change", () => {
    expect(ownAlarmNeedsUpdate(fixedWith(ctx), ctx)).toBe(false);
  });

  it("asks for the alarm's and the topic's tags before updating a working alarm", () => {
    expect(planOf(fixedWith(ctx), { ...ctx, owner: "Cloud Security" }).proofsNeeded).toEqual(["alarm", "topic"]);
  });

  it("updates the alarm and tags the alarm and topic again once both prove tripwire's", () => {
    const changed = { ...ctx, owner: "Cloud Security" };
    const actions = planOf(proven(fixedWith(ctx), ctx), changed).actions;
    expect(actions.map((a) => `${a.type} ${a.resource}`)).toEqual([
      `update-alarm ${OWN_ALARM}`,
      `tag-alarm ${OWN_ALARM}`,
      `tag-topic ${OWN_TOPIC}`,
    ]);
  });

  it("sends tripwire's mark with every tag write, as the member role demands", () => {
    const changed = { ...ctx, owner: "Cloud Security" };
    const tagWrites = planOf(proven(fixedWith(ctx), ctx), changed).actions.filter((a) => a.type.startsWith("tag-"));
    expect(tagWrites.map((a) => a.input)).toEqual([
      { ResourceARN: OWN_ALARM, Tags: ownTags(changed) },
      { ResourceArn: OWN_TOPIC, Tags: ownTags(changed) },
    ]);
  });

  it("tags nothing that is not proven tripwire's: an untagged alarm of its name is NAME_TAKEN", () => {
    const chain = proven(fixedWith(ctx), ctx);
    const untagged = { ...chain, ownNames: { ...chain.ownNames!, alarmTagged: false } };
    expect(planOf(untagged, { ...ctx, owner: "Cloud Security" })).toMatchObject({
      actions: [],
      findings: [{ code: "NAME_TAKEN" }],
    });
  });

  it("plans nothing once the update and the tags are in place", () => {
    const changed = { ...ctx, owner: "Cloud Security" };
    const chain = proven(fixedWith(ctx), ctx);
    const after = projectChain(chain, planOf(chain, changed).actions);
    expect(planOf(after, changed).actions).toEqual([]);
  });

  it("leaves a customer's working chain alone when tripwire has no alarm there", () => {
    expect(planOf(compliantChain(), { ...ctx, filterProfile: "securityhub" }).actions).toEqual([]);
  });
});
