/** Every `tripwire` command, in the order help lists them. A new command adds one entry here. */
import type { CommandSpec } from "../command.ts";

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "scan",
    synopsis: "scan",
    summary: "read-only: judge every in-scope account (exit 0 compliant, 1 not or error, 2 bad usage)",
    description:
      "Reads each in-scope account's trail, metric filters, alarms and topics and judges the control.\nWrites nothing.",
    options: [],
    load: () => import("./sweep.ts").then((m) => m.scanCommand),
  },
  {
    name: "fix",
    synopsis: "fix [--dry-run]",
    summary: "plan and (unless --dry-run) create what is missing; exit code judged after the run",
    description:
      "Puts tripwire's own filters, alarm and topic beside whatever each account has, where the chain\nneeds them. Trails are reported, never changed. --dry-run lists the writes without making them.",
    options: [],
    load: () => import("./sweep.ts").then((m) => m.fixCommand),
  },
  {
    name: "heal",
    synopsis: "heal --event FILE",
    summary: "repair one account and region from an EventBridge drift event",
    description: "Runs the heal the deployed function runs, on one EventBridge event read from FILE.",
    options: [{ name: "event", type: "string", value: "FILE", description: "the EventBridge event, as JSON" }],
    load: () => import("./heal.ts").then((m) => m.healCommand),
  },
  {
    name: "explain",
    synopsis: "explain --alarm FILE",
    summary: "who did what to raise one alarm: its notification's events, grouped, with exclusions",
    description:
      "Reads the alarm's SNS notification from FILE (- for standard input: an SNS envelope, the Lambda\nSNS event or the bare alarm message), then the matching events of its evaluation window, and groups\nthem by account, principal, call, error and source IP. Writes nothing.",
    options: [
      { name: "alarm", type: "string", value: "FILE", description: "the alarm notification, as JSON (- for stdin)" },
    ],
    load: () => import("./explain.ts").then((m) => m.explainCommand),
  },
  {
    name: "replay",
    synopsis: "replay --since DURATION",
    summary: "how often each account's alarm would have fired over a past span, with and without exclusions",
    description:
      "Reads, per in-scope account, the events its covering filters (or tripwire's, before a fix) match\nover the last DURATION (90m, 24h, 7d), and counts the periods its alarm would have been in ALARM,\nwith and without the exclusions. Writes nothing.",
    options: [
      { name: "since", type: "string", value: "DURATION", description: "how far back: 90m, 24h, 7d (up to 90d)" },
    ],
    load: () => import("./replay.ts").then((m) => m.replayCommand),
  },
  {
    name: "prune",
    synopsis: "prune [--dry-run]",
    summary: "remove everything tripwire created in the in-scope accounts",
    description: "Deletes tripwire's alarms, metric filters and topics, and nothing else.",
    options: [],
    load: () => import("./prune.ts").then((m) => m.pruneCommand),
  },
  {
    name: "prove",
    synopsis: "prove [--timeout D] [--yes] [--record s3://BUCKET/PREFIX]",
    summary: "fire a denied canary call per compliant account and follow its alert to the subscribers",
    description:
      "Scans, then in each COMPLIANT account makes one sts:AssumeRole of <prefix>-prove-canary (a role that\n" +
      "does not exist: denied, recorded by CloudTrail) and follows it hop by hop: CANARY_DENIED,\n" +
      "DELIVERED_TO_LOG_GROUP, METRIC_INCREMENTED, ALARM_FIRED, ACTION_EXECUTED, NOTIFICATION_RECEIVED.\n" +
      "The alarm notifies its subscribers: with a terminal, tripwire says who and asks once; without one,\n" +
      "pass --yes. Nothing is written but --record's records. Exit 0 when every in-scope account was\n" +
      'proven, 1 otherwise. What each hop means and what to do when one fails: README, "Prove the alert path".',
    options: [
      {
        name: "timeout",
        type: "string",
        value: "D",
        description: "how long to follow the hops after the canaries: 90s, 20m (default 20m)",
      },
      { name: "yes", type: "boolean", description: "fire without asking (required without a terminal)" },
      {
        name: "record",
        type: "string",
        value: "s3://B/P",
        description: "write one proof record per account to S3 under P (proofs/<account>/<region>/<time>.json)",
      },
    ],
    load: () => import("./prove.ts").then((m) => m.proveCommand),
  },
  {
    name: "demo",
    synopsis: "demo",
    summary: "the whole flow on a simulated organization (no AWS needed)",
    description:
      "Seeds a simulated organization, then scans, fixes, scans again, heals a drift, tests an alarm and writes\nthe evidence package: to a new temporary directory, or to --out DIR (new or empty, or --force).",
    options: [
      { name: "out", type: "string", value: "DIR", description: "where to write the evidence package (new or empty)" },
      {
        name: "force",
        type: "boolean",
        description: "write into a DIR that is not empty (replaces an earlier package)",
      },
    ],
    offline: true,
    load: () => import("./demo.ts").then((m) => m.demoCommand),
  },
  {
    name: "evidence",
    synopsis: "evidence --out DIR [--force] [--proofs SRC]",
    summary: "read-only: scan, and write the audit package (HTML page, report, raw exports, manifest)",
    description:
      "Scans every in-scope account and writes, to a new or empty DIR: index.html (one self-contained page:\ncoverage matrix, each account's chain, findings, scanner predictions, alarm state changes, last proof,\nexemptions), report.json, accounts/<id>.json (the configuration as AWS returned it) and manifest.json\n(SHA-256 of each file). Emails and web endpoints are redacted. Writes nothing in AWS; exit codes as scan.",
    options: [
      { name: "out", type: "string", value: "DIR", description: "where to write the package (new or empty)" },
      {
        name: "force",
        type: "boolean",
        description: "write into a DIR that is not empty (replaces an earlier package)",
      },
      {
        name: "proofs",
        type: "string",
        value: "SRC",
        description: "proof records: s3://BUCKET[/PREFIX] or a directory (SRC/proofs/<account>/...)",
      },
    ],
    load: () => import("./evidence.ts").then((m) => m.evidenceCommand),
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
