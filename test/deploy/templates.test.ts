/**
 * The deployment: the CloudFormation that `serverless package` produces (run here, offline,
 * without AWS credentials) and the member-account template. Each test checks one property
 * the security of the deployment depends on.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, type Tags } from "yaml";
import { FUNCTION_VARIABLES } from "../../functions/runtime/environment.ts";
import { DRIFT_EVENTS, driftEventPattern } from "../../shared/core/drift/drift-events.ts";
import { functionRoleName } from "../../shared/core/drift/own-sessions.ts";
import { ownAlarmName, ownTopicName } from "../../shared/core/naming.ts";
import { declaredHandlers, handlerStyleProblem } from "../support/lambda-handler-style.ts";
import { zipEntries } from "../support/zip-entries.ts";

type Json = any;
const root = new URL("../..", import.meta.url).pathname;
// Everything the packaging writes, its plugins' scratch files included, stays under one
// directory that the tests remove.
const workDir = mkdtempSync(join(tmpdir(), "tripwire-package-"));
const packageDir = join(workDir, "package");
const scratchDir = join(workDir, "tmp");
let central: Json;
let member: Json;
/** The `notify` parameter the template is packaged with: two endpoints. */
const NOTIFY = ["email:secops@example.com", "sqs:arn:aws:sqs:us-east-1:111111111111:secops-alerts"];
/** The `exemptions` parameter the template is packaged with: JSON, as the functions read it. */
const EXEMPTIONS = JSON.stringify([
  { account: "222233334444", reason: "being closed, ticket SEC-12", owner: "platform team", expires: "2026-06-30" },
]);

/** CloudFormation's short-form intrinsics (!Ref, !Sub, ...) as their long form. */
const INTRINSICS = [
  "Sub",
  "GetAtt",
  "If",
  "Equals",
  "Not",
  "Select",
  "Split",
  "Join",
  "And",
  "Or",
  "FindInMap",
  "ImportValue",
  "Base64",
];
const cfnTags: Tags = [
  { tag: "!Ref", resolve: (value: string) => ({ Ref: value }) },
  ...INTRINSICS.flatMap((name) => [
    {
      tag: `!${name}`,
      resolve: (value: string) => ({ [`Fn::${name}`]: name === "GetAtt" ? value.split(".") : value }),
    },
    {
      tag: `!${name}`,
      collection: "seq" as const,
      resolve: (value: { toJSON(): unknown }) => ({ [`Fn::${name}`]: value.toJSON() }),
    },
  ]),
] as Tags;

beforeAll(async () => {
  const env: Record<string, string | undefined> = {
    ...process.env,
    AWS_CONFIG_FILE: "/nonexistent",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
    TMPDIR: scratchDir,
  };
  mkdirSync(scratchDir, { recursive: true });
  for (const name of ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"])
    delete env[name];
  await promisify(execFile)(
    join(root, "node_modules/.bin/serverless"),
    [
      "package",
      "--package",
      packageDir,
      `--param=notify=${NOTIFY.join(",")}`,
      `--param=exemptions=${EXEMPTIONS}`,
      "--param=owner=Platform Security",
    ],
    {
      cwd: root,
      env,
    },
  );
  central = JSON.parse(readFileSync(join(packageDir, "cloudformation-template-update-stack.json"), "utf8"));
  member = parseYaml(readFileSync(join(root, "deploy/member-account.yml"), "utf8"), { customTags: cfnTags });
}, 120_000);

const resourcesOfType = (template: Json, type: string): [string, Json][] =>
  Object.entries(template.Resources as Record<string, Json>).filter(([, r]) => r.Type === type);
/** The one resource of a type (or of a type and a predicate); fails when there is not exactly one. */
function single(template: Json, type: string, where: (r: Json) => boolean = () => true): Json {
  const found = resourcesOfType(template, type).filter(([, r]) => where(r));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]?.[1];
}
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
/** Whether a reference to a function (Ref, GetAtt, or a Join of them) names the resource. */
const isRef = (value: Json, id: string): boolean => JSON.stringify(value ?? null).includes(`"${id}"`);

/** Every IAM statement of a template: inline role policies and managed policies. */
function iamStatements(template: Json): { where: string; statement: Json }[] {
  const out: { where: string; statement: Json }[] = [];
  for (const [id, r] of resourcesOfType(template, "AWS::IAM::Role")) {
    for (const p of r.Properties.Policies ?? []) {
      for (const s of asList(p.PolicyDocument.Statement)) out.push({ where: `${id}/${p.PolicyName}`, statement: s });
    }
  }
  for (const [id, r] of resourcesOfType(template, "AWS::IAM::ManagedPolicy")) {
    for (const s of asList(r.Properties.PolicyDocument.Statement)) out.push({ where: id, statement: s });
  }
  return out;
}

const isReadAction = (action: string) => /^[a-z0-9-]+:(Describe|Get|List)/.test(action);

function engineActions(template: Json, where: (id: string) => boolean): string[] {
  return iamStatements(template)
    .filter((s) => where(s.where))
    .flatMap((s) => asList(s.statement.Action as string | string[]))
    .sort();
}

describe("serverless package", () => {
  it("builds one bundle per function, holding only that function's handler", () => {
    const zips = readdirSync(packageDir)
      .filter((f) => f.endsWith(".zip"))
      .sort();
    expect(zips).toEqual([
      "heal.zip",
      "notify.zip",
      "proveCheck.zip",
      "proveFire.zip",
      "sweep.zip",
      "sweepAccount.zip",
    ]);
  });

  it("bundles for each function a handler that nodejs24.x runs: async, (event, context) only", () => {
    const service = parseYaml(readFileSync(join(root, "serverless.yml"), "utf8"), { logLevel: "error" });
    const problems: Record<string, string> = {};
    for (const { name, module, exportName } of declaredHandlers(service.functions)) {
      const bundle = zipEntries(readFileSync(join(packageDir, `${name}.zip`))).get(`${module}.cjs`);
      const file = join(workDir, `${name}-handler.cjs`);
      writeFileSync(file, bundle ?? "");
      problems[name] = handlerStyleProblem(createRequire(import.meta.url)(file)[exportName]) ?? "none";
    }
    expect(problems).toEqual({
      sweep: "none",
      sweepAccount: "none",
      heal: "none",
      notify: "none",
      proveFire: "none",
      proveCheck: "none",
    });
  });

  it("declares every function for nodejs24.x on arm64", () => {
    const fns = resourcesOfType(central, "AWS::Lambda::Function").map(
      ([, f]) => `${f.Properties.Runtime} ${f.Properties.Architectures}`,
    );
    expect(fns).toEqual(Array(6).fill("nodejs24.x arm64"));
  });

  it("gives every function the engine's settings as TRIPWIRE_* variables", () => {
    const vars = resourcesOfType(central, "AWS::Lambda::Function").map(([, f]) =>
      Object.keys(f.Properties.Environment.Variables),
    );
    const wanted = [
      "TRIPWIRE_PREFIX",
      "TRIPWIRE_ROLE_NAME",
      "TRIPWIRE_EXTERNAL_ID",
      "TRIPWIRE_REGIONS",
      "TRIPWIRE_NOTIFY",
      "TRIPWIRE_FILTER_PROFILE",
      "TRIPWIRE_DRY_RUN",
    ];
    expect(vars.every((names) => wanted.every((w) => names.includes(w)))).toBe(true);
  });
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Why cfn-lint cannot run here, or undefined when it can; in CI (CI_STRICT) a missing cfn-lint fails. */
function cfnLintUnavailable(): string | undefined {
  const probe = spawnSync("cfn-lint", ["--version"], { encoding: "utf8", timeout: 60_000 });
  const why = probe.error
    ? `cfn-lint cannot be started (${probe.error.message})`
    : probe.status !== 0
      ? probe.stderr
      : undefined;
  if (why && process.env.CI_STRICT) throw new Error(`cfn-lint must run here (CI_STRICT is set), but: ${why}`);
  if (why) console.warn(`cfn-lint checks skipped: ${why}`);
  return why;
}

/** cfn-lint's report on a template: empty when it finds no error and no warning. */
async function cfnLint(file: string): Promise<string> {
  try {
    await promisify(execFile)("cfn-lint", ["--", file], { timeout: 120_000 });
    return "";
  } catch (error) {
    const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string };
    return `${stdout ?? ""}${stderr ?? ""}`.trim() || message;
  }
}

describe.skipIf(cfnLintUnavailable())("cfn-lint", () => {
  it("finds no error and no warning in the member template", async () => {
    expect(await cfnLint(join(root, "deploy/member-account.yml"))).toBe("");
  }, 120_000);

  it("finds no error and no warning in the central template as serverless package generates it", async () => {
    expect(await cfnLint(join(packageDir, "cloudformation-template-update-stack.json"))).toBe("");
  }, 120_000);
});

describe("the central stack", () => {
  describe("the sweep", () => {
    const schedule = () => single(central, "AWS::Events::Rule", (r) => r.Properties.ScheduleExpression);

    it("runs on the nightly schedule", () => {
      expect(schedule().Properties).toMatchObject({
        ScheduleExpression: "cron(0 2 * * ? *)",
        Targets: [{ Arn: { "Fn::GetAtt": ["SweepLambdaFunction", "Arn"] } }],
      });
    });

    it("may be invoked by its schedule alone", () => {
      const permission = single(central, "AWS::Lambda::Permission", (p) =>
        isRef(p.Properties.FunctionName, "SweepLambdaFunction"),
      );
      expect(permission.Properties).toMatchObject({
        Principal: "events.amazonaws.com",
        SourceArn: { "Fn::GetAtt": ["SweepSchedule", "Arn"] },
      });
    });

    it("has the schedule retry its delivery, then dead-letter the event", () => {
      expect(schedule().Properties.Targets[0]).toMatchObject({
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { "Fn::GetAtt": ["SweepDeadLetterQueue", "Arn"] } },
      });
    });

    it("is retried twice by Lambda, then sent to its dead-letter queue", () => {
      const config = single(central, "AWS::Lambda::EventInvokeConfig", (c) =>
        isRef(c.Properties.FunctionName, "SweepLambdaFunction"),
      );
      expect(config.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": ["SweepDeadLetterQueue", "Arn"] } } },
      });
    });

    it("may send to its dead-letter queue, which admits its schedule's undeliverable events", () => {
      const sends = iamStatements(central).filter(
        (s) => s.statement.Sid === "FailureDestination" && s.where.startsWith("SweepRole/"),
      );
      const policy = central.Resources.SweepDeadLetterQueuePolicy.Properties.PolicyDocument.Statement;
      expect(sends.map((s) => s.statement.Resource)).toEqual([{ "Fn::GetAtt": ["SweepDeadLetterQueue", "Arn"] }]);
      expect(policy).toMatchObject([
        { Effect: "Allow", Condition: { ArnEquals: { "aws:SourceArn": { "Fn::GetAtt": ["SweepSchedule", "Arn"] } } } },
      ]);
    });
  });

  it("keeps every dead-letter queue when the stack is removed or the queue replaced", () => {
    const text = JSON.stringify(central.Resources);
    const deadLetters = resourcesOfType(central, "AWS::SQS::Queue")
      .map(([id]) => id)
      .filter((id) =>
        [`"deadLetterTargetArn":{"Fn::GetAtt":["${id}"`, `"DeadLetterConfig":{"Arn":{"Fn::GetAtt":["${id}"`].some(
          (ref) => text.includes(ref),
        ),
      );
    const retained = { DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" };
    const policies = deadLetters.map((id) => {
      const { DeletionPolicy, UpdateReplacePolicy } = central.Resources[id];
      return [id, { DeletionPolicy, UpdateReplacePolicy }];
    });
    expect(Object.fromEntries(policies)).toEqual({
      AccountDeadLetterQueue: retained,
      HealDeadLetterQueue: retained,
      SweepDeadLetterQueue: retained,
    });
  });

  it("dead-letters an account message after maxReceiveCount receives", () => {
    const queue = central.Resources.AccountQueue.Properties;
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { "Fn::GetAtt": ["AccountDeadLetterQueue", "Arn"] },
      maxReceiveCount: 3,
    });
  });

  it("hides a message for longer than sweep-account may run", () => {
    const fn = central.Resources.SweepAccountLambdaFunction.Properties;
    expect(central.Resources.AccountQueue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fn.Timeout);
  });

  it("feeds the queue to sweep-account with partial batch responses", () => {
    const mapping = single(central, "AWS::Lambda::EventSourceMapping", (m) =>
      isRef(m.Properties.FunctionName, "SweepAccountLambdaFunction"),
    );
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: { "Fn::GetAtt": ["AccountQueue", "Arn"] },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
  });

  it("gives sweep-account the same engine settings as heal, and the sweep's role id", () => {
    const variables = (id: string) => central.Resources[id].Properties.Environment.Variables;
    const { TRIPWIRE_SWEEP_ROLE_ID, ...engine } = variables("SweepAccountLambdaFunction");
    expect(engine).toEqual(variables("HealLambdaFunction"));
  });

  it("tells sweep-account the unique id of the sweep's role, which SQS names as each message's sender", () => {
    const env = central.Resources.SweepAccountLambdaFunction.Properties.Environment.Variables;
    expect(env.TRIPWIRE_SWEEP_ROLE_ID).toEqual({ "Fn::GetAtt": ["SweepRole", "RoleId"] });
  });

  it("lets sweep-account check the membership of an account an older message names", () => {
    const actions = engineActions(central, (w) => w === "SweepAccountRole/sweep-account");
    expect(actions).toEqual(expect.arrayContaining(["organizations:DescribeAccount", "organizations:ListParents"]));
  });

  it("denies sending to the account queue to every principal but the sweep's role", () => {
    const policy = single(central, "AWS::SQS::QueuePolicy", (p) =>
      p.Properties.Queues.some((q: Json) => q.Ref === "AccountQueue"),
    );
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual({
      Sid: "OnlyTheSweepSends",
      Effect: "Deny",
      Principal: "*",
      Action: "sqs:SendMessage",
      Resource: { "Fn::GetAtt": ["AccountQueue", "Arn"] },
      Condition: { ArnNotEquals: { "aws:PrincipalArn": { "Fn::GetAtt": ["SweepRole", "Arn"] } } },
    });
  });

  describe("the records bucket", () => {
    const bucket = () => central.Resources.RecordsBucket;

    it("is versioned", () => {
      expect(bucket().Properties.VersioningConfiguration).toEqual({ Status: "Enabled" });
    });

    it("encrypts what it holds", () => {
      const [rule] = bucket().Properties.BucketEncryption.ServerSideEncryptionConfiguration;
      expect(rule.ServerSideEncryptionByDefault.SSEAlgorithm).toBe("AES256");
    });

    it("blocks every kind of public access", () => {
      expect(bucket().Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    });

    it("owns every object it holds (no ACLs)", () => {
      expect(bucket().Properties.OwnershipControls.Rules).toEqual([{ ObjectOwnership: "BucketOwnerEnforced" }]);
    });

    it("expires sweep records after 30 days, and their older versions after a day", () => {
      const rule = bucket().Properties.LifecycleConfiguration.Rules.find((r: Json) => r.Prefix === "sweeps/");
      expect(rule).toMatchObject({
        Status: "Enabled",
        ExpirationInDays: 30,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      });
    });

    it("is kept when the stack is removed or the bucket replaced", () => {
      expect(bucket()).toMatchObject({ DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
    });

    it("refuses requests without TLS", () => {
      const policy = central.Resources.RecordsBucketPolicy.Properties.PolicyDocument;
      expect(policy.Statement).toContainEqual(
        expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      );
    });

    it("is named to the sweep, which alone may read and write its sweeps/ records, and to prove, its proofs", () => {
      const env = central.Resources.SweepLambdaFunction.Properties.Environment.Variables;
      const s3 = iamStatements(central).filter((s) =>
        asList(s.statement.Action).some((a: string) => a.startsWith("s3:")),
      );
      expect(env.TRIPWIRE_RECORDS_BUCKET).toEqual({ Ref: "RecordsBucket" });
      expect(s3.map((s) => [s.where, s.statement.Action, s.statement.Resource])).toEqual([
        ["ProveRole/prove", "s3:PutObject", { "Fn::Sub": "${RecordsBucket.Arn}/proofs/*" }],
        ["ProveRole/prove", ["s3:GetObject", "s3:PutObject"], { "Fn::Sub": "${RecordsBucket.Arn}/proof-runs/*" }],
        ["ProveRole/prove", "s3:ListBucket", { "Fn::GetAtt": ["RecordsBucket", "Arn"] }],
        ["SweepRole/sweep", ["s3:GetObject", "s3:PutObject"], { "Fn::Sub": "${RecordsBucket.Arn}/sweeps/*" }],
        ["SweepRole/sweep", "s3:ListBucket", { "Fn::GetAtt": ["RecordsBucket", "Arn"] }],
      ]);
    });
  });

  describe("heal", () => {
    const rule = () => single(central, "AWS::Events::Rule", (r) => r.Properties.EventPattern);
    const mapping = () =>
      single(central, "AWS::Lambda::EventSourceMapping", (m) => isRef(m.Properties.FunctionName, "HealLambdaFunction"));

    it("gets every drift event of the central bus on the heal queue", () => {
      expect(rule().Properties).toMatchObject({
        EventBusName: { "Fn::GetAtt": ["CentralEventBus", "Name"] },
        Targets: [{ Arn: { "Fn::GetAtt": ["HealQueue", "Arn"] } }],
      });
      expect(normalise(rule().Properties.EventPattern)).toEqual(normalise(driftEventPattern()));
    });

    it("has the rule retry delivery to the heal queue, then dead-letter the event", () => {
      expect(rule().Properties.Targets[0]).toMatchObject({
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { "Fn::GetAtt": ["HealDeadLetterQueue", "Arn"] } },
      });
    });

    it("lets only the heal rule put events on the heal queue and its dead-letter queue", () => {
      const policies = resourcesOfType(central, "AWS::SQS::QueuePolicy").filter(([id]) => id.startsWith("Heal"));
      const fromRule = { "aws:SourceArn": { "Fn::GetAtt": ["HealRule", "Arn"] } };
      expect(Object.fromEntries(policies.map(([id, p]) => [id, p.Properties.PolicyDocument.Statement]))).toEqual({
        HealQueuePolicy: [
          expect.objectContaining({ Effect: "Allow", Condition: { ArnEquals: fromRule } }),
          expect.objectContaining({ Effect: "Deny", Principal: "*", Condition: { ArnNotEquals: fromRule } }),
        ],
        HealDeadLetterQueuePolicy: [expect.objectContaining({ Effect: "Allow", Condition: { ArnEquals: fromRule } })],
      });
    });

    it("dead-letters a drift event heal failed on maxReceiveCount times", () => {
      expect(central.Resources.HealQueue.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { "Fn::GetAtt": ["HealDeadLetterQueue", "Arn"] },
        maxReceiveCount: 3,
      });
    });

    it("takes the heal queue in batches of up to 100 gathered over 10 seconds, with partial batch responses", () => {
      expect(mapping().Properties).toMatchObject({
        EventSourceArn: { "Fn::GetAtt": ["HealQueue", "Arn"] },
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 10,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
    });

    it("runs at most two heal batches at once", () => {
      expect(central.Resources.HealLambdaFunction.Properties.ReservedConcurrentExecutions).toBe(2);
    });

    it("has the event source scale to no more than the reserved concurrency", () => {
      expect(mapping().Properties.ScalingConfig).toEqual({ MaximumConcurrency: 2 });
    });

    it("hides a heal message for six times longer than heal may run, plus the batching window", () => {
      const fn = central.Resources.HealLambdaFunction.Properties;
      expect(central.Resources.HealQueue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fn.Timeout + 10);
    });

    it("is no longer invoked asynchronously", () => {
      const configs = resourcesOfType(central, "AWS::Lambda::EventInvokeConfig").filter(([, c]) =>
        isRef(c.Properties.FunctionName, "HealLambdaFunction"),
      );
      expect(configs).toEqual([]);
    });
  });

  describe("alerts", () => {
    const alarms = () => resourcesOfType(central, "AWS::CloudWatch::Alarm");
    const alertTopic = { Ref: "AlertTopic" };

    it("subscribes every notify endpoint to the alert topic and to the security alert topic", () => {
      const subscriptions = resourcesOfType(central, "AWS::SNS::Subscription").map(([, r]) => r.Properties);
      const security = { Ref: "SecurityAlertTopic" };
      expect(subscriptions).toEqual([
        { TopicArn: alertTopic, Protocol: "email", Endpoint: "secops@example.com" },
        { TopicArn: security, Protocol: "email", Endpoint: "secops@example.com" },
        { TopicArn: alertTopic, Protocol: "sqs", Endpoint: "arn:aws:sqs:us-east-1:111111111111:secops-alerts" },
        { TopicArn: security, Protocol: "sqs", Endpoint: "arn:aws:sqs:us-east-1:111111111111:secops-alerts" },
      ]);
    });

    it("alarms as soon as any dead-letter queue holds a message", () => {
      const depth = alarms()
        .filter(([, a]) => a.Properties.MetricName === "ApproximateNumberOfMessagesVisible")
        .map(([, a]) => a.Properties);
      expect(depth.map((a) => a.Dimensions[0].Value["Fn::GetAtt"][0]).sort()).toEqual([
        "AccountDeadLetterQueue",
        "HealDeadLetterQueue",
        "NotifyDeadLetterQueue",
        "SweepDeadLetterQueue",
      ]);
      expect(depth).toEqual(
        depth.map(() =>
          expect.objectContaining({
            Namespace: "AWS/SQS",
            Statistic: "Maximum",
            Threshold: 0,
            ComparisonOperator: "GreaterThanThreshold",
          }),
        ),
      );
    });

    it("alarms on any error of each function", () => {
      const errors = alarms()
        .filter(([, a]) => a.Properties.Namespace === "AWS/Lambda" && a.Properties.MetricName === "Errors")
        .map(([, a]) => a.Properties.Dimensions[0].Value.Ref);
      expect(errors.sort()).toEqual([
        "HealLambdaFunction",
        "NotifyLambdaFunction",
        "SweepAccountLambdaFunction",
        "SweepLambdaFunction",
      ]);
    });

    it("alarms when sweep-account drops a message the sweep did not send", () => {
      const alarm = alarms().find(([, a]) => a.Properties.MetricName === "MessagesFromUnknownSenders")?.[1];
      expect(alarm?.Properties).toMatchObject({
        Namespace: "Tripwire",
        Dimensions: [{ Name: "Function", Value: "sweep-account" }],
      });
    });

    it("sends every alarm to the alert topic", () => {
      expect(
        alarms().filter(([, a]) => JSON.stringify(a.Properties.AlarmActions) !== JSON.stringify([alertTopic])),
      ).toEqual([]);
    });

    it("alarms when notify drops a message of a topic outside the organization", () => {
      const alarm = alarms().find(([, a]) => a.Properties.MetricName === "NotificationsDropped")?.[1];
      expect(alarm?.Properties).toMatchObject({
        Namespace: "Tripwire",
        Dimensions: [{ Name: "Function", Value: "notify" }],
      });
    });

    it("has twelve alarms: four dead-letter queues, four functions, unknown senders, unknown topics, two of the proof", () => {
      expect(alarms().length).toBe(12);
    });
  });

  describe("notify", () => {
    const notify = () => central.Resources.NotifyLambdaFunction.Properties;
    const endpoint = {
      "Fn::Sub": "lambda:arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:tripwire-prod-notify",
    };

    it("is what the deployed sweep, sweep-account and heal subscribe to tripwire's topic in each account", () => {
      const subscribed = ["SweepLambdaFunction", "SweepAccountLambdaFunction", "HealLambdaFunction"].map(
        (id) => central.Resources[id].Properties.Environment.Variables.TRIPWIRE_NOTIFY,
      );
      expect(subscribed).toEqual([endpoint, endpoint, endpoint]);
    });

    it("is named as the endpoint the functions subscribe", () => {
      expect(notify().FunctionName).toBe("tripwire-prod-notify");
    });

    it("may be invoked by SNS", () => {
      const permission = single(central, "AWS::Lambda::Permission", (p) =>
        isRef(p.Properties.FunctionName, "NotifyLambdaFunction"),
      );
      expect(permission.Properties).toMatchObject({ Principal: "sns.amazonaws.com", Action: "lambda:InvokeFunction" });
    });

    it("publishes to the security alert topic, and to no other", () => {
      const publish = iamStatements(central).filter((s) => asList(s.statement.Action).includes("sns:Publish"));
      expect(publish.map((s) => [s.where, s.statement.Resource])).toEqual([
        ["NotifyRole/notify", { Ref: "SecurityAlertTopic" }],
      ]);
      expect(notify().Environment.Variables.TRIPWIRE_ALERT_TOPIC_ARN).toEqual({ Ref: "SecurityAlertTopic" });
    });

    it("encrypts the security alert topic, which names principals and source addresses", () => {
      expect(central.Resources.SecurityAlertTopic.Properties.KmsMasterKeyId).toBe("alias/aws/sns");
    });

    it("names the security alert topic apart from the member topics its permission is for", () => {
      expect(central.Resources.SecurityAlertTopic.Properties.TopicName).not.toBe(ownTopicName("tripwire"));
    });

    it("is retried twice by Lambda, then sent to its dead-letter queue", () => {
      const config = single(central, "AWS::Lambda::EventInvokeConfig", (c) =>
        isRef(c.Properties.FunctionName, "NotifyLambdaFunction"),
      );
      expect(config.Properties).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": ["NotifyDeadLetterQueue", "Arn"] } } },
      });
    });

    it("writes nothing: its only actions beside logs and its queue are reads and Publish", () => {
      const actions = engineActions(central, (w) => w === "NotifyRole/notify").filter(
        (a) => !isReadAction(a) && !a.startsWith("logs:") && a !== "sqs:SendMessage",
      );
      expect(actions).toEqual(["sns:Publish", "sts:AssumeRole"]);
    });
  });

  it("admits onto the central bus only principals of the organization", () => {
    const policy = single(central, "AWS::Events::EventBusPolicy");
    const s = policy.Properties.Statement;
    expect(s.Effect).toBe("Allow");
    expect(s.Action).toBe("events:PutEvents");
    expect(s.Condition).toEqual({ StringEquals: { "aws:PrincipalOrgID": "o-exampleorgid" } });
  });

  it("names the function roles as the heal's loop prevention expects", () => {
    const lambdaRole = (r: Json) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('"Service":"lambda.amazonaws.com"');
    const names = resourcesOfType(central, "AWS::IAM::Role")
      .filter(([, r]) => lambdaRole(r))
      .map(([, r]) => r.Properties.RoleName)
      .sort();
    expect(names).toEqual(
      [
        functionRoleName("tripwire", "heal"),
        functionRoleName("tripwire", "notify"),
        functionRoleName("tripwire", "sweep-account"),
        functionRoleName("tripwire", "sweep"),
        functionRoleName("tripwire", "prove"),
      ].sort(),
    );
  });

  it("lets the functions assume only the member role, by name", () => {
    const assume = iamStatements(central).filter(
      (s) => asList(s.statement.Action).includes("sts:AssumeRole") && !s.statement.Principal,
    );
    expect(assume.map((s) => [s.where, s.statement.Resource])).toEqual([
      ["ProveRole/prove", { "Fn::Sub": "arn:${AWS::Partition}:iam::*:role/tripwire-member" }],
      ["SweepRole/sweep", { "Fn::Sub": "arn:${AWS::Partition}:iam::*:role/tripwire-member" }],
      ["SweepAccountRole/sweep-account", { "Fn::Sub": "arn:${AWS::Partition}:iam::*:role/tripwire-member" }],
      ["HealRole/heal", { "Fn::Sub": "arn:${AWS::Partition}:iam::*:role/tripwire-member" }],
      ["NotifyRole/notify", { "Fn::Sub": "arn:${AWS::Partition}:iam::*:role/tripwire-member" }],
    ]);
  });

  it("grants no write action on every resource", () => {
    expect(writesOnStar(central)).toEqual([]);
  });

  it("grants the functions no delete in their own account", () => {
    expect(engineActions(central, (w) => w === "OwnAccountEnginePolicy").filter((a) => /:Delete/.test(a))).toEqual([]);
  });

  it("lets the functions assume the member role only in accounts of the organization", () => {
    const assume = iamStatements(central).filter(
      (s) => asList(s.statement.Action).includes("sts:AssumeRole") && !s.statement.Principal,
    );
    const inOrganization = { StringEquals: { "aws:ResourceOrgID": "o-exampleorgid" } };
    expect(Object.fromEntries(assume.map((s) => [s.where, s.statement.Condition]))).toEqual({
      "SweepRole/sweep": inOrganization,
      "SweepAccountRole/sweep-account": inOrganization,
      "HealRole/heal": inOrganization,
      "NotifyRole/notify": inOrganization,
      "ProveRole/prove": inOrganization,
    });
  });

  it("sets every variable the functions read besides the settings", () => {
    const set = new Set(
      resourcesOfType(central, "AWS::Lambda::Function").flatMap(([, f]) =>
        Object.keys(f.Properties.Environment.Variables),
      ),
    );
    expect(FUNCTION_VARIABLES.filter((v) => !set.has(v))).toEqual([]);
  });

  it("passes the securityHub parameter, off by default, and topicKmsKey, empty, to every function", () => {
    const values = resourcesOfType(central, "AWS::Lambda::Function").map(([, f]) => {
      const { TRIPWIRE_SECURITY_HUB, TRIPWIRE_TOPIC_KMS_KEY } = f.Properties.Environment.Variables;
      return `${TRIPWIRE_SECURITY_HUB}|${TRIPWIRE_TOPIC_KMS_KEY}`;
    });
    expect(new Set(values)).toEqual(new Set(["false|"]));
  });

  it("gives every function the owner, the runbook and the exemptions JSON as they were given", () => {
    const values = resourcesOfType(central, "AWS::Lambda::Function").map(([, f]) => {
      const { TRIPWIRE_OWNER, TRIPWIRE_RUNBOOK_URL, TRIPWIRE_EXEMPTIONS } = f.Properties.Environment.Variables;
      return { TRIPWIRE_OWNER, TRIPWIRE_RUNBOOK_URL, TRIPWIRE_EXEMPTIONS };
    });
    const wanted = { TRIPWIRE_OWNER: "Platform Security", TRIPWIRE_RUNBOOK_URL: "", TRIPWIRE_EXEMPTIONS: EXEMPTIONS };
    // One distinct value, whatever the number of functions (none would be an empty set).
    expect(new Set(values.map((v) => JSON.stringify(v)))).toEqual(new Set([JSON.stringify(wanted)]));
  });

  it("tells every function that the member role trusts tripwire's functions alone", () => {
    const values = resourcesOfType(central, "AWS::Lambda::Function").map(
      ([, f]) => f.Properties.Environment.Variables.TRIPWIRE_DEDICATED_ROLE,
    );
    expect(values).toEqual(Array(6).fill("true"));
  });
});

describe("the central stack's proof", () => {
  const machine = () => single(central, "AWS::StepFunctions::StateMachine");
  const states = () => machine().Properties.Definition.States;

  it("is a Standard state machine that fires, then waits and checks until every proof has ended", () => {
    const st = states();
    expect(machine().Properties.StateMachineType).toBe("STANDARD");
    expect(machine().Properties.Definition.StartAt).toBe("Fire");
    expect(st.Fire.Next).toBe("Ended?");
    expect(st["Ended?"]).toMatchObject({
      Type: "Choice",
      Choices: [{ Variable: "$.done", BooleanEquals: true, Next: "Ended" }],
      Default: "Wait",
    });
    expect(st.Wait).toEqual({ Type: "Wait", SecondsPath: "$.waitSeconds", Next: "Check" });
    expect(st.Check.Next).toBe("Ended?");
  });

  it("runs the fire and check functions, naming the run after the execution", () => {
    const st = states();
    expect(st.Fire.Parameters).toEqual({
      FunctionName: "tripwire-prod-proveFire",
      Payload: { "runId.$": "$$.Execution.Name" },
    });
    expect(st.Check.Parameters).toEqual({
      FunctionName: "tripwire-prod-proveCheck",
      Payload: { "runId.$": "$.runId" },
    });
  });

  it("retries a fire only when Lambda throttled it before it ran, so nobody is paged twice", () => {
    expect(states().Fire.Retry.map((r: Json) => r.ErrorEquals)).toEqual([["Lambda.TooManyRequestsException"]]);
  });

  it("lets its role invoke the two proof functions and nothing else", () => {
    const statements = iamStatements(central).filter((s) => s.where.startsWith("ProveStateMachineRole/"));
    expect(statements.map((s) => [s.statement.Action, s.statement.Resource])).toEqual([
      [
        "lambda:InvokeFunction",
        [{ "Fn::GetAtt": ["ProveFireLambdaFunction", "Arn"] }, { "Fn::GetAtt": ["ProveCheckLambdaFunction", "Arn"] }],
      ],
    ]);
  });

  it("is not scheduled when proveSchedule is empty, the default", () => {
    const rules = resourcesOfType(central, "AWS::Events::Rule").filter(([, r]) =>
      isRef(r.Properties.Targets, "ProveStateMachine"),
    );
    expect(rules).toEqual([]);
  });

  it("keeps proof records 400 days, and a proof run's state 30", () => {
    const rules = central.Resources.RecordsBucket.Properties.LifecycleConfiguration.Rules;
    expect(rules.filter((r: Json) => r.Prefix?.startsWith("proof"))).toEqual([
      {
        Id: "expire-proof-records",
        Status: "Enabled",
        Prefix: "proofs/",
        ExpirationInDays: 400,
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      },
      {
        Id: "expire-proof-runs",
        Status: "Enabled",
        Prefix: "proof-runs/",
        ExpirationInDays: 30,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      },
    ]);
  });

  it("gives the proof functions the records bucket and the timeout", () => {
    for (const id of ["ProveFireLambdaFunction", "ProveCheckLambdaFunction"]) {
      expect(central.Resources[id].Properties.Environment.Variables).toMatchObject({
        TRIPWIRE_RECORDS_BUCKET: { Ref: "RecordsBucket" },
        TRIPWIRE_PROVE_TIMEOUT: "20m",
      });
    }
  });

  it("alarms when a proof run fails and when a proof ends with accounts not proven", () => {
    const names = resourcesOfType(central, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties.AlarmName);
    expect(names).toEqual(expect.arrayContaining(["tripwire-prod-prove-failed", "tripwire-prod-prove-not-proven"]));
  });
});

describe("the member-account template", () => {
  it("forwards every drift event to the central bus", () => {
    const rule = member.Resources.DriftEventRule.Properties;
    expect(rule.EventBusName).toBe("default");
    expect(rule.Targets[0].Arn).toEqual({ Ref: "CentralEventBusArn" });
    expect(normalise(rule.EventPattern)).toEqual(normalise(driftEventPattern()));
  });

  it("retries delivery to the central bus, then dead-letters the event in its own region", () => {
    expect(member.Resources.DriftEventRule.Properties.Targets[0]).toMatchObject({
      RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: { "Fn::GetAtt": ["ForwardDeadLetterQueue", "Arn"] } },
    });
  });

  it("creates the forwarding dead-letter queue beside the rule, in every region", () => {
    expect(member.Resources.ForwardDeadLetterQueue.Condition).toBe(member.Resources.DriftEventRule.Condition);
  });

  it("lets only the forwarding rule put events on its dead-letter queue", () => {
    const [statement] = member.Resources.ForwardDeadLetterQueuePolicy.Properties.PolicyDocument.Statement;
    expect(statement).toMatchObject({
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Condition: { ArnEquals: { "aws:SourceArn": { "Fn::GetAtt": ["DriftEventRule", "Arn"] } } },
    });
  });

  it("trusts only the security account's sweep, sweep-account, heal, notify and prove roles", () => {
    const [statement] = member.Resources.MemberRole.Properties.AssumeRolePolicyDocument.Statement;
    const [, withExternalId, without] = statement.Condition["Fn::If"];
    const roles = [
      { "Fn::Sub": `arn:\${AWS::Partition}:iam::\${SecurityAccountId}:role/\${Prefix}-sweep-role` },
      { "Fn::Sub": `arn:\${AWS::Partition}:iam::\${SecurityAccountId}:role/\${Prefix}-sweep-account-role` },
      { "Fn::Sub": `arn:\${AWS::Partition}:iam::\${SecurityAccountId}:role/\${Prefix}-heal-role` },
      { "Fn::Sub": `arn:\${AWS::Partition}:iam::\${SecurityAccountId}:role/\${Prefix}-notify-role` },
      { "Fn::Sub": `arn:\${AWS::Partition}:iam::\${SecurityAccountId}:role/\${Prefix}-prove-role` },
    ];
    expect(statement.Principal).toEqual({ AWS: { "Fn::Sub": "arn:${AWS::Partition}:iam::${SecurityAccountId}:root" } });
    expect(withExternalId.ArnEquals["aws:PrincipalArn"]).toEqual(roles);
    expect(without.ArnEquals["aws:PrincipalArn"]).toEqual(roles);
  });

  it("uses the role names the central stack gives its functions", () => {
    const central = [
      functionRoleName("${Prefix}", "sweep"),
      functionRoleName("${Prefix}", "sweep-account"),
      functionRoleName("${Prefix}", "heal"),
      functionRoleName("${Prefix}", "notify"),
      functionRoleName("${Prefix}", "prove"),
    ];
    const [statement] = member.Resources.MemberRole.Properties.AssumeRolePolicyDocument.Statement;
    const trusted = statement.Condition["Fn::If"][2].ArnEquals["aws:PrincipalArn"].map((r: Json) =>
      r["Fn::Sub"].split("/").pop(),
    );
    expect(trusted).toEqual(central);
  });

  it("demands the ExternalId when one is given", () => {
    const [statement] = member.Resources.MemberRole.Properties.AssumeRolePolicyDocument.Statement;
    expect(statement.Condition["Fn::If"][1].StringEquals).toEqual({ "sts:ExternalId": { Ref: "ExternalId" } });
  });

  it("grants no write action on every resource", () => {
    expect(writesOnStar(member)).toEqual([]);
  });

  it("writes only the alarm and the topic tripwire names", () => {
    const writes = iamStatements(member).filter((s) =>
      asList(s.statement.Action).some((a: string) => /^(cloudwatch|sns):/.test(a) && !isReadAction(a)),
    );
    expect(new Set(writes.map((s) => s.statement.Resource["Fn::Sub"]))).toEqual(
      new Set([
        `arn:\${AWS::Partition}:cloudwatch:*:\${AWS::AccountId}:alarm:${ownAlarmName("${Prefix}")}`,
        `arn:\${AWS::Partition}:sns:*:\${AWS::AccountId}:${ownTopicName("${Prefix}")}`,
      ]),
    );
  });

  it("grants no delete: prune runs with an administrator's role", () => {
    expect(engineActions(member, (w) => w.startsWith("MemberRole/")).filter((a) => /:Delete/.test(a))).toEqual([]);
  });

  it("lets the member role read the alarm history the evidence package shows", () => {
    expect(engineActions(member, (w) => w.startsWith("MemberRole/"))).toContain("cloudwatch:DescribeAlarmHistory");
  });

  it("lets tripwire create topics only with its tag, and set no tag but its mark, owner and runbook", () => {
    const bySid = Object.fromEntries(iamStatements(member).map((s) => [s.statement.Sid, s.statement]));
    const mark = { "aws:RequestTag/managed-by": "tripwire" };
    const onlyMark = { "aws:TagKeys": ["managed-by", "owner", "runbook"] };
    expect(bySid.CreateOwnTopics).toMatchObject({ Action: "sns:CreateTopic", Condition: { StringEquals: mark } });
    expect(bySid.TagOwnTopics).toMatchObject({
      Action: "sns:TagResource",
      Condition: { StringEquals: mark, "ForAllValues:StringEquals": onlyMark },
    });
    expect(bySid.TagOwnAlarms).toMatchObject({
      Action: "cloudwatch:TagResource",
      Condition: { StringEquals: mark, "ForAllValues:StringEquals": onlyMark },
    });
  });

  it("lets notify and prove read the events of the account's log groups, and nothing more of log data", () => {
    const reads = iamStatements(member).filter((s) => asList(s.statement.Action).includes("logs:FilterLogEvents"));
    const grant = (Sid: string) => ({
      Sid,
      Effect: "Allow",
      Action: "logs:FilterLogEvents",
      Resource: { "Fn::Sub": "arn:${AWS::Partition}:logs:*:${AWS::AccountId}:log-group:*" },
    });
    // The same grant twice: notify's (explain) and the proof's, which the central stack's
    // OwnAccountProvePolicy repeats; each states what its function reads.
    expect(reads.map((s) => s.statement)).toEqual([grant("ReadLogEvents"), grant("ProveReadLogs")]);
  });

  it("grants the same statements as the central stack's own-account policy (and notify's log reads)", () => {
    const statements = (template: Json, where: (id: string) => boolean) =>
      JSON.parse(
        JSON.stringify(
          iamStatements(template)
            .filter((s) => where(s.where))
            .map((s) => s.statement),
        )
          .replaceAll("${Prefix}", "tripwire")
          .replaceAll("${param:prefix}", "tripwire"),
      );
    // The engine's statements: not notify's log reads (ReadLogEvents) nor the proof's (Prove*).
    const engine = (s: Json) => s.Sid !== "ReadLogEvents" && !String(s.Sid).startsWith("Prove");
    const memberStatements = statements(member, (w) => w.startsWith("MemberRole/")).filter(engine);
    expect(memberStatements).toEqual(statements(central, (w) => w === "OwnAccountEnginePolicy"));
  });

  it("lets the member role import Security Hub findings only as its own account's default product", () => {
    const imports = iamStatements(member).filter((s) =>
      asList(s.statement.Action).some((a: string) => a.startsWith("securityhub:")),
    );
    expect(imports.map((s) => [s.statement.Action, s.statement.Resource])).toEqual([
      [
        "securityhub:BatchImportFindings",
        { "Fn::Sub": "arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:product/${AWS::AccountId}/default" },
      ],
    ]);
  });

  it("lets the member role read the KMS key of an encrypted topic, and nothing more of KMS", () => {
    const kms = engineActions(member, (w) => w.startsWith("MemberRole/")).filter((a) => a.startsWith("kms:"));
    expect(kms).toEqual(["kms:DescribeKey", "kms:GetKeyPolicy"]);
  });

  it("grants the proof's reads as the central stack's own-account prove policy does", () => {
    const proveStatements = (template: Json, where: (id: string) => boolean) =>
      JSON.parse(
        JSON.stringify(
          iamStatements(template)
            .filter((s) => where(s.where) && String(s.statement.Sid).startsWith("Prove"))
            .map((s) => s.statement),
        )
          .replaceAll("${Prefix}", "tripwire")
          .replaceAll("${param:prefix}", "tripwire"),
      );
    const member_ = proveStatements(member, (w) => w.startsWith("MemberRole/"));
    expect(member_.map((s: Json) => s.Sid)).toEqual([
      "ProveReadLogs",
      "ProveReadMetrics",
      "ProveReadAlarmHistory",
      "ProveCanaryRoleAbsent",
      "ProveFindQueues",
      "ProveReadMarkedQueues",
    ]);
    expect(member_).toEqual(proveStatements(central, (w) => w === "OwnAccountProvePolicy"));
  });

  it("lets the proof receive only from queues their owner marked readable", () => {
    const bySid = Object.fromEntries(iamStatements(member).map((s) => [s.statement.Sid, s.statement]));
    expect(bySid.ProveReadMarkedQueues).toMatchObject({
      Action: "sqs:ReceiveMessage",
      Condition: { StringEquals: { "aws:ResourceTag/tripwire-proof": "readable" } },
    });
  });

  it("lets the proof read only the canary's role, to see that it does not exist", () => {
    const bySid = Object.fromEntries(iamStatements(member).map((s) => [s.statement.Sid, s.statement]));
    expect(bySid.ProveCanaryRoleAbsent).toEqual({
      Sid: "ProveCanaryRoleAbsent",
      Effect: "Allow",
      Action: "iam:GetRole",
      Resource: { "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Prefix}-prove-canary" },
    });
  });

  it("creates its IAM roles in the central bus's region only", () => {
    expect(member.Resources.MemberRole.Condition).toBe("IsCentralRegion");
    expect(member.Resources.EventForwarderRole.Condition).toBe("IsCentralRegion");
    expect(member.Resources.DriftEventRule.Condition).toBeUndefined();
  });
});

describe("the drift-event catalogue", () => {
  it("has 13 events in 4 services", () => {
    expect(Object.keys(DRIFT_EVENTS)).toHaveLength(4);
    expect(Object.values(DRIFT_EVENTS).flat()).toHaveLength(13);
  });
});

/** Statements that allow an action other than a read on Resource "*". */
function writesOnStar(template: Json): string[] {
  return iamStatements(template)
    .filter((s) => s.statement.Effect === "Allow" && asList(s.statement.Resource).includes("*"))
    .flatMap((s) =>
      asList(s.statement.Action as string | string[])
        .filter((a) => !isReadAction(a))
        .map((a) => `${s.where}: ${a}`),
    );
}

/** An event pattern with its lists sorted, for comparison as sets. */
function normalise(pattern: Json): Json {
  if (Array.isArray(pattern)) return [...pattern].sort();
  if (pattern && typeof pattern === "object")
    return Object.fromEntries(Object.entries(pattern).map(([k, v]) => [k, normalise(v)]));
  return pattern;
}
