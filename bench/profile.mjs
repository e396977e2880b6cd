// Where the npm package's time goes in Chromium: runs each entry point of bench/page/
// (run, issue, verify, claim) over the 1,000 public vectors under the DevTools
// protocol's sampling CPU profiler and prints, per entry point, the share of self time
// by kind of work and the functions that take the most. A measurement, not a test.
//
//   PHASE7_NPM_NAMES=1 bash scripts/npm.sh      # the package, and a copy with names
//   node bench/profile.mjs [rounds] [entry ...]  # rounds: 3; entries: all four
//
// The copy with names (target/npm/phase7-core-names) is the same optimised module with
// a name section; a profile of the stripped package would show wasm-function[N]. The
// sampler blurs time between small functions (the engine inlines wasm too), so the
// shares by kind are firmer than those of single functions.

import { join } from "node:path";

import { repoRoot } from "../tests/e2e/server.mjs";
import { openBench } from "./open.mjs";

const rounds = Number(process.argv[2] || 3);
const entries = process.argv.length > 3 ? process.argv.slice(3) : ["run", "issue", "verify", "claim"];
const pkg = process.env.PHASE7_NPM_NAMES_DIR || join(repoRoot, "target", "npm", "phase7-core-names");

/** Kinds of work, by function name (the first that matches). */
const KINDS = [
  ["JS boundary (results' JSON.parse, UTF-8, copies, glue)", /^\(program\)$|^JS |wasm_bindgen|js_sys|externref|bytes_of|to_js/],
  ["SHA-256", /sha2::|digest::core_api|HashWriter/],
  ["allocation (talc, growing and dropping)", /talc::|raw_vec|RawVec|drop_in_place|as core::ops::drop::Drop>::drop|__rust_(alloc|dealloc|realloc)|reserve|::push/],
  ["memcpy, memcmp, memset", /\bmemcpy|\bmemmove|\bmemcmp|\bmemset|copy_from_slice|\bbcmp/],
  ["number formatting", /zmij|write_f64|number_into|number_text|decimal::/],
  ["JSON writing (RFC 8785, compact, pretty)", /jcs::|serialize|Serialize|compact_string|pretty_string/],
  ["JSON parsing (read::json)", /read::json|from_utf8/],
  ["big integers (stages::pymath)", /pymath|__multi3|__udivti3|__divti3/],
  ["sorting", /sort/],
  ["garbage collector", /^\(garbage collector\)$/],
];

/** A function's name as the name section has it (Rust paths), without the hash. */
const shortName = (name) => name.replace(/^\$/, "").replace(/::h[0-9a-f]{16}$/, "");

/** Self time (µs) by function name in a CDP profile. */
function selfTimes(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map();
  profile.samples.forEach((id, k) => {
    const f = nodes.get(id).callFrame;
    const wasm = f.url.startsWith("wasm") || f.url.endsWith(".wasm");
    const name = wasm ? shortName(f.functionName) : f.functionName.startsWith("(") ? f.functionName : `JS ${f.functionName || "(anonymous)"}`;
    out.set(name, (out.get(name) ?? 0) + (profile.timeDeltas[k] ?? 0));
  });
  return out;
}

const { page, version, close } = await openBench(`profile&rounds=${rounds}`, pkg);
try {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
  for (const name of entries) {
    await page.evaluate((n) => window.__phase7Time(n), name); // warm-up
    await cdp.send("Profiler.start");
    const us = await page.evaluate((n) => window.__phase7Time(n), name);
    const { profile } = await cdp.send("Profiler.stop");
    const times = selfTimes(profile);
    const total = [...times.values()].reduce((a, b) => a + b, 0);
    const kinds = new Map();
    for (const [fn, t] of times) {
      const kind = KINDS.find(([, re]) => re.test(fn))?.[0] ?? "other (stages, checks, idle)";
      kinds.set(kind, (kinds.get(kind) ?? 0) + t);
    }
    const pct = (t) => `${((100 * t) / total).toFixed(1).padStart(5)} %`;
    console.log(`\n${name}: ${us.toFixed(1)} µs per plan under the profiler (${rounds} rounds)`);
    for (const [kind, t] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(t)}  ${kind}`);
    console.log("  the functions that take the most:");
    for (const [fn, t] of [...times].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
      console.log(`  ${pct(t)}  ${fn.slice(0, 110)}`);
    }
  }
  console.log(`\nChromium ${version} (headless), ${pkg}`);
} finally {
  await close();
}
