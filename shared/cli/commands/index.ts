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
    name: "prune",
    synopsis: "prune [--dry-run]",
    summary: "remove everything tripwire created in the in-scope accounts",
    description: "Deletes tripwire's alarms, metric filters and topics, and nothing else.",
    options: [],
    load: () => import("./prune.ts").then((m) => m.pruneCommand),
  },
  {
    name: "demo",
    synopsis: "demo",
    summary: "the whole flow on a simulated organization (no AWS needed)",
    description: "Seeds a simulated organization, then scans, fixes, scans again and heals a drift.",
    options: [],
    offline: true,
    load: () => import("./demo.ts").then((m) => m.demoCommand),
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
