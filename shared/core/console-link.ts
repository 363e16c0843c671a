/**
 * A link to a log group's events in the CloudWatch console, filtered and limited to a time
 * span. AWS documents no format for console URLs; this is the one the console itself writes
 * and public code agrees on (docs/explain.md):
 *
 *   https://<region>.console.aws.amazon.com/cloudwatch/home?region=<region>#logsV2:log-groups/log-group/<G>/log-events$3FfilterPattern$3D<P>$26start$3D<ms>$26end$3D<ms>
 *
 * The fragment is encoded twice: each value is percent-encoded (encodeURIComponent, plus
 * `!'()*`), then every `%` becomes `$25`; the fragment's own `?`, `=` and `&` are written once,
 * as `$3F`, `$3D` and `$26`. So `/aws/trail` is `$252Faws$252Ftrail`.
 */

/** Percent-encoding, then `%` → `$25`: how the console writes values inside its fragment. */
export function consoleEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll("%", "$25");
}

function consoleHost(partition: string, region: string): string {
  if (partition === "aws-cn") return "console.amazonaws.cn";
  if (partition === "aws-us-gov") return "console.amazonaws-us-gov.com";
  return `${region}.console.aws.amazon.com`;
}

export interface LogEventsLink {
  readonly partition: string;
  readonly region: string;
  readonly logGroupName: string;
  readonly filterPattern?: string;
  readonly start: Date;
  readonly end: Date;
}

export function logEventsConsoleUrl(link: LogEventsLink): string {
  const query = [
    ...(link.filterPattern ? [`filterPattern$3D${consoleEncode(link.filterPattern)}`] : []),
    `start$3D${link.start.getTime()}`,
    `end$3D${link.end.getTime()}`,
  ].join("$26");
  return (
    `https://${consoleHost(link.partition, link.region)}/cloudwatch/home?region=${encodeURIComponent(link.region)}` +
    `#logsV2:log-groups/log-group/${consoleEncode(link.logGroupName)}/log-events$3F${query}`
  );
}
