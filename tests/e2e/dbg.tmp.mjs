import { openBrowser, sampleText } from "./helpers.mjs";
import { serve } from "./server.mjs";
const sample = JSON.parse(await sampleText());
const n = Number(process.argv[2]);
const o = {}; for (let i = 0; i < n; i++) o[`k${i}`] = i;
const text = JSON.stringify({ cluster_scores: sample, pad: o });
const s = await serve({});
const b = await openBrowser();
b.page.on("crash", () => console.log("CRASH"));
await b.page.goto(`${s.url}/examples/host/?lang=en`);
await b.page.waitForFunction(() => document.body.dataset.phase7Mounted === "true");
const r = await b.page.evaluate(async (text) => {
  const m = await import("../../phase7-web.js");
  const t0 = performance.now();
  const out = m.run(text);
  return { ms: performance.now() - t0, ok: out.ok, err: out.errors[0]?.code, mem: m.__wasm?.memory?.buffer?.byteLength };
}, text).catch((e) => String(e));
console.log(n, text.length, r);
await b.close(); await s.close();
