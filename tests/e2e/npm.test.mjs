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

/** Opens the example page and waits until its own script has run. */
async function openExample(page) {
  await page.goto(`${server.url}/examples/npm/`);
  await page.waitForFunction(() => document.body.dataset.done === "true");
}

test("the npm example page runs, issues, verifies and observes the sample", async () => {
  await withPage("30-npm-example", async (page) => {
    await openExample(page);
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

test("hostile inputs and options through the npm API: coded results, no copy of an input over the cap", async () => {
  await withPage("31-npm-hostile", async (page) => {
    await openExample(page);
    const r = await page.evaluate(async () => {
      const m = await import("/pkg/phase7_core.js");
      const wasm = await m.default();
      const sample = await (await fetch("/fixtures/p06_sample.json")).text();
      const code = (out) => (out.errors ?? out.outcome?.errors ?? []).map((e) => `${e.code} ${e.value}`).join(", ");
      const out = {};
      // Inputs over the 16 MiB cap: refused after copying one unit past the cap, at most.
      const before = wasm.memory.buffer.byteLength;
      out.bigString = code(m.run(" ".repeat(200_000_000)));
      out.bigArray = code(m.run(new Uint8Array(300_000_000)));
      out.bigIssue = m.issue(new Uint8Array(100_000_000)).ok;
      out.bigClaim = m.verifyClaimed(sample, " ".repeat(100_000_000)).ok;
      // A certificate and an audit trail over their 1 MiB limit: refused after copying
      // one unit past it (3 MiB for these), not the input's 16 MiB + 1 units (48 MiB).
      const cjk = "\u4e00".repeat(16 * 1024 * 1024 + 1);
      out.bigArtifacts = m
        .verify(sample, cjk, { auditTrail: cjk })
        .checks.filter((c) => /over the size limit/.test(c.note))
        .map((c) => `${c.path} ${c.actual}`);
      // Text options far longer than any valid one: cut before they cross, not copied.
      const long = "2".repeat(200_000_000);
      out.bigWhatIf = m.whatIf(sample, "w=" + long).errors[0].code;
      out.bigTimes = [
        () => m.run(sample, { evaluatedAt: long }),
        () => m.issue(sample, { issuedAt: long }),
        () => m.runObserved(sample, { evaluatedAt: long }),
      ].map((f) => {
        try {
          return f().ok;
        } catch (e) {
          return String(e);
        }
      });
      out.grown = wasm.memory.buffer.byteLength - before;
      // Numbers a host may pass: every one a coded error or a report.
      out.draws = [NaN, Infinity, -1, 1.5, 1e6 + 1, "1000", 5n, { valueOf: () => 5 }].map((draws) => code(m.sensitivity(sample, { draws })));
      out.weightRange = [NaN, -0.1, 1, "x".repeat(10_000_000)].map((weightRange) => code(m.sensitivity(sample, { weightRange })));
      out.whatIf = [[NaN, 1, 1, 1], new Array(10_000_000).fill(0.25), "w=" + "1,".repeat(7_500_000), [1e308, 1e308, 1e308, 1e308]].map((w) => {
        const e = m.whatIf(sample, w).errors[0];
        return `${e.code} ${e.value.length}`;
      });
      // Options objects of hostile shapes read as absent.
      const throwing = new Proxy({}, { get() { throw new Error("hostile getter"); } });
      out.proxy = [m.run(sample, throwing).ok, m.sensitivity(sample, throwing).ok, m.issue(sample, throwing).ok];
      return out;
    });
    assert.equal(r.bigString, "INPUT_TOO_LARGE 16777217");
    assert.equal(r.bigArray, "INPUT_TOO_LARGE 16777217");
    assert.equal(r.bigIssue, false);
    assert.equal(r.bigClaim, false);
    assert.equal(r.bigWhatIf, "WHAT_IF_SYNTAX");
    assert.deepEqual(r.bigArtifacts, ["certificate 3145731 bytes", "audit_trail 3145731 bytes"]);
    assert.deepEqual(r.bigTimes, [
      "evaluatedAt is not an RFC 3339 date-time: must begin YYYY-MM-DDTHH:MM:SS",
      "issuedAt is not an RFC 3339 date-time: must begin YYYY-MM-DDTHH:MM:SS",
      "evaluatedAt is not an RFC 3339 date-time: must begin YYYY-MM-DDTHH:MM:SS",
    ]);
    assert.ok(r.grown <= 40 * 1024 * 1024, `wasm memory grew by ${r.grown} B`);
    assert.deepEqual(r.draws, [
      "DRAWS_OUT_OF_RANGE NaN",
      "DRAWS_OUT_OF_RANGE Infinity",
      "DRAWS_OUT_OF_RANGE -1.0",
      "DRAWS_OUT_OF_RANGE 1.5",
      "DRAWS_OUT_OF_RANGE 1000001",
      "DRAWS_OUT_OF_RANGE not a number",
      "DRAWS_OUT_OF_RANGE not a number",
      "DRAWS_OUT_OF_RANGE not a number",
    ]);
    assert.deepEqual(r.weightRange, [
      "WEIGHT_RANGE_INVALID NaN",
      "WEIGHT_RANGE_INVALID -0.1",
      "WEIGHT_RANGE_INVALID 1.0",
      "WEIGHT_RANGE_INVALID not a number",
    ]);
    // Each error names its value cut short, whatever the size of what was given.
    for (const w of r.whatIf) assert.ok(Number(w.split(" ")[1]) <= 200, w);
    assert.deepEqual(r.whatIf.map((w) => w.split(" ")[0]), [
      "WHAT_IF_WEIGHT_INVALID",
      "WHAT_IF_SYNTAX",
      "WHAT_IF_SYNTAX",
      "WHAT_IF_WEIGHTS_SUM_ZERO",
    ]);
    assert.deepEqual(r.proxy, [true, true, true]);
  });
});

test("values whose reading throws: no exception crosses into the wasm, nothing is kept across 100 calls", async () => {
  await withPage("32-npm-throwing", async (page) => {
    await openExample(page);
    const r = await page.evaluate(async () => {
      const m = await import("/pkg/phase7_core.js");
      const wasm = await m.default();
      const sample = await (await fetch("/fixtures/p06_sample.json")).text();
      const big = new Uint8Array(16 << 20).fill(32);
      const revoked = Proxy.revocable([], {});
      revoked.revoke();
      // Each read after a 16 MiB input was copied: a throw from the caller's code that
      // crossed the wasm skipped the copy's destructor, 16 MiB kept for good each time.
      const attacks = [
        () => m.verifyClaimed(big, Object.create(Uint8Array.prototype)),
        () => m.verify(big, big, { macroScore: new Proxy(new Uint8Array(4), {}) }),
        () => m.whatIf(big, revoked.proxy),
        () => m.whatIf(big, Object.defineProperty([1, 2, 3, 4], 0, { get() { throw new Error("hostile getter"); } })),
      ];
      const before = wasm.memory.buffer.byteLength;
      const seen = attacks.map((f) => {
        let last;
        for (let i = 0; i < 25; i++) {
          try {
            const e = f().errors[0];
            last = `${e.code} ${e.value}`;
          } catch (e) {
            last = String(e);
          }
        }
        return last;
      });
      const grown = wasm.memory.buffer.byteLength - before;
      // An array of 2^32 - 1 holes: its length is read, its elements are not copied.
      const t = performance.now();
      const e = m.whatIf(sample, new Array(2 ** 32 - 1)).errors[0];
      return { seen, grown, sparse: `${e.code} ${e.value}`, ms: performance.now() - t };
    });
    assert.deepEqual(r.seen, [
      "input must be a string or a Uint8Array",
      "input must be a string or a Uint8Array",
      "WHAT_IF_SYNTAX (not text)",
      "WHAT_IF_SYNTAX (not text)",
    ]);
    // Two 16 MiB inputs copied at a time, at most; 100 calls of 16 to 48 MiB each before.
    assert.ok(r.grown <= 64 * 1024 * 1024, `wasm memory grew by ${r.grown} B`);
    assert.equal(r.sparse, "WHAT_IF_SYNTAX (an array of 4294967295)");
    assert.ok(r.ms < 1000, `${r.ms} ms`);
  });
});
