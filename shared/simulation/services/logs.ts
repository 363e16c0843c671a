/** CloudWatch Logs: log groups and their metric filters, per account and region. */
import type {
  CreateLogGroupRequest,
  DeleteLogGroupRequest,
  DeleteMetricFilterRequest,
  DescribeLogGroupsRequest,
  DescribeMetricFiltersRequest,
  LogGroup,
  MetricFilter,
  PutMetricFilterRequest,
} from "@aws-sdk/client-cloudwatch-logs";
import { InvalidTokenError, pageByKey, sortByKey } from "../pagination.ts";
import { type AccountState, type LogGroupState, logGroupArn, type SimulationCore } from "../state.ts";
import { type HandlerTable, op, pageSize, raise, required } from "./handler.ts";

/** Metric filters per log group (a hard quota). */
export const MAX_FILTERS_PER_LOG_GROUP = 100;
export const MAX_FILTER_PATTERN_LENGTH = 1024;
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const FILTER_NAME = /^[^:*]{1,512}$/;

function fail(name: string, message: string): never {
  return raise("logs", name, message);
}
function invalid(message: string): never {
  return fail("InvalidParameterException", message);
}
function noGroup(): never {
  return fail("ResourceNotFoundException", "The specified log group does not exist.");
}

function page<T>(items: readonly T[], keyOf: (t: T) => string, limit: number, token: string | undefined) {
  try {
    return pageByKey(items, keyOf, limit, token);
  } catch (error) {
    if (error instanceof InvalidTokenError) invalid("The specified nextToken is invalid.");
    throw error;
  }
}

export function createLogGroup(
  core: SimulationCore,
  account: AccountState,
  region: string,
  name: string,
  tags: Record<string, string> = {},
  retentionInDays?: number,
): LogGroupState {
  if (!LOG_GROUP_NAME.test(name))
    invalid(`1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint`);
  const groups = account.region(region).logGroups;
  if (groups.has(name)) fail("ResourceAlreadyExistsException", "The specified log group already exists");
  const group: LogGroupState = {
    name,
    creationTime: core.clock.tick().getTime(),
    filters: new Map(),
    tags: new Map(Object.entries(tags)),
    ...(retentionInDays === undefined ? {} : { retentionInDays }),
  };
  groups.set(name, group);
  return group;
}

/** Create or overwrite (by name) a metric filter, with the service's checks and quota. */
export function putMetricFilter(
  core: SimulationCore,
  account: AccountState,
  region: string,
  input: PutMetricFilterRequest,
): MetricFilter {
  const logGroupName = required("logs", "InvalidParameterException", "logGroupName", input.logGroupName);
  const filterName = required("logs", "InvalidParameterException", "filterName", input.filterName);
  const filterPattern = input.filterPattern ?? invalid("filterPattern is required");
  const transformations = input.metricTransformations ?? [];
  if (!FILTER_NAME.test(filterName))
    invalid(`1 validation error detected: Value '${filterName}' at 'filterName' failed to satisfy constraint`);
  if (filterPattern.length > MAX_FILTER_PATTERN_LENGTH) {
    invalid(
      `1 validation error detected: Value at 'filterPattern' failed to satisfy constraint: Member must have length less than or equal to ${MAX_FILTER_PATTERN_LENGTH}`,
    );
  }
  if (transformations.length !== 1) invalid("metricTransformations must contain exactly 1 item");
  for (const t of transformations) {
    if (!t.metricName || !t.metricNamespace || !t.metricValue)
      invalid("metricName, metricNamespace and metricValue are required");
    if (t.defaultValue !== undefined && t.dimensions && Object.keys(t.dimensions).length > 0) {
      invalid("Metric filters with dimensions cannot have a default value");
    }
  }
  const patternProblem = core.validateFilterPattern?.(filterPattern);
  if (patternProblem) invalid(`Invalid metric filter pattern: ${patternProblem}`);
  const group = account.peekRegion(region).logGroups.get(logGroupName) ?? noGroup();
  if (!group.filters.has(filterName) && group.filters.size >= MAX_FILTERS_PER_LOG_GROUP) {
    fail("LimitExceededException", "Resource limit exceeded.");
  }
  const filter: MetricFilter = {
    filterName,
    filterPattern,
    metricTransformations: structuredClone(transformations),
    creationTime: core.clock.tick().getTime(),
    logGroupName,
    ...(input.applyOnTransformedLogs === undefined ? {} : { applyOnTransformedLogs: input.applyOnTransformedLogs }),
  };
  group.filters.set(filterName, filter);
  return filter;
}

function toLogGroup(core: SimulationCore, accountId: string, region: string, g: LogGroupState): LogGroup {
  const arn = logGroupArn(core.partition, region, accountId, g.name);
  return {
    logGroupName: g.name,
    creationTime: g.creationTime,
    ...(g.retentionInDays === undefined ? {} : { retentionInDays: g.retentionInDays }),
    metricFilterCount: g.filters.size,
    arn,
    logGroupArn: arn.slice(0, -2),
    storedBytes: 0,
    logGroupClass: "STANDARD",
  };
}

export const logsHandlers: HandlerTable = {
  CreateLogGroup: op<CreateLogGroupRequest>(({ core, account, region }, input) => {
    createLogGroup(
      core,
      account,
      region,
      required("logs", "InvalidParameterException", "logGroupName", input.logGroupName),
      input.tags,
    );
    return {};
  }),

  DeleteLogGroup: op<DeleteLogGroupRequest>(({ account, region }, input) => {
    const name = required("logs", "InvalidParameterException", "logGroupName", input.logGroupName);
    if (!account.peekRegion(region).logGroups.delete(name)) noGroup();
    return {};
  }),

  DescribeLogGroups: op<DescribeLogGroupsRequest>(({ core, account, region }, input) => {
    const limit = pageSize("logs", "InvalidParameterException", "limit", input.limit, 50);
    const { logGroupNamePrefix: prefix, logGroupNamePattern: pattern } = input;
    if (prefix !== undefined && pattern !== undefined)
      invalid("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
    const lowerPattern = pattern?.toLowerCase();
    const groups = sortByKey(
      [...account.peekRegion(region).logGroups.values()].filter(
        (g) =>
          (prefix === undefined || g.name.startsWith(prefix)) &&
          (lowerPattern === undefined || g.name.toLowerCase().includes(lowerPattern)),
      ),
      (g) => g.name,
    );
    const { items, nextToken } = page(groups, (g) => g.name, limit, input.nextToken);
    return { logGroups: items.map((g) => toLogGroup(core, account.id, region, g)), nextToken };
  }),

  PutMetricFilter: op<PutMetricFilterRequest>(({ core, account, region }, input) => {
    putMetricFilter(core, account, region, input);
    return {};
  }),

  DeleteMetricFilter: op<DeleteMetricFilterRequest>(({ account, region }, input) => {
    const groupName = required("logs", "InvalidParameterException", "logGroupName", input.logGroupName);
    const filterName = required("logs", "InvalidParameterException", "filterName", input.filterName);
    const group = account.peekRegion(region).logGroups.get(groupName) ?? noGroup();
    if (!group.filters.delete(filterName))
      fail("ResourceNotFoundException", "The specified metric filter does not exist.");
    return {};
  }),

  DescribeMetricFilters: op<DescribeMetricFiltersRequest>(({ account, region }, input) => {
    const limit = pageSize("logs", "InvalidParameterException", "limit", input.limit, 50);
    const { logGroupName, filterNamePrefix, metricName, metricNamespace } = input;
    if (filterNamePrefix !== undefined && logGroupName === undefined) {
      invalid("logGroupName is required when filterNamePrefix is specified");
    }
    if ((metricName === undefined) !== (metricNamespace === undefined)) {
      invalid("metricName and metricNamespace must be specified together");
    }
    const state = account.peekRegion(region);
    let groups: LogGroupState[];
    if (logGroupName !== undefined) {
      groups = [state.logGroups.get(logGroupName) ?? noGroup()];
    } else {
      groups = sortByKey(state.logGroups.values(), (g) => g.name);
    }
    const filters: MetricFilter[] = [];
    for (const group of groups) {
      for (const f of sortByKey(group.filters.values(), (f) => f.filterName ?? "")) {
        if (filterNamePrefix !== undefined && !f.filterName?.startsWith(filterNamePrefix)) continue;
        if (
          metricName !== undefined &&
          !f.metricTransformations?.some((t) => t.metricName === metricName && t.metricNamespace === metricNamespace)
        ) {
          continue;
        }
        filters.push(f);
      }
    }
    // The key orders by group, then filter name, matching the listing order above.
    const { items, nextToken } = page(filters, (f) => `${f.logGroupName}\u0000${f.filterName}`, limit, input.nextToken);
    return { metricFilters: structuredClone(items), nextToken };
  }),
};
