// Issue 9 in the page: how long does the dashboard take on each pathological shape of
// core/tests/shapes near the 16 MiB cap, and how much wasm memory does it keep? A
// measurement, not a test (times are not asserted anywhere). First write the shapes:
//   PHASE7_BOUNDS_SIZE=15000000 PHASE7_SHAPES_OUT=target/shapes \
//     cargo test --release -p phase7-core --test bounds write_the_shapes -- --ignored
// then, after `trunk build --release` (dist/): `node tests/e2e/measure_shapes.mjs
// target/shapes [index ...]`. Each shape is picked as a file in a fresh page; the time
// runs from handing the bytes to the picker (through the DevTools protocol, which itself
// takes about 2.5 s for 15 MB here) to the page no longer busy. The wasm memory is the
// module's linear memory afterwards (it never shrinks, so it is the page's peak).

import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";

import { openBrowser, settled } from "./helpers.mjs";
import { serve } from "./server.mjs";

const dir = resolve(process.argv[2] ?? "target/shapes");
const names = (await readFile(join(dir, "names.tsv"), "utf8"))
  .trim()
  .split("\n")
  .map((l) => l.split("\t"));
const only = process.argv.slice(3);
const server = await serve({});
console.log("shape  bytes      seconds  wasm MB  name");
for (const [index, , name] of names) {
  if (only.length && !only.includes(index)) continue;
  const bytes = await readFile(join(dir, `${index}.json`));
  const b = await openBrowser();
  try {
    const page = b.page;
    await page.goto(`${server.url}/?lang=en`);
    await settled(page);
    const t0 = performance.now();
    await page.setInputFiles('[data-testid="pick-phase6"]', {
      name: `shape-${index}.json`,
      mimeType: "application/json",
      buffer: bytes,
    });
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="phase6-name"]')?.textContent.startsWith(n),
      `shape-${index}`,
      { timeout: 300_000 },
    );
    await page.waitForFunction(() => !document.querySelector('[data-testid="busy"]'), null, {
      timeout: 300_000,
    });
    const seconds = (performance.now() - t0) / 1000;
    const wasm = await page.evaluate(
      async () => (await (await import("/phase7-web.js")).default()).memory.buffer.byteLength,
    );
    console.log(
      `${index.padStart(5)}  ${String(bytes.length).padStart(9)}  ${seconds.toFixed(2).padStart(7)}  ${(wasm / 1e6).toFixed(0).padStart(7)}  ${name}`,
    );
  } finally {
    await b.close();
  }
}
await server.close();
