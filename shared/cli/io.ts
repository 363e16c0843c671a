/** Where the CLI writes and what it reads of its process: one seam, so tests capture it. */
import { createInterface } from "node:readline/promises";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal (progress lines are rewritten in place then). */
  readonly isTty: boolean;
  /**
   * Whether stdout is a terminal: the report table is coloured by it (see color.ts), not by
   * stderr, so `tripwire scan > report.txt` writes no escape codes. Absent: not a terminal.
   */
  readonly stdoutIsTty?: boolean;
  /** Standard input, read whole up to `maxBytes` (`tripwire explain --alarm -`); undefined when there is none. */
  readonly readStdin?: (maxBytes: number) => Promise<string>;
  /**
   * Asks the person at the terminal one question (on stderr) and returns the answer; absent
   * when stdin or stderr is not a terminal (then nobody can answer).
   */
  readonly ask?: (question: string) => Promise<string>;
}

async function askTerminal(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  isTty: process.stderr.isTTY === true,
  stdoutIsTty: process.stdout.isTTY === true,
  readStdin: (maxBytes) => readStream(process.stdin, maxBytes),
  ...(process.stdin.isTTY === true && process.stderr.isTTY === true ? { ask: askTerminal } : {}),
};

/** A stream's text, refusing more than `maxBytes` (without reading further). */
export async function readStream(stream: AsyncIterable<Buffer | string>, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    length += buffer.length;
    if (length > maxBytes) throw new InputTooLargeError(maxBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export class InputTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the input is larger than ${maxBytes} bytes`);
    this.name = "InputTooLargeError";
  }
}
