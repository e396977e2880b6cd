// The pathological Phase 6 inputs of core/tests/shapes/mod.rs, generated in JavaScript
// at a requested size (the same shapes, the same texts), for the browser entry points:
// the npm package's functions and the dashboard (file drop, mount(), ?phase6=).

import { readFile } from "node:fs/promises";
import { join } from "node:path";

import { repoRoot } from "./server.mjs";

/** The sample Phase 6 file (a bare array of the four clusters), as text. */
export const SAMPLE = await readFile(join(repoRoot, "tests", "fixtures", "p06_sample.json"), "utf8");

/** `count` copies of `item` separated by commas. */
const repeat = (item, count) => Array(count).fill(item).join(",");
/** An envelope holding the sample's clusters plus `extra` members. */
const envelope = (extra) => `{"cluster_scores": ${SAMPLE}, ${extra}}`;
/** The sample with the first occurrence of `from` replaced by `to`. */
const edit = (from, to) => {
  if (!SAMPLE.includes(from)) throw new Error(from);
  return SAMPLE.replace(from, () => to);
};

/** Every shape, each about `size` bytes: [{ name, text, accepted }]. */
export function shapes(size) {
  const key = "k".repeat(Math.floor(size / 2));
  const n = (itemLen) => Math.max(1, Math.floor(size / (itemLen + 1)));
  const distinctKeys = (prefix) => {
    const parts = [];
    let len = 0;
    for (let i = 0; len < size; i++) {
      const p = `"${prefix}${i}":0`;
      parts.push(p);
      len += p.length + 1;
    }
    return parts.join(",");
  };
  const list = (count, item) => Array.from({ length: count }, (_, i) => item(i)).join(",");
  const depth = 120;
  return [
    ["long key holding NaNs", `[{"${key}": [${repeat("NaN", Math.min(n(4), Math.floor(size / 8)))}]}]`, false],
    ["many distinct keys", envelope(distinctKeys("k")), true],
    ["many duplicate keys", envelope(repeat('"a":0', n(6))), false],
    ["many non-finite numbers", `[${repeat("NaN", n(4))}]`, false],
    ["many repeated areas", edit('"PA01",', `"PA01", ${repeat('"PA01"', n(7))},`), true],
    ["many distinct unexpected areas", edit('"PA01",', `"PA01", ${list(n(10), (i) => `"X${i}"`)},`), false],
    ["many clusters (numbers)", `[${repeat("0", n(1))}]`, false],
    ["many clusters (distinct ids)", `[${list(n(24), (i) => `{"cluster_id":"C${i}"}`)}]`, false],
    ["one cluster id many times", `[${repeat('{"cluster_id":"CLUSTER_MESO_1"}', n(33))}]`, false],
    ["long string in metadata", envelope(`"note": "${"x".repeat(size)}"`), true],
    ["long cluster id", edit('"CLUSTER_MESO_2"', `"${"i".repeat(size)}"`), false],
    ["long weakest area", edit('"PA02",\n    "area_scores"', `"${"w".repeat(size)}",\n    "area_scores"`), false],
    ["long dispersion scenario (copied to the output)", edit('"convergence"', `"${"d".repeat(size)}"`), true],
    ["long number", edit("2.1266666666666665", "9".repeat(size)), false],
    [
      "deep nesting with long keys and NaNs",
      (() => {
        const k = "q".repeat(Math.floor(size / (4 * depth)));
        return `[${`{"${k}":`.repeat(depth)}[${repeat("NaN", Math.floor(n(4) / 2))}]${"}".repeat(depth)}]`;
      })(),
      false,
    ],
    ["too deep", "[".repeat(size), false],
    ["many negative zeros", envelope(`"z": [${repeat("-0.0", n(4))}]`), true],
    ["negative zeros under a long key", envelope(`"${key}": [${repeat("-0.0", 1000)}]`), true],
    ["many empty objects", envelope(`"m": [${repeat("{}", n(2))}]`), true],
    ["many short strings", envelope(`"s": [${repeat('"a"', n(3))}]`), true],
    ["many one-element arrays", envelope(`"o": [${repeat("[0]", n(3))}]`), true],
    ["many one-key objects", envelope(`"o": [${repeat('{"a":0}', n(7))}]`), true],
    [
      "many deep one-element nests",
      envelope(`"o": [${repeat(`${"[".repeat(120)}0${"]".repeat(120)}`, n(241))}]`),
      true,
    ],
  ].map(([name, text, accepted]) => ({ name, text, accepted }));
}
