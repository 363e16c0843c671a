/** The proof's schedule, built from the `proveSchedule` parameter by deploy/prove-schedule.cjs. */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const { proveSchedule } = createRequire(import.meta.url)("../../deploy/prove-schedule.cjs") as {
  proveSchedule: (expression: unknown) => { Resources: Record<string, { Type: string; Properties: any }> };
};

describe("proveSchedule", () => {
  it("makes nothing for an empty value: nobody is paged by surprise", () => {
    expect(proveSchedule("")).toEqual({ Resources: {} });
  });

  it("makes a rule on the expression that starts the proof state machine", () => {
    expect(proveSchedule("cron(0 9 ? * MON *)").Resources.ProveSchedule?.Properties).toMatchObject({
      ScheduleExpression: "cron(0 9 ? * MON *)",
      Targets: [{ Arn: { Ref: "ProveStateMachine" }, RoleArn: { "Fn::GetAtt": ["ProveScheduleRole", "Arn"] } }],
    });
  });

  it("lets the rule's role start that state machine only", () => {
    const role = proveSchedule("rate(7 days)").Resources.ProveScheduleRole?.Properties;
    expect(role.Policies[0].PolicyDocument.Statement).toEqual([
      { Sid: "StartProve", Effect: "Allow", Action: "states:StartExecution", Resource: { Ref: "ProveStateMachine" } },
    ]);
  });

  it.each(["weekly", "cron(0 9 * *)", "rate(7 weeks)"])("refuses %s, naming the forms it takes", (expression) => {
    expect(() => proveSchedule(expression)).toThrow(
      /is not an EventBridge schedule expression: rate\(7 days\) or cron/,
    );
  });
});
