import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { IAMClient } from "@aws-sdk/client-iam";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";

export type ClientConstructor<C> = new (config: Record<string, unknown>) => C;

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
