/**
 * What repairing one deleted filter costs through the heal path (`healFromEvent`, the use case
 * behind the `heal` function):
 *  1. An organization like the sweep's (organization trail in the management account) with one
 *     member that has its own trail and log group and nothing else; a fix sweep puts
 *     tripwire's chain there (its two filters, alarm and topic): the state tripwire keeps.
 *     (Where tripwire's chain stands beside a customer's, the heal also reads the customer's
 *     alarm and topic to judge whether their chain already meets the profile: 2 calls more.)
 *  2. Someone deletes tripwire's filter in the member; the DeleteMetricFilter event
 *     (events/drift/logs-delete-metric-filter.json, re-addressed to the member) goes to the heal.
 *  3. The calls the heal makes are counted by API, with the latency model (no quota pressure).
 * The factory is built as a warm Lambda would have it: the caller known, so no GetCallerIdentity.
 */
import { readFileSync } from "node:fs";
import { ClientFactory } from "../shared/adapters/aws/client-factory.ts";
import { loadSettings } from "../shared/config/settings.ts";
import { healFromEvent } from "../shared/use-cases/heal.ts";
import { runSweep } from "../shared/use-cases/sweep.ts";
import { createLatencyModel } from "./latency-model.ts";
import { buildMixedOrganization } from "./organization-mix.ts";

export interface HealFigures {
  readonly status: string;
  readonly calls: number;
  readonly byApi: Record<string, number>;
  readonly wallMs: number;
  /** Filter the heal restored. */
  readonly filterName: string;
}

const EVENT_FILE = new URL("../events/drift/logs-delete-metric-filter.json", import.meta.url);

export async function measureHeal(options: { latencyMs: number; organizationTrail?: boolean }): Promise<HealFigures> {
  const model = createLatencyModel({ latencyMs: options.latencyMs, unlimited: true });
  const { org, homeRegion } = buildMixedOrganization({
    accounts: 1,
    regions: 2,
    only: ["bare"],
    beforeCall: model.beforeCall,
    organizationTrail: options.organizationTrail ?? true,
  });
  const settings = loadSettings({
    cli: { homeRegion, notify: ["sqs:arn:aws:sqs:us-east-1:999999999999:secops-alerts"] },
    env: {},
  });
  const factory = (purpose: string) =>
    new ClientFactory(
      {
        homeRegion,
        credentials: org.credentialsFor(org.managementAccountId),
        maxAttempts: settings.maxAttempts,
        retryDelayMs: () => 1,
        instrument: org.instrument,
        caller: {
          accountId: org.managementAccountId,
          partition: "aws",
          arn: `arn:aws:iam::${org.managementAccountId}:user/admin`,
        },
      },
      { roleName: settings.roleName, sessionName: `${settings.prefix}-${purpose}` },
    );
  await runSweep({ mode: "fix", settings, factory: factory("sweep") });

  const memberId = org.accountIds().find((id) => id !== org.managementAccountId) as string;
  const member = org.account(memberId);
  const trail = member.trails().find((t) => !t.IsOrganizationTrail);
  const region = trail?.HomeRegion ?? homeRegion;
  const logGroup = (trail?.CloudWatchLogsLogGroupArn ?? "").split(":")[6] ?? "";
  const filterName = member
    .metricFilters(region, logGroup)
    .find((f) => f.filterName?.startsWith(`${settings.prefix}-`))?.filterName;
  if (!filterName)
    throw new Error(`the fix sweep created no ${settings.prefix} filter on ${logGroup} in ${memberId}/${region}`);
  member.deleteMetricFilter(region, logGroup, filterName);

  const event = JSON.parse(readFileSync(EVENT_FILE, "utf8")) as Record<string, any>;
  event.account = memberId;
  event.region = region;
  event.detail.awsRegion = region;
  event.detail.recipientAccountId = memberId;
  event.detail.userIdentity.accountId = memberId;
  event.detail.requestParameters = { logGroupName: logGroup, filterName };
  event.detail.eventTime = new Date().toISOString();

  model.resetCounts();
  const start = performance.now();
  const outcome = await healFromEvent(event, { factory: factory("heal"), settings });
  const wallMs = Math.round(performance.now() - start);
  if (!member.metricFilters(region, logGroup).some((f) => f.filterName === filterName)) {
    throw new Error(`the heal did not restore ${filterName} (${outcome.status}: ${outcome.reason})`);
  }
  const byApi = Object.fromEntries([...model.counts.byOperation.entries()].sort(([a], [b]) => a.localeCompare(b)));
  return { status: outcome.status, calls: model.counts.total, byApi, wallMs, filterName };
}
