/**
 * The simulated organization's clock. Every time the simulation states comes from it: creation
 * and state times, CloudTrail eventTime, log event and datapoint timestamps, alarm state times.
 *
 * Time moves only when someone moves it: `advance(ms)` (or `await sleep(ms)`) runs every task
 * scheduled up to the new time, in time order (ties in the order they were scheduled), with
 * `now()` reading each task's own time while it runs. Tasks are what the live chain schedules:
 * log delivery after CloudTrail's delay, alarm evaluation each minute.
 *
 * `tick()` is the reading the resource writers use. It moves the clock by `stepMs` after each
 * reading, so that seeded resources get distinct, ordered times (the behaviour of the former
 * stepping clock, kept while the live chain is off). With the live chain on, the step is 0:
 * the chain's times must move only when the caller advances, or a delivery "after the delay"
 * would depend on how many resources were written meanwhile.
 */

/** What code above the simulation (a use case that waits) takes: the time, and a way to wait. */
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

/** The organization's clock as tests and the demo drive it. */
export interface SimulationClock extends Clock {
  /** Moves time forward by `ms`, running every task due by then, in time order. */
  advance(ms: number): void;
  /** Moves time forward to `at` (no-op when `at` is not after now). */
  advanceTo(at: Date): void;
  /** Like `advance`, then waits for the asynchronous work those tasks started (listeners). */
  sleep(ms: number): Promise<void>;
}

interface Task {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

export class SimulatedClock implements SimulationClock {
  #now: number;
  #seq = 0;
  readonly #heap: Task[] = [];
  readonly #pending = new Set<Promise<unknown>>();

  constructor(
    start: Date,
    private readonly stepMs: number,
  ) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  /** Epoch milliseconds, without a Date. */
  nowMs(): number {
    return this.#now;
  }

  /** A reading for a resource timestamp: the current time, then the clock moves by the step. */
  tick(): Date {
    const at = new Date(this.#now);
    this.#now += this.stepMs;
    return at;
  }

  /** The current time without stepping. */
  peek(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`the simulated clock only moves forward: ${ms} ms`);
    this.#runUntil(this.#now + ms);
  }

  advanceTo(at: Date): void {
    const target = at.getTime();
    if (target > this.#now) this.#runUntil(target);
    else this.#runUntil(this.#now);
  }

  async sleep(ms: number): Promise<void> {
    this.advance(ms);
    // Let work the tasks started (an SQS consumer, a Lambda listener) run before the caller goes on;
    // the first failure of that work is the sleeper's failure, so a broken listener is not silent.
    let failure: { reason: unknown } | undefined;
    while (this.#pending.size > 0) {
      for (const r of await Promise.allSettled([...this.#pending])) {
        if (r.status === "rejected" && !failure) failure = { reason: r.reason };
      }
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (failure) throw failure.reason;
  }

  /** Runs `run` when the clock reaches `at` (epoch ms); a time already past runs at the next advance. */
  schedule(at: number, run: () => void): void {
    this.#push({ at, seq: this.#seq++, run });
  }

  /**
   * Runs a listener: its asynchronous work is tracked, and a failure (thrown or rejected) is
   * kept for the next `sleep` to rethrow instead of breaking the call that triggered it.
   */
  run(listener: () => unknown): void {
    let work: unknown;
    try {
      work = listener();
    } catch (error) {
      work = Promise.reject(error);
    }
    if (work instanceof Promise) this.track(work);
  }

  /** Keeps track of asynchronous work a task started, so `sleep` can wait for it. */
  track(work: Promise<unknown>): void {
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work)).catch(() => undefined);
  }

  /** Tasks not yet run (for tests and the docs' cost notes). */
  get scheduled(): number {
    return this.#heap.length;
  }

  #runUntil(target: number): void {
    for (;;) {
      const next = this.#heap[0];
      if (next === undefined || next.at > target) break;
      this.#pop();
      if (next.at > this.#now) this.#now = next.at;
      next.run();
    }
    if (target > this.#now) this.#now = target;
  }

  #push(task: Task): void {
    const heap = this.#heap;
    heap.push(task);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Task, heap[parent] as Task)) break;
      [heap[i], heap[parent]] = [heap[parent] as Task, heap[i] as Task];
      i = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < heap.length && before(heap[l] as Task, heap[best] as Task)) best = l;
      if (r < heap.length && before(heap[r] as Task, heap[best] as Task)) best = r;
      if (best === i) break;
      [heap[i], heap[best]] = [heap[best] as Task, heap[i] as Task];
      i = best;
    }
  }
}

function before(a: Task, b: Task): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
