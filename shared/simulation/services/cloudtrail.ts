/**
 * AWS CloudTrail trails. Trails belong to an account and a home region; a region also sees the
 * account's multi-region trails homed elsewhere and the management account's organization
 * trails (shadow trails), which it may read by ARN but not change.
 */
import type {
  AdvancedEventSelector,
  CreateTrailRequest,
  DeleteTrailRequest,
  DescribeTrailsRequest,
  EventSelector,
  GetEventSelectorsRequest,
  GetTrailStatusRequest,
  PutEventSelectorsRequest,
  StartLoggingRequest,
  StopLoggingRequest,
  Trail,
  UpdateTrailRequest,
} from "@aws-sdk/client-cloudtrail";
import { parseArn } from "../../core/arn.ts";
import { sortByKey } from "../pagination.ts";
import { type AccountState, type SimulationCore, type TrailState, trailArn, visibleTrails } from "../state.ts";
import { type CallContext, type HandlerTable, op, raise, required } from "./handler.ts";

const TRAIL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/;
const MAX_BASIC_SELECTORS = 5;

function fail(name: string, message: string): never {
  return raise("cloudtrail", name, message);
}

function trailNotFound(ctx: { account: AccountState }, name: string): never {
  return fail("TrailNotFoundException", `Unknown trail: ${name} for the user: ${ctx.account.id}`);
}

/** The event selectors CloudTrail gives a new trail: all management events, read and write. */
export function defaultEventSelectors(): EventSelector[] {
  return [
    { ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] },
  ];
}

/** What CreateTrail and UpdateTrail answer: the trail without the fields only DescribeTrails has. */
function toWriteResponse(t: TrailState): Trail {
  const {
    HomeRegion: _home,
    HasCustomEventSelectors: _selectors,
    HasInsightSelectors: _insights,
    ...rest
  } = toTrail(t);
  return rest;
}

export function toTrail(t: TrailState): Trail {
  return {
    Name: t.name,
    S3BucketName: t.s3BucketName,
    ...(t.s3KeyPrefix === undefined ? {} : { S3KeyPrefix: t.s3KeyPrefix }),
    ...(t.snsTopicName === undefined
      ? {}
      : {
          SnsTopicName: t.snsTopicName,
          SnsTopicARN: t.arn.replace(":cloudtrail:", ":sns:").replace(/trail\/.*$/, t.snsTopicName),
        }),
    IncludeGlobalServiceEvents: t.includeGlobalServiceEvents,
    IsMultiRegionTrail: t.isMultiRegionTrail,
    HomeRegion: t.homeRegion,
    TrailARN: t.arn,
    LogFileValidationEnabled: t.logFileValidationEnabled,
    ...(t.cloudWatchLogsLogGroupArn === undefined ? {} : { CloudWatchLogsLogGroupArn: t.cloudWatchLogsLogGroupArn }),
    ...(t.cloudWatchLogsRoleArn === undefined ? {} : { CloudWatchLogsRoleArn: t.cloudWatchLogsRoleArn }),
    ...(t.kmsKeyId === undefined ? {} : { KmsKeyId: t.kmsKeyId }),
    HasCustomEventSelectors: t.hasCustomEventSelectors,
    HasInsightSelectors: t.hasInsightSelectors,
    IsOrganizationTrail: t.isOrganizationTrail,
  };
}

/** Checks the CloudWatch Logs settings of a trail and returns the log group ARN as CloudTrail stores it. */
function checkLogDelivery(
  account: AccountState,
  homeRegion: string,
  groupArn: string | undefined,
  roleArn: string | undefined,
): { groupArn?: string; roleArn?: string } {
  if (!groupArn && !roleArn) return {};
  if (!groupArn)
    fail("InvalidCloudWatchLogsLogGroupArnException", "You must specify a log group ARN together with the role ARN.");
  if (!roleArn)
    fail("InvalidCloudWatchLogsRoleArnException", "You must specify a role ARN together with the log group ARN.");
  const parsed = parseArn(groupArn);
  const name = parsed?.resource.startsWith("log-group:")
    ? parsed.resource.slice("log-group:".length).replace(/:\*$/, "")
    : undefined;
  if (parsed?.service !== "logs" || !name || parsed.accountId !== account.id || parsed.region !== homeRegion) {
    fail("InvalidCloudWatchLogsLogGroupArnException", `CloudWatch Logs log group ARN is invalid: ${groupArn}`);
  }
  if (!account.peekRegion(homeRegion).logGroups.has(name)) {
    fail("InvalidCloudWatchLogsLogGroupArnException", `Access denied or the log group does not exist: ${groupArn}`);
  }
  const role = parseArn(roleArn);
  if (role?.service !== "iam" || !role.resource.startsWith("role/")) {
    fail("InvalidCloudWatchLogsRoleArnException", `CloudWatch Logs role ARN is invalid: ${roleArn}`);
  }
  return { groupArn: `${groupArn.replace(/:\*$/, "")}:*`, roleArn };
}

/** Create a trail in `region` (its home region), with CloudTrail's checks. Not logging until started. */
export function createTrail(
  core: SimulationCore,
  account: AccountState,
  region: string,
  input: CreateTrailRequest,
): TrailState {
  const name = required("cloudtrail", "InvalidTrailNameException", "Name", input.Name);
  if (!TRAIL_NAME.test(name))
    fail(
      "InvalidTrailNameException",
      `Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_): ${name}`,
    );
  const bucket = required("cloudtrail", "InvalidS3BucketNameException", "S3BucketName", input.S3BucketName);
  if (input.IsOrganizationTrail && account.id !== core.managementAccountId) {
    fail(
      "NotOrganizationMasterAccountException",
      "The request must be made from the management account of the organization.",
    );
  }
  if (visibleTrails(core, account.id, region).some((t) => t.name === name && t.accountId === account.id)) {
    fail("TrailAlreadyExistsException", `Trail ${name} already exists for customer: ${account.id}`);
  }
  const delivery = checkLogDelivery(account, region, input.CloudWatchLogsLogGroupArn, input.CloudWatchLogsRoleArn);
  const trail: TrailState = {
    name,
    arn: trailArn(core.partition, region, account.id, name),
    accountId: account.id,
    homeRegion: region,
    isMultiRegionTrail: input.IsMultiRegionTrail ?? false,
    isOrganizationTrail: input.IsOrganizationTrail ?? false,
    s3BucketName: bucket,
    ...(input.S3KeyPrefix === undefined ? {} : { s3KeyPrefix: input.S3KeyPrefix }),
    ...(input.SnsTopicName === undefined ? {} : { snsTopicName: input.SnsTopicName }),
    includeGlobalServiceEvents: input.IncludeGlobalServiceEvents ?? true,
    logFileValidationEnabled: input.EnableLogFileValidation ?? false,
    ...(delivery.groupArn === undefined ? {} : { cloudWatchLogsLogGroupArn: delivery.groupArn }),
    ...(delivery.roleArn === undefined ? {} : { cloudWatchLogsRoleArn: delivery.roleArn }),
    ...(input.KmsKeyId === undefined ? {} : { kmsKeyId: input.KmsKeyId }),
    isLogging: false,
    eventSelectors: defaultEventSelectors(),
    hasCustomEventSelectors: false,
    hasInsightSelectors: false,
    tags: new Map((input.TagsList ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])),
  };
  if (trail.isMultiRegionTrail && !trail.includeGlobalServiceEvents) {
    fail("InvalidParameterCombinationException", "Multi-Region trail must include global service events.");
  }
  account.putTrail(trail);
  return trail;
}

/** Start or stop logging, as StartLogging/StopLogging do. */
export function setLogging(core: SimulationCore, trail: TrailState, on: boolean): void {
  if (trail.isLogging === on) return;
  trail.isLogging = on;
  if (on) trail.startLoggingTime = core.clock.tick();
  else trail.stopLoggingTime = core.clock.tick();
}

/** Replace the event selectors, as PutEventSelectors does. */
export function putEventSelectors(
  trail: TrailState,
  selectors: { basic?: EventSelector[]; advanced?: AdvancedEventSelector[] },
): void {
  if ((selectors.basic === undefined) === (selectors.advanced === undefined)) {
    fail(
      "InvalidParameterCombinationException",
      "Specify either EventSelectors or AdvancedEventSelectors, not both or neither.",
    );
  }
  if (selectors.basic) {
    if (selectors.basic.length > MAX_BASIC_SELECTORS)
      fail("InvalidEventSelectorsException", "You can configure up to five event selectors for each trail.");
    trail.eventSelectors = selectors.basic.map((s) => ({
      ReadWriteType: s.ReadWriteType ?? "All",
      IncludeManagementEvents: s.IncludeManagementEvents ?? true,
      DataResources: structuredClone(s.DataResources ?? []),
      ExcludeManagementEventSources: [...(s.ExcludeManagementEventSources ?? [])],
    }));
    delete trail.advancedEventSelectors;
  } else {
    for (const s of selectors.advanced ?? []) {
      if (!s.FieldSelectors?.some((f) => f.Field === "eventCategory")) {
        fail(
          "InvalidEventSelectorsException",
          "Each advanced event selector must include an eventCategory field selector.",
        );
      }
    }
    trail.advancedEventSelectors = structuredClone(selectors.advanced ?? []);
    delete trail.eventSelectors;
  }
  trail.hasCustomEventSelectors = true;
}

function isArn(nameOrArn: string): boolean {
  return nameOrArn.startsWith("arn:");
}

/** A trail the caller may read from this region: its own by name, or any visible one by ARN. */
function readableTrail(ctx: CallContext, nameOrArn: string | undefined): TrailState {
  const key = required("cloudtrail", "TrailNotProvidedException", "Name", nameOrArn);
  const visible = visibleTrails(ctx.core, ctx.account.id, ctx.region);
  const found = isArn(key)
    ? visible.find((t) => t.arn === key)
    : visible.find((t) => t.name === key && t.accountId === ctx.account.id && t.homeRegion === ctx.region);
  return found ?? trailNotFound(ctx, key);
}

/** A trail the caller may change: its own, called in the trail's home region. */
function writableTrail(ctx: CallContext, nameOrArn: string | undefined): TrailState {
  const key = required("cloudtrail", "TrailNotProvidedException", "Name", nameOrArn);
  let trail: TrailState | undefined;
  if (isArn(key)) {
    const parsed = parseArn(key);
    if (parsed?.service !== "cloudtrail" || !parsed.resource.startsWith("trail/")) {
      fail("CloudTrailARNInvalidException", `Invalid trail ARN: ${key}`);
    }
    trail = ctx.core.accounts.get(parsed.accountId)?.trailByArn(key);
  } else {
    trail = visibleTrails(ctx.core, ctx.account.id, ctx.region).find(
      (t) => t.name === key && t.accountId === ctx.account.id,
    );
  }
  if (!trail) return trailNotFound(ctx, key);
  if (trail.accountId !== ctx.account.id) {
    fail(
      "NotOrganizationMasterAccountException",
      "Only the management account of the organization can change an organization trail.",
    );
  }
  if (trail.homeRegion !== ctx.region) {
    raise(
      "cloudtrail",
      "InvalidHomeRegionException",
      `This operation must be called from the trail's home region (${trail.homeRegion}).`,
    );
  }
  return trail;
}

export const cloudTrailHandlers: HandlerTable = {
  DescribeTrails: op<DescribeTrailsRequest>((ctx, input) => {
    const names = input.trailNameList ?? [];
    const includeShadow = input.includeShadowTrails ?? true;
    let trails: TrailState[];
    if (names.length === 0) {
      trails = includeShadow
        ? visibleTrails(ctx.core, ctx.account.id, ctx.region)
        : [...ctx.account.trails()].filter((t) => t.homeRegion === ctx.region);
    } else {
      const visible = visibleTrails(ctx.core, ctx.account.id, ctx.region);
      const own = [...ctx.account.trails()];
      trails = [];
      for (const key of names) {
        // Names reach only this region's own trails; ARNs reach the account's trails anywhere and shadows.
        const found = isArn(key)
          ? (own.find((t) => t.arn === key) ?? (includeShadow ? visible.find((t) => t.arn === key) : undefined))
          : own.find((t) => t.name === key && t.homeRegion === ctx.region);
        if (found && !trails.includes(found)) trails.push(found);
      }
    }
    return { trailList: sortByKey(trails, (t) => t.name).map(toTrail) };
  }),

  GetTrailStatus: op<GetTrailStatusRequest>((ctx, input) => {
    const trail = readableTrail(ctx, input.Name);
    const owner = ctx.core.accounts.get(trail.accountId);
    const groupName = trail.cloudWatchLogsLogGroupArn?.split(":log-group:")[1]?.replace(/:\*$/, "");
    const groupExists = groupName !== undefined && owner?.peekRegion(trail.homeRegion).logGroups.has(groupName);
    const lastLoggingTime = trail.isLogging ? ctx.core.clock.peek() : trail.stopLoggingTime;
    return {
      IsLogging: trail.isLogging,
      ...(trail.startLoggingTime
        ? { StartLoggingTime: trail.startLoggingTime, TimeLoggingStarted: trail.startLoggingTime.toISOString() }
        : {}),
      ...(trail.stopLoggingTime
        ? { StopLoggingTime: trail.stopLoggingTime, TimeLoggingStopped: trail.stopLoggingTime.toISOString() }
        : {}),
      ...(lastLoggingTime ? { LatestDeliveryTime: lastLoggingTime } : {}),
      ...(groupName !== undefined && lastLoggingTime
        ? groupExists
          ? { LatestCloudWatchLogsDeliveryTime: lastLoggingTime }
          : { LatestCloudWatchLogsDeliveryError: "ResourceNotFoundException: The specified log group does not exist." }
        : {}),
    };
  }),

  GetEventSelectors: op<GetEventSelectorsRequest>((ctx, input) => {
    const trail = readableTrail(ctx, input.TrailName);
    return {
      TrailARN: trail.arn,
      ...(trail.advancedEventSelectors
        ? { AdvancedEventSelectors: structuredClone(trail.advancedEventSelectors) }
        : { EventSelectors: structuredClone(trail.eventSelectors ?? []) }),
    };
  }),

  CreateTrail: op<CreateTrailRequest>(({ core, account, region }, input) => {
    return toWriteResponse(createTrail(core, account, region, input));
  }),

  UpdateTrail: op<UpdateTrailRequest>((ctx, input) => {
    const trail = writableTrail(ctx, input.Name);
    if (input.IsOrganizationTrail && ctx.account.id !== ctx.core.managementAccountId) {
      fail(
        "NotOrganizationMasterAccountException",
        "The request must be made from the management account of the organization.",
      );
    }
    if (input.S3BucketName !== undefined) trail.s3BucketName = input.S3BucketName;
    if (input.S3KeyPrefix !== undefined) trail.s3KeyPrefix = input.S3KeyPrefix;
    if (input.SnsTopicName !== undefined) trail.snsTopicName = input.SnsTopicName;
    if (input.IncludeGlobalServiceEvents !== undefined)
      trail.includeGlobalServiceEvents = input.IncludeGlobalServiceEvents;
    if (input.IsMultiRegionTrail !== undefined) trail.isMultiRegionTrail = input.IsMultiRegionTrail;
    if (input.EnableLogFileValidation !== undefined) trail.logFileValidationEnabled = input.EnableLogFileValidation;
    if (input.KmsKeyId !== undefined) trail.kmsKeyId = input.KmsKeyId;
    if (input.IsOrganizationTrail !== undefined) trail.isOrganizationTrail = input.IsOrganizationTrail;
    if (input.CloudWatchLogsLogGroupArn !== undefined || input.CloudWatchLogsRoleArn !== undefined) {
      const delivery = checkLogDelivery(
        ctx.account,
        trail.homeRegion,
        input.CloudWatchLogsLogGroupArn ?? trail.cloudWatchLogsLogGroupArn,
        input.CloudWatchLogsRoleArn ?? trail.cloudWatchLogsRoleArn,
      );
      if (delivery.groupArn === undefined) delete trail.cloudWatchLogsLogGroupArn;
      else trail.cloudWatchLogsLogGroupArn = delivery.groupArn;
      if (delivery.roleArn === undefined) delete trail.cloudWatchLogsRoleArn;
      else trail.cloudWatchLogsRoleArn = delivery.roleArn;
    }
    if (trail.isMultiRegionTrail && !trail.includeGlobalServiceEvents) {
      fail("InvalidParameterCombinationException", "Multi-Region trail must include global service events.");
    }
    return toWriteResponse(trail);
  }),

  DeleteTrail: op<DeleteTrailRequest>((ctx, input) => {
    const trail = writableTrail(ctx, input.Name);
    ctx.account.deleteTrail(trail.arn);
    return {};
  }),

  StartLogging: op<StartLoggingRequest>((ctx, input) => {
    setLogging(ctx.core, writableTrail(ctx, input.Name), true);
    return {};
  }),

  StopLogging: op<StopLoggingRequest>((ctx, input) => {
    setLogging(ctx.core, writableTrail(ctx, input.Name), false);
    return {};
  }),

  PutEventSelectors: op<PutEventSelectorsRequest>((ctx, input) => {
    const trail = writableTrail(ctx, input.TrailName);
    putEventSelectors(trail, {
      ...(input.EventSelectors ? { basic: input.EventSelectors } : {}),
      ...(input.AdvancedEventSelectors ? { advanced: input.AdvancedEventSelectors } : {}),
    });
    return {
      TrailARN: trail.arn,
      ...(trail.advancedEventSelectors
        ? { AdvancedEventSelectors: structuredClone(trail.advancedEventSelectors) }
        : { EventSelectors: structuredClone(trail.eventSelectors ?? []) }),
    };
  }),
};
