import { describe, expect, it } from "vitest";
import { SimulatedClock } from "../../shared/simulation/clock.ts";

const START = new Date("2025-01-01T00:00:00Z");

describe("simulated clock", () => {
  it("runs the tasks due by the new time in time order, each reading its own time", () => {
    const clock = new SimulatedClock(START, 0);
    const seen: string[] = [];
    clock.schedule(START.getTime() + 3000, () => seen.push(`c@${clock.now().toISOString()}`));
    clock.schedule(START.getTime() + 1000, () => seen.push(`a@${clock.now().toISOString()}`));
    clock.schedule(START.getTime() + 2000, () => seen.push(`b@${clock.now().toISOString()}`));

    clock.advance(2500);

    expect(seen).toEqual(["a@2025-01-01T00:00:01.000Z", "b@2025-01-01T00:00:02.000Z"]);
    expect(clock.now().toISOString()).toBe("2025-01-01T00:00:02.500Z");
  });

  it("runs tasks of the same time in the order they were scheduled", () => {
    const clock = new SimulatedClock(START, 0);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) clock.schedule(START.getTime() + 10, () => seen.push(i));

    clock.advance(10);

    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it("runs a task scheduled by a task when it falls within the same advance", () => {
    const clock = new SimulatedClock(START, 0);
    const seen: number[] = [];
    clock.schedule(START.getTime() + 100, () => {
      seen.push(clock.nowMs());
      clock.schedule(clock.nowMs() + 100, () => seen.push(clock.nowMs()));
    });

    clock.advance(1000);

    expect(seen).toEqual([START.getTime() + 100, START.getTime() + 200]);
  });

  it("leaves a task that is not due yet for a later advance", () => {
    const clock = new SimulatedClock(START, 0);
    let ran = false;
    clock.schedule(START.getTime() + 60_000, () => {
      ran = true;
    });

    clock.advance(59_999);

    expect(ran).toBe(false);
    expect(clock.scheduled).toBe(1);
  });

  it("waits in sleep for the asynchronous work a task started", async () => {
    const clock = new SimulatedClock(START, 0);
    let finished = false;
    clock.schedule(START.getTime() + 10, () => {
      clock.track(
        new Promise<void>((resolve) =>
          setTimeout(() => {
            finished = true;
            resolve();
          }, 5),
        ),
      );
    });

    await clock.sleep(10);

    expect(finished).toBe(true);
  });

  it("steps after each resource reading by the step it was built with", () => {
    const clock = new SimulatedClock(START, 1000);

    const first = clock.tick();
    const second = clock.tick();

    expect(second.getTime() - first.getTime()).toBe(1000);
  });

  it("refuses to move backwards", () => {
    const clock = new SimulatedClock(START, 0);

    expect(() => clock.advance(-1)).toThrow(/only moves forward/);
  });
});
