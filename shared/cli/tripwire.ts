#!/usr/bin/env node
/**
 * The `tripwire` bin's entry: scripts/build-cli.mjs bundles it into dist/cli/tripwire.js,
 * which package.json's `bin` names. Nothing here registers a TypeScript loader: users run
 * the built JavaScript.
 */
import { main } from "./main.ts";

process.exitCode = await main(process.argv.slice(2));
