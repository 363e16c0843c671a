/**
 * Every function serverless.yml declares exports an async `(event, context)` handler, the
 * only style Lambda's nodejs24.x runtime runs (test/deploy/templates.test.ts checks the same
 * of the bundles Lambda loads).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { declaredHandlers, handlerStyleProblem } from "../support/lambda-handler-style.ts";

const root = new URL("../../", import.meta.url);
const template = parse(readFileSync(new URL("serverless.yml", root), "utf8"), { logLevel: "error" }) as {
  functions: Record<string, { handler: string }>;
};
const handlers = declaredHandlers(template.functions);

describe("Lambda handlers on nodejs24.x", () => {
  it("finds the functions serverless.yml declares", () => {
    expect(handlers.map((h) => h.name)).toEqual(["sweep", "sweepAccount", "heal", "notify", "proveFire", "proveCheck"]);
  });

  it.each(handlers.map((h) => [h.name, h] as const))(
    "%s: the handler is async and takes (event, context) only",
    async (_name, { module, exportName }) => {
      const loaded = (await import(new URL(`${module}.ts`, root).href)) as Record<string, unknown>;
      expect(handlerStyleProblem(loaded[exportName])).toBeUndefined();
    },
  );
});

describe("the handler-style check", () => {
  it("refuses a callback-style handler, even one that returns a promise", () => {
    const callbackStyle = async (_event: unknown, _context: unknown, callback: (e: null, r: string) => void) =>
      callback(null, "done");
    expect(handlerStyleProblem(callbackStyle)).toMatch(/declares 3 parameters/);
  });

  it("refuses a handler that is not async", () => {
    expect(handlerStyleProblem((event: unknown) => event)).toBe("it is not an async function");
  });

  it("refuses an export that is not a function", () => {
    expect(handlerStyleProblem(undefined)).toMatch(/not a function/);
  });
});
