// End-to-end tests of issue 5 in the browser: lifecycle signals (timeline, the
// `phase7-signal` CustomEvent, the `onSignal` mount option), the metrics panel, and the
// batch panel (progress, sortable table, summary.csv export).

import assert from "node:assert/strict";
import { readFile, rm } from "node:fs/promises";
import { after, before, describe, test } from "node:test";

import { fixtureDir, publicVector, sampleText, settled, withPage } from "./helpers.mjs";
import { serve } from "./server.mjs";

let server;
let fixtures;
let bueno;
let insuficiente;

before(async () => {
  bueno = await publicVector("BUENO");
  insuficiente = await publicVector("INSUFICIENTE");
  fixtures = await fixtureDir({ "p06_malformed.json": "[{" });
  server = await serve({ mounts: { "/fixtures/": fixtures } });
});

after(async () => {
  await server?.close();
  if (fixtures) await rm(fixtures, { recursive: true, force: true });
});

/** Records every `phase7-signal` event that reaches the document (they bubble). */
function recordEvents(page) {
  return page.addInitScript(() => {
    window.__signalEvents = [];
    document.addEventListener("phase7-signal", (e) => {
      window.__signalEvents.push({ target: e.target === document.body ? "body" : String(e.target), detail: e.detail });
    });
  });
}

/** The timeline's rows: [{ type, stage, error }]. */
function timeline(page, scope = "") {
  return page.$$eval(`${scope} [data-testid="signals"] tbody tr`, (rows) =>
    rows.map((r) => ({
      type: r.dataset.type,
      seq: Number(r.dataset.seq),
      stage: r.querySelector('[data-col="stage"]').textContent,
      error: r.querySelector('[data-testid="signal-error"]')?.textContent ?? null,
    })),
  );
}

const STAGES = [
  "STAGE_INPUT_VALIDATION",
  "STAGE_WEIGHTED_SCORE",
  "STAGE_QUALITY_CLASSIFICATION",
  "STAGE_COHERENCE_ANALYSIS",
  "STAGE_GAP_DETECTION",
  "STAGE_ALIGNMENT_SCORING",
  "STAGE_UNCERTAINTY_PROPAGATION",
  "STAGE_AGGREGATION_FINAL",
];

/** Checks the lifecycle of a successful run in a list of signal types / stage indexes. */
function assertCompleted(types, stageIndexes) {
  assert.equal(types[0], "PHASE_STARTED");
  assert.equal(types.at(-1), "PHASE_COMPLETED");
  assert.equal(types.filter((t) => t === "STAGE_COMPLETED").length, 8);
  assert.deepEqual(stageIndexes, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(types.filter((t) => t === "INVARIANT_VALIDATED").length, 5);
  assert.ok(types.indexOf("GATE_PASSED") > types.lastIndexOf("INVARIANT_VALIDATED"));
  assert.ok(!types.includes("PHASE_FAILED"));
}

describe("signals, metrics and batches in the page", () => {
  test("the signals timeline: the sample's lifecycle, then PHASE_FAILED with the code", async () => {
    await withPage("20-signals", async (page) => {
      await recordEvents(page);
      await page.goto(`${server.url}/?lang=en`);
      await settled(page);
      await page.locator('[data-testid="signals"] tr[data-type="PHASE_COMPLETED"]').waitFor();
      const rows = await timeline(page);
      const stages = rows.filter((r) => r.type === "STAGE_COMPLETED");
      assertCompleted(
        rows.map((r) => r.type),
        stages.map((r) => Number(r.stage.split("/")[0])),
      );
      assert.deepEqual(
        stages.map((r) => r.stage),
        STAGES.map((s, i) => `${i + 1}/8 ${s}`),
      );
      assert.deepEqual(
        rows.map((r) => r.seq),
        rows.map((_, i) => i + 1),
      );
      // The same signals reached the standalone page's body as CustomEvents, in order.
      const events = await page.evaluate(() => window.__signalEvents);
      assert.equal(events.length, rows.length);
      assert.ok(events.every((e) => e.target === "body"));
      assert.deepEqual(
        events.map((e) => e.detail.signal_type),
        rows.map((r) => r.type),
      );
      assert.equal(events[0].detail.scope.phase, "phase_7");
      assert.equal(events[0].detail.payload.phase_id, "P07");
      assert.match(events[0].detail.provenance.emitted_at, /^\d{4}-\d\d-\d\dT.*Z$/);

      // A malformed file: PHASE_STARTED then PHASE_FAILED with its code.
      await page.evaluate(() => (window.__signalEvents = []));
      await page.setInputFiles('[data-testid="pick-phase6"]', {
        name: "broken.json",
        mimeType: "application/json",
        buffer: Buffer.from('{"cluster_scores": [ {'),
      });
      await settled(page);
      await page.locator('[data-testid="signals"] tr[data-type="PHASE_FAILED"]').waitFor();
      const failed = await timeline(page);
      assert.deepEqual(
        failed.map((r) => r.type),
        ["PHASE_STARTED", "PHASE_FAILED"],
      );
      assert.equal(failed[1].error, "MALFORMED_JSON");
      const failedEvents = await page.evaluate(() => window.__signalEvents);
      assert.deepEqual(
        failedEvents.map((e) => [e.detail.signal_type, e.detail.payload.error_code ?? null]),
        [
          ["PHASE_STARTED", null],
          ["PHASE_FAILED", "MALFORMED_JSON"],
        ],
      );
      await page.locator('[data-testid="signals"]').scrollIntoViewIfNeeded();
    });
  });

  test("the metrics panel shows 8 stages, totals, and says metrics are never hashed", async () => {
    await withPage("21-metrics", async (page) => {
      await page.goto(`${server.url}/?lang=en`);
      await settled(page);
      const panel = page.locator('[data-testid="metrics"]');
      await panel.waitFor();
      assert.equal(await panel.getAttribute("data-stages"), "8");
      const stages = await panel.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.stage));
      assert.deepEqual(stages, STAGES);
      assert.match(await panel.locator('[data-testid="metrics-outcome"]').textContent(), /completed/);
      assert.ok(Number(await panel.locator('[data-testid="metrics-total"]').textContent()) >= 0);
      assert.match(await panel.locator('[data-testid="metrics-not-hashed"]').textContent(), /NOT part of anything hashed/);
      // Memory is the wasm linear memory: a multiple of 64 KiB, shown per stage.
      assert.match(await panel.locator("tbody tr").first().textContent(), /(KiB|MiB)/);
      await panel.scrollIntoViewIfNeeded();
    });
  });

  test("the host page receives every signal as a phase7-signal event and through onSignal", async () => {
    await withPage("22-host-signals", async (page) => {
      await page.goto(`${server.url}/examples/host/`);
      await page.waitForFunction(() => document.body.dataset.phase7Mounted === "true");
      const slot = '[data-testid="host-slot"]';
      await page.locator(`${slot} [data-testid="signals"] tr[data-type="PHASE_COMPLETED"]`).waitFor();
      const got = await page.evaluate(() => window.phase7Signals);
      assert.ok(got.events.length >= 16, `events: ${got.events.length}`);
      assert.equal(got.callback.length, got.events.length);
      // Same signals, same order, through both channels, and as the timeline shows them.
      assert.deepEqual(
        got.callback.map((s) => s.signal_id),
        got.events.map((s) => s.signal_id),
      );
      const types = got.events.map((s) => s.signal_type);
      assertCompleted(
        types,
        got.events.filter((s) => s.signal_type === "STAGE_COMPLETED").map((s) => s.payload.stage_index),
      );
      assert.deepEqual(
        got.events.map((s) => s.provenance.sequence),
        got.events.map((_, i) => i + 1),
      );
      assert.deepEqual(
        (await timeline(page, slot)).map((r) => r.type),
        types,
      );
      assert.equal(
        await page.locator('[data-testid="host-signal-count"]').textContent(),
        String(got.events.length),
      );
      // A rejected file reaches the host too, with its code.
      await page.setInputFiles(`${slot} [data-testid="pick-phase6"]`, {
        name: "broken.json",
        mimeType: "application/json",
        buffer: Buffer.from("[{"),
      });
      await page.waitForFunction(
        () => document.querySelector('[data-testid="host-last-signal"]').textContent === "PHASE_FAILED MALFORMED_JSON",
      );
      const after = await page.evaluate(() => window.phase7Signals);
      assert.equal(after.callback.length, got.callback.length + 2);
      assert.equal(after.callback.at(-1).payload.error_code, "MALFORMED_JSON");
    });
  });

  test("a batch of 5 files: progress to 5/5, sort by score both ways, summary.csv", async () => {
    await withPage("23-batch", async (page) => {
      await page.goto(`${server.url}/?lang=en`);
      await settled(page);
      const gaps = (e) => e.systemic_gaps.map((a) => `${a}:${e.gap_severity[a]}`).join(" ");
      const files = [
        { name: "p06_sample.json", buffer: Buffer.from(await sampleText()) },
        { name: "-bueno.json", buffer: Buffer.from(JSON.stringify(bueno.phase6)) }, // a leading "-" becomes "_"
        { name: "p06_insuficiente.json", buffer: Buffer.from(JSON.stringify(insuficiente.phase6)) },
        { name: "<img src=x onerror=alert(1)>.json", buffer: Buffer.from("[{") },
        { name: "p06_huge.json", buffer: Buffer.alloc(17 * 1024 * 1024, 0x20) },
      ].map((f) => ({ ...f, mimeType: "application/json" }));
      await page.setInputFiles('[data-testid="pick-batch"]', files);
      const count = page.locator('[data-testid="batch-count"]');
      await page.waitForFunction(
        () => document.querySelector('[data-testid="batch-count"]')?.dataset.done === "5",
      );
      assert.match(await count.textContent(), /^5\/5 /);
      assert.equal(await page.locator('[data-testid="batch-progress"]').getAttribute("value"), "5");
      const plans = () =>
        page.$$eval('[data-testid="batch-table"] tbody tr', (rows) => rows.map((r) => r.dataset.plan));
      const hostile = "_img_src_x_onerror_alert_1__";
      assert.deepEqual(await plans(), ["p06_sample", "_bueno", "p06_insuficiente", hostile, "p06_huge"]);
      assert.equal(await page.locator("img[src=x]").count(), 0, "file names are text");

      // Sort by score: ascending with a click, descending with Enter; unscored rows last.
      await page.click('[data-testid="sort-score"]');
      assert.deepEqual(await plans(), ["p06_insuficiente", "p06_sample", "_bueno", hostile, "p06_huge"]);
      assert.equal(await page.locator('th[data-col="score"]').getAttribute("aria-sort"), "ascending");
      await page.focus('[data-testid="sort-score"]');
      await page.keyboard.press("Enter");
      assert.deepEqual(await plans(), ["_bueno", "p06_sample", "p06_insuficiente", hostile, "p06_huge"]);
      assert.equal(await page.locator('th[data-col="score"]').getAttribute("aria-sort"), "descending");

      // summary.csv: the CLI's columns and formatting (core's batch::CSV_HEADER, all but
      // the CLI's `file`), in processing order. The sample row is pinned whole; the
      // others by their first six cells (the band margin and probabilities that follow
      // are pinned by the core and CLI tests), and every line has every column.
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click('[data-testid="export-csv"]'),
      ]);
      assert.equal(download.suggestedFilename(), "summary.csv");
      const csv = await readFile(await download.path(), "utf8");
      const e = (v) => v.expected;
      const lines = csv.split("\n");
      assert.equal(
        lines[0],
        "plan,score,band,gaps,verified,error_code,errors,warnings,nearest_threshold,margin,margin_ulps,p_band,p_excelente,p_bueno,p_aceptable,p_insuficiente",
      );
      assert.equal(
        lines[1],
        "p06_sample,1.6970916666666667,ACEPTABLE,PA05:MODERATE PA07:CRITICAL,true,,0,0,0.55,0.04709166666666642,141388008301503,0.8268790985505803,1.4868049093151386e-65,3.853262612155098e-16,0.8268790985505803,0.17312090144941936",
      );
      assert.deepEqual(
        lines.slice(2).map((l) => l.split(",").slice(0, 6).join(",")),
        [
          `_bueno,${e(bueno).score},BUENO,${gaps(e(bueno))},true,`,
          `p06_insuficiente,${e(insuficiente).score},INSUFICIENTE,${gaps(e(insuficiente))},true,`,
          `${hostile},,,,false,MALFORMED_JSON`,
          "p06_huge,,,,false,INPUT_TOO_LARGE",
          "",
        ],
      );
      for (const l of lines.slice(1, -1)) assert.equal(l.split(",").length, 16, l);
      assert.equal(lines.at(-1), "");
      await page.locator('[data-testid="batch"]').scrollIntoViewIfNeeded();
    });
  });
});
