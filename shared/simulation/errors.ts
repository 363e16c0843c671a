/**
 * Errors as the SDK would hand them to the engine: the client's own modeled exception class
 * when the service models that error, else the client's service exception with the real
 * error code as `name`. `$fault` and `$metadata.httpStatusCode` are set so the SDK's retry
 * classification (`isThrottlingError`, `isTransientError`) treats them as it treats real ones.
 */
import * as cloudtrail from "@aws-sdk/client-cloudtrail";
import * as cloudwatch from "@aws-sdk/client-cloudwatch";
import * as logs from "@aws-sdk/client-cloudwatch-logs";
import * as iam from "@aws-sdk/client-iam";
import * as kms from "@aws-sdk/client-kms";
import * as organizations from "@aws-sdk/client-organizations";
import * as securityhub from "@aws-sdk/client-securityhub";
import * as sns from "@aws-sdk/client-sns";
import * as sqs from "@aws-sdk/client-sqs";
import * as sts from "@aws-sdk/client-sts";

/** The services the simulation answers, named like their IAM/ARN service prefix. */
export type ServiceId =
  | "organizations"
  | "sts"
  | "cloudtrail"
  | "logs"
  | "cloudwatch"
  | "sns"
  | "sqs"
  | "kms"
  | "securityhub"
  | "iam";

type ServiceExceptionClass = new (options: {
  name: string;
  $fault: "client" | "server";
  $metadata: { httpStatusCode?: number };
  message?: string;
}) => Error;

const BASE: Record<ServiceId, ServiceExceptionClass> = {
  organizations: organizations.OrganizationsServiceException,
  sts: sts.STSServiceException,
  cloudtrail: cloudtrail.CloudTrailServiceException,
  logs: logs.CloudWatchLogsServiceException,
  cloudwatch: cloudwatch.CloudWatchServiceException,
  sns: sns.SNSServiceException,
  sqs: sqs.SQSServiceException,
  kms: kms.KMSServiceException,
  securityhub: securityhub.SecurityHubServiceException,
  iam: iam.IAMServiceException,
};

/** The SDK module of each service: modeled exception classes are looked up by name there. */
const MODULES: Record<ServiceId, Record<string, unknown>> = {
  organizations,
  sts,
  cloudtrail,
  logs,
  cloudwatch,
  sns,
  sqs,
  kms,
  securityhub,
  iam,
};

type ModeledExceptionClass = new (options: { message: string; $metadata: { httpStatusCode: number } }) => Error;

function modeledClass(service: ServiceId, name: string): ModeledExceptionClass | undefined {
  const candidate = MODULES[service][name];
  if (typeof candidate !== "function") return undefined;
  // Only subclasses of the service's exception base count; the module also exports commands.
  return candidate.prototype instanceof BASE[service] ? (candidate as ModeledExceptionClass) : undefined;
}

/** An error from `service` named `name`, as the SDK deserializer would build it. */
export function serviceError(
  service: ServiceId,
  name: string,
  message: string,
  httpStatusCode = 400,
  fault: "client" | "server" = httpStatusCode >= 500 ? "server" : "client",
): Error {
  const Modeled = modeledClass(service, name);
  const error = Modeled
    ? new Modeled({ message, $metadata: { httpStatusCode } })
    : new BASE[service]({ name, $fault: fault, $metadata: { httpStatusCode }, message });
  const shaped = error as Error & { $fault: string; $metadata: { httpStatusCode?: number } };
  shaped.$fault = fault;
  shaped.$metadata = { ...shaped.$metadata, httpStatusCode };
  return error;
}

/** Each service's own code for "slow down" (all are in the SDK's throttling list). */
export const THROTTLING_ERROR_NAME: Record<ServiceId, string> = {
  organizations: "TooManyRequestsException",
  sts: "Throttling",
  cloudtrail: "ThrottlingException",
  logs: "ThrottlingException",
  cloudwatch: "Throttling",
  sns: "ThrottledException",
  sqs: "RequestThrottled",
  kms: "ThrottlingException",
  securityhub: "TooManyRequestsException",
  iam: "Throttling",
};

export function throttlingError(service: ServiceId, message = "Rate exceeded"): Error {
  return serviceError(service, THROTTLING_ERROR_NAME[service], message, 400);
}

/** Query-protocol services say InvalidClientTokenId; JSON-protocol ones UnrecognizedClientException. */
export function unrecognizedClientError(service: ServiceId): Error {
  const name =
    service === "sts" || service === "sns" || service === "cloudwatch" || service === "iam"
      ? "InvalidClientTokenId"
      : "UnrecognizedClientException";
  return serviceError(service, name, "The security token included in the request is invalid.", 403);
}

export function expiredTokenError(service: ServiceId): Error {
  const name =
    service === "sns" || service === "cloudwatch" || service === "iam" ? "ExpiredToken" : "ExpiredTokenException";
  return serviceError(service, name, "The security token included in the request is expired", 400);
}

/**
 * The simulation was asked for a service or operation it does not implement. Not an AWS
 * error, on purpose: a missing simulation must be noticed, never answered with a guess.
 */
export class SimulationNotImplementedError extends Error {
  constructor(
    readonly service: string,
    readonly operation: string,
  ) {
    super(`tripwire simulation does not implement ${service}:${operation}`);
    this.name = "SimulationNotImplementedError";
  }
}
