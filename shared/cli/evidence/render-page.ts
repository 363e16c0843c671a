/**
 * index.html of the evidence package (pure): one self-contained page an auditor can open from
 * a file share or print to PDF. Inline CSS only: no script, font, image or any other request.
 * It is rendered from the redacted data, so it shows nothing the JSON files do not.
 */
import type { AccountExport } from "../../adapters/evidence/configuration-reader.ts";
import type { ProofLookup } from "../../adapters/records/proof-records-reader.ts";
import { arnAccount, arnRegion, arnResourceName } from "../../core/arn.ts";
import { type CellStatus, type CoverageMatrix, coverageMatrix } from "../../core/coverage-matrix.ts";
import type { ChainEvidence } from "../../core/evidence.ts";
import { type Exemption, exemptionEnd } from "../../core/exemptions.ts";
import type { AccountResult } from "../../core/model.ts";
import type { Report } from "../../core/report.ts";

export interface PageInput {
  readonly generatedAt: string;
  readonly organizationId: string;
  readonly caller: { readonly arn: string; readonly accountId: string };
  readonly tool: { readonly name: string; readonly version: string };
  readonly report: Report;
  readonly exports: readonly AccountExport[];
  readonly proofs: Readonly<Record<string, Exclude<ProofLookup, undefined>>>;
  /** Where proof records were looked for, as given; undefined: not asked. */
  readonly proofSource?: string;
  /** Regions given with --regions; undefined: the regions the chains live in. */
  readonly regions?: readonly string[];
  readonly owner?: string;
  readonly runbookUrl?: string;
  readonly exemptions: readonly Exemption[];
  readonly historyDays: number;
  readonly prefix: string;
}

/** What each cell status means, for the legend. */
const CELL_MEANING: Readonly<Record<CellStatus, string>> = {
  COMPLIANT: "the account's chain is here and works",
  COVERED: "the account's multi-region trail records this region into a working chain in another region",
  NON_COMPLIANT: "the account's chain is here and does not work",
  NOT_COVERED: "no working chain records this region",
  ERROR: "tripwire could not read the account: not known",
  EXEMPT: "documented exemption in force: read, not judged",
  SKIPPED: "the account is not ACTIVE: not read",
};

export function renderEvidencePage(input: PageInput): string {
  const { report } = input;
  const matrix = coverageMatrix(report, input.regions);
  const s = report.summary;
  const body = [
    `<header>`,
    `<p class="kicker">tripwire evidence package</p>`,
    `<h1>Unauthorized API calls: log metric filter and alarm</h1>`,
    `<p class="control">CIS AWS Foundations 3.1 / 4.1 (5.1 in v6.0), Security Hub CloudWatch.2</p>`,
    table(
      [],
      [
        ["Organization", code(input.organizationId)],
        ["Caller", `${code(input.caller.arn)} (account ${code(input.caller.accountId)})`],
        ["Generated", esc(input.generatedAt)],
        ["Scan", `${esc(report.startedAt)} to ${esc(report.finishedAt)} (mode ${esc(report.mode)}, read-only)`],
        ["Tool", `${esc(input.tool.name)} ${esc(input.tool.version)}`],
        [
          "Regions in scope",
          input.regions
            ? input.regions.map(code).join(", ")
            : "every enabled region (columns: the regions chains live in)",
        ],
        [
          "Accounts",
          `${s.total}: ${s.COMPLIANT} compliant, ${s.NON_COMPLIANT} non-compliant, ${s.ERROR} error, ${s.EXEMPT} exempt, ${s.SKIPPED} skipped`,
        ],
        [
          "Listing",
          report.listing.complete
            ? "complete: every account in scope is in this package"
            : `<span class="bad">incomplete: ${esc(report.listing.error ?? "")}</span>; accounts not listed are not in this package`,
        ],
      ],
      "meta",
    ),
    `</header>`,
    `<nav aria-label="Contents"><ul>${[
      `<li><a href="#coverage">Coverage</a></li>`,
      `<li><a href="#ownership">Alert ownership</a></li>`,
      `<li><a href="#exemptions">Exemptions</a></li>`,
      ...report.accounts.map(
        (a) => `<li><a href="#account-${esc(a.accountId)}">${esc(a.accountId)} ${esc(a.name)}</a></li>`,
      ),
    ].join("")}</ul></nav>`,
    `<main>`,
    coverageSection(matrix),
    ownershipSection(input),
    exemptionsSection(input),
    ...report.accounts.map((a) => accountSection(a, input)),
    filesSection(input),
    `</main>`,
  ].join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tripwire evidence: organization ${esc(input.organizationId)}, ${esc(input.generatedAt)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function coverageSection(matrix: CoverageMatrix): string {
  const head = ["Account", ...matrix.regions.map((r) => (r.inScope ? esc(r.region) : `${esc(r.region)} *`))];
  const rows = matrix.rows.map((row) => [
    `<a href="#account-${esc(row.accountId)}">${code(row.accountId)}</a> ${esc(row.name)}`,
    ...row.cells.map((c) => ({
      html: `${esc(c.status)}${c.chain ? ` <span class="chain" title="the chain's log group is in this region">&#9670; chain${c.chainAccountId ? ` in ${esc(c.chainAccountId)}` : ""}</span>` : ""}`,
      attrs: `class="cell s-${esc(c.status)}" data-status="${esc(c.status)}" data-account="${esc(row.accountId)}" data-region="${esc(c.region)}"`,
    })),
  ]);
  const legend = (Object.keys(CELL_MEANING) as CellStatus[])
    .map((k) => `<li><span class="badge s-${k}">${k}</span> ${esc(CELL_MEANING[k])}</li>`)
    .join("");
  return `<section id="coverage"><h2>Coverage: accounts × regions</h2>
<p>The control holds per account: one multi-region trail records every region's calls into one log group,
where the metric filter, alarm and topic live. A cell shows the account's status in the region of its chain
(&#9670;), and in the other regions whether the chain covers them.${
    matrix.regions.some((r) => !r.inScope) ? " * a region outside the scope given, where a chain lives." : ""
  }</p>
${table(head, rows, "matrix")}
<ul class="legend">${legend}</ul></section>`;
}

function ownershipSection(input: PageInput): string {
  const rows: string[][] = [
    ["Owner", input.owner ? esc(input.owner) : `<span class="muted">not set (setting owner)</span>`],
    [
      "Runbook",
      input.runbookUrl
        ? `<a href="${esc(input.runbookUrl)}">${esc(input.runbookUrl)}</a>`
        : `<span class="muted">not set (setting runbookUrl)</span>`,
    ],
  ];
  return `<section id="ownership"><h2>Alert ownership</h2>
<p>As configured for this run: tripwire writes them into its alarm's description and the <code>owner</code> and
<code>runbook</code> tags of its alarm and topic. What each account's alarm and topic carry is under the account.</p>
${table([], rows, "meta")}</section>`;
}

function exemptionsSection(input: PageInput): string {
  if (input.exemptions.length === 0) {
    return `<section id="exemptions"><h2>Exemptions</h2><p>No account is exempt.</p></section>`;
  }
  const at = new Date(input.report.startedAt);
  const rows = input.exemptions.map((e) => [
    code(e.account),
    esc(e.reason),
    esc(e.owner),
    esc(e.expires),
    at < exemptionEnd(e) ? "in force" : `<span class="bad">expired: judged again</span>`,
  ]);
  return `<section id="exemptions"><h2>Exemptions</h2>
<p>Documented in tripwire's configuration. An exempt account is read (what it holds is shown below), nothing is
written in it, and it does not fail the run; from the day after its expiry it is judged like any other.</p>
${table(["Account", "Reason", "Owner", "Expires (last day)", "State"], rows)}</section>`;
}

function accountSection(account: AccountResult, input: PageInput): string {
  const exported = input.exports.find((e) => e.accountId === account.accountId);
  const parts = [
    `<section class="account" id="account-${esc(account.accountId)}">`,
    `<h2>${code(account.accountId)} ${esc(account.name)} <span class="badge s-${esc(account.status)}">${esc(account.status)}</span></h2>`,
  ];
  if (account.exemption) {
    const e = account.exemption;
    parts.push(
      `<p class="exemption">${account.status === "EXEMPT" ? "Exempt" : "Was exempt"} through ${esc(e.expires)}; owner ${esc(e.owner)}: ${esc(e.reason)}</p>`,
    );
  }
  if (account.error) parts.push(`<p class="bad">Error: ${esc(account.error)}</p>`);
  parts.push(`<h3>What satisfies the control</h3>`, chainsHtml(account));
  parts.push(
    `<h3>Findings</h3>`,
    account.findings.length === 0
      ? `<p>None.</p>`
      : table(
          ["Code", "Region", "Message"],
          account.findings.map((f) => [code(f.code), esc(f.region), esc(f.message)]),
        ),
  );
  const sc = account.scanners;
  parts.push(
    `<h3>Scanner predictions</h3>`,
    `<p>What each scanner's published logic concludes of this account (they disagree with each other).</p>`,
    table(
      ["Security Hub CloudWatch.2", "Steampipe cis_v140_4_1", "Prowler"],
      [[sc.securityHub, sc.steampipe, sc.prowler].map((v) => `<span class="badge p-${esc(v)}">${esc(v)}</span>`)],
    ),
  );
  parts.push(historyHtml(account, input));
  parts.push(proofHtml(account, input));
  parts.push(tagsHtml(exported, input));
  if (exported) {
    parts.push(
      `<p class="files">Raw configuration as AWS returned it: <a href="accounts/${esc(account.accountId)}.json">accounts/${esc(account.accountId)}.json</a>${
        exported.errors.length > 0
          ? `; reads that failed: <span class="bad">${exported.errors.map(esc).join("; ")}</span>`
          : ""
      }</p>`,
    );
  } else {
    parts.push(`<p class="muted">Not read (${esc(account.status)}): no configuration export.</p>`);
  }
  parts.push(`</section>`);
  return parts.join("\n");
}

function chainsHtml(account: AccountResult): string {
  const chains = account.evidence.chains;
  if (chains.length === 0) {
    return `<p class="muted">No chain: ${account.status === "SKIPPED" ? "not read" : "no multi-region trail delivering to a log group was seen"}.</p>`;
  }
  return chains.map((c) => chainHtml(c, account)).join("\n");
}

function chainHtml(chain: ChainEvidence, account: AccountResult): string {
  const t = chain.trail;
  const rows: string[][] = [
    [
      "Trail",
      `${code(t.arn)} (home ${esc(t.homeRegion)}, ${t.isMultiRegion ? "multi-region" : "single-region"}${t.isOrganizationTrail ? ", organization trail" : ""}${t.ownerAccountId !== account.accountId ? `, owned by ${code(t.ownerAccountId)}` : ""})`,
    ],
    [
      "Trail state",
      t.isLogging === undefined
        ? `<span class="muted">not read</span>`
        : `${t.isLogging ? "logging" : `<span class="bad">not logging</span>`}; management events ${esc(t.managementEvents ?? "")} (${esc(t.selectorKind ?? "")} selectors)`,
    ],
    ["Log group", chain.logGroup ? code(chain.logGroup.arn) : `<span class="bad">none delivering</span>`],
  ];
  const filters = chain.filters.map((f) => {
    const alarms =
      f.alarms.length === 0
        ? `<span class="bad">no working alarm</span>`
        : f.alarms
            .map((a) => {
              const topics = a.topics
                .map((tp) => {
                  const by = tp.confirmedByProtocol
                    ? ` (${Object.entries(tp.confirmedByProtocol)
                        .map(([p, n]) => `${n} ${esc(p)}`)
                        .join(", ")})`
                    : "";
                  return `${code(tp.arn)}: ${tp.confirmed} confirmed subscription(s)${by}, ${tp.pending} pending`;
                })
                .join("<br>");
              return `${code(a.arn)}<br>${esc(a.statistic ?? "")} over ${a.period} s, ${a.datapointsToAlarm ?? a.evaluationPeriods} of ${a.evaluationPeriods}, ${esc(a.comparison)} ${a.threshold ?? ""}<br>actions: ${a.actions.map(code).join(", ")}<br>topics: ${topics}`;
            })
            .join("<hr>");
    return [
      code(f.name),
      `<code class="pattern">${esc(f.pattern)}</code>`,
      `${code(`${f.metric.namespace}/${f.metric.name}`)} = ${esc(f.metric.value)}`,
      alarms,
    ];
  });
  return `<div class="chain-box"><p class="chain-verdict">${chain.satisfies ? `<span class="good">This chain satisfies the control.</span>` : `<span class="bad">This chain does not satisfy the control; what holds of it:</span>`}</p>
${table([], rows, "meta")}
${filters.length === 0 ? `<p class="muted">No metric filter on the log group covers unauthorized calls.</p>` : table(["Filter", "Pattern", "Metric", "Alarm and topic"], filters)}
</div>`;
}

interface HistoryRow {
  readonly at: string;
  readonly alarm: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

/** The state changes of the account's alarms: its own (its export) and those of its chain elsewhere. */
function historyHtml(account: AccountResult, input: PageInput): string {
  const wanted = new Set<string>();
  const own = input.exports.find((e) => e.accountId === account.accountId);
  for (const entry of own?.alarmHistory ?? [])
    wanted.add(`${account.accountId}/${entry.region}/${entry.request.AlarmName}`);
  for (const chain of account.evidence.chains)
    for (const f of chain.filters)
      for (const a of f.alarms) wanted.add(`${arnAccount(a.arn)}/${arnRegion(a.arn)}/${arnResourceName(a.arn)}`);
  const rows: HistoryRow[] = [];
  const read = new Set<string>();
  for (const exp of input.exports) {
    for (const entry of exp.alarmHistory) {
      const key = `${exp.accountId}/${entry.region}/${entry.request.AlarmName}`;
      if (!wanted.has(key)) continue;
      read.add(key);
      for (const item of entry.response.AlarmHistoryItems) rows.push(historyRow(item, exp.accountId));
    }
  }
  rows.sort((a, b) => b.at.localeCompare(a.at));
  const notRead = [...wanted].filter((k) => !read.has(k));
  const note = `<p class="note">Asked for the last ${input.historyDays} days (DescribeAlarmHistory, state updates);
CloudWatch keeps alarm history for two weeks, so at most the last 14 days appear.</p>`;
  const table_ =
    wanted.size === 0
      ? `<p class="muted">No alarm to show.</p>`
      : rows.length === 0
        ? `<p>No state change in the period for ${[...read].map((k) => code(k.split("/").pop() ?? "")).join(", ") || "its alarms"}.</p>`
        : table(
            ["Time", "Alarm", "From", "To", "Reason"],
            rows.map((r) => [esc(r.at), code(r.alarm), esc(r.from), esc(r.to), esc(r.reason)]),
          );
  const missing = notRead.length
    ? `<p class="muted">History not read for ${notRead.map((k) => code(k)).join(", ")} (its account is not in this package, or the read failed).</p>`
    : "";
  return `<h3>Alarm state changes</h3>\n${note}\n${table_}\n${missing}`;
}

function historyRow(
  item: AccountExport["alarmHistory"][number]["response"]["AlarmHistoryItems"][number],
  accountId: string,
): HistoryRow {
  let from = "";
  let to = "";
  let reason = item.HistorySummary ?? "";
  try {
    const data = JSON.parse(item.HistoryData ?? "{}") as {
      oldState?: { stateValue?: string };
      newState?: { stateValue?: string; stateReason?: string };
    };
    from = data.oldState?.stateValue ?? "";
    to = data.newState?.stateValue ?? "";
    reason = data.newState?.stateReason ?? reason;
  } catch {
    // HistoryData is "JSON" by the API's word; a text that is not stays in the summary.
  }
  const at = item.Timestamp instanceof Date ? item.Timestamp.toISOString() : String(item.Timestamp ?? "");
  return { at, alarm: `${accountId} ${item.AlarmName ?? ""}`, from, to, reason };
}

function proofHtml(account: AccountResult, input: PageInput): string {
  const heading = `<h3>Last proof of the alert path</h3>`;
  if (!input.proofSource) {
    return `${heading}<p class="muted">No proof records were given (tripwire evidence --proofs s3://bucket/prefix or a directory).</p>`;
  }
  const found = input.proofs[account.accountId];
  if (!found) return `${heading}<p class="muted">No proof record of this account in ${esc(input.proofSource)}.</p>`;
  if (!found.found) {
    return `${heading}<p class="bad">The proof record could not be read${found.location ? ` (${esc(found.location)})` : ""}: ${esc(found.error)}</p>`;
  }
  const r = found.record;
  const hops = r.hops.map((h) => [
    code(h.code),
    h.ok ? `<span class="good">confirmed</span>` : `<span class="bad">not confirmed</span>`,
    esc(h.at ?? ""),
    `<code class="pattern">${esc(JSON.stringify(h.evidence))}</code>`,
  ]);
  return `${heading}
<p><span class="badge s-${r.status === "PROVEN" ? "COMPLIANT" : "NON_COMPLIANT"}">${esc(r.status)}</span> in ${esc(r.region)}, ${esc(r.startedAt)} to ${esc(r.finishedAt)}${r.failedHop ? `; first hop not confirmed: ${code(r.failedHop)}` : ""}${r.reason ? `; ${esc(r.reason)}` : ""}. Record: ${code(found.location)}</p>
${table(["Hop", "Result", "At", "Shown by"], hops)}`;
}

function tagsHtml(exported: AccountExport | undefined, input: PageInput): string {
  const entries = exported?.tags ?? [];
  if (entries.length === 0) {
    return `<h3>tripwire's alarm and topic</h3><p class="muted">No alarm or topic of tripwire's name (${esc(input.prefix)}-unauthorized-api-calls) was read in this account.</p>`;
  }
  const rows = entries.map((e) => {
    const arn = "ResourceARN" in e.request ? e.request.ResourceARN : e.request.ResourceArn;
    const tags = e.response.Tags.map((t) => `${esc(t.Key ?? "")}=${esc(t.Value ?? "")}`).join("<br>");
    return [code(arn), tags || `<span class="muted">no tags</span>`];
  });
  return `<h3>tripwire's alarm and topic</h3>${table(["Resource", "Tags (owner, runbook)"], rows)}`;
}

function filesSection(input: PageInput): string {
  return `<section id="files"><h2>Files of this package</h2>
<p><code>report.json</code>: the scan report (version ${input.report.version}). <code>accounts/&lt;id&gt;.json</code>: each account's
configuration as AWS returned it. <code>manifest.json</code>: the SHA-256 and size of every other file, to check that
nothing was altered (<code>sha256sum index.html report.json accounts/*.json</code>). Email addresses keep their first
character and domain, web endpoints their scheme and host.</p></section>`;
}

type Cell = string | { readonly html: string; readonly attrs: string };

function table(head: readonly string[], rows: readonly (readonly Cell[])[], cls = ""): string {
  const th = head.length ? `<thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join("")}</tr></thead>` : "";
  const body = rows
    .map(
      (r) =>
        `<tr>${r
          .map((c, i) =>
            typeof c === "string"
              ? head.length === 0 && i === 0
                ? `<th scope="row">${c}</th>`
                : `<td>${c}</td>`
              : `<td ${c.attrs}>${c.html}</td>`,
          )
          .join("")}</tr>`,
    )
    .join("");
  return `<table${cls ? ` class="${cls}"` : ""}>${th}<tbody>${body}</tbody></table>`;
}

function code(text: string): string {
  return `<code>${esc(text)}</code>`;
}

export function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

const STYLE = `
:root { --fg: #1b1f23; --muted: #5b6470; --line: #d0d7de; --bg-soft: #f6f8fa;
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #b42318; --bad-bg: #fee4e2; --warn: #9a6700; --warn-bg: #fff8c5;
  --info: #0b5cad; --info-bg: #ddf4ff; --off: #57606a; --off-bg: #eaeef2; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 24px; color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 24px; margin: 4px 0; } h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; color: var(--muted); margin: 0; font-size: 12px; }
.control { color: var(--muted); margin: 0 0 12px; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
code.pattern { display: block; white-space: pre-wrap; background: var(--bg-soft); padding: 4px 6px; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--bg-soft); }
table.meta th { width: 190px; background: var(--bg-soft); font-weight: 600; }
table.matrix td.cell { text-align: center; font-weight: 600; white-space: nowrap; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 13px; }
.legend { list-style: none; padding: 0; font-size: 13px; } .legend li { margin: 3px 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 700; }
.s-COMPLIANT, .s-COVERED, .p-PASS { background: var(--ok-bg); color: var(--ok); }
.s-NON_COMPLIANT, .s-NOT_COVERED, .p-FAIL { background: var(--bad-bg); color: var(--bad); }
.s-ERROR { background: var(--warn-bg); color: var(--warn); }
.s-EXEMPT { background: var(--info-bg); color: var(--info); }
.s-SKIPPED, .p-NO_DATA { background: var(--off-bg); color: var(--off); }
.chain { font-weight: 400; font-size: 11px; }
.good { color: var(--ok); font-weight: 600; } .bad { color: var(--bad); font-weight: 600; } .muted { color: var(--muted); }
.note { color: var(--muted); font-size: 13px; }
.exemption { background: var(--info-bg); padding: 6px 10px; border-radius: 4px; }
.chain-box { border-left: 4px solid var(--line); padding-left: 10px; margin: 8px 0; }
section.account { margin-top: 30px; }
hr { border: 0; border-top: 1px dashed var(--line); }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; } h3 { break-after: avoid; }
  section.account { break-before: page; }
  tr, .chain-box p, .exemption { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  a[href^="https:"]::after { content: " (" attr(href) ")"; font-size: 9pt; color: var(--muted); }
  code { font-size: 8.5pt; }
}
`;
