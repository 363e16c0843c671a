/**
 * The one client factory of a run, for the CLI, the functions, the simulation and the
 * benchmark alike: the caller's own clients (Organizations, STS) and, per member account,
 * clients on credentials from STS AssumeRole.
 */
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SNSClient } from "@aws-sdk/client-sns";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { AccountClients, type ClientConstructor } from "./account-clients.ts";
import { type AssumeRoleSettings, assumedRoleCredentials } from "./assumed-role-credentials.ts";
import { limitEachAttempt } from "./attempt-deadline.ts";
import { nameFailedCalls } from "./call-naming.ts";
import { ClientPool, type Lease } from "./client-pool.ts";
import { fastProperties } from "./fast-properties.ts";
import type { AnyClient, ClientInstrument } from "./instrument.ts";
import { RoleNotAssumableError } from "./role-not-assumable-error.ts";

/**
 * Classes whose pooled member clients may change region from one lease to the next
 * (client-pool.ts): the regional services of every review, each signed for the region its
 * endpoint is in. The others keep a client per region: STS, and the services only some runs
 * use (KMS, Security Hub, IAM).
 */
const MOVABLE: ReadonlySet<unknown> = new Set<unknown>([
  CloudTrailClient,
  CloudWatchLogsClient,
  CloudWatchClient,
  SNSClient,
]);

export interface AwsEnvironment {
  /** Region for global APIs (Organizations, STS) and for the first trail look-up. */
  readonly homeRegion: string;
  /** Caller credentials; undefined means the SDK's default chain (env, profile, SSO, IMDS...). */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Named profile for the default chain (`--profile`). */
  readonly profile?: string;
  /** Total attempts per call, first one included (SDK retries are bounded by this). */
  readonly maxAttempts: number;
  /** Backoff before retry n (1-based), in ms; default is the SDK's standard backoff. */
  readonly retryDelayMs?: (attempt: number) => number;
  /** Longest one attempt of a call may take, in ms (default 10 s); a slower attempt is retried. */
  readonly callTimeoutMs?: number;
  /** Hook applied to every client built (simulation, latency model). */
  readonly instrument?: ClientInstrument;
  /**
   * The caller, when already known (a Lambda reads it from its own ARN): saves the
   * GetCallerIdentity call a cold start would otherwise spend.
   */
  readonly caller?: CallerIdentity;
  /**
   * Clients handed from one account to the next (client-pool.ts). A factory makes its own;
   * give one that outlives the factory (a Lambda container's) to reuse them across runs, only
   * to factories of the same environment (the pool does not compare how a client was built).
   */
  readonly clientPool?: ClientPool;
}

/** Per attempt of every call, unless the environment says otherwise. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;
/** Longest wait for a connection to an endpoint (or the call timeout, if shorter). */
const CONNECTION_TIMEOUT_MS = 3_000;

export interface CallerIdentity {
  readonly accountId: string;
  readonly partition: string;
  readonly arn: string;
}

/**
 * Builds and caches SDK clients for one run: the caller's own (Organizations, STS) and,
 * per member account, clients on credentials from STS AssumeRole (short session, cached,
 * refreshed before expiry). The caller's own account uses the caller's credentials.
 */
export class ClientFactory {
  readonly #env: AwsEnvironment;
  readonly #role: AssumeRoleSettings;
  readonly #accounts = new Map<string, Promise<AccountClients>>();
  /** The opened accounts' clients, closed (their leases ended) when the account is released. */
  readonly #opened = new Map<string, AccountClients>();
  /**
   * Each assumed account's credentials provider, kept when its clients are released: a run
   * that opens an account again (a proof, after its scan) asks STS nothing new while the
   * session lasts, and the provider assumes the role again before it expires.
   */
  readonly #credentials = new Map<string, ReturnType<typeof assumedRoleCredentials>>();
  readonly #pool: ClientPool;
  readonly #callerLeases: Lease<unknown>[] = [];
  #identity?: Promise<CallerIdentity>;
  #sts?: STSClient;
  #organizations?: OrganizationsClient;
  #shared?: Record<string, unknown>;
  /** Per client class: the first client's look-up of the endpoint configured for its service. */
  readonly #configuredEndpoints = new Map<unknown, unknown>();

  constructor(env: AwsEnvironment, role: AssumeRoleSettings) {
    this.#env = env;
    this.#role = role;
    this.#pool = env.clientPool ?? new ClientPool();
  }

  get homeRegion(): string {
    return this.#env.homeRegion;
  }

  get roleName(): string {
    return this.#role.roleName;
  }

  get sessionName(): string {
    return this.#role.sessionName;
  }

  /** The backoff between retries the environment asked for, if any (the simulation's is 1 ms). */
  get retryDelayMs(): ((attempt: number) => number) | undefined {
    return this.#env.retryDelayMs;
  }

  organizations(): OrganizationsClient {
    this.#organizations ??= this.#callerClient(OrganizationsClient, this.#env.homeRegion);
    return this.#organizations;
  }

  sts(): STSClient {
    this.#sts ??= this.#callerClient(STSClient, this.#env.homeRegion);
    return this.#sts;
  }

  /**
   * A client of the caller's own account in the home region (a deployed function's queue or
   * bucket), with the same timeouts, retries and call naming as every other client.
   */
  caller<C>(ctor: ClientConstructor<C>): C {
    return this.#build(ctor, this.#env.homeRegion, this.#env.credentials);
  }

  /** Account, partition and ARN of the caller, asked once per run. */
  callerIdentity(): Promise<CallerIdentity> {
    if (this.#env.caller) return Promise.resolve(this.#env.caller);
    this.#identity ??= this.sts()
      .send(new GetCallerIdentityCommand({}))
      .then((out) => {
        const arn = out.Arn ?? "";
        return { accountId: out.Account ?? "", arn, partition: arn.split(":")[1] || "aws" };
      });
    // A failed look-up is not cached: the next caller may retry.
    this.#identity.catch(() => (this.#identity = undefined));
    return this.#identity;
  }

  /** Clients for an account: the caller's own credentials for its own account, else AssumeRole. */
  forAccount(accountId: string): Promise<AccountClients> {
    let clients = this.#accounts.get(accountId);
    if (!clients) {
      clients = this.#open(accountId);
      this.#accounts.set(accountId, clients);
      clients.catch(() => this.#accounts.delete(accountId));
    }
    return clients;
  }

  /**
   * Forgets an account's clients: a large run keeps only the accounts under review. Its
   * clients refuse any later call and go back to the pool for the next account
   * (client-pool.ts). The next `forAccount` opens the account again, on the credentials
   * already assumed (#credentials).
   */
  release(accountId: string): void {
    this.#accounts.delete(accountId);
    this.#opened.get(accountId)?.close();
    this.#opened.delete(accountId);
  }

  async #open(accountId: string): Promise<AccountClients> {
    const caller = await this.callerIdentity();
    if (accountId === caller.accountId) {
      return this.#opening(
        new AccountClients(accountId, caller.partition, (ctor, region) => this.#callerLease(ctor, region)),
      );
    }
    const roleArn = `arn:${caller.partition}:iam::${accountId}:role/${this.#role.roleName}`;
    let credentials = this.#credentials.get(accountId);
    if (!credentials) {
      const assumed = assumedRoleCredentials(this.sts(), roleArn, this.#role);
      try {
        await assumed();
      } catch (cause) {
        throw new RoleNotAssumableError(accountId, roleArn, { cause });
      }
      this.#credentials.set(accountId, assumed);
      credentials = assumed;
    }
    return this.#opening(
      new AccountClients(accountId, caller.partition, (ctor, region) => {
        // A movable client is pooled whatever its region, and moved to this one (client-pool.ts).
        const movable = MOVABLE.has(ctor);
        const build = () => this.#build(ctor, region, credentials);
        return this.#pool.lease(
          accountId,
          ctor,
          movable ? "any region" : region,
          credentials,
          build,
          movable ? region : undefined,
        );
      }),
    );
  }

  /**
   * Ends the run: every account's clients and the factory's own (Organizations, STS, the
   * caller's account) go back to the pool for the next run; the factory is not used after.
   * A factory whose pool outlives it (a Lambda container's) is closed by its handler at the
   * end of each invocation; without close() its clients are simply not reused.
   */
  close(): void {
    for (const accountId of [...this.#opened.keys()]) this.release(accountId);
    for (const lease of this.#callerLeases.splice(0)) lease.close();
  }

  /** A client on the caller's own credentials, leased until close(). */
  #callerClient<C>(ctor: ClientConstructor<C>, region: string): C {
    const lease = this.#callerLease(ctor, region);
    this.#callerLeases.push(lease);
    return lease.client;
  }

  #callerLease<C>(ctor: ClientConstructor<C>, region: string): Lease<C> {
    const env = this.#env;
    // Apart from the members' clients: a caller's client is never handed to a member's review.
    const key = env.profile && !env.credentials ? `caller ${region} profile ${env.profile}` : `caller ${region}`;
    return this.#pool.lease("the caller", ctor, key, env.credentials, () => this.#build(ctor, region, env.credentials));
  }

  #opening(clients: AccountClients): AccountClients {
    this.#opened.set(clients.accountId, clients);
    return clients;
  }

  /**
   * Settings every client would otherwise look up again in the environment and the shared
   * config files (FIPS, dual-stack, app id, auth scheme preference, retry mode): the first
   * client's memoized providers, handed to every later one. The user's settings still
   * apply; they are read once per run instead of once per client (about 40% of the CPU a
   * client and its first call cost, measured).
   */
  #sharedSettings(): Record<string, unknown> {
    if (!this.#shared) {
      const config = this.sts().config as unknown as Record<string, unknown>;
      const keys = ["useFipsEndpoint", "useDualstackEndpoint", "userAgentAppId", "authSchemePreference", "retryMode"];
      this.#shared = Object.fromEntries(keys.filter((k) => typeof config[k] === "function").map((k) => [k, config[k]]));
    }
    return this.#shared;
  }

  /**
   * The endpoint configured for a service (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the
   * config file's endpoint_url and services section) is looked up by each client at its first
   * call: two failed environment look-ups and a read of the config files, a third of a
   * millisecond per client. Every client of a class in one run gets the first one's answer, as
   * `#sharedSettings` does for the other settings; a configured endpoint is honoured as before.
   */
  #shareConfiguredEndpoint(ctor: unknown, client: { config?: Record<string, unknown> }): void {
    const config = client.config;
    if (typeof config?.serviceConfiguredEndpoint !== "function") return;
    const first = this.#configuredEndpoints.get(ctor);
    if (first) config.serviceConfiguredEndpoint = first;
    else this.#configuredEndpoints.set(ctor, config.serviceConfiguredEndpoint);
  }

  /**
   * One client, with what every call needs: a connection and a request timeout on the socket,
   * a deadline on each attempt (which also holds where no socket is used: the simulation), and
   * the call's name on its error. See attempt-deadline.ts and call-naming.ts.
   */
  #build<C>(ctor: ClientConstructor<C>, region: string, credentials: AwsEnvironment["credentials"]): C {
    const env = this.#env;
    const callTimeoutMs = env.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    const client = new ctor({
      // The STS client is where the shared settings come from, so it resolves its own.
      ...(ctor === (STSClient as unknown) ? {} : this.#sharedSettings()),
      region,
      ...(credentials ? { credentials } : {}),
      ...(env.profile && !credentials ? { profile: env.profile } : {}),
      // maxAttempts with the strategy too: the SDK reads it for each call's attempt header, and
      // would otherwise look it up in the environment and the config files once per client.
      ...(env.retryDelayMs ? { retryStrategy: new ConfiguredRetryStrategy(env.maxAttempts, env.retryDelayMs) } : {}),
      maxAttempts: env.maxAttempts,
      // Each command class's middleware resolved once per client, not at every call: the
      // factory and its instrument add all their middleware at the build, none after.
      cacheMiddleware: true,
      requestHandler: {
        connectionTimeout: Math.min(CONNECTION_TIMEOUT_MS, callTimeoutMs),
        requestTimeout: callTimeoutMs,
        // Without it the handler only logs a warning when the request timeout passes.
        throwOnRequestTimeout: true,
      },
    });
    this.#shareConfiguredEndpoint(ctor, client as { config?: Record<string, unknown> });
    const any = client as unknown as AnyClient;
    nameFailedCalls(any);
    limitEachAttempt(any, callTimeoutMs);
    env.instrument?.(any);
    // Every call spreads the config: in fast mode that costs a tenth (fast-properties.ts).
    fastProperties(any.config);
    return client;
  }
}
