// Issue 9 through the npm package: how long do `run` and `issue` take on each
// pathological shape of core/tests/shapes near the 16 MiB cap, and how much wasm memory
// do they take? A measurement, not a test. Write the shapes (see measure_shapes.mjs),
// build the package (`bash scripts/npm.sh`), then
//   node tests/e2e/measure_npm_shapes.mjs target/shapes [--wasm FILE] [index ...]
// Each shape gets a fresh instance of the module (a wasm memory never shrinks): `run`,
// then `issue` in a second fresh instance; the memory column is the instance's linear
// memory afterwards, its peak. --wasm measures another build of the same package's wasm.

import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { npmDir } from "./server.mjs";

const args = process.argv.slice(2);
const dir = resolve(args[0] ?? "target/shapes");
const at = args.indexOf("--wasm");
const wasmFile = at > 0 ? resolve(args[at + 1]) : join(npmDir, "phase7_core_bg.wasm");
const only = args.slice(1).filter((a, i, all) => !a.startsWith("--") && all[i - 1] !== "--wasm");
const module = await WebAssembly.compile(await readFile(wasmFile));
const names = (await readFile(join(dir, "names.tsv"), "utf8"))
  .trim()
  .split("\n")
  .map((l) => l.split("\t"));
let fresh = 0;
/** A new instance of the package (a module record of its own, so a memory of its own). */
async function instance() {
  const url = pathToFileURL(join(npmDir, "phase7_core.js"));
  url.search = `?instance=${fresh++}`;
  const pkg = await import(url.href);
  const wasm = pkg.initSync({ module });
  return { pkg, wasm };
}
console.log("shape  bytes      run s  run MB  issue s  issue MB  name");
for (const [index, , name] of names) {
  if (only.length && !only.includes(index)) continue;
  const bytes = new Uint8Array(await readFile(join(dir, `${index}.json`)));
  const row = [];
  for (const call of ["run", "issue"]) {
    const { pkg, wasm } = await instance();
    const t0 = performance.now();
    pkg[call](bytes);
    row.push(((performance.now() - t0) / 1000).toFixed(2), (wasm.memory.buffer.byteLength / 1e6).toFixed(0));
  }
  console.log(
    `${index.padStart(5)}  ${String(bytes.length).padStart(9)}  ${row[0].padStart(5)}  ${row[1].padStart(6)}  ${row[2].padStart(7)}  ${row[3].padStart(8)}  ${name}`,
  );
}
