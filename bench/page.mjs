// The Chromium half of scripts/bench.sh: serves the core's npm package
// (target/npm/phase7-core, `bash scripts/npm.sh`), the fixtures and bench/page/ with the
// e2e suite's static server, opens bench/page/ in headless Chromium (/usr/bin/chromium
// or $PHASE7_CHROMIUM, driven by playwright-core from tests/e2e/node_modules) and prints
// its result as one JSON line: microseconds per plan for run, issue, verify and claim
// (best of the page's rounds over the 1,000 public vectors), and `run_parse`, the
// browser's JSON.parse of what `run` returns, alone.
//
//   node bench/page.mjs [rounds]

import { openBench } from "./open.mjs";

const rounds = Number(process.argv[2] || 7);
const { ready, version, close } = await openBench(`rounds=${rounds}`);
try {
  console.log(JSON.stringify({ ...ready, browser: version }));
} finally {
  await close();
}
