/** `tripwire prove` as a command: its usage errors, its confirmation, its output and exit code. */
import { beforeEach, describe, expect, it } from "vitest";
import { type CliIo, main } from "../../shared/cli/main.ts";
import type { ProveReport } from "../../shared/core/proof-run.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import type { SimulatedAccount, SimulatedOrganization } from "../../shared/simulation/index.ts";
import { HOME, scenarios, sweep } from "../support/integration-harness.ts";
import { canaryCalls, liveOrganization } from "../support/prove-harness.ts";

interface Captured extends CliIo {
  readonly out: string[];
  readonly err: string[];
  readonly questions: string[];
}

function captureIo(answer?: string): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  return {
    out,
    err,
    questions,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env: {},
    isTty: false,
    ...(answer === undefined
      ? {}
      : {
          ask: async (q: string) => {
            questions.push(q);
            return answer;
          },
        }),
  };
}

let org: SimulatedOrganization;
let member: SimulatedAccount;
let queue: { arn: string };
const deps = () => ({
  factoryFor: (s: Parameters<typeof simulatedFactory>[1], purpose: string) =>
    simulatedFactory(org, s, { sessionPurpose: purpose }),
  clock: org.clock,
});
const run = (args: string[], io: Captured) => main(["prove", "--accounts", member.id, ...args], io, deps());

beforeEach(async () => {
  org = liveOrganization();
  member = org.addAccount({ name: "workload" });
  queue = org.account(org.managementAccountId).createQueue(HOME, "security-alerts");
  scenarios.bareAccount(member, HOME);
  await sweep(org, "fix", { accounts: member.id, notify: [`sqs:${queue.arn}`] });
  org.calls.reset();
});

describe("tripwire prove, bad usage", () => {
  it("needs --yes without a terminal, and says why, before any AWS call", async () => {
    const io = captureIo();

    expect(await run([], io)).toBe(2);
    expect(io.err.join("")).toMatch(/pages the people subscribed .*: without a terminal to confirm, pass --yes/);
    expect(org.calls.count()).toBe(0);
  });

  it("refuses a --timeout that is not a duration", async () => {
    const io = captureIo();

    expect(await run(["--yes", "--timeout", "20 minutes"], io)).toBe(2);
    expect(io.err[0]).toMatch(/^tripwire: --timeout "20 minutes" is not a duration/);
  });

  it("refuses a --record that is not an S3 location", async () => {
    const io = captureIo();

    expect(await run(["--yes", "--record", "/tmp/proofs"], io)).toBe(2);
    expect(io.err[0]).toBe('tripwire: --record "/tmp/proofs" is not s3://<bucket>[/<prefix>]\n');
  });
});

describe("tripwire prove at a terminal", () => {
  it("says who will be paged before it asks", async () => {
    const io = captureIo("n");

    await run([], io);

    const topic = `arn:aws:sns:${HOME}:${member.id}:tripwire-unauthorized-api-calls`;
    expect(io.err.join("")).toContain(`  ${topic} (1 confirmed, 0 pending subscription(s))\n`);
    expect(io.questions).toEqual(["prove: fire the canaries? [y/N] "]);
  });

  it("fires nothing when the answer is not yes, and exits 1", async () => {
    const io = captureIo("");

    expect(await run([], io)).toBe(1);
    expect(canaryCalls(org)).toBe(0);
  });

  it("proves after a yes, and exits 0", async () => {
    expect(await run([], captureIo("y"))).toBe(0);
  });
});

describe("tripwire prove --yes", () => {
  it("prints the report as one JSON document, with each account's region and hops", async () => {
    const io = captureIo();

    await run(["--yes", "--json"], io);

    const report = JSON.parse(io.out.join("")) as ProveReport;
    expect(report).toMatchObject({
      version: 1,
      mode: "prove",
      accounts: [{ accountId: member.id, region: HOME, status: "PROVEN" }],
    });
    expect(report.accounts[0]?.hops.map((h) => h.code)).toEqual([
      "CANARY_DENIED",
      "DELIVERED_TO_LOG_GROUP",
      "METRIC_INCREMENTED",
      "ALARM_FIRED",
      "ACTION_EXECUTED",
      "NOTIFICATION_RECEIVED",
    ]);
  });

  it("reports progress on stderr hop by hop", async () => {
    const io = captureIo();

    await run(["--yes"], io);

    const hops = io.err.filter((l) => /^prove: \d{12} [A-Z_]+ ok/.test(l)).map((l) => l.split(" ")[2]);
    expect(hops).toEqual([
      "CANARY_DENIED",
      "DELIVERED_TO_LOG_GROUP",
      "METRIC_INCREMENTED",
      "ALARM_FIRED",
      "ACTION_EXECUTED",
      "NOTIFICATION_RECEIVED",
    ]);
  });

  it("exits 1 when a proof fails: with --timeout shorter than CloudTrail's delivery, at DELIVERED_TO_LOG_GROUP", async () => {
    const io = captureIo();

    expect(await run(["--yes", "--json", "--timeout", "2m"], io)).toBe(1);
    expect((JSON.parse(io.out.join("")) as ProveReport).accounts[0]?.failedHop).toBe("DELIVERED_TO_LOG_GROUP");
  });

  it("exits 1 when an in-scope account is not COMPLIANT", async () => {
    const other = org.addAccount({ name: "bare" });
    scenarios.bareAccount(other, HOME);
    const io = captureIo();

    expect(await main(["prove", "--yes", "--accounts", other.id], io, deps())).toBe(1);
    expect(io.err.join("")).toContain("no COMPLIANT account to prove: nothing fired");
  });
});

describe("tripwire prove's report colour", () => {
  const ESCAPE = "\u001b[";

  it("is plain when stdout is redirected, though stderr is a terminal", async () => {
    const io: Captured = { ...captureIo(), isTty: true, stdoutIsTty: false };
    await run(["--yes"], io);
    expect(io.out.join("")).not.toContain(ESCAPE);
  });

  it("is coloured when stdout is a terminal, though stderr is not", async () => {
    const io: Captured = { ...captureIo(), isTty: false, stdoutIsTty: true };
    await run(["--yes"], io);
    expect(io.out.join("")).toContain(ESCAPE);
  });
});
