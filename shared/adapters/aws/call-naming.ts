/**
 * Every failed AWS call names itself: one middleware, outermost on every client the factory
 * builds, labels the error with the operation, the service and the region
 * (`DescribeMetricFilters (logs us-east-1)`), after the SDK's retries gave up. The error
 * itself is kept (name, class, `$metadata`, `cause`), so callers that test
 * `error.name === "ResourceNotFoundException"` still work; `describeError` puts the label first.
 */
import { labelCall } from "../../core/describe-error.ts";
import { type AnyClient, CALL_NAMING_MIDDLEWARE, type Middleware, stackOf } from "./instrument.ts";

/** IAM service prefixes of the clients tripwire builds; any other is named after its client class. */
const SERVICES: Readonly<Record<string, string>> = {
  CloudTrailClient: "cloudtrail",
  CloudWatchClient: "cloudwatch",
  CloudWatchLogsClient: "logs",
  KMSClient: "kms",
  OrganizationsClient: "organizations",
  S3Client: "s3",
  SecurityHubClient: "securityhub",
  SNSClient: "sns",
  SQSClient: "sqs",
  STSClient: "sts",
};

/** Adds the call-naming middleware to `client`. */
export function nameFailedCalls(client: AnyClient): void {
  stackOf(client).add(
    // No async frame of its own around every call: the label is only built for a failure.
    (next, context) => (args) =>
      next(args).catch(async (error: unknown) => {
        throw labelCall(error, await callLabel(client, context));
      }),
    { step: "initialize", priority: "high", name: CALL_NAMING_MIDDLEWARE },
  );
}

async function callLabel(client: AnyClient, context: Parameters<Middleware>[1]): Promise<string> {
  const operation = (context.commandName ?? "UnknownCommand").replace(/Command$/, "");
  const clientName = context.clientName ?? "";
  const service = SERVICES[clientName] ?? (clientName.replace(/Client$/, "").toLowerCase() || "unknown");
  let region: string;
  try {
    region = await client.config.region();
  } catch {
    region = "unknown region";
  }
  return `${operation} (${service} ${region})`;
}
