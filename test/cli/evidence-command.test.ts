/** `tripwire evidence --out DIR` on the simulated organization (issue 10, item 2). */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { type CliIo, main } from "../../shared/cli/main.ts";
import { type ProofRecord, proofRecordKey } from "../../shared/core/proof-record.ts";
import { simulatedFactory } from "../../shared/simulation/factory.ts";
import { createSimulatedOrganization, type SimulatedOrganization, scenarios } from "../../shared/simulation/index.ts";

interface Captured extends CliIo {
  readonly out: string[];
  readonly err: string[];
}
const captureIo = (env: Record<string, string> = {}): Captured => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env, isTty: false };
};

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "tripwire-evidence-"));
  roots.push(dir);
  return dir;
}

let org: SimulatedOrganization;
const deps = () => ({ factoryFor: (s: Parameters<typeof simulatedFactory>[1]) => simulatedFactory(org, s) });
const run = (args: string[], io = captureIo()) => main(["evidence", ...args], io, deps());
const read = (dir: string, path: string) => readFileSync(join(dir, path), "utf8");
/** Every file under dir, relative, with `/`. */
function filesUnder(dir: string, base = ""): string[] {
  return readdirSync(join(dir, base), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(dir, join(base, e.name)) : [join(base, e.name).split("\\").join("/")],
  );
}

let member: string;

beforeEach(() => {
  org = createSimulatedOrganization({ regions: ["us-east-1"] });
  scenarios.compliantV12(org.account(org.managementAccountId), "us-east-1");
  const m = org.addAccount({ name: "workload" });
  scenarios.bareAccount(m, "us-east-1");
  member = m.id;
  org.addAccount({ name: "closed", status: "SUSPENDED" });
});

describe("tripwire evidence: the package", () => {
  it("writes index.html, report.json, one export per account read, and manifest.json", async () => {
    const dir = join(scratch(), "pkg");
    await run(["--out", dir]);
    expect(filesUnder(dir).sort()).toEqual(
      [
        "index.html",
        "manifest.json",
        "report.json",
        `accounts/${org.managementAccountId}.json`,
        `accounts/${member}.json`,
      ].sort(),
    );
  });

  it("lists every other file in the manifest with its SHA-256 and size", async () => {
    const dir = scratch();
    await run(["--out", dir]);
    const manifest = JSON.parse(read(dir, "manifest.json"));
    const actual = filesUnder(dir)
      .filter((f) => f !== "manifest.json")
      .sort()
      .map((path) => {
        const bytes = readFileSync(join(dir, path));
        return { path, sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length };
      });
    expect([...manifest.files].sort((a, b) => a.path.localeCompare(b.path))).toEqual(actual);
  });

  it("names the tool, its version and the caller in the manifest", async () => {
    const dir = scratch();
    await run(["--out", dir]);
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(JSON.parse(read(dir, "manifest.json"))).toMatchObject({
      generatedAt: expect.any(String),
      tool: { name: pkg.name, version: pkg.version },
      caller: expect.stringMatching(new RegExp(`^arn:aws:iam::${org.managementAccountId}:`)),
    });
  });

  it("holds the scan report in report.json", async () => {
    const dir = scratch();
    await run(["--out", dir]);
    expect(JSON.parse(read(dir, "report.json"))).toMatchObject({ version: 1, mode: "scan", summary: { total: 3 } });
  });

  it("redacts email addresses in every file", async () => {
    const dir = scratch();
    await run(["--out", dir]);
    const all = filesUnder(dir)
      .map((f) => read(dir, f))
      .join("\n");
    expect({ raw: all.includes("security@example.com"), redacted: all.includes("s***@example.com") }).toEqual({
      raw: false,
      redacted: true,
    });
  });

  it("exits 1, as scan does, when an account is not compliant", async () => {
    expect(await run(["--out", scratch()])).toBe(1);
  });

  it("exits 0, as scan does, when every account is compliant", async () => {
    expect(await run(["--out", scratch(), "--accounts", org.managementAccountId])).toBe(0);
  });

  it("says where the package is", async () => {
    const dir = scratch();
    const io = captureIo();
    await run(["--out", dir], io);
    expect(io.out.join("")).toMatch(new RegExp(`^evidence package written to ${dir}\\n  open ${dir}/index.html\\n`));
  });

  it("writes nothing to AWS", async () => {
    org.calls.reset();
    await run(["--out", scratch()]);
    const writes = org.calls
      .list()
      .filter((c) => !/^(Describe|Get|List)/.test(c.operation) && c.operation !== "AssumeRole");
    expect(writes).toEqual([]);
  });

  it("shows the exemption of an exempt account and exits 0 when the rest is compliant", async () => {
    const dir = scratch();
    const config = join(scratch(), "tripwire.json");
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    writeFileSync(
      config,
      JSON.stringify({ exemptions: [{ account: member, reason: "closing", owner: "team-a", expires }] }),
    );
    const code = await run(["--out", dir, "--config", config]);
    expect({
      code,
      page: read(dir, "index.html").includes(`Exempt through ${expires}; owner team-a: closing`),
    }).toEqual({
      code: 0,
      page: true,
    });
  });

  it("shows the newest proof record from a directory of records", async () => {
    const records = scratch();
    const record: ProofRecord = {
      version: 1,
      accountId: member,
      region: "us-east-1",
      status: "FAILED",
      startedAt: "2026-03-01T02:00:00.000Z",
      finishedAt: "2026-03-01T02:20:00.000Z",
      hops: [{ code: "CANARY_DENIED", ok: true, evidence: {} }],
      failedHop: "DELIVERED_TO_LOG_GROUP",
    };
    const path = join(records, proofRecordKey(record));
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, JSON.stringify(record));
    const dir = scratch();
    await run(["--out", dir, "--proofs", records]);
    expect(read(dir, "index.html")).toContain("first hop not confirmed: <code>DELIVERED_TO_LOG_GROUP</code>");
  });
});

describe("tripwire evidence: refusals (one line, exit 2, nothing written, no AWS call)", () => {
  const refused = async (args: string[]) => {
    org.calls.reset();
    const io = captureIo();
    const code = await run(args, io);
    return { code, line: io.err[0], calls: org.calls.count() };
  };

  it("refuses to run without --out", async () => {
    expect(await refused([])).toEqual({
      code: 2,
      line: "tripwire: evidence needs --out DIR: where to write the package\n",
      calls: 0,
    });
  });

  it("refuses a directory that is not empty, and leaves it as it was", async () => {
    const dir = scratch();
    writeFileSync(join(dir, "notes.txt"), "mine");
    expect(await refused(["--out", dir])).toEqual({
      code: 2,
      line: expect.stringMatching(/^tripwire: --out ".*" is not empty \(1 entry\); .* or --force/),
      calls: 0,
    });
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
  });

  it("refuses a file for --out", async () => {
    const file = join(scratch(), "f");
    writeFileSync(file, "");
    expect((await refused(["--out", file])).line).toMatch(/is a file, not a directory/);
  });

  it("refuses --proofs that is neither s3:// nor a directory", async () => {
    expect(await refused(["--out", scratch(), "--proofs", "/nonexistent/records"])).toMatchObject({
      code: 2,
      line: expect.stringMatching(/^tripwire: invalid --proofs: "\/nonexistent\/records" is neither/),
      calls: 0,
    });
  });

  it("refuses an s3:// location without a valid bucket name", async () => {
    expect((await refused(["--out", scratch(), "--proofs", "s3://Bad_Bucket/x"])).line).toMatch(
      /invalid --proofs: "s3:\/\/Bad_Bucket\/x" is not s3:\/\/BUCKET/,
    );
  });
});

describe("tripwire evidence --force", () => {
  it("replaces an earlier package and leaves the directory's other files", async () => {
    const dir = scratch();
    await run(["--out", dir]);
    writeFileSync(join(dir, "notes.txt"), "mine");
    writeFileSync(join(dir, "accounts", "999999999999.json"), "{}"); // listed by no manifest: not the package's
    const code = await run(["--out", dir, "--force", "--accounts", org.managementAccountId]);
    expect({ code, files: filesUnder(dir).sort() }).toEqual({
      code: 0,
      files: [
        "accounts/999999999999.json",
        `accounts/${org.managementAccountId}.json`,
        "index.html",
        "manifest.json",
        "notes.txt",
        "report.json",
      ].sort(),
    });
  });

  it("removes the earlier package's export of an account no longer in it", async () => {
    const dir = scratch();
    await run(["--out", dir]);
    await run(["--out", dir, "--force", "--accounts", org.managementAccountId]);
    expect(existsSync(join(dir, "accounts", `${member}.json`))).toBe(false);
  });
});
