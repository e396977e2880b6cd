// Shared pieces of the e2e tests: the browser, a page that records console errors and
// requests, screenshots, and the Phase 6 files the tests load.

import assert from "node:assert/strict";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

import { repoRoot } from "./server.mjs";

export const CHROMIUM = process.env.PHASE7_CHROMIUM || "/usr/bin/chromium";
export const SHOTS = join(repoRoot, "target", "e2e-screenshots");
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
