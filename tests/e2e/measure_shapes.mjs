// Issue 9 in the page: how long does the dashboard take on each pathological shape of
// core/tests/shapes near the 16 MiB cap, and how much memory does it take? A
// measurement, not a test (times are not asserted anywhere). First write the shapes:
//   PHASE7_BOUNDS_SIZE=15000000 PHASE7_SHAPES_OUT=target/shapes \
//     cargo test --release -p phase7-core --test bounds write_the_shapes -- --ignored
// then, after `trunk build --release` (dist/): `node tests/e2e/measure_shapes.mjs
// target/shapes [--cdp] [--stages] [index ...]`. Each shape is picked as a file in a
// fresh page: the page fetches it from the test server as a Blob and puts it in the
// Phase 6 picker (a `change` event, as a user's pick), so the time runs from the pick to
// the page no longer busy. With --cdp the bytes are handed to the picker through the
// DevTools protocol instead (as the e2e tests do), which itself takes about 2.5 s for
// 15 MB here and 500-600 MB of the renderer's memory (its base64 text and copies).
// Columns: the module's wasm linear memory afterwards (it never shrinks, so it is the
// page's peak); the renderer's peak resident memory (the largest VmHWM of the browser's
// renderer processes, Linux: the wasm memory, the JS heap, the file's bytes and all the
// rest of the page); the JS heap the page still holds after a garbage collection.
// --stages also prints the wasm memory after each stage of the run (the metrics panel).
// --same-page picks the shapes one after another in one page (the wasm memory column is
// then the page's peak so far): a new large file is evaluated once the previous file's
// evaluation is dropped (web/src/load.rs), so the peak is about the largest one's.

import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { openBrowser, settled } from "./helpers.mjs";
import { serve } from "./server.mjs";

const dir = resolve(process.argv[2] ?? "target/shapes");
const names = (await readFile(join(dir, "names.tsv"), "utf8"))
  .trim()
  .split("\n")
  .map((l) => l.split("\t"));
const flags = new Set(process.argv.slice(3).filter((a) => a.startsWith("--")));
const only = process.argv.slice(3).filter((a) => !a.startsWith("--"));
const samePage = flags.has("--same-page");
let shared = null;
const server = await serve({ mounts: { "/shapes/": dir } });
/** The largest peak resident memory (VmHWM) of the browser's renderer processes, bytes. */
async function rendererPeak(browser) {
  const s = await browser.newBrowserCDPSession();
  const { processInfo } = await s.send("SystemInfo.getProcessInfo");
  await s.detach();
  let peak = 0;
  for (const p of processInfo.filter((p) => p.type === "renderer")) {
    try {
      const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p.id}/status`, "utf8"));
      peak = Math.max(peak, Number(kb?.[1] ?? 0) * 1024);
    } catch {
      // A renderer that is gone has no peak to read.
    }
  }
  return peak;
}

console.log("shape  bytes      seconds  wasm MB  renderer MB  JS heap MB  name");
// In the order given, when shapes are named.
const chosen = only.length ? only.map((i) => names.find((n) => n[0] === i)).filter(Boolean) : names;
// A shape that throws still closes the shared browser and the server (then rethrows).
try {
  for (const [index, , name] of chosen) {
    const bytes = await readFile(join(dir, `${index}.json`));
    const fresh = !samePage || !shared;
    const b = fresh ? await openBrowser() : shared;
    if (samePage) shared = b;
    try {
      const page = b.page;
      if (fresh) {
        await page.goto(`${server.url}/?lang=en`);
        await settled(page);
      }
      const t0 = performance.now();
      if (flags.has("--cdp")) {
        await page.setInputFiles('[data-testid="pick-phase6"]', {
          name: `shape-${index}.json`,
          mimeType: "application/json",
          buffer: bytes,
        });
      } else {
        // The file as a Blob fetched by the page, then picked (the clock starts at the pick).
        await page.evaluate(async (index) => {
          const blob = await (await fetch(`/shapes/${index}.json`)).blob();
          const file = new File([blob], `shape-${index}.json`, { type: "application/json" });
          const picked = new DataTransfer();
          picked.items.add(file);
          const input = document.querySelector('[data-testid="pick-phase6"]');
          input.files = picked.files;
          window.__phase7Picked = performance.now();
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }, index);
      }
      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="phase6-name"]')?.textContent.startsWith(n),
        `shape-${index}`,
        { timeout: 300_000 },
      );
      await page.waitForFunction(() => !document.querySelector('[data-testid="busy"]'), null, {
        timeout: 300_000,
      });
      const seconds = flags.has("--cdp")
        ? (performance.now() - t0) / 1000
        : (await page.evaluate(() => performance.now() - window.__phase7Picked)) / 1000;
      const wasm = await page.evaluate(
        async () => (await (await import("/phase7-web.js")).default()).memory.buffer.byteLength,
      );
      const renderer = await rendererPeak(page.context().browser());
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("HeapProfiler.collectGarbage");
      const { usedSize } = await cdp.send("Runtime.getHeapUsage");
      await cdp.detach();
      const mb = (n, w) => (n / 1e6).toFixed(0).padStart(w);
      if (flags.has("--stages")) {
        const rows = await page.$$eval('[data-testid="metrics"] tbody tr', (trs) =>
          trs.map((tr) => [...tr.querySelectorAll("td, th")].map((c) => c.title || c.textContent)),
        );
        for (const r of rows) console.log(`         ${r[1].padEnd(24)} ${(Number(r[3]) / 1e6).toFixed(0).padStart(5)} MB`);
      }
      console.log(
        `${index.padStart(5)}  ${String(bytes.length).padStart(9)}  ${seconds.toFixed(2).padStart(7)}  ${mb(wasm, 7)}  ${mb(renderer, 11)}  ${mb(usedSize, 10)}  ${name}`,
      );
    } finally {
      if (!samePage) await b.close();
    }
  }
} finally {
  if (shared) await shared.close();
  await server.close();
}
