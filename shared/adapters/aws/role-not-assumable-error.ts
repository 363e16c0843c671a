import { describeError } from "../../core/describe-error.ts";

/** The role in a member account could not be assumed (denied, missing, or STS refused). */
export class RoleNotAssumableError extends Error {
  constructor(
    readonly accountId: string,
    readonly roleArn: string,
    options: { cause: unknown },
  ) {
    super(`cannot assume ${roleArn}: ${describeError(options.cause)}`, options);
    this.name = "RoleNotAssumableError";
  }
}
