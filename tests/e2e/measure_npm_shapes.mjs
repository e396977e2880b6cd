// Issue 9 through the npm package: how long do `run`, `issue` and the claim check take on
// each pathological shape of core/tests/shapes near the 16 MiB cap, and how much wasm
// memory do they take? A measurement, not a test. Write the shapes (see
// measure_shapes.mjs), build the package (`bash scripts/npm.sh`), then
//   node tests/e2e/measure_npm_shapes.mjs target/shapes [--wasm FILE] [index ...]
// Each call gets a fresh instance of the module (a wasm memory never shrinks): `run`,
// `issue`, then, for a shape that is accepted, `verifyClaimed` with the MacroScore that
// `issue` wrote, compact (without the whitespace between its tokens), as the claim; the
// memory column is the instance's linear memory afterwards, its peak. --wasm measures
// another build of the same package's wasm.

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
/** JSON text without the whitespace between its tokens (a scan: a regular expression
 * overflows the stack on a 15 MB string). */
function compact(text) {
  const parts = [];
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // a backslash: the next unit is escaped
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 32 || c === 10 || c === 13 || c === 9) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.join("");
}
const widths = [5, 6, 7, 8, 7, 8];
console.log("shape  bytes      run s  run MB  issue s  issue MB  claim s  claim MB  name");
for (const [index, , name] of names) {
  if (only.length && !only.includes(index)) continue;
  const bytes = new Uint8Array(await readFile(join(dir, `${index}.json`)));
  const row = [];
  let claim = null;
  for (const call of ["run", "issue", "verifyClaimed"]) {
    if (call === "verifyClaimed" && claim === null) {
      row.push("-", "-");
      continue;
    }
    const { pkg, wasm } = await instance();
    const t0 = performance.now();
    const out = call === "verifyClaimed" ? pkg.verifyClaimed(bytes, claim) : pkg[call](bytes);
    row.push(((performance.now() - t0) / 1000).toFixed(2), (wasm.memory.buffer.byteLength / 1e6).toFixed(0));
    if (call === "issue" && out.macro_score_json !== null) claim = compact(out.macro_score_json);
  }
  console.log(
    `${index.padStart(5)}  ${String(bytes.length).padStart(9)}  ${row.map((c, i) => c.padStart(widths[i])).join("  ")}  ${name}`,
  );
}
