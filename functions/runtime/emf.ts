/**
 * CloudWatch Embedded Metric Format, written by hand: one JSON log line that CloudWatch Logs
 * turns into metrics, and that stays a searchable structured record (every other member of
 * the document is kept as a log field). No Powertools dependency: the format is small.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */

export type MetricUnit = "Count" | "Milliseconds" | "Seconds" | "None";

export interface MetricValue {
  readonly name: string;
  readonly unit: MetricUnit;
  /** One value, or several (each is a sample, e.g. one latency per healed event). */
  readonly value: number | readonly number[];
}

export interface EmfInput {
  readonly namespace: string;
  /** Dimension names and their values; each becomes one member of the document. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly metrics: readonly MetricValue[];
  /** Other members: the structured summary of the run. A name already used by a dimension or a metric is refused. */
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly timestamp: Date;
}

/** An EMF document refused before it is written (CloudWatch would drop it silently). */
export class InvalidMetricDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidMetricDocumentError";
  }
}

/** EMF limits: 100 metrics per document, 30 dimensions per set, 100 values per metric. */
const MAX_METRICS = 100;
const MAX_DIMENSIONS = 30;
const MAX_VALUES = 100;

/** Builds the EMF document; throws InvalidMetricDocumentError on a document CloudWatch would reject. */
export function buildEmfDocument(input: EmfInput): Record<string, unknown> {
  const dimensionNames = Object.keys(input.dimensions);
  if (input.metrics.length === 0 || input.metrics.length > MAX_METRICS) {
    throw new InvalidMetricDocumentError(
      `an EMF document holds 1 to ${MAX_METRICS} metrics, not ${input.metrics.length}`,
    );
  }
  if (dimensionNames.length > MAX_DIMENSIONS) {
    throw new InvalidMetricDocumentError(`an EMF dimension set holds at most ${MAX_DIMENSIONS} dimensions`);
  }
  // Every member of the document has one owner: a dimension, a metric or a property. A
  // second owner of the same name would overwrite the first in the JSON line.
  const owners = new Map<string, "dimension" | "metric" | "property">();
  const claim = (key: string, owner: "dimension" | "metric" | "property") => {
    if (key === "_aws") throw new InvalidMetricDocumentError(`${owner} "_aws" clashes with the EMF metadata`);
    const previous = owners.get(key);
    if (previous !== undefined)
      throw new InvalidMetricDocumentError(`${owner} "${key}" clashes with the ${previous} of the same name`);
    owners.set(key, owner);
  };
  for (const name of dimensionNames) claim(name, "dimension");
  for (const metric of input.metrics) claim(metric.name, "metric");
  for (const name of Object.keys(input.properties ?? {})) claim(name, "property");

  const doc: Record<string, unknown> = { ...input.properties, ...input.dimensions };
  for (const metric of input.metrics) {
    const values = typeof metric.value === "number" ? [metric.value] : [...metric.value];
    if (values.length === 0 || values.length > MAX_VALUES || values.some((v) => !Number.isFinite(v))) {
      throw new InvalidMetricDocumentError(`metric ${metric.name} needs 1 to ${MAX_VALUES} finite values`);
    }
    doc[metric.name] = values.length === 1 ? values[0] : values;
  }
  doc._aws = {
    Timestamp: input.timestamp.getTime(),
    CloudWatchMetrics: [
      {
        Namespace: input.namespace,
        Dimensions: [dimensionNames],
        Metrics: input.metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
      },
    ],
  };
  return doc;
}

/**
 * Writes the document as one line on stdout. Lambda's patched `console.log` prefixes each
 * line with a timestamp and request id, which CloudWatch's EMF extraction does not parse,
 * so the line goes to the stream directly.
 */
export function writeEmf(input: EmfInput, write: (line: string) => void = (l) => void process.stdout.write(l)): void {
  write(`${JSON.stringify(buildEmfDocument(input))}\n`);
}
