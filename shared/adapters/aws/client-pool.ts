/**
 * SDK clients handed from one account to the next. Building a client and its first call cost
 * more CPU than the calls an account's review makes with it (the scale benchmark's profile:
 * about 0.9 ms per client, four or five clients per account), and a sweep builds thousands.
 * So a client whose account's review is over goes back to a pool, by class (and region, for
 * the classes that keep one), and the next account's review takes it with that account's
 * credentials.
 *
 * One account at a time, never two:
 *  - an account gets a lease: a view of the client whose `send` works until the lease is closed
 *    (the account released), then refuses (ReleasedClientError), so a call started late by the
 *    account's review can never go out on the next account's credentials;
 *  - a client goes back to the pool only when its lease is closed with no call in flight (a call
 *    keeps the identity it was signed with, retries included, but a client still busy is simply
 *    dropped); an idle client's credentials are a provider that refuses, and the next lease
 *    sets its own before any call of the new account;
 *  - the factory keeps the caller's own clients under keys of their own, never handed to a
 *    member account's review nor the other way round.
 * The credentials are set through the SDK's own `config.credentials` setter, which resolves
 * them as at construction. The rest of a client (endpoint, retry strategy, middleware) is the
 * same for every account of a run: the factory builds them alike.
 *
 * A client of a regional service may also change region when it changes hands (the factory
 * says which classes: `lease(..., region)`), so a container keeps a few clients per class
 * instead of one per class and region (the scale benchmark's 17 regions: about 85 clients per
 * container). Like the credentials, the region is set only while the client is idle, before
 * the new lease's first call: its region, and its signing region, which the SDK would
 * otherwise keep from the client's first signature (a request to the new region's endpoint
 * signed for the old one, which AWS refuses; client-pool.test.ts checks both).
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

/** A call on a client whose account was released: it is refused, never sent. */
export class ReleasedClientError extends Error {
  constructor(readonly owner: string) {
    super(`the clients of ${owner} were released: its review or its run is over`);
    this.name = "ReleasedClientError";
  }
}

/** Undefined: the SDK's default credential chain, resolved again for each lease. */
type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;

interface Sender {
  send(...args: unknown[]): Promise<unknown>;
  config: { credentials: unknown; region: unknown; signingRegion?: string };
}

export interface Lease<C> {
  /** The client as the account sees it (an `instanceof` its class, whose `send` the lease guards). */
  readonly client: C;
  /** Ends the lease: later calls are refused; an idle client goes back to the pool. */
  close(): void;
}

/** Credentials of an idle client: none, every identity asked for is refused. */
function refusing(owner: string): AwsCredentialIdentityProvider {
  return () => Promise.reject(new ReleasedClientError(owner));
}

/**
 * An idle client's region, as the SDK resolves a region given at construction, and its signing
 * region: the SDK keeps the region of the first signature in `config.signingRegion` and signs
 * every later request for it, whatever the region's provider says.
 */
function moveTo(client: Sender, region: string): void {
  const resolved = Promise.resolve(region);
  client.config.region = () => resolved;
  client.config.signingRegion = region;
}

/** Idle clients kept per class and key: enough for the accounts a run reviews at once. */
const DEFAULT_IDLE_PER_KEY = 64;

export class ClientPool {
  readonly #idle = new Map<unknown, Map<string, Sender[]>>();
  readonly #limit: number;
  /** Clients built, and leases served by a pooled one (for tests and the benchmark). */
  built = 0;
  reused = 0;

  constructor(idlePerKey = DEFAULT_IDLE_PER_KEY) {
    this.#limit = idlePerKey;
  }

  /**
   * A client of `ctor` built alike (`key`: its region, or for a class that may change region
   * what else sets it apart, and the profile when the factory uses one) on `credentials`, for
   * `owner` (an account id, or the factory's caller): a pooled one, else `build()`. With
   * `region`, a pooled client is moved to that region (the key then leaves the region out).
   */
  lease<C>(
    owner: string,
    ctor: unknown,
    key: string,
    credentials: Credentials,
    build: () => C,
    region?: string,
  ): Lease<C> {
    const idle = this.#idle.get(ctor)?.get(key);
    let real = idle?.pop();
    if (real) {
      real.config.credentials = credentials;
      if (region !== undefined) moveTo(real, region);
      this.reused++;
    } else {
      real = build() as unknown as Sender;
      this.built++;
    }
    const client = real;
    let open = true;
    let inFlight = 0;
    const view = Object.create(client) as Sender;
    // Writable and configurable, as a client's own `send` is: a test may stub it (aws-sdk-client-mock).
    Object.defineProperty(view, "send", {
      value: (...args: unknown[]) => {
        if (!open) return Promise.reject(new ReleasedClientError(owner));
        inFlight++;
        const call = client.send(...args);
        const ended = () => {
          inFlight--;
        };
        // The caller gets the call itself (and handles its failure); this only counts it out.
        call.then(ended, ended);
        return call;
      },
      writable: true,
      configurable: true,
    });
    return {
      client: view as unknown as C,
      close: () => {
        if (!open) return;
        open = false;
        if (inFlight > 0) return;
        // Idle, it holds no account's credentials: a call that bypassed the lease is refused.
        client.config.credentials = refusing(owner);
        this.#give(ctor, key, client);
      },
    };
  }

  #give(ctor: unknown, key: string, client: Sender): void {
    let byRegion = this.#idle.get(ctor);
    if (!byRegion) {
      byRegion = new Map();
      this.#idle.set(ctor, byRegion);
    }
    let idle = byRegion.get(key);
    if (!idle) {
      idle = [];
      byRegion.set(key, idle);
    }
    if (idle.length < this.#limit) idle.push(client);
  }
}
