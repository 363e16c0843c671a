/**
 * The package users install (issue 12, item 4): what `npm pack` ships, the built bin that
 * package.json names (vitest's globalSetup builds it, with the script `npm ci` runs), and
 * what that bin loads. The bin runs as a subprocess, as `npx tripwire` runs it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  version: string;
  license: string;
  bin: { tripwire: string };
  files: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const bin = join(root, manifest.bin.tripwire);
const scratch = mkdtempSync(join(tmpdir(), "tripwire-package-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the built bin with a clean environment; `modules` lists every module URL it resolved. */
function runBin(args: string[]) {
  const log = join(scratch, `modules-${args.join("-")}.txt`);
  const result = spawnSync(
    process.execPath,
    ["--import", join(root, "test/support/module-log.register.mjs"), bin, ...args],
    {
      cwd: scratch,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: scratch, MODULE_LOG_FILE: log },
    },
  );
  let modules: string[] = [];
  try {
    modules = readFileSync(log, "utf8").split("\n").filter(Boolean);
  } catch {
    // no module resolved: the assertions on `modules` say so
  }
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, modules };
}

let demoRun: ReturnType<typeof runBin> | undefined;
/** One `demo --json` run of the bin, shared by the tests that read what a run loads. */
const demo = () => {
  demoRun ??= runBin(["demo", "--json"]);
  return demoRun;
};

const isAwsSdk = (url: string) => /\/node_modules\/@(aws-sdk|smithy)\//.test(url);

describe("the bin", () => {
  it("is the built JavaScript in dist/, not TypeScript", () => {
    expect(manifest.bin.tripwire).toBe("dist/cli/tripwire.js");
  });

  it("starts with a node shebang", () => {
    expect(readFileSync(bin, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
  });

  it("prints --help and exits 0", () => {
    expect(runBin(["--help"])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: tripwire/) });
  });

  it("prints the package's version for --version", () => {
    expect(runBin(["--version"])).toMatchObject({ code: 0, stdout: `${manifest.version}\n` });
  });

  it("loads no AWS SDK module for --help", () => {
    const { modules } = runBin(["--help"]);
    expect(modules.filter(isAwsSdk)).toEqual([]);
  });

  it("loads the AWS SDK for a command that runs (the module log sees it)", () => {
    const { code, modules } = demo();
    expect({ code, loadsSdk: modules.some(isAwsSdk) }).toEqual({ code: 0, loadsSdk: true });
  });

  it("loads no TypeScript loader: tsx is not among the modules of a run", () => {
    const { modules } = demo();
    expect(modules.filter((url) => url.includes("/node_modules/tsx/"))).toEqual([]);
  });
});

describe("package.json", () => {
  it("keeps tsx out of the dependencies users install", () => {
    expect(Object.keys(manifest.dependencies)).not.toContain("tsx");
  });

  it("declares every package the built CLI imports as a dependency", () => {
    const meta = JSON.parse(readFileSync(join(root, "dist/cli.meta.json"), "utf8")) as {
      outputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
    };
    const packageOf = (path: string) =>
      path
        .split("/")
        .slice(0, path.startsWith("@") ? 2 : 1)
        .join("/");
    const imported = new Set(
      Object.values(meta.outputs)
        .flatMap((output) => output.imports)
        .filter((i) => i.external && !i.path.startsWith("node:"))
        .map((i) => packageOf(i.path)),
    );
    const undeclared = [...imported].filter((name) => !(name in manifest.dependencies));
    expect({ imported: imported.size > 0, undeclared }).toEqual({ imported: true, undeclared: [] });
  });

  it("is Apache-2.0, and LICENSE is the Apache License 2.0 text", () => {
    const license = readFileSync(join(root, "LICENSE"), "utf8");
    expect({ license: manifest.license, text: license.slice(0, 200).replace(/\s+/g, " ").trim() }).toEqual({
      license: "Apache-2.0",
      text: expect.stringMatching(/^Apache License Version 2\.0, January 2004 http:\/\/www\.apache\.org\/licenses\//),
    });
  });
});

describe("npm pack", () => {
  // --ignore-scripts: the globalSetup built dist/ already; `prepare` would rebuild it under
  // the other suites that run the bin.
  let files: string[] = [];
  beforeAll(() => {
    const pack = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" });
    files = (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
  });

  it("ships the bin", () => {
    expect(files).toContain("dist/cli/tripwire.js");
  });

  it("ships LICENSE, README.md and package.json", () => {
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json"]));
  });

  it("ships nothing but dist/cli/ and those three: no sources, tests, CI, bench or .esbuild", () => {
    const others = files.filter(
      (f) => !f.startsWith("dist/cli/") && !["LICENSE", "README.md", "package.json"].includes(f),
    );
    expect(others).toEqual([]);
  });

  it("ships no metafile", () => {
    expect(files.filter((f) => f.endsWith(".json") && f !== "package.json")).toEqual([]);
  });
});
