/**
 * The one ARN parser: `arn:partition:service:region:account-id:resource`. The resource part
 * keeps its colons (`log-group:NAME:*`, `alarm:NAME`, `function:NAME:alias`).
 */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  readonly resource: string;
}

/** The parts of an ARN, or undefined when the text is not one. */
export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  const [, partition = "", service = "", region = "", accountId = ""] = parts;
  return { partition, service, region, accountId, resource: parts.slice(5).join(":") };
}

/** Account id of an ARN ("" when the text is not an ARN). */
export function arnAccount(arn: string): string {
  return parseArn(arn)?.accountId ?? "";
}

/** Region of an ARN ("" for global resources or text that is not an ARN). */
export function arnRegion(arn: string): string {
  return parseArn(arn)?.region ?? "";
}

export function isSnsTopicArn(arn: string): boolean {
  return parseArn(arn)?.service === "sns";
}

/** The name after the last `:` or `/` of the resource part (a topic's or a role's name). */
export function arnResourceName(arn: string): string {
  const resource = parseArn(arn)?.resource ?? "";
  return resource.split(/[:/]/).pop() ?? "";
}

export interface LogGroupRef {
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
}

/** `arn:aws:logs:eu-west-1:123456789012:log-group:NAME:*` → its parts; the name may contain colons. */
export function parseLogGroupArn(arn: string): LogGroupRef {
  const parsed = parseArn(arn);
  let name = (parsed?.resource ?? "").replace(/^log-group:/, "");
  if (name.endsWith(":*")) name = name.slice(0, -2);
  return { arn, region: parsed?.region ?? "", accountId: parsed?.accountId ?? "", name };
}
