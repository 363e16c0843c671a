/**
 * The emulator world of one test file: one moto server, the fault proxy in front of it (the
 * CLI's endpoint), the boto3 arranger (which talks to moto directly, so the proxy records
 * only the CLI's calls), and the CLI. Moto's state, the proxy's rules and its record are
 * reset before each test.
 *
 * Call `emulatorUnavailable()` at module level and `useEmulator()` inside a
 * `describe.skipIf(...)`: the suite skips itself, saying why, only when moto cannot run here.
 */
import { afterAll, beforeAll, beforeEach } from "vitest";
import { Arranger } from "./arrange.ts";
import { type TripwireCli, tripwireCli } from "./cli.ts";
import { type FaultProxy, startFaultProxy } from "./fault-proxy.ts";
import { type MotoServer, motoUnavailable, startMoto } from "./moto-server.ts";

let checked: string | undefined | null = null;

/** Why the emulator suite cannot run (printed once), or undefined when it can. */
export function emulatorUnavailable(): string | undefined {
  if (checked === null) {
    checked = motoUnavailable();
    // CI sets CI_STRICT: there a missing moto is a failure, never a silent skip.
    if (checked && process.env.CI_STRICT)
      throw new Error(`the emulator suite must run here, but moto is unavailable: ${checked}`);
    if (checked) console.warn(`emulator suite skipped: python3 -m moto is unavailable: ${checked}`);
  }
  return checked;
}

export interface Emulator {
  readonly moto: MotoServer;
  readonly proxy: FaultProxy;
  readonly aws: Arranger;
  readonly cli: TripwireCli;
}

/** Registers the hooks that start, reset and stop the emulator; the getters work inside tests. */
export function useEmulator(): Emulator {
  let moto: MotoServer | undefined;
  let proxy: FaultProxy | undefined;
  let aws: Arranger | undefined;
  let cli: TripwireCli | undefined;

  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startFaultProxy(moto.endpoint);
    aws = Arranger.start(moto.endpoint);
    cli = tripwireCli({ endpoint: proxy.endpoint });
  }, 60_000);

  beforeEach(async () => {
    await moto?.reset();
    proxy?.reset();
  });

  afterAll(async () => {
    cli?.dispose();
    await aws?.stop();
    await proxy?.close();
    await moto?.stop();
  }, 30_000);

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the emulator's ${what} is not started (beforeAll failed?)`);
    return value;
  };
  return {
    get moto() {
      return need(moto, "moto server");
    },
    get proxy() {
      return need(proxy, "fault proxy");
    },
    get aws() {
      return need(aws, "arranger");
    },
    get cli() {
      return need(cli, "CLI");
    },
  };
}
