// End-to-end tests of the audit dashboard in headless Chromium: the page built by
// `trunk build --release` (dist/), served on 127.0.0.1 by ./server.mjs.

import assert from "node:assert/strict";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import {
  FIXTURES,
  fixtureDir,
  hostileRejected,
  hostileValid,
  publicVector,
  screenshot,
  settled,
  withPage,
  HOSTILE,
} from "./helpers.mjs";
import { serve } from "./server.mjs";

const SAMPLE_SCORE = 1.6970916666666667;
let server;
let fixtures;
let bueno;
let insuficiente;
let goldenCertificate;

before(async () => {
  bueno = await publicVector("BUENO");
  insuficiente = await publicVector("INSUFICIENTE");
  goldenCertificate = await readFile(join(FIXTURES, "golden", "sample_certificate.json"), "utf8");
  fixtures = await fixtureDir({
    "p06_insuficiente.json": JSON.stringify(insuficiente.phase6, null, 2),
    "p06_huge.json": " ".repeat(17 * 1024 * 1024),
  });
  server = await serve({ mounts: { "/fixtures/": fixtures } });
});

after(async () => {
  await server?.close();
  if (fixtures) await rm(fixtures, { recursive: true, force: true });
});

/** The macro score and band shown on the page (inside `scope`). */
async function shown(page, scope = "") {
  const score = page.locator(`${scope} [data-testid="macro-score"]`);
  return {
    text: await score.textContent(),
    exact: Number(await score.getAttribute("data-exact")),
    band: (await page.locator(`${scope} [data-testid="band"]`).textContent()).trim(),
  };
}

async function loadPhase6(page, name, text) {
  await page.setInputFiles('[data-testid="pick-phase6"]', {
    name,
    mimeType: "application/json",
    buffer: Buffer.from(text),
  });
  await settled(page);
}

describe("audit dashboard", () => {
  test("opens with the sample computed: band ACEPTABLE, score 1.6970916666666667", async () => {
    await withPage("01-sample", async (page, b) => {
      await page.goto(`${server.url}/`);
      await settled(page);
      const s = await shown(page);
      assert.equal(s.band, "ACEPTABLE");
      assert.equal(s.text, "1.6971");
      assert.equal(s.exact, SAMPLE_SCORE);
      assert.equal(
        await page.locator('[data-testid="macro-score-exact"]').textContent(),
        "1.6970916666666667",
      );
      // Gaps of the sample: PA05 MODERATE, PA07 CRITICAL, with area names.
      const gaps = page.locator('[data-testid="gaps"]');
      await gaps.locator('tr[data-area="PA05"]', { hasText: "victimas_paz" }).waitFor();
      assert.equal(await gaps.locator('tr[data-area="PA05"]').getAttribute("data-severity"), "MODERATE");
      assert.equal(await gaps.locator('tr[data-area="PA07"]').getAttribute("data-severity"), "CRITICAL");
      // Human names and severities in the page's language (Spanish by default).
      assert.match(await gaps.locator('tr[data-area="PA05"]').textContent(), /Víctimas y construcción de paz/);
      assert.match(await gaps.locator('tr[data-area="PA07"]').textContent(), /crítica/);
      // The chart: four bars, the threshold line, four intervals.
      assert.equal(await page.locator('[data-testid="clusters"] g.p7-bar').count(), 4);
      assert.equal(await page.locator('[data-testid="gap-threshold"]').count(), 1);
      assert.equal(await page.locator('[data-testid="clusters"] g.p7-whisker').count(), 4);
      // The audit trail lists every check, all passed.
      const summary = await page.locator('[data-testid="audit-summary"]').textContent();
      const [passed, total] = summary.split(" ")[0].split("/").map(Number);
      assert.ok(total > 10 && passed === total, summary);
      // The hash chain is shown and re-checked in the page; its root is the native one.
      assert.equal(await page.locator('[data-testid="hash-chain"]').getAttribute("data-intact"), "true");
      assert.equal(
        await page.locator('[data-testid="audit-root"]').textContent(),
        JSON.parse(goldenCertificate).digests.audit_root,
      );
      // No request beyond the page's own files.
      const foreign = b.requests.filter(
        (u) => !u.startsWith(`${server.url}/`) || /\/fixtures\//.test(u),
      );
      assert.deepEqual(foreign, []);
      const paths = b.requests.map((u) => new URL(u).pathname.replace(/^\/snippets\/phase7-web-[0-9a-f]+\//, "/snippets/phase7-web-*/")).sort();
      assert.deepEqual(paths, ["/", "/boot.js", "/phase7-web.js", "/phase7-web_bg.wasm", "/snippets/phase7-web-*/inline0.js", "/style.css"]);
    });
  });

  test("loads another Phase 6 file (a public vector, band BUENO) and shows its result", async () => {
    await withPage("02-other-file", async (page) => {
      await page.goto(`${server.url}/`);
      await settled(page);
      await loadPhase6(page, "p06_bueno.json", JSON.stringify(bueno.phase6));
      await page.waitForFunction(
        () => document.querySelector('[data-testid="band"]')?.textContent.trim() === "BUENO",
      );
      const s = await shown(page);
      assert.equal(s.exact, bueno.expected.score);
      assert.match(await page.locator('[data-testid="phase6-name"]').textContent(), /p06_bueno\.json/);
      for (const area of bueno.expected.systemic_gaps) {
        await page.locator(`[data-testid="gaps"] tr[data-area="${area}"]`).waitFor();
      }
    });
  });

  test("hostile strings in every string field are shown as text and never run", async () => {
    await withPage("03-hostile", async (page) => {
      await page.goto(`${server.url}/`);
      await settled(page);
      // Accepted file: the strings reach the input table.
      await loadPhase6(page, `${HOSTILE[0]}.json`, await hostileValid());
      await page.locator('[data-testid="inputs"]').waitFor();
      const inputs = await page.locator('[data-testid="inputs"]').textContent();
      for (const h of HOSTILE) assert.ok(inputs.includes(h), `literal text shown: ${h}`);
      assert.ok(
        (await page.locator('[data-testid="phase6-name"]').textContent()).includes(HOSTILE[0]),
      );
      assert.equal((await shown(page)).band, "ACEPTABLE");
      // Rejected file: the strings reach the coded errors.
      await loadPhase6(page, "hostile_ids.json", await hostileRejected());
      await page.locator('[data-testid="errors"]').waitFor();
      const errors = await page.locator('[data-testid="errors"]').textContent();
      assert.ok(errors.includes(HOSTILE[0]), "hostile id shown as text in the errors");
      // Nothing executed and no element was created from the data.
      await page.waitForTimeout(300);
      assert.equal(await page.evaluate(() => window.__phase7Pwned), undefined);
      assert.equal(await page.locator(".p7 img, .p7 script, .p7 iframe").count(), 0);
      assert.equal(await page.locator(".p7 [onerror], .p7 [onload]").count(), 0);
    });
  });

  test("a malformed file shows its coded error", async () => {
    await withPage("04-malformed", async (page) => {
      await page.goto(`${server.url}/`);
      await settled(page);
      await loadPhase6(page, "broken.json", '[{"cluster_id": "CLUSTER_MESO_1", "score": ');
      const row = page.locator('[data-testid="errors"] tr[data-code="MALFORMED_JSON"]');
      await row.waitFor();
      assert.match(await row.textContent(), /línea 1/);
      assert.equal(await page.locator('[data-testid="failure-class"]').textContent(), "INPUT_CONTRACT");
      assert.equal(await page.locator('[data-testid="summary"]').count(), 0);
      // A contract violation names cluster, field and value.
      const doc = JSON.parse(JSON.stringify(bueno.phase6));
      doc[1].score = 3.5;
      delete doc[2].variance;
      await loadPhase6(page, "violations.json", JSON.stringify(doc));
      const oob = page.locator('[data-testid="errors"] tr[data-code="SCORE_OUT_OF_BOUNDS"]');
      await oob.waitFor();
      const text = await oob.textContent();
      assert.ok(text.includes(doc[1].cluster_id) && text.includes("score") && text.includes("3.5"), text);
      await page.locator('[data-testid="errors"] tr[data-code="MISSING_VARIANCE"]').waitFor();
    });
  });

  test("a file over 16 MiB is refused with INPUT_TOO_LARGE before it is read", async () => {
    await withPage("05-too-large", async (page) => {
      await page.goto(`${server.url}/`);
      await settled(page);
      // Dropped on the drop zone: a 17 MiB file built in the page.
      const dt = await page.evaluateHandle(() => {
        const d = new DataTransfer();
        d.items.add(new File([new Uint8Array(17 * 1024 * 1024)], "huge.json"));
        return d;
      });
      await page.dispatchEvent('[data-testid="drop-zone"]', "drop", { dataTransfer: dt });
      const row = page.locator('[data-testid="errors"] tr[data-code="INPUT_TOO_LARGE"]');
      await row.waitFor();
      assert.match(await row.textContent(), /17825792/);
      // The page still answers.
      await page.getByRole("button", { name: "English" }).click();
      await page.getByRole("heading", { name: "Errors (1 error)" }).waitFor();
      // Fetched: refused from Content-Length, or while streaming a body of undeclared size.
      for (const url of ["fixtures/p06_huge.json", "fixtures/p06_huge.json%3Fchunked%3D1"]) {
        await page.goto(`${server.url}/?phase6=${url}`);
        await page.locator('[data-testid="errors"] tr[data-code="INPUT_TOO_LARGE"]').waitFor();
      }
      assert.ok(server.requests.includes("/fixtures/p06_huge.json?chunked=1"), server.requests.join(" "));
    });
  });

  test("switches language between Spanish and English, keyboard included", async () => {
    await withPage("06-language", async (page) => {
      await page.goto(`${server.url}/`);
      await settled(page);
      await page.getByRole("heading", { name: "Puntaje macro" }).waitFor();
      const english = page.getByRole("button", { name: "English" });
      await english.focus();
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "Macro score" }).waitFor();
      assert.equal(await english.getAttribute("aria-pressed"), "true");
      assert.equal(await page.locator(".p7").getAttribute("lang"), "en");
      // Bands keep the pipeline's names in both languages.
      assert.equal((await shown(page)).band, "ACEPTABLE");
      await page.getByRole("heading", { name: "Audit trail" }).waitFor();
      await page.getByRole("button", { name: "Español" }).click();
      await page.getByRole("heading", { name: "Registro de auditoría" }).waitFor();
    });
  });

  test("?phase6=<url> fetches and evaluates that file instead of the sample", async () => {
    await withPage("07-query-phase6", async (page, b) => {
      await page.goto(`${server.url}/?phase6=fixtures/p06_insuficiente.json&lang=en`);
      await page.waitForFunction(
        () => document.querySelector('[data-testid="band"]')?.textContent.trim() === "INSUFICIENTE",
      );
      const s = await shown(page);
      assert.equal(s.exact, insuficiente.expected.score);
      assert.ok(b.requests.some((u) => u.endsWith("/fixtures/p06_insuficiente.json")));
      await page.getByRole("heading", { name: "Macro score" }).waitFor();
      // A URL that fails gives a coded notice, not a silent blank.
      await page.goto(`${server.url}/?phase6=fixtures/missing.json`);
      await page.locator('[data-testid="notices"]', { hasText: "FETCH_FAILED" }).waitFor();
      // (the 404 itself is the browser's console line, not ours)
      b.problems.splice(0, b.problems.length, ...b.problems.filter((p) => !/404/.test(p)));
    });
  });

  test("the determinism panel reruns N times with identical digests", async () => {
    await withPage("08-determinism", async (page) => {
      await page.goto(`${server.url}/`);
      await settled(page);
      await page.locator('[data-testid="rerun-count"]').fill("5");
      await page.locator('[data-testid="rerun-count"]').dispatchEvent("change");
      await page.locator('[data-testid="rerun"]').click();
      const verdict = page.locator('[data-testid="determinism-verdict"]');
      await verdict.waitFor();
      assert.equal(await verdict.getAttribute("data-identical"), "true");
      assert.match(await verdict.textContent(), /^5\/5 /);
      // The same digests as the native run's golden certificate of the sample.
      const native = JSON.parse(goldenCertificate);
      for (const k of ["input", "config", "output", "audit-root", "certificate"]) {
        const shown = await page.locator(`[data-digest="${k}"]`).textContent();
        const want =
          k === "audit-root"
            ? native.digests.audit_root
            : k === "certificate"
              ? native.certificate_id
              : native.digests[k];
        assert.equal(shown, want, `${k} digest equals the native run's`);
      }
    });
  });

  test("the embedded dashboard mounts into the host page's element", async () => {
    await withPage("09-embedded", async (page) => {
      await page.goto(`${server.url}/examples/host/`);
      await page.waitForFunction(() => document.body.dataset.phase7Mounted === "true");
      const slot = '[data-testid="host-slot"]';
      await page.locator(`${slot} [data-testid="band"]`).waitFor();
      const s = await shown(page, slot);
      assert.equal(s.band, "ACEPTABLE");
      assert.equal(s.exact, SAMPLE_SCORE);
      assert.equal(await page.locator(".p7").count(), 1, "mounted once, not on <body> too");
      await page.getByRole("heading", { name: "Macro score" }).waitFor();
      // A second, independent dashboard; unmount removes it again.
      await page.evaluate(async () => {
        const { mount } = await import("../../phase7-web.js");
        const div = document.createElement("div");
        div.id = "second";
        document.body.append(div);
        window.secondDashboard = mount(div, { lang: "es" });
      });
      await page.locator('#second [data-testid="band"]').waitFor();
      assert.equal(await page.locator(".p7").count(), 2);
      await page.evaluate(() => window.secondDashboard.unmount());
      assert.equal(await page.locator(".p7").count(), 1);
      assert.equal((await shown(page, slot)).band, "ACEPTABLE");
      // The host's options reach the component.
      await page.goto(`${server.url}/examples/host/?phase6=../../fixtures/p06_insuficiente.json&lang=es`);
      await page.waitForFunction(
        () => document.querySelector('[data-testid="band"]')?.textContent.trim() === "INSUFICIENTE",
      );
      await page.getByRole("heading", { name: "Puntaje macro" }).waitFor();
    });
  });

  test("prints a one-page report and fits a phone screen", async () => {
    await withPage(
      "10-phone",
      async (page) => {
        await page.goto(`${server.url}/`);
        await settled(page);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        assert.ok(overflow <= 0, `no horizontal scroll on a phone (overflow ${overflow}px)`);
        await page.emulateMedia({ media: "print" });
        await screenshot(page, "10-print");
        const pdf = await page.pdf({ format: "A4", printBackground: true });
        const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
        assert.equal(pages, 1, "the print view is one page");
        await page.emulateMedia({ media: "screen" });
      },
      { viewport: { width: 390, height: 844 } },
    );
  });
  test("a valid certificate is verified; a tampered one is not, with the field named", async () => {
    await withPage("11-certificate", async (page) => {
      await page.goto(`${server.url}/?lang=en`);
      await settled(page);
      const verdict = page.locator('[data-testid="verification-verdict"]');
      const load = async (testid, name, text) => {
        await page.setInputFiles(`[data-testid="${testid}"]`, {
          name,
          mimeType: "application/json",
          buffer: Buffer.from(text),
        });
        await settled(page);
      };
      // The native run's certificate of the sample verifies in the browser. Dropped
      // anywhere on the dashboard under a neutral name, it is recognised by content.
      const dt = await page.evaluateHandle((text) => {
        const d = new DataTransfer();
        d.items.add(new File([text], "upload.json", { type: "application/json" }));
        return d;
      }, goldenCertificate);
      await page.dispatchEvent('[data-testid="summary"]', "drop", { dataTransfer: dt });
      await page.locator('[data-testid="verification-verdict"][data-outcome="VERIFIED"]').waitFor();
      assert.match(await page.locator('[data-testid="verification"]').textContent(), /Vouches for/);
      // One changed number: not verified, and the field is named.
      const tampered = JSON.parse(goldenCertificate);
      tampered.macro_score.score = 1.7;
      await load("pick-certificate", "certificate.json", JSON.stringify(tampered, null, 2));
      await page.locator('[data-testid="verification-verdict"][data-outcome="NOT_VERIFIED"]').waitFor();
      const row = page.locator('[data-testid="verification-diff"] tr[data-path="certificate.macro_score.score"]');
      await row.waitFor();
      assert.match(await row.textContent(), /1\.6970916666666667/);
      assert.match(await row.textContent(), /1\.7/);
      await screenshot(page, "11-certificate-tampered");
      // Issue in the page, download, and verify what was downloaded (with its trail).
      const save = async (testid) => {
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.locator(`[data-testid="${testid}"]`).click(),
        ]);
        return { name: download.suggestedFilename(), text: await readFile(await download.path(), "utf8") };
      };
      const cert = await save("download-certificate");
      const trail = await save("download-audit_trail");
      assert.equal(cert.name, "certificate.json");
      assert.equal(trail.name, "audit_trail.json");
      assert.equal(JSON.parse(cert.text).certificate_id, JSON.parse(goldenCertificate).certificate_id);
      await load("pick-certificate", cert.name, cert.text);
      await load("pick-audit-trail", trail.name, trail.text);
      await page.locator('[data-testid="verification-verdict"][data-outcome="VERIFIED"]').waitFor();
      // An edited audit entry breaks the chain and is named.
      const edited = JSON.parse(trail.text);
      edited.entries[7].actual = "2.9";
      await load("pick-audit-trail", trail.name, JSON.stringify(edited, null, 2));
      await page.locator('[data-testid="verification-verdict"][data-outcome="NOT_VERIFIED"]').waitFor();
      const paths = await page
        .locator('[data-testid="verification-diff"] tr')
        .evaluateAll((rows) => rows.map((r) => r.dataset.path).filter(Boolean));
      assert.ok(paths.some((p) => p.startsWith("audit_trail.entries[7]")), paths.join(", "));
      assert.equal(await verdict.count(), 1);
    });
  });

  test("the pipeline's claimed p07 output: identical, explained by its math library, different", async () => {
    await withPage("12-claim", async (page) => {
      await page.goto(`${server.url}/?lang=en`);
      await settled(page);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.locator('[data-testid="download-macro_score"]').click(),
      ]);
      const ours = JSON.parse(await readFile(await download.path(), "utf8"));
      const claim = async (doc, outcome) => {
        await page.setInputFiles('[data-testid="pick-claimed"]', {
          name: "p07_output.json",
          mimeType: "application/json",
          buffer: Buffer.from(JSON.stringify(doc, null, 2)),
        });
        await page.locator(`[data-testid="claim-verdict"][data-outcome="${outcome}"]`).waitFor();
      };
      // As the pipeline writes it: its own ids and clock (not compared).
      const pipeline = {
        ...ours,
        evaluation_id: "MACRO_EVAL_0f3c",
        provenance_node_id: "PROV_P07_7d1e",
        evaluation_timestamp: "2026-01-01T00:00:00.000000",
      };
      await claim(pipeline, "IDENTICAL");
      // score_std 1 ulp away (the pipeline's pow()), bounds recomputed from it: explained.
      const buf = new DataView(new ArrayBuffer(8));
      buf.setFloat64(0, ours.score_std);
      buf.setBigUint64(0, buf.getBigUint64(0) + 1n);
      const std = buf.getFloat64(0);
      const centre = ours.score;
      const explained = {
        ...pipeline,
        score_std: std,
        confidence_interval_95: [Math.max(0, centre - 1.96 * std), Math.min(3, centre + 1.96 * std)],
      };
      await claim(explained, "EXPLAINED");
      const row = page.locator('[data-testid="claim-notable"] tr[data-path="score_std"]');
      assert.match(await row.textContent(), /explained/);
      assert.match(await row.textContent(), /math library/);
      await screenshot(page, "12-claim-explained");
      // A different band: not consistent, field named.
      await claim({ ...pipeline, quality_level: "BUENO" }, "DIFFERENT");
      await page.locator('[data-testid="claim-notable"] tr[data-path="quality_level"]').waitFor();
    });
  });
});
