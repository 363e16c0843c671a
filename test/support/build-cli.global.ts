/**
 * vitest globalSetup: builds the `tripwire` bin (dist/cli/) once before any test file runs,
 * with the same script `npm ci` runs (package.json's `prepare`). The suites that run the
 * command as a user does (test/emulator/, test/cli/package.test.ts) run package.json's bin,
 * the built JavaScript, so they test what `npm pack` ships, never a stale build.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export function setup(): void {
  const script = fileURLToPath(new URL("../../scripts/build-cli.mjs", import.meta.url));
  execFileSync(process.execPath, [script, "--quiet"], { stdio: ["ignore", "inherit", "inherit"] });
}
