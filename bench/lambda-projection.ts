/**
 * What the engine's CPU per account means on Lambda: the deployed sweep's wall time at
 * 512 MB, projected from a run of the deployed path here.
 *  - CPU share: "Lambda allocates CPU power in proportion to the amount of memory configured
 *    [...] At 1,769 MB, a function has the equivalent of one vCPU (one vCPU-second of credits
 *    per second)" (LAMBDA_MEMORY_DOC), so 512 MB is 512 / 1,769 = 0.289 vCPU, assumed to run
 *    the engine as fast as one core of this machine runs it at 1 vCPU.
 *  - Each of the ⌊C/b⌋ sweep-account containers reviews one batch at a time; a batch lasts at
 *    least its deepest review's latency and at least its accounts' engine CPU at that share,
 *    at most the two added: each batch is charged max(D·L, n·c/s) (low) or D·L + n·c/s (high),
 *    over the run's own batches (as the lower bound's T_batch counts them: n accounts, D the
 *    deepest review), with c the engine's mean CPU per account reviewed in the run.
 *  - The listing and the quotas pace the sweep as they do here: projection = max(T_list,
 *    T_quota, t_s + L + Σ batches / ⌊C/b⌋), low and high.
 * Not counted: cold starts (each container loads its bundle once: `npm run bench` prints the
 * load time), and the CPU the simulation does not spend and AWS's SDK does over HTTP (signing,
 * the request and the response's parsing).
 */
import type { RunFigures } from "./run-size.ts";

export const LAMBDA_MEMORY_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html";
/** serverless.yml: provider.memorySize. */
export const FUNCTION_MEMORY_MB = 512;
/** The memory at which Lambda gives one vCPU (LAMBDA_MEMORY_DOC). */
export const ONE_VCPU_MB = 1769;

export interface LambdaProjection {
  readonly memoryMb: number;
  readonly vcpu: number;
  readonly containers: number;
  /** Engine CPU per account reviewed, ms, on this machine. */
  readonly cpuPerAccountMs: number;
  /** Σ over the batches, low (max of latency and CPU) and high (their sum), ms. */
  readonly lowMs: number;
  readonly highMs: number;
}

export function projectOnLambda(f: RunFigures, memoryMb = FUNCTION_MEMORY_MB): LambdaProjection | undefined {
  if (f.path !== "lambda" || !f.batches || f.cpu.engineMs === undefined || f.cpu.reviewed === 0) return undefined;
  const vcpu = memoryMb / ONE_VCPU_MB;
  const b = Math.max(1, f.batchSize);
  const containers = Math.max(1, Math.floor(f.concurrency / b));
  const c = f.cpu.engineMs / f.cpu.reviewed;
  const L = f.bound.callMs;
  let low = 0;
  let high = 0;
  for (const batch of f.batches) {
    const latency = batch.deepest * L;
    const cpu = (batch.accounts * c) / vcpu;
    low += Math.max(latency, cpu);
    high += latency + cpu;
  }
  const floor = Math.max(f.bound.listingMs, f.bound.quotaMs);
  const start = f.bound.startMs + L;
  return {
    memoryMb,
    vcpu,
    containers,
    cpuPerAccountMs: c,
    lowMs: Math.max(floor, start + low / containers),
    highMs: Math.max(floor, start + high / containers),
  };
}
