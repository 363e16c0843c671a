/**
 * The simulation's entry point into SDK clients: a middleware placed right after the SDK's
 * retry middleware (and after the factory's attempt deadline, when the client has one), so the
 * real retry logic runs above it (throttling thrown here is retried by the SDK), the call
 * timeout ends a hung call as it would over HTTP, and signing and HTTP never run.
 */
import {
  type AnyClient,
  ATTEMPT_DEADLINE_MIDDLEWARE,
  type ClientInstrument,
  hasAttemptDeadline,
} from "../adapters/aws/instrument.ts";
import type { CallLog, SimulatedCall } from "./call-log.ts";
import type { AfterCallHook } from "./chain/answered-call.ts";
import {
  expiredTokenError,
  type ServiceId,
  SimulationNotImplementedError,
  THROTTLING_ERROR_NAME,
  unrecognizedClientError,
} from "./errors.ts";
import { type Faults, HUNG } from "./faults.ts";
import { cloudTrailHandlers } from "./services/cloudtrail.ts";
import { cloudWatchHandlers } from "./services/cloudwatch.ts";
import { cloudWatchAlarmStateHandlers } from "./services/cloudwatch-alarm-state.ts";
import { cloudWatchMetricHandlers } from "./services/cloudwatch-metrics.ts";
import type { HandlerTable } from "./services/handler.ts";
import { iamHandlers } from "./services/iam.ts";
import { kmsHandlers } from "./services/kms.ts";
import { logEventHandlers } from "./services/log-events.ts";
import { logsHandlers } from "./services/logs.ts";
import { organizationsHandlers } from "./services/organizations.ts";
import { securityHubHandlers } from "./services/securityhub.ts";
import { snsHandlers } from "./services/sns.ts";
import { snsPublishHandlers } from "./services/sns-publish.ts";
import { sqsHandlers } from "./services/sqs.ts";
import { stsHandlers } from "./services/sts.ts";
import type { Principal, SimulationCore } from "./state.ts";

/** Runs inside the middleware before each simulated call: may wait, or throw (e.g. throttling). */
export type BeforeCallHook = (call: SimulatedCall) => Promise<void> | void;

export interface SimulationRuntime {
  readonly core: SimulationCore;
  readonly log: CallLog;
  readonly faults: Faults;
  /** Mutable so a latency model can be attached to an organization already built. */
  beforeCall?: BeforeCallHook;
  /** After each call that reached a service handler (the live chain's CloudTrail recording). */
  afterCall?: AfterCallHook;
}

const SERVICES: Readonly<Record<string, { readonly id: ServiceId; readonly handlers: HandlerTable }>> = {
  OrganizationsClient: { id: "organizations", handlers: organizationsHandlers },
  STSClient: { id: "sts", handlers: stsHandlers },
  CloudTrailClient: { id: "cloudtrail", handlers: cloudTrailHandlers },
  CloudWatchLogsClient: { id: "logs", handlers: { ...logsHandlers, ...logEventHandlers } },
  CloudWatchClient: {
    id: "cloudwatch",
    handlers: { ...cloudWatchHandlers, ...cloudWatchMetricHandlers, ...cloudWatchAlarmStateHandlers },
  },
  SNSClient: { id: "sns", handlers: { ...snsHandlers, ...snsPublishHandlers } },
  SQSClient: { id: "sqs", handlers: sqsHandlers },
  KMSClient: { id: "kms", handlers: kmsHandlers },
  SecurityHubClient: { id: "securityhub", handlers: securityHubHandlers },
  IAMClient: { id: "iam", handlers: iamHandlers },
};

/**
 * Services reachable from any client region: Organizations and IAM have one global endpoint,
 * and STS answers in the caller's home region whether or not the organization's resources live there.
 */
const GLOBAL_SERVICES: ReadonlySet<ServiceId> = new Set(["organizations", "sts", "iam"]);

export const SIMULATION_MIDDLEWARE_NAME = "tripwireSimulation";

/** The answer of a hung call. */
const NEVER: Promise<never> = new Promise(() => undefined);

interface MiddlewareArgs {
  readonly input: Record<string, unknown>;
  readonly request?: { hostname?: string; port?: number; protocol?: string; headers?: Record<string, string> };
}

interface MiddlewareContext {
  readonly clientName?: string;
  readonly commandName?: string;
}

type SimulationMiddleware = (
  next: unknown,
  context: MiddlewareContext,
) => (args: MiddlewareArgs) => Promise<{ output: object; response: object }>;

interface RelativeStack {
  addRelativeTo(
    middleware: SimulationMiddleware,
    options: { relation: "after"; toMiddleware: string; name: string },
  ): void;
}

/** The `ClientInstrument` that routes every call of a client into the simulation. */
export function simulationInstrument(runtime: SimulationRuntime): ClientInstrument {
  const instrumented = new WeakSet<object>();
  return (client: AnyClient) => {
    // The factory may hand the same client twice; a second middleware of this name would throw.
    if (instrumented.has(client)) return;
    instrumented.add(client);
    const below = hasAttemptDeadline(client) ? ATTEMPT_DEADLINE_MIDDLEWARE : "retryMiddleware";
    (client.middlewareStack as unknown as RelativeStack).addRelativeTo(
      (_next, context) => (args) => simulate(runtime, client, context, args),
      { relation: "after", toMiddleware: below, name: SIMULATION_MIDDLEWARE_NAME },
    );
  };
}

function endpointOf(request: MiddlewareArgs["request"]): string | undefined {
  if (!request?.hostname) return undefined;
  return `${request.protocol ?? "https:"}//${request.hostname}${request.port ? `:${request.port}` : ""}`;
}

async function simulate(
  runtime: SimulationRuntime,
  client: AnyClient,
  context: MiddlewareContext,
  args: MiddlewareArgs,
): Promise<{ output: object; response: object }> {
  const { core, log } = runtime;
  const clientName = context.clientName ?? "UnknownClient";
  const operation = (context.commandName ?? "UnknownCommand").replace(/Command$/, "");
  const service = SERVICES[clientName];
  if (!service) throw new SimulationNotImplementedError(clientName, operation);

  const region = await client.config.region();
  const credentials = await client.config.credentials();
  const principal = core.principals.get(credentials.accessKeyId);
  const endpoint = endpointOf(args.request);
  // Optional fields assigned, not spread: a spread in a literal is V8's slow path, at every call.
  const call: { -readonly [K in keyof SimulatedCall]: SimulatedCall[K] } = {
    seq: log.nextSeq(),
    accountId: principal?.accountId ?? "unknown",
    region,
    service: service.id,
    operation,
    input: args.input,
  };
  if (principal) call.principalArn = principal.arn;
  if (endpoint) call.endpoint = endpoint;

  let reached: Principal | undefined;
  try {
    await runtime.beforeCall?.(call);
    const fault = runtime.faults.outcomeFor(call);
    if (fault && "hang" in fault) {
      log.record(call, false, HUNG);
      return await NEVER;
    }
    if (fault) throw fault.error;
    if (!principal) throw unrecognizedClientError(service.id);
    if (principal.expiresAt !== undefined && principal.expiresAt <= core.credentialNow()) {
      throw expiredTokenError(service.id);
    }
    // A region the organization does not use answers like a disabled opt-in region.
    if (!GLOBAL_SERVICES.has(service.id) && !core.regions.has(region)) throw unrecognizedClientError(service.id);
    const handler = service.handlers[operation];
    if (!handler) throw new SimulationNotImplementedError(service.id, operation);
    const account = core.accounts.get(principal.accountId);
    if (!account) throw unrecognizedClientError(service.id);

    reached = principal;
    const result = await handler({ core, account, region, principal }, args.input as never);
    log.record(call, false);
    runtime.afterCall?.({ ...answered(call, credentials.accessKeyId, args.request), principal, output: result });
    return {
      output: { $metadata: { httpStatusCode: 200, requestId: `sim-${call.seq}` }, ...result },
      response: {},
    };
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    log.record(call, name === THROTTLING_ERROR_NAME[service.id], name);
    const metadata = (error as { $metadata?: { requestId?: string } }).$metadata;
    if (metadata && metadata.requestId === undefined) metadata.requestId = `sim-${call.seq}`;
    if (reached && error instanceof Error && !(error instanceof SimulationNotImplementedError)) {
      runtime.afterCall?.({ ...answered(call, credentials.accessKeyId, args.request), principal: reached, error });
    }
    throw error;
  }
}

function answered(call: SimulatedCall, accessKeyId: string, request: MiddlewareArgs["request"]) {
  const userAgent = request?.headers?.["user-agent"];
  return { call, accessKeyId, requestId: `sim-${call.seq}`, ...(userAgent ? { userAgent } : {}) };
}
