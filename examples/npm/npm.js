import init, { run, issue, verify, verifyClaimed, runObserved, sensitivity, whatIf, version } from "/pkg/phase7_core.js";

const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
const show = (id, value) => { $(id).textContent = String(value); };

try {
  await init(); // loads phase7_core_bg.wasm next to the module
  const phase6 = await (await fetch("/fixtures/p06_sample.json")).text();
  show("version", version());

  const outcome = run(phase6);
  show("run-score", outcome.macro_score.score);
  show("run-band", outcome.macro_score.quality_level);
  show("run-gaps", Object.entries(outcome.macro_score.gap_severity).map(([a, s]) => `${a}:${s}`).join(" "));

  const issued = issue(phase6, { issuedAt: new Date().toISOString() });
  show("issue-ok", issued.ok);
  show("issue-certificate-id", issued.certificate.certificate_id);

  const report = verify(phase6, issued.certificate_json, { auditTrail: issued.audit_trail_json });
  show("verify", `${report.verified} (${report.outcome.kind})`);

  const tampered = JSON.parse(issued.certificate_json);
  tampered.macro_score.score = 2.5;
  const bad = verify(phase6, JSON.stringify(tampered));
  const changed = bad.checks.filter((c) => !c.passed).map((c) => c.path);
  show("verify-tampered", `${bad.verified} (${bad.outcome.kind}: ${changed.join(", ")})`);

  const claim = verifyClaimed(phase6, issued.macro_score_json);
  show("verify-claimed", `${claim.ok} (${claim.outcome.kind})`);

  const received = [];
  const observed = runObserved(phase6, {}, (signal) => received.push(signal));
  show("observed-outcome", `${observed.outcome.ok} ${observed.metrics.outcome}`);
  show("observed-signals", `${received.length} / ${observed.signals.length}`);
  show("observed-stages", observed.metrics.stages.length);
  for (const s of received) {
    const li = document.createElement("li");
    const stage = s.payload.stage_index ? ` ${s.payload.stage_index}/${s.payload.stage_total} ${s.payload.stage}` : "";
    li.textContent = `${s.signal_type}${stage}`;
    $("signal-list").append(li);
  }

  // Not certified: analysis about the run (seeded, reproducible to the bit).
  const firm = sensitivity(phase6, { seed: 1, draws: 10000, weightRange: 0.25 });
  const a = firm.report.analysis;
  show("sensitivity-margin", `${a.margin.band} ${a.margin.distance_ulps} ulps from ${a.margin.threshold_band} ${a.margin.threshold}`);
  show("sensitivity-probabilities", `${a.probabilities.run_band_probability} ${a.probabilities.probabilities.INSUFICIENTE}`);
  const mc = firm.report.monte_carlo;
  show("sensitivity-monte-carlo", `${mc.band_frequencies.ACEPTABLE} ${mc.band_frequencies.INSUFICIENTE} ${mc.digest}`);
  const refused = sensitivity(phase6, { draws: 0 });
  show("sensitivity-bad", `${refused.ok} ${refused.errors.map((e) => e.code).join(" ")}`);
  const edited = whatIf(phase6, [0.4, 0.1, 0.1, 0.4]);
  show("what-if", `${edited.what_if.weighted.score} ${edited.what_if.quality_level} ${edited.what_if.banner}`);
  show("status", "done");
} catch (e) {
  $("status").className = "bad";
  show("status", `failed: ${e}`);
  console.error(e);
}
document.body.dataset.done = "true";
