/** A call that reached a simulated service, and how it ended: what the live chain records. */
import type { SimulatedCall } from "../call-log.ts";
import type { Principal } from "../state.ts";

export interface AnsweredCall {
  readonly call: SimulatedCall;
  readonly principal: Principal;
  readonly accessKeyId: string;
  /** The SDK's User-Agent header, when the request carried one. */
  readonly userAgent?: string;
  /** The request id the caller sees in `$metadata.requestId` (on errors too). */
  readonly requestId: string;
  /** The output, when the call succeeded. */
  readonly output?: object;
  /** The service's error, when the call was refused. */
  readonly error?: Error;
}

/** Runs inside the middleware after each call that reached a service handler. */
export type AfterCallHook = (answered: AnsweredCall) => void;
