import type { Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { callerFromContext } from "../../functions/runtime/client-factory.ts";

describe("callerFromContext", () => {
  it("reads the account and partition from the invoked function's ARN", () => {
    const context = {
      invokedFunctionArn: "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:tripwire-prod-heal",
    } as Context;
    expect(callerFromContext(context, "tripwire", "heal")).toEqual({
      accountId: "123456789012",
      partition: "aws-us-gov",
      arn: "arn:aws-us-gov:sts::123456789012:assumed-role/tripwire-heal-role/tripwire-prod-heal",
    });
  });

  it("gives nothing for a context without an ARN, so the factory asks STS", () => {
    expect(callerFromContext({} as Context, "tripwire", "heal")).toBeUndefined();
  });
});
