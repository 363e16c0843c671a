/**
 * The evidence page in a real browser (issue 10, item 2): Debian's Chromium, driven by
 * playwright-core, opens the index.html of the demo organization's package from disk and
 * checks what a reader sees. It also takes a screenshot of the page: into a temporary directory,
 * or, with UPDATE_SCREENSHOT=1, into the README's docs/images/evidence.png (a test run leaves the
 * tracked tree alone).
 * Skipped where /usr/bin/chromium is missing (`apt-get install -y chromium`), except under
 * CI_STRICT, where .ci/run installs it and a missing browser fails.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../shared/cli/main.ts";
import { coverageMatrix } from "../../shared/core/coverage-matrix.ts";
import type { Report } from "../../shared/core/report.ts";

const CHROMIUM = "/usr/bin/chromium";
/** What the page's code uses of the browser's window (the project compiles without the DOM library). */
interface BrowserWindow {
  getComputedStyle(element: unknown): { breakBefore: string };
}
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const SCREENSHOT =
  process.env.UPDATE_SCREENSHOT === "1"
    ? new URL("../../docs/images/evidence.png", import.meta.url).pathname
    : join(mkdtempSync(join(tmpdir(), "tripwire-screenshot-")), "evidence.png");

function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const why = `${CHROMIUM} is missing (apt-get install -y chromium)`;
  if (process.env.CI_STRICT) throw new Error(`the browser test must run here (CI_STRICT is set), but ${why}`);
  console.warn(`evidence browser test skipped: ${why}`);
  return why;
}

const work = mkdtempSync(join(tmpdir(), "tripwire-browser-"));
const dir = join(work, "package");
let context: BrowserContext;
let page: Page;
let report: Report;
const requests: string[] = [];
const consoleErrors: string[] = [];
let pageUrl: string;

describe.skipIf(chromiumMissing())("the evidence page in Chromium", () => {
  beforeAll(async () => {
    const io = { stdout: () => undefined, stderr: () => undefined, env: {}, isTty: false };
    const code = await main(["demo", "--out", dir], io);
    if (code !== 0) throw new Error(`the demo exited ${code}`);
    report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
    context = await chromium.launchPersistentContext(join(work, "profile"), {
      executablePath: CHROMIUM,
      args: ARGS,
      headless: true,
      viewport: { width: 1280, height: 1000 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("request", (r) => void requests.push(r.url()));
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => void consoleErrors.push(e.message));
    pageUrl = pathToFileURL(join(dir, "index.html")).href;
    await page.goto(pageUrl, { waitUntil: "load" });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("shows every account id of the report", async () => {
    // biome-ignore lint/performance/useDomNodeTextContent: what a reader sees is the rendered text.
    const text = await page.locator("body").innerText();
    expect(report.accounts.map((a) => a.accountId).filter((id) => !text.includes(id))).toEqual([]);
  });

  it("renders the coverage matrix: one visible cell per account and region", async () => {
    const cells = page.locator("table.matrix td.cell");
    const regions = await page.locator("table.matrix thead th").count();
    expect({ cells: await cells.count(), visible: await cells.first().isVisible() }).toEqual({
      cells: report.accounts.length * (regions - 1),
      visible: true,
    });
  });

  it("writes each cell's status as its text", async () => {
    const cells = await page.locator("table.matrix td.cell").evaluateAll((tds) =>
      tds.map((td) => ({
        status: td.getAttribute("data-status"),
        // biome-ignore lint/performance/useDomNodeTextContent: what a reader sees is the rendered text.
        text: (td as unknown as { innerText: string }).innerText,
      })),
    );
    expect(cells.filter((c) => !c.status || !c.text.startsWith(c.status))).toEqual([]);
  });

  it("shows in each row the statuses the report gives the account, region by region", async () => {
    const rendered = await page
      .locator("table.matrix tbody tr")
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll("td.cell")].map((c) => c.getAttribute("data-status"))),
      );
    const expected = coverageMatrix(report, undefined).rows.map((row) => row.cells.map((c) => c.status));
    expect(rendered).toEqual(expected);
  });

  it("logs no console error", () => {
    expect(consoleErrors).toEqual([]);
  });

  it("makes no request beyond the file itself", () => {
    expect(requests).toEqual([pageUrl]);
  });

  it("starts each account on a new page when printed", async () => {
    await page.emulateMedia({ media: "print" });
    const breaks = await page
      .locator("section.account")
      .evaluateAll((sections) =>
        sections.map((s) => (globalThis as unknown as BrowserWindow).getComputedStyle(s).breakBefore),
      );
    await page.emulateMedia({ media: "screen" });
    expect(new Set(breaks)).toEqual(new Set(["page"]));
  });

  it("renders a screenshot of the page as a PNG", async () => {
    mkdirSync(join(SCREENSHOT, ".."), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(readFileSync(SCREENSHOT).subarray(1, 4).toString()).toBe("PNG");
  });
});
