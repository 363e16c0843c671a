import { describe, expect, it } from "vitest";
import { callOf, describeError, labelCall } from "../../shared/core/describe-error.ts";

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe("describeError", () => {
  it("gives name and message", () => {
    expect(describeError(named("ThrottlingException", "Rate exceeded"))).toBe("ThrottlingException: Rate exceeded");
  });

  it("puts a failed call's label first", () => {
    const error = labelCall(named("ThrottlingException", "Rate exceeded"), "GetTrailStatus (cloudtrail us-east-1)");
    expect(describeError(error)).toBe("GetTrailStatus (cloudtrail us-east-1): ThrottlingException: Rate exceeded");
  });

  it("gives the label and the name of a labelled error without a message", () => {
    const error = labelCall(named("AccessDenied", ""), "AssumeRole (sts us-east-1)");
    expect(describeError(error)).toBe("AssumeRole (sts us-east-1): AccessDenied");
  });
});

describe("labelCall", () => {
  it("puts the label in front of the message, for readers of the message alone", () => {
    expect(labelCall(new Error("boom"), "ListAccounts (organizations us-east-1)").message).toBe(
      "ListAccounts (organizations us-east-1): boom",
    );
  });

  it("keeps the error itself: the same object, its name and its cause", () => {
    const cause = new Error("socket hang up");
    const error = new Error("failed", { cause });
    error.name = "ResourceNotFoundException";

    const labelled = labelCall(error, "DescribeMetricFilters (logs eu-west-1)");

    expect(labelled).toBe(error);
    expect(labelled).toMatchObject({ name: "ResourceNotFoundException", cause });
  });

  it("keeps the first label: the innermost call is the one that failed", () => {
    const error = labelCall(new Error("denied"), "AssumeRole (sts us-east-1)");
    labelCall(error, "DescribeTrails (cloudtrail us-east-1)");
    expect(callOf(error)).toBe("AssumeRole (sts us-east-1)");
  });

  it("leaves a thrown value that is not an Error alone", () => {
    expect(labelCall("nope", "X (y z)")).toBe("nope");
  });
});
