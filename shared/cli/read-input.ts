/** A command's input file, or standard input for `-`, read whole up to a size limit. */
import { createReadStream } from "node:fs";
import { ConfigError } from "../config/settings.ts";
import { type CliIo, InputTooLargeError, readStream } from "./io.ts";

/** An alarm notification is at most 256 KB (SNS's message limit); a file past 1 MiB is not one. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** The text of `path` (`-`: standard input); a file that cannot be read is a ConfigError (exit 2). */
export async function readInput(path: string, io: CliIo, what: string): Promise<string> {
  const name = path === "-" ? "standard input" : path;
  try {
    if (path === "-") {
      if (!io.readStdin) throw new ConfigError(`cannot read ${what} from standard input here`);
      return await io.readStdin(MAX_INPUT_BYTES);
    }
    return await readStream(createReadStream(path), MAX_INPUT_BYTES);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (error instanceof InputTooLargeError) {
      throw new ConfigError(`${name} is larger than 1 MiB: not ${what}`);
    }
    throw new ConfigError(`cannot read ${what} ${name}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
