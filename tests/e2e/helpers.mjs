// Shared pieces of the e2e tests: the browser, a page that records console errors and
// requests, screenshots, and the Phase 6 files the tests load.

import assert from "node:assert/strict";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

import { repoRoot } from "./server.mjs";

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.PHASE7_CHROMIUM || "/usr/bin/chromium";
export const SHOTS = join(repoRoot, "target", "e2e-screenshots");
/** Screenshots of the top of the page per state and viewport (issue 11). */
export const STATE_SHOTS = join(repoRoot, "target", "screenshots");
export const FIXTURES = join(repoRoot, "tests", "fixtures");

/** The hostile strings every free-text field of a file gets. */
export const HOSTILE = [
  '<img src=x onerror="window.__phase7Pwned=1">',
  "<script>window.__phase7Pwned=2</script>",
  '"><svg onload="window.__phase7Pwned=3">',
];

/**
 * Opens headless Chromium with a fresh user data dir and one page that records console
 * errors, uncaught exceptions and every request. Call `close()` when done.
 */
export async function openBrowser({ viewport = { width: 1280, height: 900 } } = {}) {
  const profile = await mkdtemp(join(tmpdir(), "phase7-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    acceptDownloads: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  const requests = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console.error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => requests.push(r.url()));
  // Every Content-Security-Policy violation is an error of the page: reported on the
  // console (recorded above), whether or not the browser logs one itself.
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  return {
    page,
    problems,
    requests,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `body(page, browser)` with a fresh browser; fails on console errors or uncaught
 * exceptions; always saves a screenshot named `name`.
 */
export async function withPage(name, body, options) {
  const b = await openBrowser(options);
  try {
    await body(b.page, b);
    assert.deepEqual(b.problems, [], "no console errors or uncaught exceptions");
  } finally {
    await screenshot(b.page, name).catch(() => {});
    await b.close();
  }
}

/** Saves a full-page screenshot as target/e2e-screenshots/<name>.png. */
export async function screenshot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Saves the visible top of the page as target/screenshots/<name>.png. */
export async function topShot(page, name) {
  await mkdir(STATE_SHOTS, { recursive: true });
  const path = join(STATE_SHOTS, `${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: false });
  return path;
}

const AXE_SOURCE = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
/** Every axe-core run of the suite: { label, violations: [{ id, impact, nodes }] }. */
export const AXE_RUNS = [];

/**
 * Runs axe-core (WCAG 2.x A/AA and best practices) on the page as it is and fails on any
 * serious or critical violation. axe is evaluated through the DevTools protocol, so the
 * page's strict CSP stays in force for the page's own scripts.
 */
export async function axe(page, label) {
  const hasAxe = await page.evaluate(() => typeof window.axe === "object");
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      resultTypes: ["violations"],
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
    }));
  });
  AXE_RUNS.push({ label, violations: result });
  const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad, [], `axe-core: no serious or critical violation (${label})`);
  return result;
}

/** The bundled sample, as text. */
export async function sampleText() {
  return readFile(join(FIXTURES, "p06_sample.json"), "utf8");
}

/** The first public vector whose expected band is `band`: { phase6, expected }. */
export async function publicVector(band) {
  const lines = (await readFile(join(FIXTURES, "phase7_public.jsonl"), "utf8")).split("\n");
  for (const line of lines) {
    if (!line.trim()) continue;
    const v = JSON.parse(line);
    if (v.expected.quality_level === band) return v;
  }
  throw new Error(`no public vector with band ${band}`);
}

/**
 * The sample with a hostile string in every free-text field (the file stays valid, so
 * the strings reach the result and input tables).
 */
export async function hostileValid() {
  const doc = JSON.parse(await sampleText());
  doc.forEach((c, i) => {
    const h = HOSTILE[i % HOSTILE.length];
    c.cluster_name = h;
    c.dispersion_scenario = h;
    c.aggregation_method = h;
    c.provenance_node_id = h;
    c.validation_details = { note: h };
    c[h] = h; // an unknown key
    for (const a of c.area_scores ?? []) a.quality_level = h;
  });
  return JSON.stringify({ cluster_scores: doc, source: HOSTILE[0] }, null, 2);
}

/** Hostile strings in every string field, ids included: rejected with coded errors. */
export async function hostileRejected() {
  const doc = JSON.parse(await sampleText());
  doc.forEach((c, i) => {
    const h = HOSTILE[i % HOSTILE.length];
    for (const k of Object.keys(c)) if (typeof c[k] === "string") c[k] = h;
    c.areas = [h, ...c.areas.slice(1)];
  });
  return JSON.stringify(doc, null, 2);
}

/** Writes `files` ({ name: text }) into a fresh folder and returns its path. */
export async function fixtureDir(files) {
  const dir = await mkdtemp(join(tmpdir(), "phase7-fixtures-"));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

/** Waits until the dashboard shows a result or errors for the current file. */
export async function settled(page) {
  await page.waitForSelector('[data-testid="phase7-dashboard"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="busy"]'));
}
