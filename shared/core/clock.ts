/**
 * What a use case that waits takes: the time, and a way to wait. Real time in production
 * (shared/cli/real-clock.ts), the simulated organization's clock in tests and the demo
 * (`org.clock`, which satisfies this interface).
 */
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}
