/**
 * The message the sweep sends per account and sweep-account consumes: version 1.
 * A body that does not parse is a poison message: it is reported as a failure, so after
 * the queue's maxReceiveCount it lands in the dead-letter queue for a person to read.
 */

export interface AccountMessage {
  readonly version: 1;
  readonly accountId: string;
  readonly name: string;
  /** Id of the scheduled event that started the sweep, to group a night's results. */
  readonly sweepId: string;
  readonly requestedAt: string;
}

export class MalformedAccountMessageError extends Error {
  constructor(message: string) {
    super(`malformed account message: ${message}`);
    this.name = "MalformedAccountMessageError";
  }
}

export function parseAccountMessage(body: string): AccountMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new MalformedAccountMessageError("the body is not JSON");
  }
  const m = value as Partial<AccountMessage> | null;
  if (typeof m !== "object" || m === null) throw new MalformedAccountMessageError("the body is not a JSON object");
  if (m.version !== 1) throw new MalformedAccountMessageError(`unknown version ${JSON.stringify(m.version)}`);
  if (typeof m.accountId !== "string" || !/^\d{12}$/.test(m.accountId)) {
    throw new MalformedAccountMessageError(`accountId ${JSON.stringify(m.accountId)} is not a 12-digit account id`);
  }
  return {
    version: 1,
    accountId: m.accountId,
    name: typeof m.name === "string" ? m.name : "",
    sweepId: typeof m.sweepId === "string" ? m.sweepId : "",
    requestedAt: typeof m.requestedAt === "string" ? m.requestedAt : "",
  };
}
