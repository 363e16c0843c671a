/**
 * A moto server (an AWS emulator, `python3 -m moto.server`) for one test file: started on a
 * free loopback port, ready once it answers, reset between tests, stopped after the file.
 * It is started through a few lines of Python that exit when their stdin closes, so the
 * server dies with the test process even when that process is killed.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";

/** Why the emulator cannot run here, or undefined when `python3 -m moto.server` is importable. */
export function motoUnavailable(): string | undefined {
  const probe = spawnSync("python3", ["-c", "import moto, moto.server, boto3; print(moto.__version__)"], {
    encoding: "utf8",
    timeout: 30_000,
  });
  if (probe.error) return `python3 cannot be started (${probe.error.message})`;
  if (probe.status !== 0)
    return `python3 cannot import moto.server and boto3 (${probe.stderr.trim().split("\n").pop() ?? ""})`;
  return undefined;
}

/** Runs moto's own server entry point, and exits as soon as the parent's pipe closes. */
const LAUNCHER = `
import os, sys, threading
def exit_with_parent():
    sys.stdin.buffer.read()
    os._exit(0)
threading.Thread(target=exit_with_parent, daemon=True).start()
from moto.server import main
main(["-H", "127.0.0.1", "-p", sys.argv[1]])
`;

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  /** Forgets every resource in every account (moto's POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<MotoServer> {
  let lastError: unknown;
  // A port found free can be taken before moto binds it: try another one.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await launch(port);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function launch(port: number): Promise<MotoServer> {
  const child = spawn("python3", ["-c", LAUNCHER, String(port)], { stdio: ["pipe", "ignore", "pipe"] });
  let log = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (log = (log + chunk).slice(-4000)));
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) => reject(new Error(`moto exited early (${code ?? signal}): ${log.trim()}`))),
  );
  exited.catch(() => undefined);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitUntilAnswering(`${endpoint}/moto-api/`, 30_000), exited]);
  } catch (error) {
    await kill(child);
    throw error;
  }
  return {
    endpoint,
    port,
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
      if (!response.ok) throw new Error(`moto reset answered ${response.status}`);
    },
    stop: () => kill(child),
  };
}

async function waitUntilAnswering(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`moto did not answer at ${url} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.stdin?.end();
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
  await gone;
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
