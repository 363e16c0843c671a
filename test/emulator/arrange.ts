/**
 * The node side of arrange.py: boto3 calls against moto, for arranging the state a test
 * starts from and for reading what the CLI left behind. One Python process per test file;
 * requests go one at a time, in order.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** An account by the name given to `organization` ("management" is the management account). */
export type AccountAlias = string;

export type AccountIds = Readonly<Record<AccountAlias, string>> & { readonly management: string };

export interface TrailRequest {
  readonly name?: string;
  readonly logGroup: string;
  readonly region?: string;
  readonly multiRegion?: boolean;
  readonly logging?: boolean;
}

type Json = Record<string, unknown>;

export class Arranger {
  readonly #child: ChildProcess;
  readonly #waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  #exitError?: Error;

  private constructor(child: ChildProcess) {
    this.#child = child;
    let log = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (log = (log + chunk).slice(-4000)));
    createInterface({ input: child.stdout! }).on("line", (line) => this.#waiting.shift()?.resolve(line));
    child.once("exit", (code) => {
      this.#exitError = new Error(`arrange.py exited (${code}): ${log.trim()}`);
      for (const w of this.#waiting.splice(0)) w.reject(this.#exitError);
    });
  }

  static start(endpoint: string): Arranger {
    const script = fileURLToPath(new URL("./arrange.py", import.meta.url));
    return new Arranger(spawn("python3", [script, endpoint], { stdio: ["pipe", "pipe", "pipe"] }));
  }

  /** Creates the organization and its member accounts; returns every account's id by name. */
  async organization(members: readonly string[]): Promise<AccountIds> {
    return (await this.#request({ op: "organization", members })) as AccountIds;
  }

  /** One boto3 call (`service`, snake_case `method`) in the account; its response without metadata. */
  async call<T = Json>(
    account: AccountAlias,
    service: string,
    method: string,
    args: Json = {},
    region = "us-east-1",
  ): Promise<T> {
    return (await this.#request({ op: "call", account, service, method, args, region })) as T;
  }

  /** A multi-region, logging trail with read+write management events, delivering to `logGroup`. */
  async trail(account: AccountAlias, trail: TrailRequest): Promise<{ trailArn: string; logGroupArn: string }> {
    return (await this.#request({ op: "trail", account, ...trail })) as { trailArn: string; logGroupArn: string };
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const gone = new Promise((resolve) => this.#child.once("exit", resolve));
    this.#child.stdin?.end();
    await gone;
  }

  async #request(request: Json): Promise<unknown> {
    if (this.#exitError) throw this.#exitError;
    const line = await new Promise<string>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#child.stdin?.write(`${JSON.stringify(request)}\n`);
    });
    const answer = JSON.parse(line) as { ok?: unknown; error?: string };
    if (answer.error !== undefined) {
      throw new Error(
        `arrange ${String(request.op)} ${String(request.method ?? "")} in ${String(request.account ?? "")}: ${answer.error}`,
      );
    }
    return answer.ok;
  }
}
