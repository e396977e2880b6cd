// The Chromium half of scripts/bench.sh: serves the core's npm package
// (target/npm/phase7-core, `bash scripts/npm.sh`), the fixtures and bench/page/ with the
// e2e suite's static server, opens bench/page/ in headless Chromium (/usr/bin/chromium
// or $PHASE7_CHROMIUM, driven by playwright-core from tests/e2e/node_modules) and prints
// its result as one JSON line: microseconds per plan for run, issue, verify and claim
// (best of the page's rounds over the 1,000 public vectors), and `run_parse`, the
// browser's JSON.parse of what `run` returns, alone.
//
//   node bench/page.mjs [rounds]

import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { fixturesDir, repoRoot, serve } from "../tests/e2e/server.mjs";

const { chromium } = await import(
  pathToFileURL(join(repoRoot, "tests", "e2e", "node_modules", "playwright-core", "index.mjs"))
);

const rounds = Number(process.argv[2] || 7);
const server = await serve({
  mounts: { "/fixtures/": fixturesDir, "/bench/": join(repoRoot, "bench", "page") },
});
const browser = await chromium.launch({
  executablePath: process.env.PHASE7_CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}/bench/?rounds=${rounds}`);
  await page.waitForFunction(() => window.__phase7Bench, null, { timeout: 600_000, polling: 200 });
  const result = await page.evaluate(() => window.__phase7Bench);
  if (result.error) throw new Error(result.error);
  console.log(JSON.stringify({ ...result, browser: browser.version() }));
} finally {
  await browser.close();
  await server.close();
}
