/** What every client of the factory does on each call: a failed call's error names the call (issue 8). */
import { GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeMetricFiltersCommand, ResourceNotFoundException } from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import { describeError } from "../../../shared/core/describe-error.ts";
import { createSimulatedOrganization } from "../../../shared/simulation/index.ts";
import { factoryFor, rejectionOf } from "../../support/simulation-harness.ts";

describe("a failed call names itself", () => {
  it("says the operation, the service and the region, then the error", async () => {
    const org = createSimulatedOrganization();
    org.faults.throttle({ service: "cloudtrail", operation: "GetTrailStatus", times: 5 });
    const cloudTrail = (await factoryFor(org, { maxAttempts: 2 }).forAccount(org.managementAccountId)).cloudTrail(
      "eu-west-1",
    );

    const error = await rejectionOf(cloudTrail.send(new GetTrailStatusCommand({ Name: "t" })));

    expect(describeError(error)).toBe("GetTrailStatus (cloudtrail eu-west-1): ThrottlingException: Rate exceeded");
  });

  it("keeps the error's class, name and metadata, which callers test", async () => {
    const org = createSimulatedOrganization();
    const logs = (await factoryFor(org, { maxAttempts: 1 }).forAccount(org.managementAccountId)).logs("us-east-1");

    const error = await rejectionOf(logs.send(new DescribeMetricFiltersCommand({ logGroupName: "no-such-group" })));

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ name: "ResourceNotFoundException", $metadata: { httpStatusCode: 400 } });
  });
});
