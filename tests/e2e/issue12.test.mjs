// End-to-end tests of issue 12 (how firm is the band: margin, band probabilities, seeded
// Monte Carlo, what-if weights — NOT certified) and issue 13 item 2 (refusal records in
// the page) under the strict CSP, with axe-core on every new state. Screenshots of the new
// panels at 1280×900 and 390×844 go to target/screenshots/.

import assert from "node:assert/strict";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { FIXTURES, STATE_SHOTS, axe, fixtureDir, sampleText, settled, withPage } from "./helpers.mjs";
import { CSP, serve } from "./server.mjs";

let server;
let fixtures;
let sample;
let golden;

before(async () => {
  sample = await sampleText();
  golden = JSON.parse(await readFile(join(FIXTURES, "golden", "sample_sensitivity.json"), "utf8"));
  fixtures = await fixtureDir({ "p06_sample.json": sample });
  server = await serve({ mounts: { "/fixtures/": fixtures } });
});

after(async () => {
  await server?.close();
  if (fixtures) await rm(fixtures, { recursive: true, force: true });
});

async function pick(page, testid, name, text) {
  await page.setInputFiles(`[data-testid="${testid}"]`, {
    name,
    mimeType: "application/json",
    buffer: Buffer.from(text),
  });
}

/** A screenshot of one panel (its whole height) as target/screenshots/<name>.png. */
async function panelShot(page, selector, name) {
  await mkdir(STATE_SHOTS, { recursive: true });
  const path = join(STATE_SHOTS, `${name}.png`);
  await page.locator(selector).screenshot({ path });
  return path;
}

/** Clicks a download button and returns the file's name and text. */
async function download(page, testid) {
  const [d] = await Promise.all([page.waitForEvent("download"), page.locator(`[data-testid="${testid}"]`).click()]);
  return { name: d.suggestedFilename(), text: await readFile(await d.path(), "utf8") };
}

/** The smallest rendered font size (px) of the text in the given SVG charts. */
async function smallestLabel(page, selector) {
  return page.evaluate((selector) => {
    let min = Infinity;
    for (const svg of document.querySelectorAll(selector)) {
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      for (const t of svg.querySelectorAll("text")) {
        if (getComputedStyle(t).display === "none") continue;
        min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * scale);
      }
    }
    return min;
  }, selector);
}

/**
 * Runs the Monte Carlo from the page's button and returns the wall time (click to the
 * results shown), the page's own timing and whether a progress bar was seen.
 */
async function runMonteCarlo(page) {
  await page.evaluate(() => {
    window.__mc = { progress: 0, maxDone: 0 };
    new MutationObserver(() => {
      const p = document.querySelector('[data-testid="mc-count"]');
      if (p) {
        window.__mc.progress += 1;
        window.__mc.maxDone = Math.max(window.__mc.maxDone, Number(p.dataset.done));
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  const started = Date.now();
  await page.locator('[data-testid="mc-run"]').click();
  await page.locator('[data-testid="mc-results"]').waitFor();
  const wall = Date.now() - started;
  const pageMs = Number(await page.locator('[data-testid="mc-time"]').getAttribute("data-ms"));
  const seen = await page.evaluate(() => window.__mc);
  return { wall, pageMs, seen };
}

for (const [label, viewport] of [
  ["1280", { width: 1280, height: 900 }],
  ["390", { width: 390, height: 844 }],
]) {
  test(`sensitivity at ${viewport.width}×${viewport.height}: margin, band probabilities, Monte Carlo in under a second, charts, what-if sliders and banner`, async () => {
    await withPage(
      `60-sensitivity-${label}`,
      async (page) => {
        const response = await page.goto(`${server.url}/?lang=en`);
        assert.equal(response.headers()["content-security-policy"], CSP);
        await settled(page);
        // The band margin in the score panel: the core's numbers, no warning for the sample.
        const margin = page.locator('[data-testid="summary"] [data-testid="band-margin"]');
        assert.equal(await margin.getAttribute("data-ulps"), String(golden.analysis.margin.distance_ulps));
        assert.equal(await margin.getAttribute("data-threshold"), "0.55");
        assert.equal((await margin.locator('[data-testid="margin-score"]').textContent()).trim(), "+0.0471");
        assert.equal(await margin.locator('[data-testid="margin-ulps"]').textContent(), "+141388008301503");
        assert.equal(await page.locator('[data-testid="band-margin-warning"]').count(), 0);
        // Band probabilities (analytic) as a stacked bar with its exact values.
        const probs = page.locator('[data-testid="band-probabilities"]');
        const p = golden.analysis.probabilities.probabilities;
        for (const band of ["EXCELENTE", "BUENO", "ACEPTABLE", "INSUFICIENTE"]) {
          assert.equal(await probs.locator(`li[data-band="${band}"]`).getAttribute("data-value"), String(p[band]));
        }
        assert.equal(await probs.locator("svg rect").count(), 4);
        assert.match(await page.locator('[data-testid="sensitivity"] h2').textContent(), /How firm is the band\? NOT CERTIFIED/);
        await axe(page, `sensitivity ${label}`);
        // Monte Carlo, defaults 10,000 / 1 / 0.25: under a second, with progress, the same
        // digest as the native golden file (same seed, same bits).
        assert.equal(await page.locator('[data-testid="mc-draws"]').inputValue(), "10000");
        const mc = await runMonteCarlo(page);
        console.log(`Monte Carlo in the page (${label}): 10,000 draws, ${mc.pageMs} ms in the page, ${mc.wall} ms click to result; progress updates seen: ${mc.seen.progress} (max ${mc.seen.maxDone})`);
        assert.ok(mc.pageMs < 1000, `10,000 draws in ${mc.pageMs} ms`);
        assert.ok(mc.wall < 1000, `click to result in ${mc.wall} ms`);
        assert.ok(mc.seen.progress > 0, "a progress bar was shown");
        assert.equal(await page.locator('[data-testid="mc-digest"]').textContent(), golden.monte_carlo.digest);
        // Charts: histogram with the band thresholds, tornado of the one-at-a-time table.
        const hist = page.locator('[data-testid="mc-histogram"]');
        assert.ok((await hist.locator("rect.p7-hist-bar").count()) >= 20);
        assert.match(await hist.locator(".p7-threshold text").first().textContent(), /^1\.65$/);
        assert.equal(await page.locator('[data-testid="mc-tornado"] .p7-tornado-row').count(), 4);
        assert.equal(await page.locator('[data-testid="mc-quantiles"] tbody tr').count(), 5);
        assert.equal(await page.locator('[data-testid="mc-indices"] tbody tr').count(), 8);
        const freq = golden.monte_carlo.band_frequencies;
        assert.equal(await page.locator('[data-testid="mc-frequencies"] li[data-band="ACEPTABLE"]').getAttribute("data-value"), String(freq.ACEPTABLE));
        for (const box of await page.locator('[data-testid="mc-histogram"], [data-testid="mc-tornado"]').all()) {
          const b = await box.boundingBox();
          assert.ok(b.width > 200 && b.width <= viewport.width, `chart width ${b.width}`);
        }
        const smallest = await smallestLabel(page, ".p7-histogram, .p7-tornado");
        assert.ok(smallest >= 11, `smallest chart label ${smallest.toFixed(1)} px`);
        await axe(page, `monte carlo ${label}`);
        // What-if: one slider moved, the others rescaled, the score recomputed by the core,
        // the banner; the run itself (score, verdict) untouched.
        await page.locator('[data-testid="weight-1"]').fill("0.4");
        const banner = page.locator('[data-testid="whatif-banner"]');
        await banner.waitFor();
        assert.match(await banner.textContent(), /NOT CERTIFIED not the published configuration — not certifiable/);
        assert.equal(await banner.getAttribute("data-published"), "false");
        for (const i of [2, 3, 4]) {
          assert.equal((await page.locator(`[data-testid="weight-value-${i}"]`).textContent()).trim(), "0.2");
        }
        assert.equal(await page.locator('[data-testid="whatif-text-value"]').textContent(), "w=0.4,0.2,0.2,0.2");
        const score = await page.locator('[data-testid="whatif-score"]').getAttribute("data-exact");
        assert.notEqual(score, "1.6970916666666667");
        const digest = await page.locator('[data-testid="whatif-digest"]').textContent();
        assert.notEqual(digest, await page.locator('[data-testid="whatif-published-digest"]').textContent());
        assert.equal(await page.locator('[data-testid="macro-score"]').getAttribute("data-exact"), "1.6970916666666667");
        await page.locator('[data-testid="verdict-checks"][data-state="ok"]').waitFor();
        await axe(page, `what-if ${label}`);
        await panelShot(page, '[data-testid="sensitivity"]', `sensitivity-${label}`);
        await panelShot(page, '[data-testid="summary"]', `band-margin-${label}`);
        // The link reproduces it, bit for bit.
        const href = await page.locator('[data-testid="whatif-link"]').getAttribute("href");
        assert.match(href, /[?&]lang=en&whatif=w=0\.4,0\.2,0\.2,0\.2$/);
        await page.goto(new URL(href, page.url()).href);
        await page.locator('[data-testid="whatif-result"]').waitFor();
        assert.equal(await page.locator('[data-testid="whatif-score"]').getAttribute("data-exact"), score);
        assert.equal(await page.locator('[data-testid="whatif-digest"]').textContent(), digest);
        assert.equal(await page.locator('[data-testid="weight-value-1"]').textContent(), "0.4");
        // Back to the published weights: no what-if shown.
        await page.locator('[data-testid="whatif-reset"]').click();
        await page.waitForFunction(() => !document.querySelector('[data-testid="whatif-result"]'));
      },
      { viewport },
    );
  });
}

describe("sensitivity: links, errors, languages, batch, a band decided by the last bits", () => {
  test("?seed=&draws= runs the Monte Carlo at once; bad links give coded errors; Spanish", async () => {
    await withPage("61-sensitivity-links", async (page) => {
      await page.goto(`${server.url}/?lang=en&seed=7&draws=2000&weightRange=0.1&whatif=w=3,2,2.5,2.5`);
      const results = page.locator('[data-testid="mc-results"]');
      await results.waitFor();
      assert.match(await page.locator('[data-testid="mc-time"]').textContent(), /2000 draws \(20000 model evaluations\), seed 7, weight range ±0\.1/);
      assert.equal(await page.locator('[data-testid="mc-seed"]').inputValue(), "7");
      const digest = await results.getAttribute("data-digest");
      assert.notEqual(digest, golden.monte_carlo.digest);
      // The what-if as given: normalised by the core (0.3, 0.2, 0.25, 0.25).
      assert.equal(await page.locator('[data-testid="whatif-text-value"]').textContent(), "w=3,2,2.5,2.5");
      assert.equal((await page.locator('[data-testid="weight-value-1"]').textContent()).trim(), "0.3");
      // The Monte Carlo link reproduces the same digest.
      const href = await page.locator('[data-testid="mc-link"]').getAttribute("href");
      assert.match(href, /seed=7&draws=2000&weightRange=0\.1/);
      await page.goto(new URL(href, page.url()).href);
      await page.locator('[data-testid="mc-results"]').waitFor();
      assert.equal(await page.locator('[data-testid="mc-results"]').getAttribute("data-digest"), digest);
      // Bad parameters: coded, and nothing runs.
      await page.goto(`${server.url}/?lang=en&draws=abc&whatif=w=1,2`);
      await page.locator('[data-testid="mc-error"] li[data-code="DRAWS_OUT_OF_RANGE"]').waitFor();
      assert.match(await page.locator('[data-testid="mc-error"]').textContent(), /draws = abc: must be an integer between 1 and 1000000/);
      await page.locator('[data-testid="whatif-error"] li[data-code="WHAT_IF_SYNTAX"]').waitFor();
      assert.match(await page.locator('[data-testid="whatif-error"]').textContent(), /has 2 weights, not 4/);
      await page.locator('[data-testid="mc-seed"]').fill("9007199254740992");
      await page.locator('[data-testid="mc-draws"]').fill("100");
      await page.locator('[data-testid="mc-run"]').click();
      await page.locator('[data-testid="mc-error"] li[data-code="SEED_OUT_OF_RANGE"]').waitFor();
      await page.locator('[data-testid="whatif-text"]').fill("w=0,0,0,0");
      await page.locator('[data-testid="whatif-apply"]').click();
      await page.locator('[data-testid="whatif-error"] li[data-code="WHAT_IF_WEIGHTS_SUM_ZERO"]').waitFor();
      await axe(page, "sensitivity errors");
      // Spanish, by codes.
      await page.getByRole("button", { name: "Español" }).click();
      assert.match(await page.locator('[data-testid="sensitivity"] h2').textContent(), /¿Qué tan firme es la banda\? NO CERTIFICADO/);
      assert.match(await page.locator('[data-testid="mc-error"]').textContent(), /seed = 9007199254740992: debe ser un entero/);
      assert.match(await page.locator('[data-testid="whatif-error"]').textContent(), /pesos hipotéticos no válidos/);
      await page.locator('[data-testid="weight-2"]').fill("0.55");
      await page.locator('[data-testid="whatif-banner"]').waitFor();
      assert.match(await page.locator('[data-testid="whatif-banner"]').textContent(), /no es la configuración publicada — no certificable/);
      assert.match(await page.locator('[data-testid="band-margin"]').textContent(), /Margen de la banda/);
      // The published weights as a what-if: the core says so (same digest).
      await page.locator('[data-testid="whatif-text"]').fill("w=1,1,1,1");
      await page.locator('[data-testid="whatif-apply"]').click();
      await page.locator('[data-testid="whatif-banner"][data-published="true"]').waitFor();
      assert.equal(await page.locator('[data-testid="whatif-digest"]').textContent(), await page.locator('[data-testid="whatif-published-digest"]').textContent());
      await axe(page, "sensitivity in Spanish");
    });
  });

  test("BAND_MARGIN: four clusters at exactly 1.65 land in INSUFICIENTE 1 ulp below, warned, and the checks still pass", async () => {
    await withPage("62-band-margin", async (page) => {
      const doc = JSON.parse(sample);
      for (const c of doc) c.score = 1.65;
      await page.goto(`${server.url}/?lang=en`);
      await settled(page);
      await pick(page, "pick-phase6", "p06_165.json", JSON.stringify(doc));
      const warning = page.locator('[data-testid="band-margin-warning"][data-code="BAND_MARGIN"]');
      await warning.waitFor();
      assert.match(await warning.textContent(), /BAND_MARGIN band INSUFICIENTE decided 1 ulp\(s\) below the ACEPTABLE threshold 0\.55/);
      assert.equal(await page.locator('[data-testid="band-margin"]').getAttribute("data-ulps"), "-1");
      assert.equal((await page.locator('[data-testid="band"]').textContent()).trim(), "INSUFICIENTE");
      // Analysis only: the checks and the verdict are those of the run.
      await page.locator('[data-testid="verdict-checks"][data-state="ok"]').waitFor();
      await page.getByRole("button", { name: "Español" }).click();
      assert.match(await warning.textContent(), /decidida a 1 ulp\(s\) por debajo del umbral de ACEPTABLE 0\.55/);
      await axe(page, "band margin warning");
    });
  });

  test("batch rows show the band margin and the band's probability", async () => {
    await withPage("63-batch-margin", async (page) => {
      await page.goto(`${server.url}/?lang=en`);
      await settled(page);
      await page.setInputFiles('[data-testid="pick-batch"]', [
        { name: "a.json", mimeType: "application/json", buffer: Buffer.from(sample) },
        { name: "b.json", mimeType: "application/json", buffer: Buffer.from("[{") },
      ]);
      await page.waitForFunction(() => document.querySelector('[data-testid="batch-count"]')?.dataset.done === "2");
      const row = page.locator('[data-testid="batch-table"] tr[data-plan="a"]');
      assert.equal((await row.locator('td[data-col="margin"]').textContent()).trim(), "+0.0471");
      assert.equal(await row.locator('td[data-col="margin"]').getAttribute("data-ulps"), "141388008301503");
      assert.equal((await row.locator('td[data-col="p_band"]').textContent()).trim(), "82.7 %");
      assert.equal((await page.locator('[data-testid="batch-table"] tr[data-plan="b"] td[data-col="margin"]').textContent()).trim(), "");
      await page.locator('th[data-col="margin"]').click();
      assert.equal(await page.locator('th[data-col="margin"]').getAttribute("aria-sort"), "ascending");
      await axe(page, "batch with margins");
    });
  });

  test("print: the run's one-page report, then the NOT certified analysis on a page of its own", async () => {
    await withPage("64-print-sensitivity", async (page) => {
      const pdfPages = async () => {
        await page.emulateMedia({ media: "print" });
        const pdf = await page.pdf({ format: "A4", printBackground: true });
        await page.emulateMedia({ media: "screen" });
        return (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      };
      // Without a Monte Carlo run or a what-if: the margin and the band probabilities fit
      // the one-page report.
      await page.goto(`${server.url}/?lang=en`);
      await settled(page);
      assert.equal(await pdfPages(), 1, "the report without an analysis is one page");
      assert.match(await page.locator('[data-testid="margin-p-band"]').textContent(), /^82\.7 %$/);
      await page.goto(`${server.url}/?lang=en&seed=1&draws=1000&whatif=w=0.4,0.2,0.2,0.2`);
      await page.locator('[data-testid="mc-results"]').waitFor();
      await page.locator('[data-testid="whatif-result"]').waitFor();
      await page.emulateMedia({ media: "print" });
      const shown = await page.evaluate(() => ["mc-histogram", "mc-tornado", "band-probabilities", "whatif-banner", "band-margin"].map((id) => {
        const el = document.querySelector(`[data-testid="${id}"]`);
        return [id, !!el && el.getBoundingClientRect().height > 0];
      }));
      const empty = await page.evaluate(() =>
        [...document.querySelectorAll(".p7 h1, .p7 h2, .p7 h3, .p7 h4")]
          .filter((h) => h.offsetParent !== null && h.textContent.trim() === "")
          .map((h) => h.outerHTML),
      );
      await page.emulateMedia({ media: "screen" });
      assert.deepEqual(Object.fromEntries(shown), { "mc-histogram": true, "mc-tornado": true, "band-probabilities": true, "whatif-banner": true, "band-margin": true });
      assert.deepEqual(empty, []);
      assert.equal(await pdfPages(), 2, "the run's page, then the analysis");
    });
  });
});

describe("refusal records in the page (issue 13)", () => {
  for (const [label, viewport] of [
    ["1280", { width: 1280, height: 900 }],
    ["390", { width: 390, height: 844 }],
  ]) {
    test(`a rejected input shows its refusal record, downloads refusal.json and the trail, and the record is confirmed when loaded (${label})`, async () => {
      await withPage(
        `65-refusal-rejected-${label}`,
        async (page) => {
          await page.goto(`${server.url}/?lang=en`);
          await settled(page);
          const events = page.evaluate(
            () => new Promise((resolve) => document.body.addEventListener("phase7-refusal", (e) => resolve(e.detail), { once: true })),
          );
          const broken = '[{"cluster_id": "CLUSTER_MESO_1", "score": ';
          await pick(page, "pick-phase6", "broken.json", broken);
          const panel = page.locator('[data-testid="refusal"]');
          await panel.locator('[data-testid="refusal-record"]').waitFor();
          assert.equal(await panel.locator('[data-testid="refusal-code"]').textContent(), "INPUT_CONTRACT_VIOLATION");
          assert.equal(await panel.locator('[data-testid="refusal-violations"] tr[data-code="MALFORMED_JSON"]').count(), 1);
          const id = await panel.locator('[data-testid="refusal-id"]').textContent();
          assert.match(id, /^[0-9a-f]{64}$/);
          // No certificate for a refused plan.
          await page.locator('[data-testid="issue-refused"]').waitFor();
          assert.equal(await page.locator('[data-testid="download-certificate"], [data-testid="download-macro_score"]').count(), 0);
          await axe(page, `refusal of a rejected input ${label}`);
          const before = Date.now();
          const record = await download(page, "download-refusal");
          assert.equal(record.name, "refusal.json");
          const r = JSON.parse(record.text);
          assert.equal(r.format, "phase7-refusal/1");
          assert.equal(r.refusal_id, id);
          assert.equal(r.violations[0].code, "MALFORMED_JSON");
          const at = Date.parse(r.recorded_at);
          assert.ok(at >= before - 2000 && at <= Date.now() + 2000, `recorded_at ${r.recorded_at} is the download time`);
          const trail = JSON.parse((await download(page, "download-trail-nc")).text);
          assert.equal(trail.not_certified.failed_stage, "INPUT_CONTRACT");
          // Loaded back (its own picker): confirmed by rerunning, shown in the verdict bar.
          await pick(page, "pick-refusal", "refusal.json", record.text);
          await page.locator('[data-testid="verdict-refusal"][data-state="ok"]').waitFor();
          assert.match(await page.locator('[data-testid="verdict-refusal"]').textContent(), /Refusal: CONFIRMED/);
          await page.locator('[data-testid="refusal-verdict"][data-outcome="CONFIRMED"]').waitFor();
          const detail = await events;
          assert.equal(detail.refusal, "refusal.json");
          assert.equal(detail.report.confirmed, true);
          assert.equal(detail.report.refusal_id, id);
          await axe(page, `refusal confirmed ${label}`);
          await panelShot(page, '[data-testid="refusal"]', `refusal-rejected-${label}`);
          // Against another input (the sample, which is accepted): not confirmed.
          await page.getByRole("button", { name: /sample|ejemplo/i }).click();
          await page.locator('[data-testid="verdict-refusal"][data-state="bad"]').waitFor();
          await page.locator('[data-testid="refusal-verdict"][data-outcome="NOT_CONFIRMED"]').waitFor();
          assert.ok((await page.locator('[data-testid="refusal-diff"] tr').count()) > 1);
          // A refusal record given to the certificate picker is refused as what it is.
          await pick(page, "pick-certificate", "certificate.json", record.text);
          assert.match(
            await page.locator('[data-testid="notices"] li[data-code="WRONG_FILE_KIND"]').textContent(),
            /this is a refusal record, not a certificate/,
          );
          await page.getByRole("button", { name: "Español" }).click();
          assert.match(await page.locator('[data-testid="verdict-refusal"]').textContent(), /Rechazo: NO CONFIRMADO/);
          assert.equal(await page.locator('[data-testid="refusal-check"] [lang="en"]').count(), 0);
          await axe(page, `refusal not confirmed ${label}`);
        },
        { viewport },
      );
    });
  }

  test("a strict-mode gate failure shows its refusal record and trail; dropped on the page, the record is recognised and confirmed", async () => {
    await withPage("66-refusal-gate", async (page) => {
      const doc = JSON.parse(sample);
      doc[0].provenance_node_id = "";
      await page.goto(`${server.url}/?lang=en&strict=1`);
      await settled(page);
      await pick(page, "pick-phase6", "p06_warned.json", JSON.stringify(doc));
      await page.locator('[data-testid="verdict-checks"][data-state="bad"]').waitFor();
      const panel = page.locator('[data-testid="refusal"]');
      await panel.locator('[data-testid="refusal-record"]').waitFor();
      assert.equal(await panel.locator('[data-testid="refusal-code"]').textContent(), "GATE_FAILED");
      assert.equal(await panel.locator('[data-testid="refusal-failed"]').textContent(), "GATE-4");
      assert.equal(await panel.locator('[data-testid="refusal-violations"] tr[data-code="GATE_FAILED"]').count(), 1);
      await axe(page, "refusal of a gate failure");
      const record = await download(page, "download-refusal");
      const r = JSON.parse(record.text);
      assert.equal(r.options.strict, true);
      assert.deepEqual(r.refused.failed_checks, ["GATE-4"]);
      const trail = JSON.parse((await download(page, "download-trail-nc")).text);
      assert.deepEqual(trail.not_certified.failed_checks, ["GATE-4"]);
      // Dropped anywhere on the page: recognised by its content (named like a
      // certificate, even) and confirmed against the Phase 6 file.
      await page.evaluate((text) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], "certificate-or-not.json", { type: "application/json" }));
        document.querySelector('[data-testid="phase7-dashboard"]').dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, record.text);
      await page.locator('[data-testid="verdict-refusal"][data-state="ok"]').waitFor();
      await page.locator('[data-testid="refusal-verdict"][data-outcome="CONFIRMED"]').waitFor();
      assert.equal(await page.locator('[data-testid="verdict-certificate"]').getAttribute("data-state"), "none");
      await axe(page, "gate refusal confirmed");
      await panelShot(page, '[data-testid="refusal"]', "refusal-gate-1280");
    });
  });
});
