/**
 * tripwire's version, from the package.json of the package this file belongs to (looked for
 * upwards from here, so it holds from the sources and from a build alike).
 */
import { readFileSync } from "node:fs";

const PACKAGE_NAME = "cis-tripwire";

let cached: string | undefined;

export function productVersion(): string {
  cached ??= findVersion();
  return cached;
}

function findVersion(): string {
  let dir = new URL(".", import.meta.url);
  for (let depth = 0; depth < 8; depth++) {
    try {
      const manifest = JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === PACKAGE_NAME && manifest.version) return manifest.version;
    } catch {
      // No package.json here: look one directory up.
    }
    dir = new URL("..", dir);
  }
  return "unknown";
}
