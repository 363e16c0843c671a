import { describe, expect, it } from "vitest";
import { consoleEncode, logEventsConsoleUrl } from "../../shared/core/console-link.ts";

describe("consoleEncode", () => {
  it("percent-encodes, then writes every % as $25", () => {
    expect(consoleEncode("/aws/lambda/foo")).toBe("$252Faws$252Flambda$252Ffoo");
  });

  it("encodes the characters encodeURIComponent leaves alone in a filter pattern", () => {
    expect(consoleEncode('($.errorCode="*x")')).toBe("$2528$2524.errorCode$253D$2522$252Ax$2522$2529");
  });
});

describe("logEventsConsoleUrl", () => {
  it("links to the log group's events, filtered, over the window", () => {
    const url = logEventsConsoleUrl({
      partition: "aws",
      region: "eu-west-1",
      logGroupName: "aws-cloudtrail-logs-1/x",
      filterPattern: "{ $.a = 1 }",
      start: new Date(1_000),
      end: new Date(2_000),
    });
    expect(url).toBe(
      "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/aws-cloudtrail-logs-1$252Fx/log-events$3FfilterPattern$3D$257B$2520$2524.a$2520$253D$25201$2520$257D$26start$3D1000$26end$3D2000",
    );
  });

  it("decodes back to the log group, pattern and times", () => {
    const pattern = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }';
    const url = logEventsConsoleUrl({
      partition: "aws",
      region: "us-east-1",
      logGroupName: "aws-controltower/CloudTrailLogs",
      filterPattern: pattern,
      start: new Date(5),
      end: new Date(9),
    });
    const fragment = decodeURIComponent((url.split("#")[1] ?? "").replaceAll("$", "%"));
    expect(fragment).toBe(
      `logsV2:log-groups/log-group/${encodeURIComponent("aws-controltower/CloudTrailLogs").replaceAll("%", "%")}/log-events?filterPattern=${encodeURIComponent(pattern).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}&start=5&end=9`,
    );
  });
});
