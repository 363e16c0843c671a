/**
 * CloudWatch alarm state through the API: SetAlarmState (a state change with its history item
 * and actions, until the next evaluation says otherwise) and DescribeAlarmHistory (two weeks
 * of history, kept after the alarm is deleted, as CloudWatch does).
 */
import type { DescribeAlarmHistoryInput, SetAlarmStateInput } from "@aws-sdk/client-cloudwatch";
import { changeAlarmState } from "../chain/alarm-transitions.ts";
import { type HandlerTable, op, pageSize, raise, required } from "./handler.ts";

/** "CloudWatch preserves alarm history for two weeks." */
const RETENTION_MS = 14 * 24 * 3600_000;
const STATES = new Set(["OK", "ALARM", "INSUFFICIENT_DATA"]);
const ITEM_TYPES = new Set([
  "ConfigurationUpdate",
  "StateUpdate",
  "Action",
  "AlarmContributorStateUpdate",
  "AlarmContributorAction",
]);
const TOKEN_PREFIX = "simah1:";

function fail(name: string, message: string, status = 400): never {
  return raise("cloudwatch", name, message, status);
}

export const cloudWatchAlarmStateHandlers: HandlerTable = {
  SetAlarmState: op<SetAlarmStateInput>((ctx, input) => {
    const name = required("cloudwatch", "MissingRequiredParameterException", "AlarmName", input.AlarmName);
    const state = required("cloudwatch", "MissingRequiredParameterException", "StateValue", input.StateValue);
    const reason = required("cloudwatch", "MissingRequiredParameterException", "StateReason", input.StateReason);
    if (!STATES.has(state)) fail("InvalidParameterValueException", `Invalid StateValue: ${state}`);
    let reasonData: Record<string, unknown> | undefined;
    if (input.StateReasonData !== undefined) {
      try {
        reasonData = JSON.parse(input.StateReasonData) as Record<string, unknown>;
      } catch {
        fail("InvalidFormat", "StateReasonData is not valid JSON.");
      }
    }
    const alarm = ctx.account.peekRegion(ctx.region).alarms.get(name);
    if (!alarm) fail("ResourceNotFound", `Alarm ${name} not found`, 404);
    changeAlarmState(ctx.core, ctx.account.id, ctx.region, alarm, {
      state,
      reason,
      ...(reasonData ? { reasonData } : {}),
      at: ctx.core.clock.nowMs(),
    });
    return {};
  }),

  DescribeAlarmHistory: op<DescribeAlarmHistoryInput>((ctx, input) => {
    const limit = pageSize("cloudwatch", "InvalidParameterValueException", "MaxRecords", input.MaxRecords, 100, 50);
    if (input.HistoryItemType !== undefined && !ITEM_TYPES.has(input.HistoryItemType)) {
      fail("InvalidParameterValueException", `Invalid HistoryItemType: ${input.HistoryItemType}`);
    }
    const types = new Set<string>(input.AlarmTypes ?? ["MetricAlarm"]);
    const descending = (input.ScanBy ?? "TimestampDescending") === "TimestampDescending";
    const oldest = Math.max(input.StartDate?.getTime() ?? -Infinity, ctx.core.clock.nowMs() - RETENTION_MS);
    const newest = input.EndDate?.getTime() ?? Infinity;
    let after: number | undefined;
    if (input.NextToken !== undefined) {
      const m = input.NextToken.startsWith(TOKEN_PREFIX)
        ? /^\d+$/.exec(input.NextToken.slice(TOKEN_PREFIX.length))
        : null;
      if (!m) fail("InvalidNextToken", "The service returned an error: invalid next token");
      after = Number(m[0]);
    }
    // Items are appended in time order, so an item's index orders it; the token carries the last index.
    const all = ctx.core.data.peekAlarmHistory(ctx.account.id, ctx.region);
    const indexes: number[] = [];
    for (let i = 0; i < all.length; i++) {
      const item = all[i];
      const at = item?.Timestamp?.getTime() ?? 0;
      if (
        item &&
        at >= oldest &&
        at <= newest &&
        (input.AlarmName === undefined || item.AlarmName === input.AlarmName) &&
        (input.HistoryItemType === undefined || item.HistoryItemType === input.HistoryItemType) &&
        types.has(item.AlarmType ?? "MetricAlarm")
      ) {
        indexes.push(i);
      }
    }
    if (descending) indexes.reverse();
    const start = after === undefined ? 0 : indexes.findIndex((i) => (descending ? i < after : i > after));
    const page = start < 0 ? [] : indexes.slice(start, start + limit);
    const more = start >= 0 && start + limit < indexes.length;
    return {
      AlarmHistoryItems: structuredClone(page.map((i) => all[i])),
      ...(more ? { NextToken: `${TOKEN_PREFIX}${page[page.length - 1]}` } : {}),
    };
  }),
};
