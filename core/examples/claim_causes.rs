//! Attributes every claim of a JSON-lines file and counts the causes.
//!
//! Each line is an object with `phase6` (the Phase 6 input) and `claimed` (the
//! pipeline's MacroScore), as `tests/fixtures/claims/make_claims.py` writes them; the
//! optional labels `summation` (`plain` / `compensated`), `libm_pow` (bool) and `edited`
//! (a path) say how the claim was made, and are counted against what the claim check
//! finds: each cause with the evidence of its fields (`REPRODUCED`: a recomputation gives
//! the claimed bits; `RULE`: a rule on `pow()` allows them), and the claims the report
//! marks ambiguous.
//!
//! ```text
//! cargo run --release -p phase7-core --example claim_causes -- claims.jsonl [--list]
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;

use phase7_core::read::json::{self, Json};
use phase7_core::verify::claim::{verify_claimed, ClaimOutcome};

fn label(case: &Json) -> String {
    let s = match case.get("summation") {
        Some(Json::String(s)) => s.as_str(),
        _ => "?",
    };
    let pow = matches!(case.get("libm_pow"), Some(Json::Bool(true)));
    let edited = case.get("edited").is_some();
    format!(
        "{s}{}{}",
        if pow { "+libm_pow" } else { "" },
        if edited { "+edited" } else { "" }
    )
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: claim_causes <claims.jsonl> [--list]");
        return ExitCode::from(1);
    };
    let list = args.iter().any(|a| a == "--list");
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(1);
        }
    };
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut flips: BTreeMap<String, usize> = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let Ok(doc) = json::parse(line.as_bytes()) else {
            eprintln!("line {}: not JSON", n + 1);
            return ExitCode::from(1);
        };
        let case = doc.value;
        let (Some(p6), Some(claimed)) = (case.get("phase6"), case.get("claimed")) else {
            eprintln!("line {}: no phase6 / claimed", n + 1);
            return ExitCode::from(1);
        };
        let r = verify_claimed(p6.to_string().as_bytes(), claimed.to_string().as_bytes());
        let causes = match &r.outcome {
            ClaimOutcome::Identical => "IDENTICAL".to_string(),
            ClaimOutcome::InputRejected { .. } => "INPUT_REJECTED".to_string(),
            ClaimOutcome::RerunFailed { .. } => "RERUN_FAILED".to_string(),
            _ => r
                .causes
                .iter()
                .map(|&c| {
                    // Each cause with the evidence its fields have (REPRODUCED, RULE).
                    let mut ev: Vec<&str> = r
                        .with_cause(c)
                        .filter_map(|f| f.evidence.map(|e| e.code()))
                        .collect();
                    ev.sort_unstable();
                    ev.dedup();
                    if ev.is_empty() {
                        c.code().to_string()
                    } else {
                        format!("{}[{}]", c.code(), ev.join(","))
                    }
                })
                .collect::<Vec<_>>()
                .join("+"),
        };
        let causes = match r.hypothesis {
            Some(h) if h.also_libm_pow => {
                format!("{causes} (ambiguous: also LIBM_POW by the rule)")
            }
            Some(h) if h.also_py_sum_before_3_12 => {
                format!("{causes} (ambiguous: also PY_SUM_BEFORE_3_12)")
            }
            _ => causes,
        };
        let l = label(&case);
        if list {
            let plan = case.get("plan").map_or_else(String::new, Json::to_string);
            println!("{plan}\t{l}\t{causes}\tok={}", r.ok);
        }
        for f in &r.flips {
            *flips
                .entry(format!("{l} {:?} {}", f.kind, f.cause.code()))
                .or_default() += 1;
        }
        *counts.entry((l, causes)).or_default() += 1;
    }
    println!("made as\tfound\tclaims");
    for ((l, c), n) in &counts {
        println!("{l}\t{c}\t{n}");
    }
    println!("\nflips (made as, kind, cause)\tcount");
    for (k, n) in &flips {
        println!("{k}\t{n}");
    }
    ExitCode::SUCCESS
}
