// The core's npm package (target/npm/phase7-core, built by scripts/npm.sh) used by a
// plain host page, examples/npm/index.html: run, issue, verify, verifyClaimed,
// runObserved, sensitivity, whatIf.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { FIXTURES, withPage } from "./helpers.mjs";
import { serve } from "./server.mjs";

let server;

before(async () => {
  server = await serve({ mounts: { "/fixtures/": FIXTURES } });
});

after(async () => {
  await server?.close();
});

test("the npm example page runs, issues, verifies and observes the sample", async () => {
  await withPage("30-npm-example", async (page) => {
    await page.goto(`${server.url}/examples/npm/`);
    await page.waitForFunction(() => document.body.dataset.done === "true");
    const field = (id) => page.locator(`[data-testid="${id}"]`).textContent();
    assert.equal(await field("status"), "done");
    assert.match(await field("version"), /^\d+\.\d+\.\d+/);
    assert.equal(await field("run-score"), "1.6970916666666667");
    assert.equal(await field("run-band"), "ACEPTABLE");
    assert.equal(await field("run-gaps"), "PA05:MODERATE PA07:CRITICAL");
    assert.equal(await field("issue-ok"), "true");
    assert.match(await field("issue-certificate-id"), /\S/);
    assert.equal(await field("verify"), "true (VERIFIED)");
    assert.match(await field("verify-tampered"), /^false \(NOT_VERIFIED: .*macro_score/);
    assert.equal(await field("verify-claimed"), "true (IDENTICAL)");
    assert.equal(await field("observed-outcome"), "true completed");
    const [got, returned] = (await field("observed-signals")).split(" / ").map(Number);
    assert.ok(got >= 16 && got === returned, `${got} / ${returned}`);
    assert.equal(await field("observed-stages"), "8");
    const list = await page.locator('[data-testid="signal-list"] li').allTextContents();
    assert.equal(list[0], "PHASE_STARTED");
    assert.equal(list.at(-1), "PHASE_COMPLETED");
    assert.equal(list.filter((l) => l.startsWith("STAGE_COMPLETED")).length, 8);
    // Sensitivity (not certified): the native golden numbers and Monte Carlo digest
    // (tests/fixtures/golden/sample_sensitivity.json), from JavaScript.
    assert.equal(await field("sensitivity-margin"), "ACEPTABLE 141388008301503 ulps from ACEPTABLE 0.55");
    assert.equal(await field("sensitivity-probabilities"), "0.8268790985505803 0.17312090144941936");
    assert.equal(
      await field("sensitivity-monte-carlo"),
      "0.7759 0.2241 eaa75dbe13e31fa866c3b5c410e1e65a6eb15a79531880786c00f9a5cdab0327",
    );
    assert.equal(await field("sensitivity-bad"), "false DRAWS_OUT_OF_RANGE");
    assert.equal(
      await field("what-if"),
      "1.9798366666666667 ACEPTABLE not the published configuration — not certifiable",
    );
  });
});
