// Item 14 of issue 11: how long does one evaluation of a pathological input near the
// 16 MiB cap take in the page? A measurement, not a test: `node tests/e2e/measure.mjs`
// (after `trunk build --release`) prints, for each input, the time from mount() with the
// file's content to the `onOutcome` callback (recognising the file, the run with its
// checks, the certificate issued) and the core's own total from the run's metrics.

import { openBrowser, sampleText } from "./helpers.mjs";
import { serve } from "./server.mjs";

const CAP = 16 * 1024 * 1024;
const sample = JSON.parse(await sampleText());
const wrap = (extra) => JSON.stringify({ cluster_scores: sample, ...extra });
const fill = (make) => {
  // Grows a value until the document is just under the cap.
  let n = 1024;
  let text = make(n);
  while (text.length < CAP * 0.9) {
    n = Math.floor(n * Math.min(8, (CAP * 0.97) / text.length));
    text = make(n);
  }
  return text;
};

const inputs = {
  "sample: the bundled 3.8 KiB file": JSON.stringify(sample),
  "numbers: ~16 MiB array of floats in an unknown key": fill((n) => wrap({ pad: Array(n).fill(0.1234567890123) })),
  // Distinct keys in one object: linear in the core's hash-indexed reader (issue 9).
  "keys: one object with 50,000 distinct keys": (() => {
    const o = {};
    for (let i = 0; i < 50_000; i++) o[`k${i}`] = i;
    return wrap({ pad: o });
  })(),
  "keys: ~16 MiB of distinct keys in one object": fill((n) => {
    const o = {};
    for (let i = 0; i < n; i++) o[`k${i}`] = i;
    return wrap({ pad: o });
  }),
  "string: a ~16 MiB cluster_name": fill((n) => {
    const doc = structuredClone(sample);
    doc[0].cluster_name = "x".repeat(n);
    return JSON.stringify(doc);
  }),
  "whitespace: ~16 MiB of spaces before the array": fill((n) => " ".repeat(n) + JSON.stringify(sample)),
  "escapes: ~16 MiB string of \\u escapes": fill((n) => {
    const doc = structuredClone(sample);
    doc[0].cluster_name = "\u00e9".repeat(n);
    return JSON.stringify(doc).replace(/é/g, "\\u00e9");
  }),
  "nesting: 5,000 nested arrays in an unknown key": `{"cluster_scores": ${JSON.stringify(sample)}, "pad": ${"[".repeat(5000)}${"]".repeat(5000)}}`,
};

const server = await serve({});
const b = await openBrowser();
await b.page.goto(`${server.url}/examples/host/?lang=en`);
await b.page.waitForFunction(() => document.body.dataset.phase7Mounted === "true");
console.log("input | bytes | mount → onOutcome (ms) | core total_duration_ms | ok / first error");
const only = process.argv[2];
for (const [name, text] of Object.entries(inputs)) {
  if (only && !name.startsWith(only)) continue;
  const r = await b.page.evaluate(async (text) => {
    const { mount } = await import("../../phase7-web.js");
    const div = document.createElement("div");
    document.body.append(div);
    const t0 = performance.now();
    const detail = await new Promise((resolve) => {
      window.m = mount(div, { phase6: text, embedded: true, lang: "en", onOutcome: resolve });
    });
    const ms = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
    const metrics = div.querySelector('[data-testid="metrics-total"]')?.textContent ?? "—";
    window.m.unmount();
    div.remove();
    return { ms, metrics, ok: detail.outcome.ok, error: detail.outcome.errors[0]?.code ?? "" };
  }, text);
  console.log(`${name} | ${text.length} | ${r.ms.toFixed(0)} | ${r.metrics} | ${r.ok ? "accepted" : r.error}`);
}
await b.close();
await server.close();
