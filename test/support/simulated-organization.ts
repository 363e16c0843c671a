/** What every test on the simulated organization shares: its regions and how writes are told apart. */
import { createSimulatedOrganization, type SimulatedOrganization, scenarios } from "../../shared/simulation/index.ts";

export const HOME = "us-east-1";
export const OTHER = "eu-west-1";
export const SQS_NOTIFY = "sqs:arn:aws:sqs:us-east-1:999999999999:secops-alerts";

export { scenarios };

export function newOrganization(): SimulatedOrganization {
  return createSimulatedOrganization({ regions: [HOME, OTHER] });
}

/** Write calls the simulation answered (anything but Describe/Get/List and AssumeRole). */
export function writeCalls(org: SimulatedOrganization): string[] {
  return org.calls
    .list({ errored: false })
    .filter((c) => !/^(Describe|Get|List)/.test(c.operation) && c.operation !== "AssumeRole")
    .map((c) => `${c.accountId}:${c.region}:${c.operation}`);
}
