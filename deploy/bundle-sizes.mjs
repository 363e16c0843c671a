#!/usr/bin/env node
// Prints each function bundle's minified size from esbuild's metafile (written by
// serverless-esbuild into .esbuild/.build during `npm run package`), with its largest inputs.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../.esbuild/.build/functions", import.meta.url).pathname;
if (!existsSync(root)) {
  console.error("bundle-sizes: no .esbuild/.build/functions: run `serverless package` first");
  process.exit(1);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
for (const fn of readdirSync(root).sort()) {
  const metaFile = join(root, fn, "handler-meta.json");
  if (!existsSync(metaFile)) continue;
  const meta = JSON.parse(readFileSync(metaFile, "utf8"));
  for (const [out, info] of Object.entries(meta.outputs)) {
    if (!/\.[cm]?js$/.test(out)) continue;
    const byPackage = new Map();
    for (const [input, { bytesInOutput }] of Object.entries(info.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const key = m ? m[1] : "tripwire";
      byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
    }
    const top = [...byPackage]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([k, v]) => `${k} ${kb(v)}`)
      .join(", ");
    console.log(`${fn}: ${kb(info.bytes)} minified (${info.bytes} bytes); largest: ${top}`);
  }
}
