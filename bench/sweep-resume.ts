/**
 * How many account messages a retried sweep sends twice, when the first invocation is cut off
 * at a random point (Lambda's timeout, a crash): the deployed sweep's use case on the simulated
 * organization, with an in-memory queue and progress record.
 *  - The first invocation runs until call K (every AWS call counts: Organizations, the
 *    management account's review, SendMessageBatch, the record's PutObject), K drawn at
 *    random over the length of a full run. From call K on, every call hangs: the invocation is
 *    dead. The call in flight at the cut may or may not have taken effect (a coin toss): a
 *    batch SQS accepted whose answer never came back, a record written or not.
 *  - The retry (Lambda's, same sweep id, a fresh container) runs to the end.
 *  - Duplicates: messages accepted by the queue minus distinct accounts; missing: members
 *    without any message. With `record: false` the retry starts without the record (what the
 *    sweep did before it kept one).
 * Prints the figures: `npx tsx bench/sweep-resume.ts [--members 200] [--cuts 200] [--seed 7]`.
 */
import { fileURLToPath } from "node:url";
import { ClientFactory } from "../shared/adapters/aws/client-factory.ts";
import type { AnyClient } from "../shared/adapters/aws/instrument.ts";
import { loadSettings } from "../shared/config/settings.ts";
import type { SweepProgress, SweepProgressStore } from "../shared/core/sweep-progress.ts";
import { SeededRandom } from "../shared/simulation/determinism.ts";
import { createSimulatedOrganization, type SimulatedOrganization } from "../shared/simulation/index.ts";
import { type AccountQueue, enqueueAccounts } from "../shared/use-cases/enqueue-accounts.ts";

export interface CutResult {
  /** Calls the first invocation made before it was cut off. */
  readonly cutAt: number;
  readonly sentBeforeCut: number;
  readonly duplicates: number;
  readonly missing: number;
}

export interface ResumeFigures {
  readonly members: number;
  readonly cuts: number;
  readonly callsPerFullRun: number;
  readonly meanDuplicates: number;
  readonly p95Duplicates: number;
  readonly maxDuplicates: number;
  readonly missing: number;
  readonly results: readonly CutResult[];
}

const SWEEP_ID = "bench-sweep-resume";
const settings = loadSettings({ cli: { maxAttempts: "3", concurrency: "5" }, env: {} });

/** Every call of one invocation goes through the gate: counted, and after the cut, hung. */
class Invocation {
  calls = 0;
  constructor(
    readonly cutAt: number,
    readonly random: SeededRandom,
  ) {}

  /** Runs `call` unless the invocation is dead; the call at the cut takes effect on a coin toss, then hangs. */
  gate<T>(call: () => Promise<T>): Promise<T> {
    this.calls++;
    if (this.calls < this.cutAt) return call();
    if (this.calls === this.cutAt && this.random.next() < 0.5) void call().catch(() => undefined);
    return new Promise<T>(() => undefined);
  }
}

function buildOrganization(members: number): SimulatedOrganization {
  const org = createSimulatedOrganization({ regions: ["us-east-1", "eu-west-1"] });
  for (let i = 0; i < members; i++) org.addAccount({ name: `workload-${i}` });
  return org;
}

function factoryThrough(org: SimulatedOrganization, invocation: Invocation): ClientFactory {
  const instrument = (client: AnyClient) => {
    org.instrument(client);
    const stack = (client as unknown as { middlewareStack: { add: (mw: unknown, options: object) => void } })
      .middlewareStack;
    stack.add((next: (args: unknown) => Promise<unknown>) => (args: unknown) => invocation.gate(() => next(args)), {
      step: "initialize",
      name: "benchCut",
    });
  };
  return new ClientFactory(
    {
      homeRegion: settings.homeRegion,
      credentials: org.credentialsFor(org.managementAccountId),
      maxAttempts: settings.maxAttempts,
      retryDelayMs: () => 1,
      instrument,
    },
    { roleName: settings.roleName, sessionName: "tripwire-sweep" },
  );
}

/** One invocation of the sweep; resolves when it ends, or never when it is cut off. */
function invoke(
  org: SimulatedOrganization,
  invocation: Invocation,
  records: Map<string, SweepProgress>,
  accepted: string[],
): Promise<unknown> {
  const queue: AccountQueue = (messages) =>
    invocation.gate(async () => {
      accepted.push(...messages.map((m) => m.accountId));
      return [];
    });
  const progress: SweepProgressStore = {
    read: (id) => invocation.gate(async () => records.get(id)),
    write: (p) => invocation.gate(async () => void records.set(p.sweepId, p)),
  };
  return enqueueAccounts({
    settings,
    mode: "scan",
    factory: factoryThrough(org, invocation),
    queue,
    progress,
    organizationId: org.organizationId,
    sweepId: SWEEP_ID,
    now: () => new Date("2025-03-05T02:00:01Z"),
    sleep: async () => undefined,
  });
}

/** Waits until the invocation has ended or stopped making calls (it is cut off). */
async function settle(run: Promise<unknown>, invocation: Invocation): Promise<void> {
  let ended = false;
  void run.then(
    () => (ended = true),
    () => (ended = true),
  );
  let last = -1;
  let still = 0;
  while (!ended && still < 20) {
    await new Promise((resolve) => setImmediate(resolve));
    still = invocation.calls === last ? still + 1 : 0;
    last = invocation.calls;
  }
}

/** Calls of an invocation that is never cut off. */
export async function callsPerFullRun(members: number): Promise<number> {
  const invocation = new Invocation(Number.POSITIVE_INFINITY, new SeededRandom(1));
  await invoke(buildOrganization(members), invocation, new Map(), []);
  return invocation.calls;
}

export async function cutAndRetry(options: {
  readonly members: number;
  readonly cutAt: number;
  readonly seed: number;
  /** false: the retry starts without the first invocation's record. */
  readonly record?: boolean;
}): Promise<CutResult> {
  const org = buildOrganization(options.members);
  const records = new Map<string, SweepProgress>();
  const accepted: string[] = [];
  const first = new Invocation(options.cutAt, new SeededRandom(options.seed));
  await settle(invoke(org, first, records, accepted), first);
  const sentBeforeCut = accepted.length;
  if (options.record === false) records.clear();
  await invoke(org, new Invocation(Number.POSITIVE_INFINITY, new SeededRandom(options.seed)), records, accepted);
  const members = org.accountIds().filter((id) => id !== org.managementAccountId);
  const distinct = new Set(accepted);
  return {
    cutAt: options.cutAt,
    sentBeforeCut,
    duplicates: accepted.length - distinct.size,
    missing: members.filter((id) => !distinct.has(id)).length,
  };
}

export async function measureResume(options: {
  readonly members: number;
  readonly cuts: number;
  readonly seed: number;
  readonly record?: boolean;
}): Promise<ResumeFigures> {
  const full = await callsPerFullRun(options.members);
  const random = new SeededRandom(options.seed);
  const results: CutResult[] = [];
  for (let i = 0; i < options.cuts; i++) {
    const cutAt = 1 + Math.floor(random.next() * full);
    results.push(
      await cutAndRetry({ members: options.members, cutAt, seed: options.seed + i, record: options.record }),
    );
  }
  const sorted = results.map((r) => r.duplicates).sort((a, b) => a - b);
  return {
    members: options.members,
    cuts: options.cuts,
    callsPerFullRun: full,
    meanDuplicates: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
    p95Duplicates: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0,
    maxDuplicates: sorted.at(-1) ?? 0,
    missing: results.reduce((a, r) => a + r.missing, 0),
    results,
  };
}

function line(label: string, f: ResumeFigures): string {
  return (
    `${label}: ${f.cuts} cuts over ${f.callsPerFullRun} calls, ${f.members} members: duplicates mean ` +
    `${f.meanDuplicates.toFixed(1)}, p95 ${f.p95Duplicates}, max ${f.maxDuplicates}; members missing ${f.missing}`
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const options = { members: flag("members", 200), cuts: flag("cuts", 200), seed: flag("seed", 7) };
  console.log(line("with the progress record", await measureResume(options)));
  console.log(line("without it (retry from scratch)", await measureResume({ ...options, record: false })));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
