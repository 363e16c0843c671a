/**
 * A filter pattern that CloudWatch Logs would refuse (`InvalidParameterException` from
 * PutMetricFilter / TestMetricFilter). `position` is the 0-based index of the offending
 * character in the pattern text, so a report can point at it.
 */
export class FilterPatternSyntaxError extends Error {
  readonly position: number;
  /** The explanation without the position suffix. */
  readonly detail: string;

  constructor(detail: string, position: number, options?: { cause?: unknown }) {
    super(`${detail} (at position ${position})`, options);
    this.name = "FilterPatternSyntaxError";
    this.position = position;
    this.detail = detail;
  }
}
