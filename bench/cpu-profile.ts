/**
 * Where a run's CPU goes, from V8's sampling profiler (the same profiler as `node --cpu-prof`),
 * started in process around the sweep only (not the seeding or the module loading):
 *  - each sample is charged to the function on top of the stack, and that function to a
 *    share by its file: the engine (tripwire's shared/ and functions/ code, the AWS SDK and
 *    middy), the simulation (shared/simulation/ and the benchmark's own bench/ code: the latency
 *    model, the in-memory queue), or neither (V8's garbage collector, node's own internals and
 *    native frames: timers, promise jobs), which is split between the two in proportion;
 *  - idle samples are no CPU.
 * The CPU time itself comes from process.cpuUsage (user + system) of the run; the profile only
 * gives the shares. At a 10 ms sampling interval the profiler costs well under 1 % of the CPU.
 */
import { Session } from "node:inspector/promises";

export type Share = "engine" | "simulation" | "unattributed";

export interface CpuShares {
  /** Sampled non-idle time, ms, by share. */
  readonly sampledMs: Readonly<Record<Share, number>>;
  /** Engine / (engine + simulation): the fraction of the unattributed time charged to the engine. */
  readonly engineFraction: number;
  /** Sampled time charged to the garbage collector, ms (part of "unattributed"). */
  readonly gcMs: number;
  readonly samples: number;
  readonly intervalUs: number;
  /** Top self-time functions of the engine share: "name file:line" → ms. */
  readonly topEngine: readonly (readonly [string, number])[];
  /** Top self-time functions of the simulation share. */
  readonly topSimulation: readonly (readonly [string, number])[];
}

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}
export interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const ENGINE_PACKAGES = /node_modules\/(@aws-sdk|@smithy|@aws-crypto|@middy|tslib|fast-xml-parser|strnum|bowser)\//;

/** Which share a frame's self time belongs to. */
export function shareOf(frame: CallFrame): Share | "idle" {
  const { functionName, url } = frame;
  if (functionName === "(idle)") return "idle";
  if (!url) return "unattributed";
  if (/\/shared\/simulation\//.test(url) || /\/bench\//.test(url)) return "simulation";
  if (ENGINE_PACKAGES.test(url)) return "engine";
  if (/\/(shared|functions)\//.test(url) && !url.includes("node_modules")) return "engine";
  return "unattributed";
}

const label = (f: CallFrame) =>
  `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*node_modules\//, "").replace(/^.*\/(shared|functions|bench)\//, "$1/")}:${f.lineNumber + 1}`;

export function attribute(profile: Profile, intervalUs: number, top = 8): CpuShares {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const sampledMs: Record<Share, number> = { engine: 0, simulation: 0, unattributed: 0 };
  let gcMs = 0;
  const functions: Record<"engine" | "simulation", Map<string, number>> = { engine: new Map(), simulation: new Map() };
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const share = shareOf(node.callFrame);
    if (share === "idle") continue;
    const ms = us / 1000;
    sampledMs[share] += ms;
    if (node.callFrame.functionName === "(garbage collector)") gcMs += ms;
    if (share !== "unattributed") {
      const key = label(node.callFrame);
      functions[share].set(key, (functions[share].get(key) ?? 0) + ms);
    }
  }
  const attributed = sampledMs.engine + sampledMs.simulation;
  const topOf = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => [k, Math.round(v)] as const);
  return {
    sampledMs,
    engineFraction: attributed > 0 ? sampledMs.engine / attributed : 1,
    gcMs,
    samples: profile.samples.length,
    intervalUs,
    topEngine: topOf(functions.engine),
    topSimulation: topOf(functions.simulation),
  };
}

export interface Profiler {
  /** Stops the profiler; the profile, and the shares of its samples. */
  stop(): Promise<{ profile: Profile; shares: CpuShares }>;
}

/** Starts V8's sampling profiler in this process. */
export async function startProfiler(intervalUs = 10_000): Promise<Profiler> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: intervalUs });
  await session.post("Profiler.start");
  return {
    async stop() {
      const { profile } = (await session.post("Profiler.stop")) as { profile: Profile };
      session.disconnect();
      return { profile, shares: attribute(profile, intervalUs) };
    },
  };
}
