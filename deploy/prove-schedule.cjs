// The scheduled proof (README, "Prove the alert path"): an EventBridge rule that starts the
// ProveStateMachine on the `proveSchedule` parameter, and the role it starts it with. Nothing at
// all when the parameter is empty (the default): a proof pages people, so it is never
// scheduled by surprise. `serverless package` calls this function
// (`${file(./deploy/prove-schedule.cjs)}` in serverless.yml) and merges what it returns.
"use strict";

/** EventBridge schedule expressions: rate(N unit) or cron(six fields). */
const EXPRESSION = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\((\S+ ){5}\S+\))$/;

/** The schedule's resources for a `proveSchedule` value; throws on one EventBridge would refuse. */
function proveSchedule(expression) {
  const text = String(expression ?? "").trim();
  if (text === "") return { Resources: {} };
  if (!EXPRESSION.test(text)) {
    throw new Error(
      `proveSchedule: ${JSON.stringify(text)} is not an EventBridge schedule expression: rate(7 days) or cron(0 9 ? * MON *)`,
    );
  }
  return {
    Resources: {
      ProveSchedule: {
        Type: "AWS::Events::Rule",
        Properties: {
          Description: "Starts tripwire's proof of the alert path (it pages the alarm topics' subscribers)",
          ScheduleExpression: text,
          State: "ENABLED",
          Targets: [
            {
              Id: "prove",
              Arn: { Ref: "ProveStateMachine" },
              RoleArn: { "Fn::GetAtt": ["ProveScheduleRole", "Arn"] },
              // A proof that could not start is the next schedule's to make; no retries for hours.
              RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
            },
          ],
        },
      },
      ProveScheduleRole: {
        Type: "AWS::IAM::Role",
        Properties: {
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "events.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
              },
            ],
          },
          Policies: [
            {
              PolicyName: "start-prove",
              PolicyDocument: {
                Version: "2012-10-17",
                Statement: [
                  {
                    Sid: "StartProve",
                    Effect: "Allow",
                    Action: "states:StartExecution",
                    Resource: { Ref: "ProveStateMachine" },
                  },
                ],
              },
            },
          ],
        },
      },
    },
  };
}

module.exports = async ({ resolveVariable }) => proveSchedule(await resolveVariable("param:proveSchedule"));
module.exports.proveSchedule = proveSchedule;
