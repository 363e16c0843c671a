/**
 * Whether a trail captures a management event: it is logging, it takes global service events
 * when the event is one, and its event selectors include the event. Basic selectors: any
 * selector with management events and a ReadWriteType that admits the event (and the event
 * source not excluded). Advanced selectors: any selector whose field selectors all hold; a
 * field the simulation does not know (resources.ARN, resources.type, ...) never holds, so data
 * event selectors capture no management event.
 */
import type { AdvancedFieldSelector } from "@aws-sdk/client-cloudtrail";
import { defaultEventSelectors } from "../services/cloudtrail.ts";
import type { TrailState } from "../state.ts";
import type { RecordFacts } from "./cloudtrail-record.ts";

function fieldValue(facts: RecordFacts, field: string): string | undefined {
  switch (field) {
    case "eventCategory":
      return "Management";
    case "readOnly":
      return String(facts.readOnly);
    case "eventSource":
      return facts.eventSource;
    case "eventName":
      return facts.eventName;
    case "eventType":
      return "AwsApiCall";
    case "errorCode":
      return facts.errorCode;
    case "userIdentity.arn":
      return facts.userIdentityArn;
    default:
      return undefined;
  }
}

function fieldHolds(selector: AdvancedFieldSelector, facts: RecordFacts): boolean {
  const value = fieldValue(facts, selector.Field ?? "");
  const any = (list: string[] | undefined, test: (v: string, x: string) => boolean) =>
    list === undefined || (value !== undefined && list.some((x) => test(value, x)));
  const none = (list: string[] | undefined, test: (v: string, x: string) => boolean) =>
    list === undefined || (value !== undefined && !list.some((x) => test(value, x)));
  return (
    any(selector.Equals, (v, x) => v === x) &&
    any(selector.StartsWith, (v, x) => v.startsWith(x)) &&
    any(selector.EndsWith, (v, x) => v.endsWith(x)) &&
    none(selector.NotEquals, (v, x) => v === x) &&
    none(selector.NotStartsWith, (v, x) => v.startsWith(x)) &&
    none(selector.NotEndsWith, (v, x) => v.endsWith(x))
  );
}

export function trailCaptures(trail: TrailState, facts: RecordFacts): boolean {
  if (!trail.isLogging) return false;
  if (facts.global && !trail.includeGlobalServiceEvents) return false;
  if (trail.advancedEventSelectors) {
    return trail.advancedEventSelectors.some((s) => (s.FieldSelectors ?? []).every((f) => fieldHolds(f, facts)));
  }
  return (trail.eventSelectors ?? defaultEventSelectors()).some(
    (s) =>
      s.IncludeManagementEvents !== false &&
      (s.ReadWriteType === undefined ||
        s.ReadWriteType === "All" ||
        (s.ReadWriteType === "ReadOnly" && facts.readOnly) ||
        (s.ReadWriteType === "WriteOnly" && !facts.readOnly)) &&
      !(s.ExcludeManagementEventSources ?? []).includes(facts.eventSource),
  );
}
