/** An in-memory stand-in for the records bucket's sweep progress records. */
import type { SweepProgress, SweepProgressStore } from "../../shared/core/sweep-progress.ts";

export interface MemoryProgressStore extends SweepProgressStore {
  /** The stored records, by sweep id. */
  readonly records: Map<string, SweepProgress>;
  /** Every record written, in order. */
  readonly writes: SweepProgress[];
}

export function memoryProgressStore(): MemoryProgressStore {
  const records = new Map<string, SweepProgress>();
  const writes: SweepProgress[] = [];
  return {
    records,
    writes,
    read: async (sweepId) => records.get(sweepId),
    write: async (progress) => {
      writes.push(progress);
      records.set(progress.sweepId, progress);
    },
  };
}
