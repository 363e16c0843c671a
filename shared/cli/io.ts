/** Where the CLI writes and what it reads of its process: one seam, so tests capture it. */
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
}

export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  isTty: process.stderr.isTTY === true,
  stdoutIsTty: process.stdout.isTTY === true,
};
