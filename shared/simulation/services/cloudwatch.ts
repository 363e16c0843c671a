/** CloudWatch alarms, per account and region. */
import type {
  DeleteAlarmsInput,
  DescribeAlarmsForMetricInput,
  DescribeAlarmsInput,
  Dimension,
  DisableAlarmActionsInput,
  EnableAlarmActionsInput,
  ListTagsForResourceInput,
  MetricAlarm,
  PutMetricAlarmInput,
  TagResourceInput,
} from "@aws-sdk/client-cloudwatch";
import { parseArn } from "../../core/arn.ts";
import { InvalidTokenError, pageByKey, sortByKey } from "../pagination.ts";
import { type AccountState, type AlarmState, alarmArn, type SimulationCore } from "../state.ts";
import { type CallContext, type HandlerTable, op, pageSize, raise, required, tagsToRecord } from "./handler.ts";

function fail(name: string, message: string, status = 400): never {
  return raise("cloudwatch", name, message, status);
}

const COMPARISONS = new Set([
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
  "LessThanLowerOrGreaterThanUpperThreshold",
  "LessThanLowerThreshold",
  "GreaterThanUpperThreshold",
]);
const STATISTICS = new Set(["SampleCount", "Average", "Sum", "Minimum", "Maximum"]);
const TREAT_MISSING = new Set(["breaching", "notBreaching", "ignore", "missing"]);

/** Create or overwrite an alarm. As on AWS, tags apply on create only and an update keeps the state. */
export function putMetricAlarm(
  core: SimulationCore,
  account: AccountState,
  region: string,
  input: PutMetricAlarmInput,
): MetricAlarm {
  const name = required("cloudwatch", "MissingRequiredParameterException", "AlarmName", input.AlarmName);
  const evaluationPeriods = required(
    "cloudwatch",
    "MissingRequiredParameterException",
    "EvaluationPeriods",
    input.EvaluationPeriods,
  );
  const comparison = required(
    "cloudwatch",
    "MissingRequiredParameterException",
    "ComparisonOperator",
    input.ComparisonOperator,
  );
  if (!COMPARISONS.has(comparison)) fail("InvalidParameterValueException", `Invalid ComparisonOperator: ${comparison}`);
  if (input.Metrics === undefined) {
    if (!input.MetricName || !input.Namespace)
      fail(
        "InvalidParameterCombinationException",
        "MetricName and Namespace are required when Metrics is not specified.",
      );
    if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined)) {
      fail("InvalidParameterCombinationException", "Exactly one of Statistic or ExtendedStatistic must be specified.");
    }
    if (input.Statistic !== undefined && !STATISTICS.has(input.Statistic))
      fail("InvalidParameterValueException", `Invalid Statistic: ${input.Statistic}`);
    const period = input.Period ?? fail("MissingRequiredParameterException", "Period is required.");
    if (!(period === 10 || period === 20 || period === 30 || (period >= 60 && period % 60 === 0))) {
      fail("InvalidParameterValueException", "Period must be 10, 20, 30 or a multiple of 60.");
    }
  }
  if (input.Threshold === undefined && input.ThresholdMetricId === undefined) {
    fail("InvalidParameterCombinationException", "Threshold is required.");
  }
  if (input.DatapointsToAlarm !== undefined && input.DatapointsToAlarm > evaluationPeriods) {
    fail("InvalidParameterValueException", "DatapointsToAlarm must be less than or equal to EvaluationPeriods.");
  }
  if (input.TreatMissingData !== undefined && !TREAT_MISSING.has(input.TreatMissingData)) {
    fail("InvalidParameterValueException", `Invalid TreatMissingData: ${input.TreatMissingData}`);
  }

  const alarms = account.region(region).alarms;
  const existing = alarms.get(name);
  const now = core.clock.tick();
  const alarm: MetricAlarm = {
    AlarmName: name,
    AlarmArn: alarmArn(core.partition, region, account.id, name),
    ...(input.AlarmDescription === undefined ? {} : { AlarmDescription: input.AlarmDescription }),
    AlarmConfigurationUpdatedTimestamp: now,
    ActionsEnabled: input.ActionsEnabled ?? true,
    OKActions: [...(input.OKActions ?? [])],
    AlarmActions: [...(input.AlarmActions ?? [])],
    InsufficientDataActions: [...(input.InsufficientDataActions ?? [])],
    StateValue: existing?.alarm.StateValue ?? "INSUFFICIENT_DATA",
    StateReason: existing?.alarm.StateReason ?? "Unchecked: Initial alarm creation",
    StateUpdatedTimestamp: existing?.alarm.StateUpdatedTimestamp ?? now,
    ...(input.MetricName === undefined ? {} : { MetricName: input.MetricName }),
    ...(input.Namespace === undefined ? {} : { Namespace: input.Namespace }),
    ...(input.Statistic === undefined ? {} : { Statistic: input.Statistic }),
    ...(input.ExtendedStatistic === undefined ? {} : { ExtendedStatistic: input.ExtendedStatistic }),
    Dimensions: structuredClone(input.Dimensions ?? []),
    ...(input.Period === undefined ? {} : { Period: input.Period }),
    ...(input.Unit === undefined ? {} : { Unit: input.Unit }),
    EvaluationPeriods: evaluationPeriods,
    ...(input.DatapointsToAlarm === undefined ? {} : { DatapointsToAlarm: input.DatapointsToAlarm }),
    ...(input.Threshold === undefined ? {} : { Threshold: input.Threshold }),
    ComparisonOperator: comparison,
    ...(input.TreatMissingData === undefined ? {} : { TreatMissingData: input.TreatMissingData }),
    ...(input.Metrics === undefined ? {} : { Metrics: structuredClone(input.Metrics) }),
    ...(input.ThresholdMetricId === undefined ? {} : { ThresholdMetricId: input.ThresholdMetricId }),
    StateTransitionedTimestamp: existing?.alarm.StateTransitionedTimestamp ?? now,
  };
  const tags = existing?.tags ?? new Map((input.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
  alarms.set(name, { alarm, tags });
  core.live?.alarmConfigured(account.id, region, alarm, existing === undefined);
  return alarm;
}

function sameDimensions(a: readonly Dimension[] | undefined, b: readonly Dimension[] | undefined): boolean {
  const key = (ds: readonly Dimension[] | undefined) =>
    sortByKey(ds ?? [], (d) => d.Name ?? "")
      .map((d) => `${d.Name}=${d.Value}`)
      .join("\u0000");
  return key(a) === key(b);
}

/** The alarm named by an ARN in the caller's account and region, or ResourceNotFoundException. */
function alarmByArn(ctx: CallContext, arn: string | undefined): AlarmState {
  const parsed = parseArn(required("cloudwatch", "MissingRequiredParameterException", "ResourceARN", arn));
  const name = parsed?.resource.startsWith("alarm:") ? parsed.resource.slice("alarm:".length) : undefined;
  const found =
    parsed && name && parsed.accountId === ctx.account.id && parsed.region === ctx.region
      ? ctx.account.peekRegion(ctx.region).alarms.get(name)
      : undefined;
  return found ?? fail("ResourceNotFoundException", `${arn} not found`, 404);
}

function setActionsEnabled(ctx: CallContext, names: string[] | undefined, enabled: boolean): object {
  const alarms = ctx.account.peekRegion(ctx.region).alarms;
  // Names that do not exist are ignored, as the service does.
  for (const name of names ?? []) {
    const state = alarms.get(name);
    if (state) state.alarm.ActionsEnabled = enabled;
  }
  return {};
}

export const cloudWatchHandlers: HandlerTable = {
  PutMetricAlarm: op<PutMetricAlarmInput>(({ core, account, region }, input) => {
    putMetricAlarm(core, account, region, input);
    return {};
  }),

  DescribeAlarms: op<DescribeAlarmsInput>(({ account, region }, input) => {
    const limit = pageSize("cloudwatch", "InvalidParameterValueException", "MaxRecords", input.MaxRecords, 100, 50);
    if (input.AlarmNames !== undefined && input.AlarmNamePrefix !== undefined) {
      fail("InvalidParameterCombinationException", "AlarmNames and AlarmNamePrefix cannot be specified together.");
    }
    if (input.AlarmNames !== undefined && input.AlarmNames.length > 100) {
      fail("InvalidParameterValueException", "AlarmNames must have at most 100 members.");
    }
    const types = input.AlarmTypes ?? ["MetricAlarm"];
    const names = input.AlarmNames === undefined ? undefined : new Set(input.AlarmNames);
    const alarms = types.includes("MetricAlarm")
      ? sortByKey(
          [...account.peekRegion(region).alarms.values()]
            .map((s) => s.alarm)
            .filter(
              (a) =>
                (names === undefined || names.has(a.AlarmName ?? "")) &&
                (input.AlarmNamePrefix === undefined || a.AlarmName?.startsWith(input.AlarmNamePrefix)) &&
                (input.StateValue === undefined || a.StateValue === input.StateValue) &&
                (input.ActionPrefix === undefined ||
                  [...(a.AlarmActions ?? []), ...(a.OKActions ?? []), ...(a.InsufficientDataActions ?? [])].some((x) =>
                    x.startsWith(input.ActionPrefix ?? ""),
                  )),
            ),
          (a) => a.AlarmName ?? "",
        )
      : [];
    let page: ReturnType<typeof pageByKey<MetricAlarm>>;
    try {
      page = pageByKey(alarms, (a) => a.AlarmName ?? "", limit, input.NextToken);
    } catch (error) {
      if (error instanceof InvalidTokenError)
        fail("InvalidNextToken", "The service returned an error: invalid next token");
      throw error;
    }
    return { MetricAlarms: structuredClone(page.items), CompositeAlarms: [], NextToken: page.nextToken };
  }),

  DescribeAlarmsForMetric: op<DescribeAlarmsForMetricInput>(({ account, region }, input) => {
    const metricName = required("cloudwatch", "MissingRequiredParameterException", "MetricName", input.MetricName);
    const namespace = required("cloudwatch", "MissingRequiredParameterException", "Namespace", input.Namespace);
    const alarms = sortByKey(
      [...account.peekRegion(region).alarms.values()]
        .map((s) => s.alarm)
        .filter(
          (a) =>
            a.MetricName === metricName &&
            a.Namespace === namespace &&
            (input.Statistic === undefined || a.Statistic === input.Statistic) &&
            (input.ExtendedStatistic === undefined || a.ExtendedStatistic === input.ExtendedStatistic) &&
            (input.Period === undefined || a.Period === input.Period) &&
            (input.Unit === undefined || a.Unit === input.Unit) &&
            // A metric is identified by its dimensions too: none given means the metric without any.
            sameDimensions(a.Dimensions, input.Dimensions),
        ),
      (a) => a.AlarmName ?? "",
    );
    return { MetricAlarms: structuredClone(alarms) };
  }),

  DeleteAlarms: op<DeleteAlarmsInput>(({ account, region }, input) => {
    const names = input.AlarmNames ?? [];
    if (names.length > 100) fail("InvalidParameterValueException", "AlarmNames must have at most 100 members.");
    const alarms = account.peekRegion(region).alarms;
    const missing = names.filter((n) => !alarms.has(n));
    if (missing.length > 0) fail("ResourceNotFound", `${missing.join(", ")} not found`, 404);
    for (const name of names) alarms.delete(name);
    return {};
  }),

  EnableAlarmActions: op<EnableAlarmActionsInput>((ctx, input) => setActionsEnabled(ctx, input.AlarmNames, true)),
  DisableAlarmActions: op<DisableAlarmActionsInput>((ctx, input) => setActionsEnabled(ctx, input.AlarmNames, false)),

  ListTagsForResource: op<ListTagsForResourceInput>((ctx, input) => {
    const state = alarmByArn(ctx, input.ResourceARN);
    return { Tags: Object.entries(tagsToRecord(state.tags)).map(([Key, Value]) => ({ Key, Value })) };
  }),

  TagResource: op<TagResourceInput>((ctx, input) => {
    const state = alarmByArn(ctx, input.ResourceARN);
    for (const t of input.Tags ?? []) state.tags.set(t.Key ?? "", t.Value ?? "");
    return {};
  }),
};
