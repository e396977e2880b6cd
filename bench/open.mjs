// What bench/page.mjs and bench/profile.mjs share: the e2e suite's static server with
// the core's npm package at /pkg/ (target/npm/phase7-core unless `pkg` says otherwise),
// the fixtures and bench/page/, and bench/page/ opened in headless Chromium
// (/usr/bin/chromium or $PHASE7_CHROMIUM, driven by playwright-core from
// tests/e2e/node_modules) until its setup is done (`window.__phase7Bench`).

import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { fixturesDir, npmDir, repoRoot, serve } from "../tests/e2e/server.mjs";

const { chromium } = await import(
  pathToFileURL(join(repoRoot, "tests", "e2e", "node_modules", "playwright-core", "index.mjs"))
);

/**
 * Opens bench/page/ with `query` and waits for it: `{ page, ready, version, close }`,
 * `ready` being what the page left in `window.__phase7Bench` (an error is thrown).
 */
export async function openBench(query, pkg = npmDir) {
  const server = await serve({
    mounts: { "/pkg/": pkg, "/fixtures/": fixturesDir, "/bench/": join(repoRoot, "bench", "page") },
  });
  const browser = await chromium.launch({
    executablePath: process.env.PHASE7_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const close = async () => {
    await browser.close();
    await server.close();
  };
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/bench/?${query}`);
    await page.waitForFunction(() => window.__phase7Bench, null, { timeout: 600_000, polling: 200 });
    const ready = await page.evaluate(() => window.__phase7Bench);
    if (ready.error) throw new Error(ready.error);
    return { page, ready, version: browser.version(), close };
  } catch (e) {
    await close();
    throw e;
  }
}
