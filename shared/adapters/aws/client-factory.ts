import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { SNSClient } from "@aws-sdk/client-sns";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/**
 * Any SDK v3 client. `instrument` receives each client the factory builds, so a simulation
 * or a latency model can add middleware below the engine without the engine knowing.
 */
export interface AnyClient {
  middlewareStack: { addRelativeTo: (...args: never[]) => unknown };
  config: { credentials: () => Promise<AwsCredentialIdentity>; region: () => Promise<string> };
}

export type ClientInstrument = (client: AnyClient) => void;

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
  /** Hook applied to every client built (simulation, latency model). */
  readonly instrument?: ClientInstrument;
  /**
   * The caller, when already known (a Lambda reads it from its own ARN): saves the
   * GetCallerIdentity call a cold start would otherwise spend.
   */
  readonly caller?: CallerIdentity;
}

export interface AssumeRoleSettings {
  readonly roleName: string;
  readonly externalId?: string;
  /** Recognisable session name; the heal path ignores events caused by sessions named so. */
  readonly sessionName: string;
  /** Seconds; 900 is the shortest STS allows. */
  readonly durationSeconds?: number;
}

export interface CallerIdentity {
  readonly accountId: string;
  readonly partition: string;
  readonly arn: string;
}

/** The role in a member account could not be assumed (denied, missing, or STS refused). */
export class RoleNotAssumableError extends Error {
  constructor(
    readonly accountId: string,
    readonly roleArn: string,
    options: { cause: unknown },
  ) {
    super(`cannot assume ${roleArn}: ${describeError(options.cause)}`, options);
    this.name = "RoleNotAssumableError";
  }
}

/** Short text for an SDK error: its name and message, never a stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.message && error.message !== error.name ? `${error.name}: ${error.message}` : error.name;
  }
  return String(error);
}

type ClientConstructor<C> = new (config: Record<string, unknown>) => C;

/** Regional clients of one account, built on the account's credentials and cached per region. */
export class AccountClients {
  readonly #cache = new Map<string, unknown>();
  readonly #build: <C>(ctor: ClientConstructor<C>, region: string) => C;

  constructor(
    readonly accountId: string,
    readonly partition: string,
    build: <C>(ctor: ClientConstructor<C>, region: string) => C,
  ) {
    this.#build = build;
  }

  cloudTrail(region: string): CloudTrailClient {
    return this.#get(CloudTrailClient, region);
  }

  logs(region: string): CloudWatchLogsClient {
    return this.#get(CloudWatchLogsClient, region);
  }

  cloudWatch(region: string): CloudWatchClient {
    return this.#get(CloudWatchClient, region);
  }

  sns(region: string): SNSClient {
    return this.#get(SNSClient, region);
  }

  #get<C>(ctor: ClientConstructor<C>, region: string): C {
    const key = `${ctor.name}/${region}`;
    let client = this.#cache.get(key) as C | undefined;
    if (!client) {
      client = this.#build(ctor, region);
      this.#cache.set(key, client);
    }
    return client;
  }
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
  #identity?: Promise<CallerIdentity>;
  #sts?: STSClient;
  #organizations?: OrganizationsClient;
  #shared?: Record<string, unknown>;

  constructor(env: AwsEnvironment, role: AssumeRoleSettings) {
    this.#env = env;
    this.#role = role;
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

  organizations(): OrganizationsClient {
    this.#organizations ??= this.#build(OrganizationsClient, this.#env.homeRegion, this.#env.credentials);
    return this.#organizations;
  }

  sts(): STSClient {
    this.#sts ??= this.#build(STSClient, this.#env.homeRegion, this.#env.credentials);
    return this.#sts;
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
   * Forgets an account's clients (and assumed-role credentials): a large run keeps only the
   * accounts under review. The next `forAccount` opens the account again.
   */
  release(accountId: string): void {
    this.#accounts.delete(accountId);
  }

  async #open(accountId: string): Promise<AccountClients> {
    const caller = await this.callerIdentity();
    if (accountId === caller.accountId) {
      return new AccountClients(accountId, caller.partition, (ctor, region) =>
        this.#build(ctor, region, this.#env.credentials),
      );
    }
    const roleArn = `arn:${caller.partition}:iam::${accountId}:role/${this.#role.roleName}`;
    const credentials = assumedRoleCredentials(this.sts(), roleArn, this.#role);
    try {
      await credentials();
    } catch (cause) {
      throw new RoleNotAssumableError(accountId, roleArn, { cause });
    }
    return new AccountClients(accountId, caller.partition, (ctor, region) =>
      this.#build(ctor, region, credentials),
    );
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

  #build<C>(ctor: ClientConstructor<C>, region: string, credentials: AwsEnvironment["credentials"]): C {
    const env = this.#env;
    const client = new ctor({
      // The STS client is where the shared settings come from, so it resolves its own.
      ...(ctor === (STSClient as unknown) ? {} : this.#sharedSettings()),
      region,
      ...(credentials ? { credentials } : {}),
      ...(env.profile && !credentials ? { profile: env.profile } : {}),
      ...(env.retryDelayMs
        ? { retryStrategy: new ConfiguredRetryStrategy(env.maxAttempts, env.retryDelayMs) }
        : { maxAttempts: env.maxAttempts }),
    });
    env.instrument?.(client as unknown as AnyClient);
    return client;
  }
}

/** Refresh this long before expiry, so a call never starts on credentials about to lapse. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * A credentials provider that assumes `roleArn` once and again shortly before expiry.
 * Concurrent callers share one in-flight AssumeRole.
 */
export function assumedRoleCredentials(
  sts: STSClient,
  roleArn: string,
  role: AssumeRoleSettings,
): AwsCredentialIdentityProvider {
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: role.sessionName,
        DurationSeconds: role.durationSeconds ?? 900,
        ...(role.externalId ? { ExternalId: role.externalId } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole returned no credentials for ${roleArn}`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  };
  let value: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (c: AwsCredentialIdentity) =>
    !c.expiration || c.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS;
  return async () => {
    if (value && fresh(value)) return value;
    pending ??= assume()
      .then((c) => (value = c))
      .finally(() => (pending = undefined));
    return pending;
  };
}
