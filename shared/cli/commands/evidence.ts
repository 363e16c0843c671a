/**
 * `tripwire evidence --out DIR`: the audit package, from a fresh scan (use-cases/evidence.ts).
 * Bad usage (no --out, a DIR that is not empty without --force, a --proofs that is neither
 * s3://bucket[/prefix] nor a directory) is one line, exit 2, before any AWS call and with
 * nothing written. Exit codes otherwise as `scan`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { ProofSource } from "../../adapters/records/proof-records-reader.ts";
import { describeProofSource } from "../../adapters/records/proof-records-reader.ts";
import { ConfigError, show } from "../../config/settings.ts";
import { exitCodeOf } from "../../core/report.ts";
import { type EvidenceBundle, gatherEvidence } from "../../use-cases/evidence.ts";
import type { CommandBody, CommandContext } from "../command.ts";
import { MANIFEST_FILE, type PackageFile, packageFiles } from "../evidence/package-files.ts";
import { createProgress } from "../progress.ts";
import { TOOL } from "../version.ts";

/** S3's bucket naming rules, loosely: 3-63 lowercase letters, digits, dots and hyphens. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The package's name and version, from package.json. */
/** `s3://bucket[/prefix]` or an existing directory; anything else is a usage error. */
export function parseProofSource(text: string): ProofSource {
  if (text.startsWith("s3://")) {
    const [bucket = "", ...rest] = text.slice("s3://".length).split("/");
    const prefix = rest.join("/").replace(/\/+$/, "");
    if (!BUCKET.test(bucket) || (prefix !== "" && prefix.split("/").includes(""))) {
      throw new ConfigError(`invalid --proofs: ${show(text)} is not s3://BUCKET or s3://BUCKET/PREFIX`);
    }
    return { kind: "s3", bucket, prefix };
  }
  if (!existsSync(text) || !statSync(text).isDirectory()) {
    throw new ConfigError(`invalid --proofs: ${show(text)} is neither s3://BUCKET[/PREFIX] nor a directory`);
  }
  return { kind: "directory", path: text };
}

/**
 * Checks the output directory before anything is read: refused when it is a file, or holds
 * anything without --force. With --force, the files of an earlier package (those its manifest
 * lists, and the manifest) are removed first, and nothing else is touched.
 */
export function prepareOutput(dir: string, force: boolean): { earlier: string[] } {
  if (!existsSync(dir)) return { earlier: [] };
  if (!statSync(dir).isDirectory()) throw new ConfigError(`invalid --out: ${show(dir)} is a file, not a directory`);
  const entries = readdirSync(dir);
  if (entries.length === 0) return { earlier: [] };
  if (!force) {
    throw new ConfigError(
      `--out ${show(dir)} is not empty (${entries.length} entr${entries.length === 1 ? "y" : "ies"}); give a new or empty directory, or --force to write over an earlier package`,
    );
  }
  return { earlier: earlierPackageFiles(dir) };
}

/** The files an earlier package's manifest lists (inside DIR only), and the manifest itself. */
function earlierPackageFiles(dir: string): string[] {
  const manifest = join(dir, MANIFEST_FILE);
  if (!existsSync(manifest)) return [];
  try {
    const listed = (JSON.parse(readFileSync(manifest, "utf8")) as { files?: { path?: unknown }[] }).files ?? [];
    const inside = listed
      .map((f) => (typeof f.path === "string" ? resolve(dir, f.path) : ""))
      .filter((p) => {
        const rel = relative(resolve(dir), p);
        return p !== "" && rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
      });
    return [...inside, manifest];
  } catch {
    return [];
  }
}

async function run({ settings, io, options, factoryFor }: CommandContext): Promise<number> {
  const out = options.out;
  if (typeof out !== "string" || out === "")
    throw new ConfigError("evidence needs --out DIR: where to write the package");
  const source = typeof options.proofs === "string" ? parseProofSource(options.proofs) : undefined;
  const { earlier } = prepareOutput(out, options.force === true);

  const progress = createProgress(io, "evidence");
  let bundle: Awaited<ReturnType<typeof gatherEvidence>>;
  try {
    bundle = await gatherEvidence({
      settings,
      factory: factoryFor(settings, "cli"),
      ...(source ? { proofs: source } : {}),
      onAccountDone: progress.update,
    });
  } finally {
    progress.stop();
  }
  const files = packageFiles(bundle, settings, TOOL, source ? describeProofSource(source) : undefined);
  writePackage(out, files, earlier);
  io.stdout(`${describePackage(out, files, bundle)}\n`);
  return exitCodeOf(bundle.report);
}

/** Writes the package's files into `dir`, after removing an earlier package's (prepareOutput). */
export function writePackage(dir: string, files: readonly PackageFile[], earlier: readonly string[]): void {
  for (const file of earlier) rmSync(file, { force: true });
  for (const file of files) {
    const path = join(dir, ...file.path.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
}

/** Where the package is and what it holds, for stdout. */
export function describePackage(dir: string, files: readonly PackageFile[], bundle: EvidenceBundle): string {
  const s = bundle.report.summary;
  return [
    `evidence package written to ${dir}`,
    `  open ${join(dir, "index.html")}`,
    `  ${files.length} files: index.html, report.json, ${files.length - 3} account export(s), ${MANIFEST_FILE}`,
    `  ${s.total} account(s): ${s.COMPLIANT} compliant, ${s.NON_COMPLIANT} non-compliant, ${s.ERROR} error, ${s.EXEMPT} exempt, ${s.SKIPPED} skipped`,
  ].join("\n");
}

/**
 * Usage errors of the command's own options surface as ConfigError from inside run: main.ts
 * reports a ConfigError as usage (one line, exit 2) only from settings, so they are caught here.
 */
export const evidenceCommand: CommandBody = {
  run: async (context) => {
    try {
      return await run(context);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      context.io.stderr(`tripwire: ${error.message}\n`);
      context.io.stderr("run 'tripwire help evidence' for usage\n");
      return 2;
    }
  },
};
