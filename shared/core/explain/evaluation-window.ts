/**
 * The time span whose log events explain an alarm's state change.
 *
 * The Trigger's Period × EvaluationPeriods ending at StateChangeTime is too short: CloudTrail
 * delivers an event to the log group "within an average of about 5 minutes", the filter's
 * datapoint carries the event's own time, and the alarm counts a late datapoint while it is in
 * its evaluation range. So the window is, in this order:
 *  1. the periods of the datapoints the state reason names ("Threshold Crossed: 1 datapoint
 *     [1.0 (01/01/25 00:05:00)] ..."): from the earliest one's start to the end of the latest
 *     one's period. These are exactly the periods the alarm judged;
 *  2. otherwise (SetAlarmState, a reason without datapoints): Period × (EvaluationPeriods + 2)
 *     ending at StateChangeTime, the evaluation range the simulation models (AWS gives no
 *     formula; its worked example has 3 periods and a range of 5), which takes in events
 *     delivered up to two periods late.
 * FilterLogEvents' startTime and endTime are both inclusive, so the end is the last millisecond.
 */
import type { AlarmNotification } from "../alarm-notification.ts";

export interface EvaluationWindow {
  readonly start: Date;
  readonly end: Date;
  /** What the window was chosen from, in words. */
  readonly basis: string;
}

/** Periods beyond EvaluationPeriods in the fallback window. */
export const LATE_DELIVERY_PERIODS = 2;

export function evaluationWindow(alarm: AlarmNotification): EvaluationWindow {
  const periodMs = alarm.trigger.period * 1000;
  const named = alarm.reasonDatapoints;
  const first = named[0];
  const last = named.at(-1);
  if (first && last) {
    const count = named.length;
    return {
      start: first,
      end: new Date(last.getTime() + periodMs - 1),
      basis: `the ${count === 1 ? "period of the datapoint" : `periods of the ${count} datapoints`} the state reason names, ${alarm.trigger.period} s each`,
    };
  }
  const periods = alarm.trigger.evaluationPeriods + LATE_DELIVERY_PERIODS;
  const end = alarm.stateChangeTime;
  return {
    start: new Date(end.getTime() - periods * periodMs),
    end,
    basis: `${alarm.trigger.period} s × (${alarm.trigger.evaluationPeriods} evaluation period${alarm.trigger.evaluationPeriods === 1 ? "" : "s"} + ${LATE_DELIVERY_PERIODS} for late delivery) ending at the state change: the state reason names no datapoint`,
  };
}
