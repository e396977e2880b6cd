// The page half of scripts/bench.sh (loaded by index.html; an external module, as the
// test server's strict Content-Security-Policy allows no inline script).
import init, { run, issue, verify, verifyClaimed } from "/pkg/phase7_core.js";

async function main() {
  await init();
  const text = await (await fetch("/fixtures/phase7_public.jsonl")).text();
  const enc = new TextEncoder();
  // Each line's phase6 value as written (the native bench takes the same bytes).
  const plans = text
    .split("\n")
    .filter(Boolean)
    .map((l) => enc.encode(l.slice('{"phase6": '.length, l.lastIndexOf(', "expected": '))));
  const files = plans.map((p) => issue(p));
  // What `run` returns crosses into JS as JSON text that the browser parses (one
  // JSON.parse per call, inside the timed `run`); the same text's parse alone:
  const outcomes = plans.map((p) => JSON.stringify(run(p)));
  const certs = files.map((f) => f.certificate_json);
  const claims = files.map((f) => f.macro_score_json);
  const rounds = Number(new URLSearchParams(location.search).get("rounds") || 7);
  const time = (f) => {
    let best = Infinity;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      for (let i = 0; i < plans.length; i++) f(i);
      best = Math.min(best, performance.now() - t0);
    }
    return (best * 1000) / plans.length;
  };
  const result = {
    plans: plans.length,
    run: time((i) => {
      if (!run(plans[i]).ok) throw new Error(`run ${i}`);
    }),
    run_parse: time((i) => {
      if (!JSON.parse(outcomes[i]).ok) throw new Error(`parse ${i}`);
    }),
    issue: time((i) => {
      if (!issue(plans[i]).ok) throw new Error(`issue ${i}`);
    }),
    verify: time((i) => {
      if (!verify(plans[i], certs[i]).verified) throw new Error(`verify ${i}`);
    }),
    claim: time((i) => {
      if (!verifyClaimed(plans[i], claims[i]).ok) throw new Error(`claim ${i}`);
    }),
  };
  window.__phase7Bench = result;
}
main().catch((e) => (window.__phase7Bench = { error: String(e) }));
