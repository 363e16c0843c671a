/**
 * A small HTTP proxy between the CLI and moto that records every AWS call and, per rule,
 * injects a fault instead of forwarding it: an error answer in the protocol of the service,
 * or a request held open until the client gives up.
 *
 * A call is named by the service it was signed for (the SigV4 credential scope:
 * `organizations`, `logs`, `monitoring`, `cloudtrail`, `sns`, `sts`) and its operation:
 * JSON-protocol services carry it in X-Amz-Target (`Logs_20140328.DescribeMetricFilters`),
 * query-protocol ones (SNS, STS) as `Action=` in the form body; a REST one (Security Hub) is
 * named by its method and path (`POST /findings/import`).
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export interface CallMatch {
  readonly service: string;
  readonly operation: string;
}

/** An error answer. `code` is the service's error code (see THROTTLING for throttling codes). */
export interface ErrorFault {
  readonly status: number;
  readonly code: string;
  readonly message?: string;
}

export type Fault = { readonly hold: true } | ErrorFault;

export interface FaultRule extends CallMatch {
  /**
   * Which matching calls get the fault, counting from 1 in the order they reach the proxy:
   * a number is that call only; `{ from: n }` is the n-th and every later one (a persistent
   * failure, retries included); "every" is all of them.
   */
  readonly on: number | { readonly from: number } | "every";
  readonly fault: Fault;
}

/** The throttling error code of each service, as AWS sends it. */
export const THROTTLING: Readonly<Record<string, string>> = {
  organizations: "TooManyRequestsException",
  logs: "ThrottlingException",
  cloudtrail: "ThrottlingException",
  monitoring: "Throttling",
  sns: "Throttling",
  sts: "Throttling",
};

export interface RecordedCall extends CallMatch {
  readonly region: string;
  /** HTTP status sent to the client; "held" for a request never answered. */
  readonly status: number | "held";
  /** The fault injected, if any. */
  readonly fault?: Fault;
  /** Body of the request (JSON for JSON-protocol services, a form for query-protocol ones). */
  readonly requestBody: string;
  /** Body of moto's answer (forwarded calls only). */
  readonly responseBody?: string;
}

export interface FaultProxy {
  readonly endpoint: string;
  readonly calls: readonly RecordedCall[];
  addRule(rule: FaultRule): void;
  /** Drops every rule and recorded call, and closes any held request. */
  reset(): void;
  close(): Promise<void>;
}

const JSON_CONTENT_TYPE: Readonly<Record<string, string>> = {
  organizations: "application/x-amz-json-1.1",
  logs: "application/x-amz-json-1.1",
  cloudtrail: "application/x-amz-json-1.1",
  monitoring: "application/x-amz-json-1.0",
  sqs: "application/x-amz-json-1.0",
};

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const rules: { rule: FaultRule; seen: number }[] = [];
  const calls: RecordedCall[] = [];
  const held = new Set<Socket>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const call = { ...identify(req, body), requestBody: body.toString("utf8") };
      const fault = faultFor(call);
      if (fault && "hold" in fault) {
        calls.push({ ...call, status: "held", fault });
        held.add(req.socket);
        req.socket.once("close", () => held.delete(req.socket));
        return;
      }
      if (fault) {
        calls.push({ ...call, status: fault.status, fault });
        sendError(res, call.service, fault);
        return;
      }
      forward(req, body, res, (status, responseBody) => calls.push({ ...call, status, responseBody }));
    });
  });

  function faultFor(call: CallMatch): Fault | undefined {
    let fault: Fault | undefined;
    for (const entry of rules) {
      if (entry.rule.service !== call.service || entry.rule.operation !== call.operation) continue;
      const n = ++entry.seen;
      const { on } = entry.rule;
      const hit = on === "every" || (typeof on === "number" ? n === on : n >= on.from);
      if (hit) fault ??= entry.rule.fault;
    }
    return fault;
  }

  function forward(
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
    done: (status: number, body: string) => void,
  ) {
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const parts: Buffer[] = [];
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on("data", (chunk: Buffer) => {
          parts.push(chunk);
          res.write(chunk);
        });
        answer.on("end", () => {
          res.end();
          done(answer.statusCode ?? 502, Buffer.concat(parts).toString("utf8"));
        });
      },
    );
    out.on("error", (error) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`fault proxy: moto unreachable: ${error.message}`);
      done(502, "");
    });
    out.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  const dropHeld = () => {
    for (const socket of held) socket.destroy();
    held.clear();
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    addRule: (rule) => rules.push({ rule, seen: 0 }),
    reset() {
      rules.length = 0;
      calls.length = 0;
      dropHeld();
    },
    close() {
      dropHeld();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function identify(req: IncomingMessage, body: Buffer): CallMatch & { region: string } {
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ""));
  const region = scope?.[1] ?? "";
  const service = scope?.[2] ?? "";
  const target = req.headers["x-amz-target"];
  const operation =
    typeof target === "string"
      ? (target.split(".").pop() ?? "")
      : (new URLSearchParams(body.toString("utf8")).get("Action") ??
        `${req.method ?? ""} ${new URL(req.url ?? "/", "http://proxy").pathname}`);
  return { service, operation, region };
}

function sendError(res: ServerResponse, service: string, fault: ErrorFault): void {
  const message = fault.message ?? `injected by the fault proxy (${fault.code})`;
  const jsonType = JSON_CONTENT_TYPE[service];
  if (jsonType) {
    res.writeHead(fault.status, { "content-type": jsonType, "x-amzn-requestid": "fault-proxy" });
    res.end(JSON.stringify({ __type: fault.code, message }));
    return;
  }
  // Query protocol (SNS, STS): an XML ErrorResponse.
  res.writeHead(fault.status, { "content-type": "text/xml", "x-amzn-requestid": "fault-proxy" });
  res.end(
    `<ErrorResponse><Error><Type>${fault.status >= 500 ? "Receiver" : "Sender"}</Type><Code>${xml(fault.code)}</Code>` +
      `<Message>${xml(message)}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`,
  );
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
