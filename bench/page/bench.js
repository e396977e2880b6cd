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
  const query = new URLSearchParams(location.search);
  const rounds = Number(query.get("rounds") || 7);
  const time = (f) => {
    let best = Infinity;
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      for (let i = 0; i < plans.length; i++) f(i);
      best = Math.min(best, performance.now() - t0);
    }
    return (best * 1000) / plans.length;
  };
  const entries = {
    run: (i) => {
      if (!run(plans[i]).ok) throw new Error(`run ${i}`);
    },
    run_parse: (i) => {
      if (!JSON.parse(outcomes[i]).ok) throw new Error(`parse ${i}`);
    },
    issue: (i) => {
      if (!issue(plans[i]).ok) throw new Error(`issue ${i}`);
    },
    verify: (i) => {
      if (!verify(plans[i], certs[i]).verified) throw new Error(`verify ${i}`);
    },
    claim: (i) => {
      if (!verifyClaimed(plans[i], claims[i]).ok) throw new Error(`claim ${i}`);
    },
  };
  if (query.has("profile")) {
    // bench/profile.mjs runs one entry point at a time, under the CPU profiler.
    window.__phase7Time = (name) => time(entries[name]);
    window.__phase7Bench = { ready: true };
    return;
  }
  const result = { plans: plans.length };
  for (const [name, f] of Object.entries(entries)) result[name] = time(f);
  window.__phase7Bench = result;
}
main().catch((e) => (window.__phase7Bench = { error: String(e) }));
