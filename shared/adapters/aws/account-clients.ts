import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { IAMClient } from "@aws-sdk/client-iam";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";
import type { Lease } from "./client-pool.ts";

export type ClientConstructor<C> = new (config: Record<string, unknown>) => C;

/** How an account gets a client of a class in a region: a lease, closed when the account is released. */
export type ClientSource = <C>(ctor: ClientConstructor<C>, region: string) => Lease<C>;

/** Regional clients of one account, on the account's credentials, one per class and region. */
export class AccountClients {
  readonly #cache = new Map<string, Lease<unknown>>();
  readonly #open: ClientSource;

  constructor(
    readonly accountId: string,
    readonly partition: string,
    open: ClientSource,
  ) {
    this.#open = open;
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

  /**
   * A client of any other service, built like these (timeouts, retries, call names): for a
   * service only some runs need (KMS, Security Hub), whose module is imported only then.
   */
  client<C>(ctor: ClientConstructor<C>, region: string): C {
    return this.#get(ctor, region);
  }

  /** STS through the region's own endpoint (the SDK's default), on the account's credentials. */
  sts(region: string): STSClient {
    return this.#get(STSClient, region);
  }

  /** IAM is global: any region of the partition reaches its one endpoint. */
  iam(region: string): IAMClient {
    return this.#get(IAMClient, region);
  }

  sqs(region: string): SQSClient {
    return this.#get(SQSClient, region);
  }

  /**
   * Ends every lease: the clients handed out so far refuse further calls, and go back to the
   * pool when idle. Asked for a client again after, it leases a new one, on the same account's
   * credentials (never another account's).
   */
  close(): void {
    for (const lease of this.#cache.values()) lease.close();
    this.#cache.clear();
  }

  #get<C>(ctor: ClientConstructor<C>, region: string): C {
    const key = `${ctor.name}/${region}`;
    let lease = this.#cache.get(key) as Lease<C> | undefined;
    if (!lease) {
      lease = this.#open(ctor, region);
      this.#cache.set(key, lease);
    }
    return lease.client;
  }
}
