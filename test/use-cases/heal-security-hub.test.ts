/** heal with the securityHub setting: what a heal that read part of the account imports. */
import { beforeEach, describe, expect, it } from "vitest";
import { ownFilterName } from "../../shared/core/naming.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import { healFromEvent } from "../../shared/use-cases/heal.ts";
import {
  factoryFor,
  fixSampleMember,
  HOME,
  organizationWithSampleMember,
  sampleEvent,
  settingsFor,
  trailLogGroup,
} from "../support/heal-harness.ts";

let org: SimulatedOrganization;
let member: SimulatedAccount;

beforeEach(async () => {
  ({ org, member } = organizationWithSampleMember());
  member.enableSecurityHub(HOME);
  await fixSampleMember(org);
  member.deleteMetricFilter(HOME, trailLogGroup(member), ownFilterName("tripwire", "cis-v1.2"));
});

async function heal(raw = {}) {
  const settings = settingsFor({ securityHub: true, ...raw });
  const outcome = await healFromEvent(sampleEvent("drift/logs-delete-metric-filter.json"), {
    settings,
    factory: factoryFor(org, settings, "heal"),
  });
  if (!("result" in outcome)) throw new Error(`heal ${outcome.status}: ${outcome.reason}`);
  return outcome.result;
}

describe("heal --security-hub", () => {
  it("does not import a passing verdict after a repair, which did not read the trail", async () => {
    const result = await heal();
    expect(result.status).toBe("COMPLIANT");
    expect(result.securityHub).toMatchObject({
      imported: false,
      notes: [expect.stringMatching(/the next sweep imports/)],
    });
    expect(member.securityHubFindings(HOME)).toEqual([]);
  });

  it("imports a failing verdict of a dry run, which the chain alone proves", async () => {
    member.deleteMetricFilter(HOME, trailLogGroup(member), ownFilterName("tripwire", "cis-v1.4"));
    const result = await heal({ dryRun: true });
    expect(result.status).toBe("NON_COMPLIANT");
    expect(member.securityHubFindings(HOME)).toMatchObject([{ Compliance: { Status: "FAILED" } }]);
  });

  it("imports the verdict of a trail event, which reads the whole account", async () => {
    const settings = settingsFor({ securityHub: true });
    const outcome = await healFromEvent(sampleEvent("drift/cloudtrail-stop-logging.json"), {
      settings,
      factory: factoryFor(org, settings, "heal"),
    });
    expect("result" in outcome && outcome.result.securityHub?.imported).toBe(true);
  });
});
