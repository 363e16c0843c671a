/** The replay use case on the live chain: alert volume over a past span, per account. */
import { describe, expect, it } from "vitest";
import type { RawSettings } from "../../shared/config/settings.ts";
import { createSimulatedOrganization, scenarios } from "../../shared/simulation/index.ts";
import { type ChainReplay, replay } from "../../shared/use-cases/replay.ts";
import {
  DELAY_MS,
  deniedCalls,
  factoryFor,
  HOME,
  type LiveOrganization,
  letTheAlarmFire,
  liveOrganization,
  OTHER,
  settingsFor,
} from "../support/explain-harness.ts";

const HOUR = 3_600_000;

async function replayed(live: LiveOrganization, raw: RawSettings = {}) {
  const settings = settingsFor({ accounts: live.member.id, ...raw }, live.org.clock.now());
  const report = await replay(HOUR, {
    settings,
    factory: factoryFor(live.org, settings),
    now: () => live.org.clock.now(),
  });
  return report.accounts[0] as ChainReplay;
}

const ci = {
  match: { principal: "*/ci-*" },
  reason: "CI probes roles",
  owner: "platform@example.com",
  expires: "2025-06-30",
};

/** Three denied CI calls fire the alarm; ten minutes later one of jane's fires it again. */
async function ciThenJane(): Promise<LiveOrganization> {
  const live = await liveOrganization();
  await deniedCalls(live, "ci-runner", 3);
  await letTheAlarmFire(live);
  await live.org.clock.sleep(10 * 60_000);
  await deniedCalls(live, "jane");
  await letTheAlarmFire(live);
  return live;
}

describe("replay, after tripwire's fix", () => {
  it("counts the matched calls and the periods the alarm was in ALARM", async () => {
    const live = await ciThenJane();
    expect(await replayed(live)).toMatchObject({
      matchedEvents: 4,
      periodsInAlarm: 2,
      alarm: { name: "tripwire-unauthorized-api-calls" },
    });
  });

  it("counts the periods that would still page once the exclusions apply", async () => {
    const live = await ciThenJane();
    expect(await replayed(live, { exclusions: JSON.stringify([ci]) })).toMatchObject({
      excludedEvents: 3,
      periodsInAlarm: 2,
      periodsInAlarmAfterExclusions: 1,
    });
  });

  it("keeps at most --max-events, and counts what it left out", async () => {
    const live = await liveOrganization();
    await deniedCalls(live, "jane", 5);
    await letTheAlarmFire(live);
    expect(await replayed(live, { maxEvents: "2" })).toMatchObject({
      matchedEvents: 2,
      leftOut: { count: 3, complete: true },
    });
  });
});

describe("replay, before any fix", () => {
  it("replays the filters tripwire would write, on the log group the trail already fills", async () => {
    const org = createSimulatedOrganization({ regions: [HOME, OTHER], liveChain: { deliveryDelayMs: DELAY_MS } });
    const member = org.addAccount({ name: "workload" });
    scenarios.bareAccount(member, HOME);
    const live = { org, member, queue: { url: "", arn: "" }, settings: settingsFor() };
    await deniedCalls(live, "jane", 2);
    await org.clock.sleep(DELAY_MS);
    const result = await replayed(live);
    expect(result).toMatchObject({
      matchedEvents: 2,
      periodsInAlarm: 1,
      alarm: { name: null },
      filters: [{ name: "tripwire-unauthorized-api-calls-cis-v1.2", planned: true }, { planned: true }],
    });
  });
});

describe("replay of several accounts", () => {
  it("reports an account whose role cannot be assumed with its error, and replays the others", async () => {
    const live = await liveOrganization();
    const other = live.org.addAccount({ name: "partner" });
    live.org.faults.denyAssumeRole(other.id);
    const settings = settingsFor({ accounts: `${live.member.id},${other.id}` }, live.org.clock.now());
    const report = await replay(HOUR, {
      settings,
      factory: factoryFor(live.org, settings),
      now: () => live.org.clock.now(),
    });
    expect(report.accounts).toMatchObject([
      { accountId: live.member.id, matchedEvents: 0 },
      { accountId: other.id, error: expect.stringMatching(/AccessDenied|cannot be assumed|not assumable/) },
    ]);
  });
});
