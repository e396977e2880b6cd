// End-to-end tests of issue 11 (verdict first, strict CSP, embedding) and the dashboard
// side of issue 8: every page is served with the strict Content-Security-Policy of
// server.mjs (any violation fails the test through the console), and axe-core runs on
// every state shown.

import assert from "node:assert/strict";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import {
  AXE_RUNS,
  FIXTURES,
  axe,
  fixtureDir,
  publicVector,
  sampleText,
  settled,
  topShot,
  withPage,
} from "./helpers.mjs";
import { CSP, serve } from "./server.mjs";

let server;
let fixtures;
let bueno;
let insuficiente;
let sample;
let goldenCertificate;
let tampered;
let explainedClaim;

/** A claim as the pipeline writes it: our MacroScore, its own ids and clock. */
function pipelineClaim(ours) {
  return {
    ...ours,
    evaluation_id: "MACRO_EVAL_0f3c",
    provenance_node_id: "PROV_P07_7d1e",
    evaluation_timestamp: "2026-01-01T00:00:00.000000",
  };
}

/** score_std one ulp up and the interval recomputed from it: EXPLAINED. */
function explained(ours) {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, ours.score_std);
  buf.setBigUint64(0, buf.getBigUint64(0) + 1n);
  const std = buf.getFloat64(0);
  return {
    ...pipelineClaim(ours),
    score_std: std,
    confidence_interval_95: [Math.max(0, ours.score - 1.96 * std), Math.min(3, ours.score + 1.96 * std)],
  };
}

before(async () => {
  bueno = await publicVector("BUENO");
  insuficiente = await publicVector("INSUFICIENTE");
  sample = await sampleText();
  goldenCertificate = await readFile(join(FIXTURES, "golden", "sample_certificate.json"), "utf8");
  const t = JSON.parse(goldenCertificate);
  t.macro_score.score = 1.7;
  tampered = JSON.stringify(t, null, 2);
  const ours = JSON.parse(await readFile(join(FIXTURES, "golden", "sample_macro_score.json"), "utf8").catch(() => "null"));
  explainedClaim = ours ? JSON.stringify(explained(ours), null, 2) : null;
  fixtures = await fixtureDir({
    "p06_bueno.json": JSON.stringify(bueno.phase6, null, 2),
    "p06_insuficiente.json": JSON.stringify(insuficiente.phase6, null, 2),
    "p06_sample.json": sample,
    "certificate.json": goldenCertificate,
    "tampered.json": tampered,
  });
  server = await serve({ mounts: { "/fixtures/": fixtures } });
});

after(async () => {
  await server?.close();
  if (fixtures) await rm(fixtures, { recursive: true, force: true });
  const serious = AXE_RUNS.flatMap((r) => r.violations.filter((v) => ["serious", "critical"].includes(v.impact)));
  const other = AXE_RUNS.flatMap((r) => r.violations.map((v) => `${r.label}: ${v.id} (${v.impact})`));
  console.log(`axe-core: ${AXE_RUNS.length} page states checked, ${serious.length} serious/critical violations; minor/moderate: ${other.length ? other.join("; ") : "none"}`);
});

async function pick(page, testid, name, text, scope = "") {
  await page.setInputFiles(`${scope} [data-testid="${testid}"]`, {
    name,
    mimeType: "application/json",
    buffer: Buffer.from(text),
  });
}

/** The macro score's own MacroScore JSON, downloaded from the page. */
async function ourMacroScore(page) {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator('[data-testid="download-macro_score"]').click(),
  ]);
  return JSON.parse(await readFile(await download.path(), "utf8"));
}

const STATES = ["sample", "verified", "not-verified", "claim-explained", "rejected-input"];

for (const [label, viewport] of [
  ["1280", { width: 1280, height: 900 }],
  ["390", { width: 390, height: 844 }],
]) {
  test(`every state at ${viewport.width}×${viewport.height}: verdict bar, axe-core, screenshots`, async () => {
    await withPage(
      `40-states-${label}`,
      async (page) => {
        const response = await page.goto(`${server.url}/?lang=en`);
        assert.equal(response.headers()["content-security-policy"], CSP);
        await settled(page);
        const bar = page.locator('[data-testid="verdict-bar"]');
        const state = (id) => page.locator(`[data-testid="verdict-${id}"]`).getAttribute("data-state");
        // 1. The sample: checks passed, nothing else loaded.
        await page.locator('[data-testid="verdict-checks"][data-state="ok"]').waitFor();
        assert.match(await bar.textContent(), /Checks: \d+\/\d+ passed/);
        assert.equal(await state("certificate"), "none");
        await axe(page, `sample ${label}`);
        await topShot(page, `sample-${label}`);
        // 2. Verified.
        await pick(page, "pick-certificate", "certificate.json", goldenCertificate);
        await page.locator('[data-testid="verdict-certificate"][data-state="ok"]').waitFor();
        assert.match(await page.locator('[data-testid="verdict-certificate"]').textContent(), /VERIFIED/);
        await axe(page, `verified ${label}`);
        await topShot(page, `verified-${label}`);
        // 3. Not verified.
        await pick(page, "pick-certificate", "certificate.json", tampered);
        await page.locator('[data-testid="verdict-certificate"][data-state="bad"]').waitFor();
        assert.match(await page.locator('[data-testid="verdict-certificate"]').textContent(), /NOT VERIFIED/);
        await axe(page, `not verified ${label}`);
        await topShot(page, `not-verified-${label}`);
        // 4. A claim explained by the pipeline's pow().
        const ours = await ourMacroScore(page);
        await pick(page, "pick-claimed", "p07_output.json", JSON.stringify(explained(ours), null, 2));
        await page.locator('[data-testid="verdict-claim"][data-state="ok"]').waitFor();
        assert.match(await page.locator('[data-testid="verdict-claim"]').textContent(), /EXPLAINED/);
        await page.locator('[data-testid="claim-verdict"][data-outcome="EXPLAINED"]').waitFor();
        await axe(page, `claim explained ${label}`);
        await topShot(page, `claim-explained-${label}`);
        // 5. A rejected input: the bar says so at the top.
        await pick(page, "pick-phase6", "broken.json", '[{"cluster_id": "CLUSTER_MESO_1", "score": ');
        await page.locator('[data-testid="verdict-checks"][data-state="bad"]').waitFor();
        assert.match(await page.locator('[data-testid="verdict-checks"]').textContent(), /INPUT REJECTED/);
        await axe(page, `rejected input ${label}`);
        await topShot(page, `rejected-input-${label}`);
        // The bar stays near the top of the page.
        const box = await bar.boundingBox();
        assert.ok(box.y < viewport.height / 2, `verdict bar at y=${box.y}`);
      },
      { viewport },
    );
  });
}

describe("loads: only the latest choice lands, timeouts, cancel, URL policy, kinds", () => {
  test("a slow ?phase6= URL answering after a later pick does not replace it (and ?certificate=)", async () => {
    await withPage("41-race", async (page) => {
      const aborted = [];
      page.on("requestfailed", (r) => aborted.push(new URL(r.url()).pathname));
      await page.goto(`${server.url}/?lang=en&phase6=slow/1500/fixtures/p06_insuficiente.json&certificate=slow/1500/fixtures/certificate.json`);
      await page.locator('[data-testid="busy"]').waitFor();
      await pick(page, "pick-phase6", "p06_bueno.json", JSON.stringify(bueno.phase6));
      await page.waitForFunction(() => document.querySelector('[data-testid="band"]')?.textContent.trim() === "BUENO");
      await pick(page, "pick-certificate", "certificate.json", tampered);
      // Let both slow answers arrive (and be dropped).
      await page.waitForTimeout(2200);
      await settled(page);
      assert.equal((await page.locator('[data-testid="band"]').textContent()).trim(), "BUENO");
      assert.match(await page.locator('[data-testid="phase6-name"]').textContent(), /p06_bueno\.json/);
      await page.locator('[data-testid="verification-verdict"][data-outcome="NOT_VERIFIED"]').waitFor();
      assert.equal(await page.locator('[data-testid="notices"]').count(), 0);
      assert.ok(server.requests.some((r) => r.startsWith("/slow/1500/fixtures/p06_insuficiente.json")));
      // The superseded downloads were aborted, not just ignored.
      assert.deepEqual(aborted.sort(), ["/slow/1500/fixtures/certificate.json", "/slow/1500/fixtures/p06_insuficiente.json"]);
      await axe(page, "after the race");
    });
  });

  test("a URL that never answers times out naming it; Cancel stops a download; other schemes and origins are refused", async () => {
    await withPage("42-timeout", async (page) => {
      await page.goto(`${server.url}/examples/host/?lang=en`);
      await page.waitForFunction(() => document.body.dataset.phase7Mounted === "true");
      const started = Date.now();
      await page.evaluate(async () => {
        const { mount } = await import("../../phase7-web.js");
        const div = document.createElement("div");
        div.id = "t";
        document.body.append(div);
        window.t = mount(div, { phase6Url: "/never/p06.json", fetchTimeoutMs: 1200, lang: "en", embedded: true });
      });
      const notice = page.locator('#t [data-testid="notices"] li[data-code="FETCH_TIMEOUT"]');
      await notice.waitFor();
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 1000 && elapsed < 10_000, `timed out after ${elapsed} ms`);
      assert.match(await notice.textContent(), /no answer from \/never\/p06\.json within 1\.2 s/);
      await axe(page, "fetch timeout");
      // Cancel: the standalone page with a URL that never answers.
      await page.goto(`${server.url}/?lang=en&phase6=never/other.json`);
      await page.locator('[data-testid="cancel"]').click();
      const cancelled = page.locator('[data-testid="notices"] li[data-code="FETCH_CANCELLED"]');
      await cancelled.waitFor();
      assert.match(await cancelled.textContent(), /never\/other\.json cancelled/);
      await settled(page);
      // Refused before any request: another origin, a data: URL.
      const before = server.requests.length;
      await page.goto(`${server.url}/?lang=en&phase6=https%3A%2F%2Fexample.invalid%2Fp06.json&claimed=data%3Aapplication%2Fjson%2C%7B%7D`);
      const refused = page.locator('[data-testid="notices"] li[data-code="FETCH_REFUSED"]');
      await refused.first().waitFor();
      assert.equal(await refused.count(), 2);
      assert.match(await refused.first().textContent(), /https:\/\/example\.invalid/);
      assert.deepEqual(server.requests.slice(before).filter((r) => !/^\/(\?|boot|phase7|snippets\/phase7-web-|style)/.test(r)), []);
    });
  });

  test("each picker checks what it got: a certificate is not a Phase 6 file, and so on", async () => {
    await withPage("43-kinds", async (page) => {
      await page.goto(`${server.url}/?lang=en`);
      await settled(page);
      const notice = (kind) => page.locator(`[data-testid="notices"] li[data-kind="${kind}"][data-code="WRONG_FILE_KIND"]`);
      await pick(page, "pick-phase6", "p06.json", goldenCertificate);
      assert.match(await notice("phase6").textContent(), /this is a certificate, not a Phase 6 file/);
      // The sample stays.
      assert.equal((await page.locator('[data-testid="band"]').textContent()).trim(), "ACEPTABLE");
      await pick(page, "pick-certificate", "certificate.json", sample);
      assert.match(await notice("certificate").textContent(), /this is a Phase 6 file, not a certificate/);
      await pick(page, "pick-claimed", "p07_output.json", goldenCertificate);
      assert.match(await notice("claimed").textContent(), /this is a certificate, not a p07 output/);
      assert.equal(await page.locator('[data-testid="verification"]').count(), 0);
      assert.equal(await page.locator('[data-testid="claim"]').count(), 0);
      await axe(page, "wrong kinds");
      // Spanish too.
      await page.getByRole("button", { name: "Español" }).click();
      assert.match(await notice("phase6").textContent(), /este archivo es un certificado, no un archivo de la Fase 6/);
    });
  });
});

describe("what the page says", () => {
  test("a certificate of another input has a headline; claims show the value difference beside ulps", async () => {
    await withPage("44-other-input", async (page) => {
      await page.goto(`${server.url}/?lang=en&phase6=fixtures/p06_bueno.json`);
      await page.waitForFunction(() => document.querySelector('[data-testid="band"]')?.textContent.trim() === "BUENO");
      await pick(page, "pick-certificate", "certificate.json", goldenCertificate);
      const headline = page.locator('[data-testid="other-input"]');
      await headline.waitFor();
      const golden = JSON.parse(goldenCertificate);
      const text = await headline.textContent();
      assert.match(text, /This certificate is for ANOTHER input/);
      assert.ok(text.includes(golden.digests.input), text);
      await axe(page, "certificate of another input");
      // A claim whose score is off: the difference next to the ulps.
      await page.goto(`${server.url}/?lang=en`);
      await settled(page);
      const ours = await ourMacroScore(page);
      await pick(page, "pick-claimed", "p07_output.json", JSON.stringify({ ...pipelineClaim(ours), score: ours.score + 0.5 }, null, 2));
      const row = page.locator('[data-testid="claim-notable"] tr[data-path="score"]');
      await row.waitFor();
      assert.equal((await row.locator('[data-col="difference"]').textContent()).trim(), `+${(ours.score + 0.5 - ours.score)}`);
    });
  });

  test("Spanish is Spanish (checks, notes, severities, outcome, plurals); <html lang> follows; the choice persists", async () => {
    await withPage("45-spanish", async (page) => {
      await page.goto(`${server.url}/`);
      await settled(page);
      assert.equal(await page.evaluate(() => document.documentElement.lang), "es");
      const audit = page.locator('[data-testid="audit"]');
      assert.match(await audit.locator('tr[data-check="PRE-7.1"]').textContent(), /exactamente 4 objetos de clúster/);
      assert.match(await audit.locator('tr[data-check="GATE-5"]').textContent(), /resúmenes de entrada, configuración y salida/);
      assert.match(await page.locator('[data-testid="metrics-outcome"]').textContent(), /completada/);
      assert.match(await page.locator('[data-testid="gaps"] tr[data-area="PA07"]').textContent(), /crítica.*Tierras y territorios/s);
      assert.match(await page.locator('[data-testid="interval-crossing"]').textContent(), /cruza el umbral 1\.65/);
      // A claim's counts with the right plurals.
      const ours = await ourMacroScore(page);
      await pick(page, "pick-claimed", "p07_output.json", JSON.stringify(pipelineClaim(ours)));
      await page.locator('[data-testid="claim-verdict"][data-outcome="IDENTICAL"]').waitFor();
      assert.match(await page.locator('[data-testid="claim-counts"]').textContent(), /^\d+ idénticos · 0 explicados · 0 distintos · 3 no comparados$/);
      // A verification in Spanish: no phrase of the core left in English.
      await pick(page, "pick-certificate", "certificate.json", tampered);
      await page.locator('[data-testid="verification-verdict"][data-outcome="NOT_VERIFIED"]').waitFor();
      assert.equal(await page.locator('[data-testid="verification"] [lang="en"]').count(), 0);
      assert.match(await page.locator('[data-testid="verification"]').textContent(), /resumen de salida \(MacroScore\)/);
      await axe(page, "spanish");
      // Switch: <html lang> follows and the choice is kept on reload.
      await page.getByRole("button", { name: "English" }).click();
      await page.getByRole("heading", { name: "Macro score" }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
      await page.reload();
      await settled(page);
      await page.getByRole("heading", { name: "Macro score" }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
      assert.match(await page.locator('[data-testid="gaps"] tr[data-area="PA05"]').textContent(), /Victims and peacebuilding/);
      // An explicit ?lang= wins over the remembered choice.
      await page.goto(`${server.url}/?lang=es`);
      await page.getByRole("heading", { name: "Puntaje macro" }).waitFor();
    });
  });

  test("strict mode and the evaluation time from the page's options", async () => {
    await withPage("46-run-options", async (page) => {
      const doc = JSON.parse(sample);
      doc[0].provenance_node_id = "";
      await page.goto(`${server.url}/?lang=en`);
      await settled(page);
      await pick(page, "pick-phase6", "p06_warned.json", JSON.stringify(doc));
      await page.locator('[data-testid="verdict-checks"][data-state="ok"]').waitFor();
      await page.locator(".p7-run-options summary").click();
      await page.locator('[data-testid="strict"]').check();
      await page.locator('[data-testid="verdict-checks"][data-state="bad"]').waitFor();
      // The gate's failure is shown at the top (naming the gate) and in the errors, and
      // the run's audit trail is shown, marked not certified, with GATE-4 failed in it.
      assert.match(await page.locator('[data-testid="verdict-checks"]').textContent(), /GATE-4/);
      await page.locator('[data-testid="errors"] tr[data-code="GATE_FAILED"]').waitFor();
      await page.locator('[data-testid="not-certified"]').waitFor();
      await page.locator('[data-testid="strict"]').uncheck();
      await page.locator('[data-testid="verdict-checks"][data-state="ok"]').waitFor();
      await page.locator('[data-testid="evaluated-at"]').fill("yesterday");
      await page.locator('[data-testid="apply-options"]').click();
      await page.locator(".p7-bad-input").waitFor();
      await page.locator('[data-testid="evaluated-at"]').fill("2026-01-31T12:00:00Z");
      await page.locator('[data-testid="apply-options"]').click();
      await settled(page);
      const ms = await ourMacroScore(page);
      assert.equal(ms.evaluation_timestamp, "2026-01-31T12:00:00Z");
      await axe(page, "run options");
    });
  });

  test("phone: no cut-off severity or 95 % columns, chart labels at least 11 px", async () => {
    await withPage(
      "47-phone",
      async (page) => {
        await page.goto(`${server.url}/?lang=en`);
        await settled(page);
        for (const sel of ['[data-testid="gaps"] .p7-scroll', '[data-testid="clusters"] .p7-scroll']) {
          const { scroll, client } = await page.locator(sel).evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
          assert.ok(scroll <= client + 1, `${sel} fits (${scroll} > ${client})`);
        }
        const smallest = await page.evaluate(() => {
          let min = Infinity;
          for (const svg of document.querySelectorAll(".p7-chart, .p7-gauge")) {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            for (const t of svg.querySelectorAll("text")) {
              if (getComputedStyle(t).display === "none") continue;
              min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * scale);
            }
          }
          return min;
        });
        assert.ok(smallest >= 11, `smallest chart label ${smallest.toFixed(1)} px`);
        await axe(page, "phone");
      },
      { viewport: { width: 390, height: 844 } },
    );
  });

  test("print: one page with a verified certificate, no empty heading", async () => {
    await withPage("48-print", async (page) => {
      await page.goto(`${server.url}/?lang=en`);
      await settled(page);
      await pick(page, "pick-certificate", "certificate.json", goldenCertificate);
      await page.locator('[data-testid="verification-verdict"][data-outcome="VERIFIED"]').waitFor();
      await page.emulateMedia({ media: "print" });
      const empty = await page.evaluate(() =>
        [...document.querySelectorAll(".p7 h1, .p7 h2, .p7 h3, .p7 h4")]
          .filter((h) => h.offsetParent !== null && h.textContent.trim() === "")
          .map((h) => h.outerHTML),
      );
      assert.deepEqual(empty, []);
      const pdf = await page.pdf({ format: "A4", printBackground: true });
      const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      await page.emulateMedia({ media: "screen" });
      assert.equal(pages, 1, "the print view is one page");
    });
  });
});

describe("embedding", () => {
  /** Opens the host page (manual mount) and returns once its own dashboard is up. */
  async function host(page) {
    await page.goto(`${server.url}/examples/host/?lang=en`);
    await page.waitForFunction(() => document.body.dataset.phase7Mounted === "true");
    await page.locator('[data-testid="host-slot"] [data-testid="band"]').waitFor();
  }

  test("mount/unmount/mount in one tick (React StrictMode), unmount during a fetch: zero page errors", async () => {
    await withPage("50-strictmode", async (page, b) => {
      const aborted = [];
      page.on("requestfailed", (r) => aborted.push(`${new URL(r.url()).pathname} ${r.failure()?.errorText}`));
      await host(page);
      await page.evaluate(async () => {
        const { mount } = await import("../../phase7-web.js");
        const make = (id) => {
          const div = document.createElement("div");
          div.id = id;
          document.body.append(div);
          return div;
        };
        // StrictMode: mount, unmount, mount again, synchronously.
        const a = make("a");
        let d = mount(a, { lang: "en" });
        d.unmount();
        d = mount(a, { lang: "en" });
        window.kept = d;
        // mount(); unmount() in one tick.
        mount(make("b"), { lang: "es" }).unmount();
        // Unmount while a phase6Url fetch (slow) and a determinism rerun are pending.
        const c = mount(make("c"), { phase6Url: "/slow/800/fixtures/p06_bueno.json", lang: "en" });
        setTimeout(() => c.unmount(), 100);
        // Unmounting twice is harmless.
        const e = mount(make("e"), {});
        e.unmount();
        e.unmount();
      });
      await page.locator('#a [data-testid="band"]').waitFor();
      await page.waitForTimeout(1500);
      assert.equal(await page.locator("#b .p7, #c .p7, #e .p7").count(), 0);
      assert.equal(await page.locator("#a .p7").count(), 1);
      assert.equal((await page.locator('#a [data-testid="band"]').textContent()).trim(), "ACEPTABLE");
      assert.deepEqual(b.problems, []);
      // The unmount cancelled the pending download.
      assert.deepEqual(aborted, ["/slow/800/fixtures/p06_bueno.json net::ERR_ABORTED"]);
    });
  });

  test("mount() takes file contents (string, bytes, Blob, File) and options; bad arguments throw clearly", async () => {
    await withPage("51-mount-contents", async (page) => {
      await host(page);
      const result = await page.evaluate(
        async ({ bueno, cert }) => {
          const { mount } = await import("../../phase7-web.js");
          const slot = (id) => {
            const div = document.createElement("div");
            div.id = id;
            document.body.append(div);
            return div;
          };
          mount(slot("s"), { phase6: bueno, lang: "en", embedded: true });
          mount(slot("u"), { phase6: new TextEncoder().encode(bueno), certificate: new TextEncoder().encode(cert).buffer, lang: "en", embedded: true });
          mount(slot("f"), { phase6: new File([bueno], "p06_from_file.json"), claimed: new Blob([cert]), lang: "en", embedded: true });
          const errors = [];
          for (const [el, opts] of [
            [null, {}],
            [undefined, {}],
            [slot("x1"), { lang: "fr" }],
            [slot("x2"), { phase6: 42 }],
            [slot("x3"), { phase6: "[]", phase6Url: "/a.json" }],
            [slot("x4"), { evaluatedAt: "yesterday" }],
            [slot("x5"), { fetchTimeoutMs: 0 }],
          ]) {
            try {
              mount(el, opts);
              errors.push("no error");
            } catch (e) {
              errors.push(`${e instanceof Error}: ${e.message}`);
            }
          }
          return errors;
        },
        { bueno: JSON.stringify(bueno.phase6), cert: goldenCertificate },
      );
      assert.match(result[0], /^true: phase7 mount\(element, options\): element must be an HTMLElement, got null$/);
      assert.match(result[1], /got undefined/);
      assert.match(result[2], /unknown lang "fr": use "es" or "en"/);
      assert.match(result[3], /phase6 must be a string, Uint8Array, ArrayBuffer, Blob or File/);
      assert.match(result[4], /give phase6Url or phase6, not both/);
      assert.match(result[5], /^true: phase7 mount: evaluatedAt:/);
      assert.match(result[6], /fetchTimeoutMs/);
      assert.equal(await page.locator("#x1 .p7, #x2 .p7").count(), 0);
      for (const id of ["s", "u", "f"]) {
        await page.waitForFunction((id) => document.querySelector(`#${id} [data-testid="band"]`)?.textContent.trim() === "BUENO", id);
      }
      assert.match(await page.locator('#f [data-testid="phase6-name"]').textContent(), /p06_from_file\.json/);
      // A certificate of the sample against the BUENO file: not verified.
      await page.locator('#u [data-testid="verdict-certificate"][data-state="bad"]').waitFor();
      // A certificate given as the claim is refused as what it is.
      await page.locator('#f [data-testid="notices"] li[data-code="WRONG_FILE_KIND"]').waitFor();
      // Embedded: no header/main/footer landmarks of its own.
      assert.equal(await page.locator("#s header, #s main, #s footer, #s h1").count(), 0);
      await axe(page, "host page with embedded dashboards");
    });
  });

  test("mount() contents and origins whose reading throws: a clear error, nothing kept across 40 calls", async () => {
    await withPage("51b-mount-throwing", async (page) => {
      await host(page);
      const r = await page.evaluate(async () => {
        const mod = await import("../../phase7-web.js");
        const wasm = await mod.default();
        const div = document.createElement("div");
        document.body.append(div);
        const big = new Uint8Array((16 << 20) - 16).fill(32);
        // Each read after a 16 MiB file was copied: a throw from the host's code that
        // crossed the wasm skipped the copy's destructor, 16 MiB kept for good each time.
        const attacks = [
          { phase6: big, certificate: Object.create(Uint8Array.prototype) },
          { phase6: big, certificate: new Proxy(new Uint8Array(4), {}) },
          { phase6: big, claimed: Object.create(File.prototype) },
          { phase6: big, allowedOrigins: new Proxy([], { get() { throw new Error("hostile getter"); } }) },
        ];
        const before = wasm.memory.buffer.byteLength;
        const seen = attacks.map((opts) => {
          let last;
          for (let i = 0; i < 10; i++) {
            try {
              mod.mount(div, { ...opts, lang: "en", embedded: true }).unmount();
              last = "mounted";
            } catch (e) {
              last = e.message;
            }
          }
          return last;
        });
        // A Uint8Array whose own `length` lies is read by its real length.
        const liar = Object.defineProperty(new Uint8Array(1 << 20), "length", { value: 10 });
        let lied;
        try {
          mod.mount(div, { phase6: liar, lang: "en", embedded: true }).unmount();
          lied = "mounted";
        } catch (e) {
          lied = e.message;
        }
        // A view of the dashboard's own wasm memory, which copying it grows (and a
        // growth detaches the views of the memory before it).
        let own;
        try {
          const size = Math.min(wasm.memory.buffer.byteLength, 15 << 20);
          mod.mount(div, { phase6: new Uint8Array(wasm.memory.buffer, 0, size), lang: "en", embedded: true }).unmount();
          own = "mounted";
        } catch (e) {
          own = e.message;
        }
        return { seen, lied, own, grown: wasm.memory.buffer.byteLength - before };
      });
      assert.deepEqual(r.seen, [
        "phase7 mount: certificate must be a string, Uint8Array, ArrayBuffer, Blob or File, got object",
        "phase7 mount: certificate must be a string, Uint8Array, ArrayBuffer, Blob or File, got object",
        "phase7 mount: claimed must be a string, Uint8Array, ArrayBuffer, Blob or File, got object",
        "phase7 mount: allowedOrigins must be an array of origins",
      ]);
      assert.equal(r.lied, "mounted");
      assert.equal(r.own, "mounted");
      // One 16 MiB file copied at a time (twice while it becomes shared); 40 copies before.
      assert.ok(r.grown <= 64 * 1024 * 1024, `wasm memory grew by ${r.grown} B`);
    });
  });

  test("results reach the host as events and callbacks with typed objects", async () => {
    await withPage("52-result-events", async (page) => {
      await host(page);
      const got = await page.evaluate(
        async ({ cert }) => {
          const { mount } = await import("../../phase7-web.js");
          const div = document.createElement("div");
          div.id = "r";
          document.body.append(div);
          const events = [];
          const calls = [];
          for (const name of ["phase7-outcome", "phase7-verification", "phase7-claim"]) {
            div.addEventListener(name, (e) => events.push([name, e.detail]));
          }
          const done = new Promise((resolve) => {
            mount(div, {
              certificate: cert,
              lang: "en",
              embedded: true,
              onOutcome: (d) => calls.push(["outcome", d]),
              onVerification: (d) => {
                calls.push(["verification", d]);
                resolve();
              },
              onClaim: (d) => calls.push(["claim", d]),
            });
          });
          await done;
          return { events, calls };
        },
        { cert: goldenCertificate },
      );
      const outcome = got.events.find(([n]) => n === "phase7-outcome")[1];
      assert.equal(outcome.file, "p06_sample.json");
      assert.equal(outcome.strict, false);
      assert.equal(outcome.outcome.ok, true);
      assert.equal(outcome.outcome.macro_score.score, 1.6970916666666667);
      assert.equal(outcome.outcome.macro_score.quality_level, "ACEPTABLE");
      const verification = got.events.find(([n]) => n === "phase7-verification")[1];
      assert.equal(verification.report.verified, true);
      assert.equal(verification.report.outcome.kind, "VERIFIED");
      assert.deepEqual(
        got.calls.map(([k]) => k),
        ["outcome", "verification"],
      );
      assert.deepEqual(got.calls[1][1], verification);
      // The claim event after a claimed file is picked in that dashboard.
      const claimDone = page.evaluate(
        () => new Promise((resolve) => {
          document.getElementById("r").addEventListener("phase7-claim", (e) => resolve(e.detail), { once: true });
        }),
      );
      const ours = JSON.parse(await readFile(join(FIXTURES, "golden", "sample_macro_score.json"), "utf8"));
      await pick(page, "pick-claimed", "p07_output.json", JSON.stringify(pipelineClaim(ours)), "#r");
      const claim = await claimDone;
      assert.equal(claim.claimed, "p07_output.json");
      assert.equal(claim.report.outcome.kind, "IDENTICAL");
      assert.equal(claim.report.ok, true);
      // The TypeScript types describe it.
      const dts = await readFile(join(import.meta.dirname, "..", "..", "dist", "phase7-web.d.ts"), "utf8");
      for (const t of ["export interface MountOptions", "export interface OutcomeDetail", "export interface VerificationDetail", "export interface ClaimDetail", "export interface Outcome ", "export function mount(element: HTMLElement"]) {
        assert.ok(dts.includes(t), `phase7-web.d.ts has ${t}`);
      }
    });
  });
});

describe("batch panel", () => {
  test("header cells sort, totals by band, translated booleans, export above, a warning before replacing, pages of 100", async () => {
    await withPage("53-batch", async (page) => {
      await page.goto(`${server.url}/?lang=en`);
      await settled(page);
      const files = (list) =>
        page.setInputFiles(
          '[data-testid="pick-batch"]',
          list.map(([name, text]) => ({ name, mimeType: "application/json", buffer: Buffer.from(text) })),
        );
      const done = (n) =>
        page.waitForFunction((n) => document.querySelector('[data-testid="batch-count"]')?.dataset.done === String(n), n);
      await files([
        ["a_bueno.json", JSON.stringify(bueno.phase6)],
        ["b_sample.json", sample],
        ["c_insuficiente.json", JSON.stringify(insuficiente.phase6)],
        ["d_broken.json", "[{"],
      ]);
      await done(4);
      const totals = page.locator('[data-testid="batch-totals"]');
      for (const [band, n] of [["INSUFICIENTE", 1], ["ACEPTABLE", 1], ["BUENO", 1], ["EXCELENTE", 0], ["rejected", 1]]) {
        assert.match(await totals.locator(`[data-band="${band}"]`).textContent(), new RegExp(` ${n}$`));
      }
      const verified = () => page.$$eval('[data-testid="batch-table"] td[data-col="verified"]', (c) => c.map((x) => x.textContent));
      assert.deepEqual(await verified(), ["yes", "yes", "yes", "no"]);
      await page.getByRole("button", { name: "Español" }).click();
      assert.deepEqual(await verified(), ["sí", "sí", "sí", "no"]);
      await page.getByRole("button", { name: "English" }).click();
      // A click in the header cell's padding, not on its button, sorts too.
      await page.locator('th[data-col="band"]').click({ position: { x: 2, y: 2 } });
      assert.equal(await page.locator('th[data-col="band"]').getAttribute("aria-sort"), "ascending");
      const plans = () => page.$$eval('[data-testid="batch-table"] tbody tr', (r) => r.map((x) => x.dataset.plan));
      assert.deepEqual(await plans(), ["c_insuficiente", "b_sample", "a_bueno", "d_broken"]);
      // The export comes before the table.
      const exportBox = await page.locator('[data-testid="export-csv"]').boundingBox();
      const tableBox = await page.locator('[data-testid="batch-table"]').boundingBox();
      assert.ok(exportBox.y < tableBox.y, "export above the table");
      await axe(page, "batch");
      // A new batch asks before replacing the table: keep, then replace.
      await files([["e.json", sample]]);
      await page.locator('[data-testid="batch-replace"]').waitFor();
      assert.match(await page.locator('[data-testid="batch-replace"]').textContent(), /replaces the current table \(4 rows\)/);
      await page.locator('[data-testid="batch-replace-keep"]').click();
      assert.equal((await plans()).length, 4);
      const many = Array.from({ length: 250 }, (_, i) => [`plan_${String(i).padStart(3, "0")}.json`, sample]);
      await files(many);
      await page.locator('[data-testid="batch-replace-confirm"]').click();
      await done(250);
      assert.equal((await plans()).length, 100);
      assert.match(await page.locator('[data-testid="page-label"]').textContent(), /Page 1 of 3 \(rows 1–100 of 250\)/);
      await page.locator('[data-testid="page-next"]').click();
      assert.equal((await plans())[0], "plan_100");
      await page.locator('[data-testid="page-next"]').click();
      assert.equal((await plans()).length, 50);
      assert.ok(await page.locator('[data-testid="page-next"]').isDisabled());
      await axe(page, "batch of 250");
    });
  });
});
