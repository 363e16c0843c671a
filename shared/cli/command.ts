/**
 * What every `tripwire` command is: its metadata (name, options, help), read at start-up, and
 * its body, imported only when the command runs, so `tripwire help` loads no AWS client.
 */
import type { ClientFactory } from "../adapters/aws/client-factory.ts";
import type { SessionPurpose } from "../adapters/aws/production-factory.ts";
import type { Settings } from "../config/settings.ts";
import type { Clock } from "../core/clock.ts";
import type { CliIo } from "./io.ts";

/** An option of one command only (the settings' options are every command's). */
export interface CommandOption {
  readonly name: string;
  readonly type: "string" | "boolean";
  /** Shown in help: `--event FILE`. */
  readonly value?: string;
  readonly description: string;
}

export interface CommandContext {
  readonly settings: Settings;
  readonly io: CliIo;
  /** Values of the command's own options, by option name. */
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  /** Builds the AWS client factory for a run (tests pass one on a simulated organization). */
  readonly factoryFor: (settings: Settings, purpose: SessionPurpose) => ClientFactory;
  /** The time; the clock's when absent (tests pass a simulated one). */
  readonly now?: () => Date;
  /** The clock a command that waits uses (`prove`); real time unless a test gives one. */
  readonly clock?: Clock;
}

export interface CommandBody {
  run(context: CommandContext): Promise<number>;
}

export interface CommandSpec {
  readonly name: string;
  /** `heal --event FILE`. */
  readonly synopsis: string;
  /** One line for the command list. */
  readonly summary: string;
  /** A few lines for `tripwire help <command>`. */
  readonly description: string;
  readonly options: readonly CommandOption[];
  /** True for a command that talks to no AWS account (the demo): no AWS profile check. */
  readonly offline?: boolean;
  readonly load: () => Promise<CommandBody>;
}
