/**
 * The files of the evidence package, from the gathered evidence: everything redacted first,
 * then index.html, report.json and accounts/<id>.json, and manifest.json with the SHA-256 and
 * size of each of them. Pure but for the hash: the command writes what this returns.
 */
import { createHash } from "node:crypto";
import type { Settings } from "../../config/settings.ts";
import { redactDeep, redactText } from "../../core/redaction.ts";
import type { EvidenceBundle } from "../../use-cases/evidence.ts";
import { renderEvidencePage } from "./render-page.ts";

export interface PackageFile {
  /** Relative to the package directory, with `/`. */
  readonly path: string;
  readonly content: string;
}

export interface Manifest {
  readonly generatedAt: string;
  readonly tool: { readonly name: string; readonly version: string };
  readonly caller: string;
  readonly files: readonly { readonly path: string; readonly sha256: string; readonly bytes: number }[];
}

export const MANIFEST_FILE = "manifest.json";

export function packageFiles(
  bundle: EvidenceBundle,
  settings: Pick<Settings, "owner" | "runbookUrl" | "exemptions" | "regions" | "prefix">,
  tool: { readonly name: string; readonly version: string },
  proofSource?: string,
): PackageFile[] {
  // The runbook is published on purpose: the one URL kept whole.
  const options = settings.runbookUrl ? { keep: [settings.runbookUrl] } : {};
  const report = redactDeep(bundle.report, options);
  const exports = bundle.exports.map((e) => redactDeep(e, options));
  const proofs = redactDeep(bundle.proofs, options);
  const caller = redactDeep(bundle.caller, options);
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const html = renderEvidencePage({
    generatedAt: bundle.generatedAt,
    organizationId: bundle.organizationId,
    caller,
    tool,
    report,
    exports,
    proofs,
    ...(proofSource ? { proofSource: redactText(proofSource, options) } : {}),
    ...(settings.regions ? { regions: settings.regions } : {}),
    ...(settings.owner ? { owner: redactText(settings.owner, options) } : {}),
    ...(settings.runbookUrl ? { runbookUrl: settings.runbookUrl } : {}),
    exemptions: redactDeep(settings.exemptions, options),
    historyDays: bundle.historyDays,
    prefix: settings.prefix,
  });
  const files: PackageFile[] = [
    { path: "index.html", content: html },
    { path: "report.json", content: json(report) },
    ...exports.map((e) => ({ path: `accounts/${e.accountId}.json`, content: json(e) })),
  ];
  const manifest: Manifest = {
    generatedAt: bundle.generatedAt,
    tool,
    caller: caller.arn,
    files: files.map((f) => {
      const bytes = Buffer.from(f.content, "utf8");
      return { path: f.path, sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length };
    }),
  };
  return [...files, { path: MANIFEST_FILE, content: json(manifest) }];
}
