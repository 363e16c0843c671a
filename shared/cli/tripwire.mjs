#!/usr/bin/env node
// Launcher for the `tripwire` bin: registers tsx so the TypeScript sources run as they are,
// with no build step after `npm ci`.
import { register } from "tsx/esm/api";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register();
const { main } = await import("./main.ts");
process.exitCode = await main(process.argv.slice(2));
