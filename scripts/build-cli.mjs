#!/usr/bin/env node
// Builds the `tripwire` bin into dist/cli/: what `npm pack` ships and what `npx tripwire` runs.
// package.json's `prepare` runs it, so `npm ci` in a clone builds it, and so does `npm pack`.
//
// - One ES module entry (dist/cli/tripwire.js) plus chunks: each command body is its own
//   chunk (the command registry imports them lazily), so `tripwire --help` parses the
//   registry, the usage text and the settings, and nothing of the AWS SDK.
// - Packages stay external (`packages: "external"`): the AWS SDK clients, @smithy/core and
//   @middy/core are `dependencies`, installed beside tripwire and updated by npm like any
//   other package. Bundling them would save one figure only (the first AWS call's load
//   time, measured in the README's "Start-up and size" section) and freeze the
//   SDK at the build's version in every installed copy.
// - target node20: the oldest Node in package.json's engines, and the Node that runs the
//   tests and CI here; the same output runs on Node 22 and 24.
import { rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
export const outdir = `${root}dist/cli`;
/** esbuild's metafile of the build, beside dist/cli/ (not in it: `files` ships dist/cli/ only). */
export const metafilePath = `${root}dist/cli.meta.json`;

/** Builds dist/cli from shared/cli/tripwire.ts and writes its metafile; returns the metafile. */
export async function buildCli({ quiet = false } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ["shared/cli/tripwire.ts"],
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    chunkNames: "chunks/[name]-[hash]",
    metafile: true,
    logLevel: quiet ? "warning" : "info",
  });
  writeFileSync(metafilePath, `${JSON.stringify(result.metafile, null, 2)}\n`);
  return result.metafile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildCli({ quiet: process.argv.includes("--quiet") });
}
