/** `tripwire demo` ends with the evidence package of the simulated organization (issue 10). */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CliIo, main } from "../../shared/cli/main.ts";

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, isTty: false };
}

describe("tripwire demo and its evidence package", () => {
  it("writes the package to a new temporary directory and says where", async () => {
    const io = captureIo();
    await main(["demo"], io);
    const dir = /evidence package written to (\S+)\n/.exec(io.out.join(""))?.[1] ?? "";
    roots.push(dir);
    expect({
      fresh: dir.startsWith(join(tmpdir(), "tripwire-evidence-demo-")),
      files: existsSync(dir) ? readdirSync(dir).sort() : [],
    }).toEqual({ fresh: true, files: ["accounts", "index.html", "manifest.json", "report.json"] });
  });

  it("shows on the page the proof the demo made of workload-prod: PROVEN, with its record", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "tripwire-demo-")), "package");
    roots.push(dir);
    await main(["demo", "--out", dir], captureIo());
    const page = readFileSync(join(dir, "index.html"), "utf8");
    expect(page).toMatch(
      /<span class="badge s-COMPLIANT">PROVEN<\/span> in us-east-1, .*Record: <code>[^<]*proofs\/200000000001\//,
    );
  });

  it("writes it to --out DIR", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "tripwire-demo-")), "package");
    roots.push(dir);
    await main(["demo", "--out", dir], captureIo());
    expect(existsSync(join(dir, "index.html"))).toBe(true);
  });

  it("refuses a --out DIR that is not empty, before running anything", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tripwire-demo-"));
    roots.push(dir);
    writeFileSync(join(dir, "mine.txt"), "x");
    const io = captureIo();
    const code = await main(["demo", "--out", dir], io);
    expect({ code, line: io.err[0], out: io.out, files: readdirSync(dir) }).toEqual({
      code: 2,
      line: expect.stringMatching(/^tripwire: --out ".*" is not empty/),
      out: [],
      files: ["mine.txt"],
    });
  });
});
