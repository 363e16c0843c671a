/**
 * What Lambda's nodejs24.x runtime requires of a handler: Node.js 24 dropped callback-style
 * handlers, and the runtime tells them apart by arity: a handler declaring three or more
 * parameters, `(event, context, callback)`, is refused at init with
 * Runtime.CallbackHandlerDeprecated, whether or not it returns a promise. tripwire's handlers
 * are middy's async `(event, context)` functions.
 */

/** Why the nodejs24.x runtime would refuse `handler` or not await it; undefined when it is fine. */
export function handlerStyleProblem(handler: unknown): string | undefined {
  if (typeof handler !== "function") return `the export is a ${typeof handler}, not a function`;
  if (handler.length >= 3) {
    return `it declares ${handler.length} parameters: Lambda takes it for a callback handler, which nodejs24.x refuses`;
  }
  if (handler.constructor.name !== "AsyncFunction") return "it is not an async function";
  return undefined;
}

/** The functions serverless.yml declares: name and `handler` (path/to/module.export). */
export function declaredHandlers(functions: Record<string, { handler: string }>) {
  return Object.entries(functions).map(([name, { handler }]) => {
    const dot = handler.lastIndexOf(".");
    return { name, module: handler.slice(0, dot), exportName: handler.slice(dot + 1) };
  });
}
