/**
 * What every client of the factory does on each call: an attempt that takes longer than the
 * call timeout is abandoned and retried, over HTTP as in the simulation, and a failed call's
 * error names the call (issue 8, item 4).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeMetricFiltersCommand, ResourceNotFoundException } from "@aws-sdk/client-cloudwatch-logs";
import { ListAccountsCommand } from "@aws-sdk/client-organizations";
import { afterEach, describe, expect, it } from "vitest";
import { withinDeadline } from "../../../shared/adapters/aws/attempt-deadline.ts";
import { ClientFactory } from "../../../shared/adapters/aws/client-factory.ts";
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

describe("one attempt never waits longer than the call timeout", () => {
  it("fails a call whose every attempt hangs in the simulation, naming it", async () => {
    const org = createSimulatedOrganization();
    org.faults.hang({ service: "logs", operation: "DescribeMetricFilters" });
    const logs = (
      await factoryFor(org, { maxAttempts: 2, callTimeoutMs: 50 }).forAccount(org.managementAccountId)
    ).logs("us-east-1");

    const error = await rejectionOf(logs.send(new DescribeMetricFiltersCommand({ logGroupName: "g" })));

    expect(describeError(error)).toBe(
      "DescribeMetricFilters (logs us-east-1): TimeoutError: no answer within the call timeout of 50 ms",
    );
  });

  it("passes an attempt's own failure through", async () => {
    await expect(withinDeadline(Promise.reject(new Error("refused")), 1_000)).rejects.toThrow("refused");
  });

  describe("over HTTP, against an endpoint that never answers", () => {
    let server: Server | undefined;
    const savedEndpoint = process.env.AWS_ENDPOINT_URL;
    afterEach(async () => {
      if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = savedEndpoint;
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
      server = undefined;
    });

    /** A server that reads each request and never answers it; resolves once it listens. */
    async function silentServer(): Promise<{ requests: IncomingMessage[]; closed: Promise<void>[] }> {
      const requests: IncomingMessage[] = [];
      const closed: Promise<void>[] = [];
      server = createServer((request) => {
        requests.push(request);
        request.resume();
      });
      server.on("connection", (socket: Socket) => closed.push(new Promise((resolve) => socket.once("close", resolve))));
      await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
      process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return { requests, closed };
    }

    function httpFactory(): ClientFactory {
      return new ClientFactory(
        {
          homeRegion: "us-east-1",
          credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
          maxAttempts: 2,
          retryDelayMs: () => 1,
          callTimeoutMs: 200,
        },
        { roleName: "OrganizationAccountAccessRole", sessionName: "tripwire-test" },
      );
    }

    it("retries the held attempt once and fails naming the call", async () => {
      const { requests } = await silentServer();

      const error = await rejectionOf(httpFactory().organizations().send(new ListAccountsCommand({})));

      expect(describeError(error)).toMatch(/^ListAccounts \(organizations us-east-1\): TimeoutError: /);
      expect(requests).toHaveLength(2);
    });

    it("closes the sockets of the abandoned attempts", async () => {
      const { closed } = await silentServer();

      await rejectionOf(httpFactory().organizations().send(new ListAccountsCommand({})));

      // Resolves only if the client destroyed each socket (the request handler's own timeout).
      await Promise.all(closed);
      expect(closed).toHaveLength(2);
    });
  });
});
