/** Reads trails and their state: DescribeTrails (shadow trails included), GetTrailStatus, GetEventSelectors. */
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { advancedManagementCoverage, basicManagementCoverage, toTrailSummary } from "../core/from-sdk.ts";
import type { TrailState, TrailSummary } from "../core/model.ts";
import type { AccountClients } from "./aws/account-clients.ts";

/** Trails visible from `region` in the account, shadow and organization trails included. */
export async function observeTrails(clients: AccountClients, region: string): Promise<TrailSummary[]> {
  const out = await clients.cloudTrail(region).send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  return (out.trailList ?? []).map(toTrailSummary);
}

/** Whether the trail logs, and which management events its selectors record. */
export async function readTrailState(owner: AccountClients, trail: TrailSummary): Promise<TrailState> {
  const client = owner.cloudTrail(trail.homeRegion);
  const [status, selectors] = await Promise.all([
    client.send(new GetTrailStatusCommand({ Name: trail.arn })),
    client.send(new GetEventSelectorsCommand({ TrailName: trail.arn })),
  ]);
  const advanced = selectors.AdvancedEventSelectors;
  if (advanced && advanced.length > 0) {
    return {
      isLogging: status.IsLogging === true,
      managementEvents: advancedManagementCoverage(advanced),
      basicSelectorsAll: false,
      selectorKind: "advanced",
    };
  }
  const basic = selectors.EventSelectors ?? [];
  return {
    isLogging: status.IsLogging === true,
    managementEvents: basicManagementCoverage(basic),
    basicSelectorsAll: basic.some((s) => s.IncludeManagementEvents !== false && (s.ReadWriteType ?? "All") === "All"),
    selectorKind: "basic",
  };
}
