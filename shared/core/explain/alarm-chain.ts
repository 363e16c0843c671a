/**
 * Which of a log group's metric filters feed an alarm, and whether the alarm is one explain
 * speaks for: tripwire's own alarm (its name, on tripwire's metric), or an alarm on the metric
 * of a filter that covers the control (judgeCoverage: COVERS). A filter feeds the alarm when one
 * of its metric transformations publishes the alarm's metric (namespace and name) with the same
 * dimension names; the dimension values are compared event by event (event-groups.ts).
 */
import type { AlarmNotification } from "../alarm-notification.ts";
import { judgeCoverage } from "../filter-pattern/index.ts";
import type { MetricFilterObservation } from "../model.ts";
import { ownAlarmName, ownMetric } from "../naming.ts";
import { ExplainRefusedError } from "./errors.ts";
import type { FeedingFilter } from "./event-groups.ts";

export interface AlarmMetric {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

export function filtersFeeding(filters: readonly MetricFilterObservation[], metric: AlarmMetric): FeedingFilter[] {
  const wanted = Object.keys(metric.dimensions).sort().join("\u0000");
  const out: FeedingFilter[] = [];
  for (const f of filters) {
    for (const m of f.metrics) {
      if (m.namespace !== metric.namespace || m.name !== metric.name) continue;
      if (
        Object.keys(m.dimensions ?? {})
          .sort()
          .join("\u0000") !== wanted
      )
        continue;
      out.push({
        name: f.name,
        pattern: f.pattern,
        metricValue: m.value,
        ...(m.dimensions ? { dimensions: m.dimensions } : {}),
      });
    }
  }
  return out;
}

export function coversControl(pattern: string): boolean {
  return judgeCoverage(pattern).classification === "COVERS";
}

export function isOwnAlarm(alarm: Pick<AlarmNotification, "alarmName" | "trigger">, prefix: string): boolean {
  const own = ownMetric(prefix);
  return (
    alarm.alarmName === ownAlarmName(prefix) &&
    alarm.trigger.namespace === own.namespace &&
    alarm.trigger.metricName === own.name
  );
}

/**
 * Refuses an alarm explain does not speak for; `logGroup` names where the filters were read.
 *
 * @throws ExplainRefusedError ("not-covering").
 */
export function assertExplainable(
  alarm: Pick<AlarmNotification, "alarmName" | "accountId" | "trigger">,
  feeding: readonly FeedingFilter[],
  logGroups: readonly string[],
  prefix: string,
): void {
  const where = logGroups.length === 0 ? "no trail log group" : `log group ${logGroups.join(", ")}`;
  const metric = `${alarm.trigger.namespace}/${alarm.trigger.metricName}`;
  if (feeding.length === 0) {
    throw new ExplainRefusedError(
      "not-covering",
      `alarm ${alarm.alarmName} is not on a covering filter's metric: no filter on ${where} of account ${alarm.accountId} feeds ${metric}`,
    );
  }
  if (!isOwnAlarm(alarm, prefix) && !feeding.some((f) => coversControl(f.pattern))) {
    throw new ExplainRefusedError(
      "not-covering",
      `alarm ${alarm.alarmName} is neither tripwire's nor on a covering filter's metric: the filters feeding ${metric} on ${where} (${feeding.map((f) => f.name).join(", ")}) do not catch unauthorized calls as the control asks`,
    );
  }
}
