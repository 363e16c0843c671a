/**
 * `tripwire demo`: the whole flow on a simulated organization, no AWS needed.
 *  1. Seed 8 accounts over 2 regions in mixed states.
 *  2. Scan, fix, scan again.
 *  3. Delete one of tripwire's filters in a member account and repair it from the drift event,
 *     through the same heal use case the `heal` function runs.
 *  4. Unauthorized calls in that account raise tripwire's alarm; explain reads the alarm's
 *     notification from the SQS queue and says who did what (demo-explain.ts).
 *  5. Prove one account's alert path end to end on the simulated clock (demo-prove.ts).
 *  6. Test tripwire's alarm in one account (SetAlarmState), then write the evidence package of
 *     the organization (`tripwire evidence`) to a new temporary directory, or to `--out DIR`
 *     (refused when not empty, unless --force): it never overwrites anything unasked.
 * With --json, stdout is one JSON document instead of the narrative: the three reports, the
 * heal's outcome, the explained alarm and the proof's report (each as `scan --json`, `heal --json`,
 * `explain --json` and `prove --json`
 * print them) and where the evidence package was written.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { ConfigError, type Settings } from "../../config/settings.ts";
import type { Exemption } from "../../core/exemptions.ts";
import { explanationText } from "../../core/explain/alert-message.ts";
import { CIS_PATTERNS } from "../../core/filter-pattern/index.ts";
import { ownAlarmName } from "../../core/naming.ts";
import { type ProofRecord, proofRecordKey } from "../../core/proof-record.ts";
import type { Report } from "../../core/report.ts";
import { simulatedFactory } from "../../simulation/factory.ts";
import { createSimulatedOrganization, type SimulatedOrganization, scenarios } from "../../simulation/index.ts";
import { gatherEvidence } from "../../use-cases/evidence.ts";
import { healFromEvent } from "../../use-cases/heal.ts";
import { runSweep } from "../../use-cases/sweep.ts";
import { colorFor } from "../color.ts";
import type { CommandBody } from "../command.ts";
import { packageFiles } from "../evidence/package-files.ts";
import type { CliIo } from "../io.ts";
import { renderReport } from "../render-table.ts";
import { TOOL } from "../version.ts";
import { DEMO_DELIVERY_DELAY_MS, demoExclusion, explainOneAlarm } from "./demo-explain.ts";
import { allProven, demoProve } from "./demo-prove.ts";
import { describePackage, prepareOutput, writePackage } from "./evidence.ts";
import { explanationJson } from "./explain.ts";
import { healOutcomeJson } from "./heal.ts";

const REGIONS = ["us-east-1", "eu-west-1"] as const;

interface DemoOrganization {
  readonly org: SimulatedOrganization;
  readonly alertQueue: string;
  readonly alertQueueUrl: string;
  /** The account whose filter the demo deletes, and its trail's region. */
  readonly drifting: { readonly id: string; readonly name: string; readonly region: string; readonly logGroup: string };
  /** The account whose alarm the demo tests, and where it is. */
  readonly tested: { readonly id: string; readonly name: string; readonly region: string };
  /** The account the demo documents as exempt. */
  readonly exempt: { readonly id: string; readonly name: string };
  /** The account the demo proves after its fix. */
  readonly proving: { readonly id: string; readonly name: string };
}

/** The log group a seeded trail delivers to (every trail the demo seeds has one). */
function logGroupOf(trail: { readonly logGroupName?: string }): string {
  if (!trail.logGroupName) throw new Error("demo seed: a trail without a log group");
  return trail.logGroupName;
}

/** Seeds the demo organization: one account per situation worth seeing. */
export function seedDemoOrganization(): DemoOrganization {
  // The live chain: calls become CloudTrail records, alarms fire and notify (step 5).
  const org = createSimulatedOrganization({
    regions: REGIONS,
    managementAccountName: "org-management",
    liveChain: { deliveryDelayMs: DEMO_DELIVERY_DELAY_MS },
  });
  const [home, other] = REGIONS;
  const management = org.account(org.managementAccountId);
  scenarios.bareAccount(management, home);

  const prod = org.addAccount({ name: "workload-prod" });
  scenarios.compliantV12(prod, home);

  const dev = org.addAccount({ name: "workload-dev" });
  const devTrail = scenarios.trail(dev, home);
  const devFilter = scenarios.metricFilter(dev, home, {
    logGroupName: logGroupOf(devTrail),
    filterName: "cis-4-1",
    pattern: CIS_PATTERNS.v14CliText,
  });
  const devTopic = scenarios.topic(dev, home);
  scenarios.alarm(dev, home, {
    metricName: devFilter.metricName,
    namespace: devFilter.namespace,
    actions: [devTopic.topicArn],
  });

  const data = org.addAccount({ name: "data-lake" });
  const dataTrail = scenarios.trail(data, other, { style: "controlTower" });
  const dataFilter = scenarios.metricFilter(data, other, { logGroupName: logGroupOf(dataTrail) });
  const dataTopic = scenarios.topic(data, other);
  scenarios.alarm(data, other, {
    metricName: dataFilter.metricName,
    namespace: dataFilter.namespace,
    actions: [dataTopic.topicArn],
    actionsEnabled: false,
  });

  const legacy = org.addAccount({ name: "legacy-billing" });
  scenarios.compliantV12(legacy, home, { logging: false });

  const sandbox = org.addAccount({ name: "sandbox" });
  org.addAccount({ name: "closed-project", status: "SUSPENDED" });
  const partner = org.addAccount({ name: "partner-managed" });
  org.faults.denyAssumeRole(partner.id);

  const queue = management.createQueue(home, "security-alerts");
  return {
    org,
    alertQueue: queue.arn,
    alertQueueUrl: queue.url,
    drifting: { id: dev.id, name: dev.name, region: home, logGroup: logGroupOf(devTrail) },
    tested: { id: prod.id, name: prod.name, region: home },
    exempt: { id: sandbox.id, name: sandbox.name },
    proving: { id: prod.id, name: prod.name },
  };
}

export const demoCommand: CommandBody = {
  run: async ({ settings, io, options }) => {
    let out: { dir: string; earlier: string[] };
    try {
      out = outputOf(options);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.stderr(`tripwire: ${error.message}\nrun 'tripwire help demo' for usage\n`);
      return 2;
    }
    return runDemo(settings, io, out);
  },
};

/** Where the demo's evidence package goes: --out DIR (new or empty, or --force), else a new temporary directory. */
function outputOf(options: Readonly<Record<string, string | boolean | undefined>>): { dir: string; earlier: string[] } {
  if (typeof options.out === "string" && options.out !== "") {
    return { dir: options.out, earlier: prepareOutput(options.out, options.force === true).earlier };
  }
  return { dir: mkdtempSync(join(tmpdir(), "tripwire-evidence-demo-")), earlier: [] };
}

const DEMO_OWNER = "Security Operations";
const DEMO_RUNBOOK = "https://wiki.example.com/security/runbooks/unauthorized-api-calls";

async function runDemo(userSettings: Settings, io: CliIo, out: { dir: string; earlier: string[] }): Promise<number> {
  const { org, alertQueue, alertQueueUrl, drifting, tested, exempt, proving } = seedDemoOrganization();
  // An exemption documented for 90 days of the simulation's clock (it starts on 2025-01-01).
  const expires = new Date(org.clock.now().getTime() + 90 * 86_400_000).toISOString().slice(0, 10);
  const exemption: Exemption = {
    account: exempt.id,
    reason: "sandbox without workloads; its trail is planned in ticket SEC-42",
    owner: "cloud platform team",
    expires,
  };
  const settings: Settings = Object.freeze({
    ...userSettings,
    accounts: undefined,
    excludeAccounts: [],
    ou: undefined,
    regions: undefined,
    dryRun: false,
    homeRegion: REGIONS[0],
    notify: [{ protocol: "sqs" as const, endpoint: alertQueue }],
    owner: userSettings.owner ?? DEMO_OWNER,
    runbookUrl: userSettings.runbookUrl ?? DEMO_RUNBOOK,
    exemptions: [exemption],
    exclusions: userSettings.exclusions.length > 0 ? userSettings.exclusions : [demoExclusion(org.clock.now())],
  });
  // The simulation's clock: alarm history and exemptions are judged on its time.
  const now = () => org.clock.now();
  const factory = () => simulatedFactory(org, settings);
  const json = settings.json;
  const say = (text: string) => {
    if (!json) io.stdout(`${text}\n`);
  };
  const heading = (text: string) => say(`\n=== ${text} ===\n`);
  const table = (report: Report) => say(renderReport(report, { color: colorFor(io, "stdout") }));

  say("tripwire demo: a SIMULATED organization of 8 accounts in 2 regions (us-east-1, eu-west-1).");
  say("Nothing here talks to AWS; every call goes to an in-memory simulation below the real SDK clients.");

  heading("1. scan (read-only)");
  const before = await runSweep({ mode: "scan", settings, factory: factory(), now });
  table(before);

  heading(`2. fix --notify sqs:${alertQueue}`);
  org.calls.reset();
  const fixed = await runSweep({ mode: "fix", settings, factory: factory(), now });
  table(fixed);
  say(`\n(${org.calls.count()} simulated API calls)`);

  heading("3. scan again");
  const after = await runSweep({ mode: "scan", settings, factory: factory(), now });
  table(after);

  heading(`4. drift: someone deletes tripwire's CIS v1.2 filter in ${drifting.name}`);
  const filterName = `${settings.prefix}-unauthorized-api-calls-cis-v1.2`;
  org.account(drifting.id).deleteMetricFilter(drifting.region, drifting.logGroup, filterName);
  say(`DeleteMetricFilter ${drifting.logGroup} / ${filterName} in ${drifting.id} (${drifting.region})`);
  const event = deleteMetricFilterEvent(drifting.id, drifting.region, drifting.logGroup, filterName, new Date());
  say(
    `EventBridge delivers "${event["detail-type"]}" ${event.detail.eventSource} ${event.detail.eventName} from ${event.account}; heal runs:`,
  );
  org.calls.reset();
  const outcome = await healFromEvent(event, {
    settings,
    factory: simulatedFactory(org, settings, { sessionPurpose: "heal" }),
  });
  const healJson =
    outcome.status === "refused" ? { status: outcome.status, reason: outcome.reason } : healOutcomeJson(outcome);
  if (outcome.status === "refused" || outcome.status === "ignored") {
    say(`heal ${outcome.status}: ${outcome.reason}`);
    if (json)
      io.stdout(
        `${JSON.stringify({ simulated: true, scan: before, fix: fixed, rescan: after, heal: healJson }, null, 2)}\n`,
      );
    return 1;
  }
  for (const a of outcome.result.actions) say(`  ${a.type} ${a.resource} (${a.applied ? "applied" : "not applied"})`);
  say(`${outcome.status}: ${outcome.reason}, after ${org.calls.count()} simulated API calls.`);

  heading(`5. explain: unauthorized calls in ${drifting.name} raise tripwire's alarm`);
  say("A CI pipeline probes 3 times for a role it has not created yet, and jane.doe tries once; CloudTrail delivers");
  say("the AccessDenied records, the alarm fires and notifies the queue. explain reads that notification:");
  say(`(exclusion in effect: ${JSON.stringify(settings.exclusions[0]?.match ?? {})})\n`);
  const explained = await explainOneAlarm(org, settings, {
    accountId: drifting.id,
    region: drifting.region,
    queueUrl: alertQueueUrl,
  });
  say(explanationText(explained.explanation).trimEnd());

  heading(`6. prove --accounts ${proving.id} (${proving.name}): a denied canary call, followed hop by hop`);
  const proof = await demoProve(org, settings, io, proving.id, !json);
  const proven = allProven(proof);

  heading(`7. a test of tripwire's alarm in ${tested.name}`);
  const alarmName = ownAlarmName(settings.prefix);
  const cloudWatch = (await factory().forAccount(tested.id)).cloudWatch(tested.region);
  for (const [state, reason] of [
    ["ALARM", "Operator test of the alert path (set-alarm-state)"],
    ["OK", "Operator test over"],
  ] as const) {
    await cloudWatch.send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: state, StateReason: reason }));
    say(`SetAlarmState ${alarmName} ${state} in ${tested.id} (${tested.region}): "${reason}"`);
    org.clock.advance(120_000);
  }

  heading("8. evidence package (tripwire evidence)");
  // The proof's records, as `prove --record` keeps them, in a directory the package reads
  // (`evidence --proofs DIR`): the page shows the last proof of the proven account.
  const proofs = writeProofRecords(proof.accounts);
  const bundle = await gatherEvidence({ settings, factory: factory(), now, proofs });
  const files = packageFiles(bundle, settings, TOOL, proofs.path);
  writePackage(out.dir, files, out.earlier);
  say(describePackage(out.dir, files, bundle));
  if (json) {
    const evidence = { directory: out.dir, files: files.map((f) => f.path) };
    const explain = explanationJson(explained.explanation);
    const document = {
      simulated: true,
      scan: before,
      fix: fixed,
      rescan: after,
      heal: healJson,
      explain,
      prove: proof,
      evidence,
    };
    io.stdout(`${JSON.stringify(document, null, 2)}\n`);
    return proven ? 0 : 1;
  }
  say("(the page's times are the simulation's clock, which starts on 2025-01-01)");

  heading("what you saw");
  say(
    [
      `- scan found ${before.summary.COMPLIANT} of ${before.summary.total} accounts compliant; after fix, ${after.summary.COMPLIANT}.`,
      "- what fix cannot repair is reported, not changed: a stopped trail (legacy-billing), a role that cannot be",
      "  assumed (partner-managed); suspended accounts are skipped.",
      `- sandbox has no trail, and a documented exemption (owner ${exemption.owner}, through ${expires}): reported EXEMPT,`,
      "  read but never written, and not counted as a failure.",
      `- tripwire's alarm names its owner (${settings.owner}) and runbook in its description and tags;`,
      "  the evidence package shows them, each account's chain, the alarm's state changes, workload-prod's proof,",
      "  and a coverage matrix.",
      "- customer resources were never modified: the disabled alarm in data-lake and the `||` filter in workload-dev stay,",
      "  reported, with tripwire's own chain beside them.",
      "- the alarm's page names who made the calls; the CI pipeline's documented exclusion kept it out of the count,",
      "  without changing the CIS filter pattern (scanners still pass).",
      `- prove ${proven ? "confirmed" : "did NOT confirm"} every hop in ${proving.name}: the denied canary reached the log group, the metric,`,
      "  the alarm, its SNS action and the subscriber, on the simulated clock.",
      "",
      `Open ${join(out.dir, "index.html")} in a browser.`,
      "This ran on a simulated organization. Against AWS: npx tripwire scan (see README: Usage).",
    ].join("\n"),
  );
  return proven ? 0 : 1;
}

/** Writes the records under a new temporary directory, each at its key (core/proof-record.ts). */
function writeProofRecords(records: readonly ProofRecord[]): { kind: "directory"; path: string } {
  const path = mkdtempSync(join(tmpdir(), "tripwire-demo-proofs-"));
  for (const record of records) {
    const file = join(path, proofRecordKey(record));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(record));
  }
  return { kind: "directory", path };
}

/** A DeleteMetricFilter call as EventBridge delivers it (events/drift/logs-delete-metric-filter.json's shape). */
function deleteMetricFilterEvent(account: string, region: string, logGroupName: string, filterName: string, at: Date) {
  const time = at.toISOString().replace(/\.\d{3}Z$/, "Z");
  const actor = `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_AdministratorAccess_4f8c2a1b9d3e7f60/jane.doe@example.com`;
  return {
    version: "0",
    id: "6f1c1d2e-0d3b-4c55-9a61-2d0f8c6b1a01",
    "detail-type": "AWS API Call via CloudTrail",
    source: "aws.logs",
    account,
    time,
    region,
    resources: [],
    detail: {
      eventVersion: "1.09",
      userIdentity: {
        type: "AssumedRole",
        principalId: "AROAEXAMPLEID1234567:jane.doe@example.com",
        arn: actor,
        accountId: account,
      },
      eventTime: time,
      eventSource: "logs.amazonaws.com",
      eventName: "DeleteMetricFilter",
      awsRegion: region,
      sourceIPAddress: "198.51.100.23",
      userAgent: "aws-cli/2.15.40",
      requestParameters: { logGroupName, filterName },
      responseElements: null,
      requestID: "2b8f0c64-7d0e-4a51-8d0a-9a7e3c1f5b02",
      eventID: "9d4e2f7a-3c1b-4e8d-a6f5-0b2c4d6e8f03",
      readOnly: false,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: "Management",
    },
  };
}
