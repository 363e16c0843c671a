import { describe, expect, it } from "vitest";
import { buildEmfDocument, InvalidMetricDocumentError, writeEmf } from "../../functions/runtime/emf.ts";

const at = new Date("2025-03-05T02:00:00Z");

describe("buildEmfDocument", () => {
  it("puts dimensions, metric values and properties at the root and declares them under _aws", () => {
    const doc = buildEmfDocument({
      namespace: "Tripwire",
      dimensions: { Function: "heal" },
      metrics: [{ name: "HealLatency", unit: "Milliseconds", value: 1200 }],
      properties: { message: "heal summary" },
      timestamp: at,
    });
    expect(doc).toEqual({
      message: "heal summary",
      Function: "heal",
      HealLatency: 1200,
      _aws: {
        Timestamp: at.getTime(),
        CloudWatchMetrics: [
          {
            Namespace: "Tripwire",
            Dimensions: [["Function"]],
            Metrics: [{ Name: "HealLatency", Unit: "Milliseconds" }],
          },
        ],
      },
    });
  });

  it("keeps several samples of one metric as an array", () => {
    const doc = buildEmfDocument({
      namespace: "T",
      dimensions: {},
      metrics: [{ name: "L", unit: "Milliseconds", value: [1, 2] }],
      timestamp: at,
    });
    expect(doc.L).toEqual([1, 2]);
  });

  it("refuses a property that clashes with a metric", () => {
    const build = () =>
      buildEmfDocument({
        namespace: "T",
        dimensions: {},
        metrics: [{ name: "L", unit: "Count", value: 1 }],
        properties: { L: "x" },
        timestamp: at,
      });
    expect(build).toThrow(InvalidMetricDocumentError);
    expect(build).toThrow('property "L" clashes with the metric of the same name');
  });

  it("refuses a property that clashes with a dimension", () => {
    const build = () =>
      buildEmfDocument({
        namespace: "T",
        dimensions: { Function: "heal" },
        metrics: [{ name: "L", unit: "Count", value: 1 }],
        properties: { Function: "sweep" },
        timestamp: at,
      });
    expect(build).toThrow(InvalidMetricDocumentError);
    expect(build).toThrow('property "Function" clashes with the dimension of the same name');
  });

  it("refuses a dimension that clashes with a metric", () => {
    const build = () =>
      buildEmfDocument({
        namespace: "T",
        dimensions: { L: "x" },
        metrics: [{ name: "L", unit: "Count", value: 1 }],
        timestamp: at,
      });
    expect(build).toThrow(InvalidMetricDocumentError);
    expect(build).toThrow('metric "L" clashes with the dimension of the same name');
  });

  it("refuses a property named _aws, the member that holds the metadata", () => {
    const build = () =>
      buildEmfDocument({
        namespace: "T",
        dimensions: {},
        metrics: [{ name: "L", unit: "Count", value: 1 }],
        properties: { _aws: {} },
        timestamp: at,
      });
    expect(build).toThrow(InvalidMetricDocumentError);
    expect(build).toThrow('property "_aws" clashes with the EMF metadata');
  });

  it("refuses a value that is not a finite number", () => {
    expect(() =>
      buildEmfDocument({
        namespace: "T",
        dimensions: {},
        metrics: [{ name: "L", unit: "Count", value: Number.NaN }],
        timestamp: at,
      }),
    ).toThrow(/finite/);
  });

  it("refuses a document without metrics", () => {
    expect(() => buildEmfDocument({ namespace: "T", dimensions: {}, metrics: [], timestamp: at })).toThrow(
      InvalidMetricDocumentError,
    );
  });
});

describe("writeEmf", () => {
  it("writes the document as one JSON line", () => {
    const lines: string[] = [];
    writeEmf(
      { namespace: "T", dimensions: {}, metrics: [{ name: "C", unit: "Count", value: 1 }], timestamp: at },
      (l) => void lines.push(l),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\}\n$/);
    expect(lines[0]?.split("\n")).toHaveLength(2);
  });
});
