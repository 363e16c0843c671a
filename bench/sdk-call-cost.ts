/**
 * `tsx bench/sdk-call-cost.ts`: the CPU one SDK call costs above the wire, with the client's
 * config in V8's dictionary mode (as the SDK leaves it) and in fast mode (fast-properties.ts).
 * A stub right below the retry middleware answers every call, so what is measured is the
 * SDK's own pipeline (endpoint, serializer, retry, middleware): no simulation, no HTTP.
 * Prints the minimum over rounds, and the machine's load average (another process's load
 * inflates CPU time too). Asserts nothing.
 */
import { loadavg } from "node:os";
import { CloudWatchLogsClient, DescribeMetricFiltersCommand } from "@aws-sdk/client-cloudwatch-logs";
import { fastProperties } from "../shared/adapters/aws/fast-properties.ts";

const CALLS = 5_000;
const ROUNDS = 5;

function client(fast: boolean): CloudWatchLogsClient {
  const c = new CloudWatchLogsClient({
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" },
    maxAttempts: 3,
    cacheMiddleware: true,
  });
  c.middlewareStack.addRelativeTo(() => async () => ({ output: { metricFilters: [], $metadata: {} }, response: {} }), {
    relation: "after",
    toMiddleware: "retryMiddleware",
    name: "benchStub",
  });
  if (fast) fastProperties(c.config);
  return c;
}

/** CPU µs per call (user + system), after a warm-up. */
async function perCall(fast: boolean): Promise<number> {
  const c = client(fast);
  const send = () => c.send(new DescribeMetricFiltersCommand({ logGroupName: "g" }));
  for (let i = 0; i < 200; i++) await send();
  const start = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) await send();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / CALLS;
}

const load = loadavg().map((l) => l.toFixed(2));
const runs = { dictionary: [] as number[], fast: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  runs.dictionary.push(await perCall(false));
  runs.fast.push(await perCall(true));
}
const min = (xs: number[]) => Math.min(...xs);
process.stdout.write(
  [
    `SDK call CPU above the wire (DescribeMetricFilters, ${CALLS.toLocaleString("en-US")} calls × ${ROUNDS} rounds, minimum; load average ${load.join(" ")} at the start):`,
    `  config as the SDK leaves it (dictionary mode) ${min(runs.dictionary).toFixed(1)} µs per call`,
    `  config in fast mode (fastProperties)           ${min(runs.fast).toFixed(1)} µs per call`,
    "",
  ].join("\n"),
);
