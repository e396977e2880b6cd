//! The cost bounds of docs/formats.md ("Cost"), tested with generated pathological
//! inputs of many shapes through every entry point: peak heap (a counting global
//! allocator) at most a small multiple of the input plus a constant, and every report,
//! certificate and audit trail bounded by a constant. Not wall-clock time: allocation
//! and output sizes are deterministic. (The browser counterpart is `bounds_wasm.rs`.)
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use phase7_core::attest::Artifacts;
use phase7_core::error::total;
use phase7_core::phase::{self, Outcome, RunOptions};
use phase7_core::read::bridge::{self, ReadLimits};
use phase7_core::verify::{self, claim, Supplied};

mod shapes;

/// Counts live heap bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Every byte ever allocated (or grown into): the work, where the peak is the memory.
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
/// The bytes the last [`peak_of`] call allocated.
static LAST_ALLOCATED: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    ALLOCATED.fetch_add(n, Ordering::Relaxed);
    let now = LIVE.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size > layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One measurement at a time (the test harness runs tests on several threads).
static SERIAL: Mutex<()> = Mutex::new(());

/// Peak heap bytes above what was live when `f` started, and its result. (The time is
/// printed for the reader, never asserted.)
fn peak_of<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let t = std::time::Instant::now();
    let allocated = ALLOCATED.load(Ordering::Relaxed);
    let out = f();
    LAST_ALLOCATED.store(
        ALLOCATED.load(Ordering::Relaxed) - allocated,
        Ordering::Relaxed,
    );
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    print!("{:>8.3} s  ", t.elapsed().as_secs_f64());
    (peak, out)
}

/// Size of each generated input: 1 MiB, so that the debug-build test stays quick (the
/// bounds are per byte). `PHASE7_BOUNDS_SIZE=15000000 cargo test --release --test bounds
/// -- --nocapture` runs the same shapes near the 16 MiB cap and prints each peak.
fn size() -> usize {
    std::env::var("PHASE7_BOUNDS_SIZE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1 << 20)
}

/// The documented bound: peak heap ≤ `PER_BYTE` × input + `CONSTANT`.
const PER_BYTE: usize = 24;
const CONSTANT: usize = 8 << 20;

/// Every report on a hostile input is at most this large, however large the input.
const REPORT_MAX: usize = 1 << 20;

/// A certificate or an audit trail is at most this large.
const ARTIFACT_MAX: usize = 64 << 10;

fn within(what: &str, peak: usize, input: usize) {
    let bound = PER_BYTE * input + CONSTANT;
    println!(
        "{what:<70} input {input:>9} B  peak {peak:>11} B  ({:.1}x)",
        peak as f64 / input.max(1) as f64
    );
    assert!(
        peak <= bound,
        "{what}: peak heap {peak} B over {PER_BYTE} x {input} + {CONSTANT}"
    );
}

fn small(what: &str, text: &str, max: usize) {
    assert!(
        text.len() <= max,
        "{what}: {} bytes, over {max}",
        text.len()
    );
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

#[test]
fn every_shape_through_run_issue_and_batch_lines() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for s in shapes::all(size()) {
        let n = s.bytes.len();
        let (peak, result) = peak_of(|| phase::run(&s.bytes, &RunOptions::default()));
        within(&format!("run: {}", s.name), peak, n);
        assert_eq!(result.is_ok(), s.accepted, "{}", s.name);
        let outcome = Outcome::of(&result);
        let reported = json(&(&outcome.errors, &outcome.warnings, &outcome.checks));
        small(s.name, &reported, REPORT_MAX);
        if let Err(phase7_core::Phase7Error::Input(r)) = &result {
            // The short list stands for the exact total.
            let ds: Vec<_> = r.errors.iter().map(|e| e.report()).collect();
            assert_eq!(total(&ds), r.total(), "{}", s.name);
            // The refusal record lists the same short list; its audit trail holds the
            // checks that ran.
            let (peak, files) =
                peak_of(|| Artifacts::rejected(&s.bytes, r, &RunOptions::default(), None).unwrap());
            within(&format!("refusal record: {}", s.name), peak, n);
            small(
                s.name,
                files.refusal_json.as_deref().unwrap_or(""),
                REPORT_MAX,
            );
            small(s.name, &files.audit_trail_json, ARTIFACT_MAX);
        }
        if let Ok(run) = &result {
            let (peak, files) = peak_of(|| Artifacts::issue(run, Some("t")).unwrap());
            within(&format!("issue: {}", s.name), peak, n);
            small(
                s.name,
                files.certificate_json.as_deref().unwrap_or(""),
                ARTIFACT_MAX,
            );
            small(s.name, &files.audit_trail_json, ARTIFACT_MAX);
            // The only output that grows with the input: macro_score.json repeats the
            // areas and texts the pipeline's MacroScore carries.
            small(
                s.name,
                files.macro_score_json.as_deref().unwrap_or(""),
                4 * n + (16 << 10),
            );
        }
        // As one plan of `phase7 batch DIR` and of the page's batch: run, issue, and
        // verify the certificate by a second run.
        let (peak, plan) = peak_of(|| {
            phase7_core::batch::PlanSummary::evaluate(
                "p".into(),
                &s.bytes,
                &RunOptions::default(),
                None,
            )
        });
        within(&format!("batch plan: {}", s.name), peak, n);
        assert_eq!(plan.row.verified, s.accepted, "{}", s.name);
        drop(plan);
        // The same value as a JSON-lines batch line, with a hostile sibling key.
        let line = [
            b"{\"expected\": [NaN, NaN], \"phase6\": ".as_slice(),
            &s.bytes,
            b"}",
        ]
        .concat();
        let (peak, result) = peak_of(|| bridge::read_batch_line(&line, &ReadLimits::default()));
        within(&format!("batch line: {}", s.name), peak, line.len());
        assert_eq!(result.is_ok(), s.accepted, "{}", s.name);
    }
}

#[test]
fn every_accepted_shape_through_verify_and_claim() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for s in shapes::all(size()).into_iter().filter(|s| s.accepted) {
        let run = phase::run(&s.bytes, &RunOptions::default()).unwrap();
        let files = Artifacts::issue(&run, None).unwrap();
        let (cert, m) = (
            files.certificate_json.clone().unwrap(),
            files.macro_score_json.clone().unwrap(),
        );
        drop(run);
        let supplied = Supplied {
            certificate: cert.as_bytes(),
            macro_score: Some(m.as_bytes()),
            audit_trail: Some(files.audit_trail_json.as_bytes()),
        };
        let total_in = s.bytes.len() + cert.len() + m.len() + files.audit_trail_json.len();
        let (peak, report) =
            peak_of(|| verify::verify(&s.bytes, &supplied, &RunOptions::default()));
        within(&format!("verify: {}", s.name), peak, total_in);
        // A macro_score.json over the size limit (an input of millions of repeated areas,
        // a long dispersion_scenario) is read only because it is the rerun's own file
        // byte for byte (natively; `verify::verify`); any other is refused unread, like
        // any file over the limit (the compact one below, the claims).
        assert!(report.verified, "{}", s.name);
        let fits = m.len() as u64 <= ReadLimits::default().max_input_bytes;
        small(s.name, &json(&report), REPORT_MAX);
        let verify_cost = [peak, LAST_ALLOCATED.load(Ordering::Relaxed)];
        let (peak, claim) = peak_of(|| claim::verify_claimed(&s.bytes, m.as_bytes()));
        within(&format!("claim: {}", s.name), peak, s.bytes.len() + m.len());
        as_verify(s.name, peak, verify_cost);
        assert_eq!(claim.ok, fits, "{}", s.name);
        small(s.name, &json(&claim), REPORT_MAX);
        // The same claim without the pretty printing: a MacroScore that repeats the
        // input's areas is over the size limit pretty, but not compact.
        let compact = compact(&m);
        if compact.len() < m.len() {
            let fits = compact.len() as u64 <= ReadLimits::default().max_input_bytes;
            let supplied = Supplied {
                macro_score: Some(&compact),
                ..supplied
            };
            let total_in = total_in - m.len() + compact.len();
            let (peak, report) =
                peak_of(|| verify::verify(&s.bytes, &supplied, &RunOptions::default()));
            within(&format!("verify, compact: {}", s.name), peak, total_in);
            assert_eq!(report.verified, fits, "{}", s.name);
            small(s.name, &json(&report), REPORT_MAX);
            let verify_cost = [peak, LAST_ALLOCATED.load(Ordering::Relaxed)];
            let (peak, claim) = peak_of(|| claim::verify_claimed(&s.bytes, &compact));
            within(
                &format!("compact claim: {}", s.name),
                peak,
                s.bytes.len() + compact.len(),
            );
            as_verify(s.name, peak, verify_cost);
            assert_eq!(claim.ok, fits, "{}", s.name);
            small(s.name, &json(&claim), REPORT_MAX);
        }
    }
}

/// The claim check costs what verifying the certificate with the same MacroScore as
/// `macro_score.json` costs (the last [`peak_of`]; `verify`'s peak and allocated bytes).
/// It holds the same: the rerun, the supplied MacroScore's tree and one of ours (the old
/// `sum()`'s model leaves out the cluster entries it shares with the published one; with
/// them, 1.25 x the peak on an input of repeated areas). And it allocates about the
/// same: a genuine claim's leaves past the listed ones are counted without writing their
/// paths and texts, as `verify` skips a section that has the same bits (written, they
/// made 1.65 x the bytes allocated on an input of repeated areas).
fn as_verify(what: &str, claim_peak: usize, [verify_peak, verify_allocated]: [usize; 2]) {
    assert!(
        claim_peak <= verify_peak + verify_peak / 20,
        "{what}: the claim check's peak heap {claim_peak} B over 1.05 x verify's {verify_peak} B"
    );
    let allocated = LAST_ALLOCATED.load(Ordering::Relaxed);
    assert!(
        allocated <= verify_allocated + verify_allocated / 4,
        "{what}: the claim check allocated {allocated} B, over 1.25 x verify's {verify_allocated} B"
    );
}

/// `text` (JSON) without the whitespace between its tokens.
fn compact(text: &str) -> Vec<u8> {
    let (mut out, mut in_string, mut escaped) = (Vec::with_capacity(text.len()), false, false);
    for &b in text.as_bytes() {
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if !b.is_ascii_whitespace() {
            in_string = b == b'"';
            out.push(b);
        }
    }
    out
}

#[test]
fn hostile_certificates_and_claims() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let input = shapes::SAMPLE.as_bytes();
    let run = phase::run(input, &RunOptions::default()).unwrap();
    let files = Artifacts::issue(&run, None).unwrap();
    let genuine = (
        files.certificate_json.clone().unwrap(),
        files.macro_score_json.clone().unwrap(),
        files.audit_trail_json.clone(),
    );
    for (name, c, m, a) in shapes::hostile_files(size(), &genuine) {
        let supplied = Supplied {
            certificate: c.as_bytes(),
            macro_score: Some(m.as_bytes()),
            audit_trail: Some(a.as_bytes()),
        };
        let total_in = input.len() + c.len() + m.len() + a.len();
        let (peak, report) = peak_of(|| verify::verify(input, &supplied, &RunOptions::default()));
        within(&format!("verify: {name}"), peak, total_in);
        assert!(!report.verified, "{name}");
        small(name, &json(&report), REPORT_MAX);
        assert!(report.failed() >= 1);
    }
    for (name, claimed) in shapes::hostile_claims(size(), &genuine.1) {
        let (peak, report) = peak_of(|| claim::verify_claimed(input, claimed.as_bytes()));
        within(&format!("claim: {name}"), peak, input.len() + claimed.len());
        assert!(!report.ok, "{name}");
        small(name, &json(&report), REPORT_MAX);
    }
    // Over the size limit: refused unread.
    let limits = RunOptions {
        limits: ReadLimits {
            max_input_bytes: 1 << 20,
        },
        ..RunOptions::default()
    };
    let big = vec![b' '; 2 << 20];
    let supplied = Supplied {
        certificate: &big,
        macro_score: Some(&big),
        audit_trail: Some(&big),
    };
    let (peak, report) = peak_of(|| verify::verify(input, &supplied, &limits));
    assert!(peak < CONSTANT, "{peak}");
    assert!(report
        .failures()
        .any(|c| c.note.contains("over the size limit")));
    let report = claim::verify_claimed_with(input, &big, &limits);
    assert!(report.fields[0].note.contains("over the size limit"));
}

#[test]
fn every_supplied_file_hostile_at_once_beside_a_large_input() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // A large accepted input; its genuine certificate with `strict` flipped (few
    // differences, so the verifier reruns in the other mode too and reads the other
    // files again); macro_score.json and audit_trail.json each an array of zeros.
    let input = many_distinct_keys();
    let cert = certificate_of(&input).replacen("\"strict\": false", "\"strict\": true", 1);
    let zeros = format!("[{}0]", "0,".repeat(size() / 2));
    let supplied = Supplied {
        certificate: cert.as_bytes(),
        macro_score: Some(zeros.as_bytes()),
        audit_trail: Some(zeros.as_bytes()),
    };
    let total_in = input.len() + cert.len() + 2 * zeros.len();
    let (peak, report) = peak_of(|| verify::verify(&input, &supplied, &RunOptions::default()));
    within("verify: strict flipped, two files of zeros", peak, total_in);
    assert!(!report.verified);
    small("strict flipped", &json(&report), REPORT_MAX);
}

#[test]
fn one_large_file_as_the_input_and_every_supplied_file() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // The accepted shape whose parsed tree is largest for its size, given as the input
    // and as the certificate, macro_score.json and audit trail: one parsed file is held
    // at a time (the certificate and the audit trail, over 1 MiB, are refused unread;
    // the rerun's document is dropped once the certificates are reissued, before
    // macro_score.json is parsed). Three were: 3.1 s and 789 MB resident at 15 MB; two,
    // while certificates were read up to the input limit: 558 MB.
    let input = shapes::all(size())
        .into_iter()
        .find(|s| s.name == "many deep one-element nests")
        .unwrap()
        .bytes;
    let supplied = Supplied {
        certificate: &input,
        macro_score: Some(&input),
        audit_trail: Some(&input),
    };
    let (tree, _) = peak_of(|| phase7_core::read::json::parse(&input).map(|d| d.value));
    let (peak, report) = peak_of(|| verify::verify(&input, &supplied, &RunOptions::default()));
    within(
        "verify: one file of nests as all four",
        peak,
        4 * input.len(),
    );
    println!("one parsed tree {tree} B, verify {peak} B");
    assert!(!report.verified);
    assert!(peak < tree + tree / 2, "{peak} B for trees of {tree} B");
    // The claim check likewise holds one: the rerun's document is dropped before the
    // claim is parsed (two were: 508 MB resident at 15 MB).
    let (peak, claim) = peak_of(|| claim::verify_claimed(&input, &input));
    within("claim: one file of nests as both", peak, 2 * input.len());
    println!("claim {peak} B");
    assert!(!claim.ok);
    assert!(peak < tree + tree / 2, "{peak} B for trees of {tree} B");
}

#[test]
fn hostile_refusal_records() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // A genuine record of a rejected input, made hostile in several ways.
    let input = shapes::SAMPLE.replacen("\"score\": 1.4712", "\"score\": 3.5", 1);
    let options = RunOptions::default();
    let Err(phase7_core::Phase7Error::Input(r)) = phase::run(input.as_bytes(), &options) else {
        panic!("accepted")
    };
    let record = Artifacts::rejected(input.as_bytes(), &r, &options, None)
        .unwrap()
        .refusal_json
        .unwrap();
    for (name, hostile) in shapes::hostile_refusals(size(), &record) {
        assert!(hostile.len() > size() / 2, "{name}");
        let (peak, report) = peak_of(|| {
            phase7_core::verify::refusal::verify_refusal(input.as_bytes(), hostile.as_bytes())
        });
        within(
            &format!("refusal: {name}"),
            peak,
            input.len() + hostile.len(),
        );
        assert!(!report.confirmed, "{name}");
        small(name, &json(&report), REPORT_MAX);
    }
}

#[test]
fn capped_lists_keep_the_exact_count() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let nans = 5000;
    let text = format!("[{}]", vec!["NaN"; nans].join(","));
    let Err(phase7_core::Phase7Error::Input(r)) =
        phase::run(text.as_bytes(), &RunOptions::default())
    else {
        panic!("accepted")
    };
    let ds: Vec<_> = r.errors.iter().map(|e| e.report()).collect();
    let non_finite: Vec<_> = ds.iter().filter(|d| d.code == "NON_FINITE").collect();
    assert_eq!(non_finite.len(), 101);
    assert_eq!(non_finite[100].omitted, Some(nans as u64 - 100));
    assert!(non_finite[100].message.contains("4900 more NON_FINITE"));
    let wrong: Vec<_> = ds.iter().filter(|d| d.code == "WRONG_TYPE").collect();
    assert_eq!(wrong.len(), 101);
    assert_eq!(total(&ds), r.total());
    assert_eq!(r.total(), 2 * nans as u64 + 2);
    // The "…and N more" entry follows the last listed one of its code.
    let i = ds.iter().position(|d| d.omitted.is_some()).unwrap();
    assert_eq!(ds[i - 1].code, ds[i].code);
}

#[test]
fn long_keys_and_values_are_cut_with_their_length() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let key = "a".repeat(1 << 20);
    let text = format!("[{{\"{key}\": [NaN, NaN]}}]");
    let (peak, result) = peak_of(|| phase::run(text.as_bytes(), &RunOptions::default()));
    assert!(peak < 40 << 20, "{peak}");
    let Err(e) = result else { panic!("accepted") };
    let d = &e.diagnostics()[0];
    assert_eq!(d.code, "NON_FINITE");
    let field = d.field.as_deref().unwrap_or("");
    assert!(field.contains("\"aaaa"), "{field}");
    assert!(field.contains("…\" (1048576 bytes)"), "{field}");
    assert!(d.message.len() < 400, "{}", d.message);

    let id = "i".repeat(100_000);
    let text = shapes::SAMPLE.replacen("\"CLUSTER_MESO_2\"", &format!("\"{id}\""), 1);
    let e = phase::run(text.as_bytes(), &RunOptions::default()).unwrap_err();
    let ds = e.diagnostics();
    assert!(ds.iter().all(|d| d.message.len() < 1000), "{ds:#?}");
    assert!(
        ds.iter().any(|d| d.message.contains("… (100000 bytes)")),
        "{ds:#?}"
    );
}

#[test]
fn duplicate_ids_among_many_clusters_are_found_exactly() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // 30 distinct unexpected ids (past the scan, into the hash index), then MESO_1 three
    // times and C7 again.
    let mut items: Vec<String> = (0..30)
        .map(|i| format!("{{\"cluster_id\":\"C{i}\"}}"))
        .collect();
    for _ in 0..3 {
        items.push(r#"{"cluster_id":"CLUSTER_MESO_1"}"#.into());
    }
    items.push(r#"{"cluster_id":"C7"}"#.into());
    let text = format!("[{}]", items.join(","));
    let r = bridge::read(text.as_bytes(), &ReadLimits::default()).unwrap_err();
    let dups: Vec<(String, String)> = r
        .errors
        .iter()
        .filter(|e| e.code() == "DUPLICATE_CLUSTER")
        .map(|e| (e.value().unwrap_or_default(), e.to_string()))
        .collect();
    assert_eq!(dups.len(), 2, "{dups:?}");
    assert_eq!(dups[0].0, "C7");
    assert!(dups[0].1.ends_with("(positions 7, 33)"), "{dups:?}");
    assert_eq!(dups[1].0, "CLUSTER_MESO_1");
    assert!(dups[1].1.ends_with("(positions 30, 31, 32)"), "{dups:?}");
    let coverage = r
        .errors
        .iter()
        .find(|e| e.code() == "CLUSTER_COVERAGE_MISMATCH")
        .unwrap()
        .to_string();
    assert!(
        coverage.contains("missing [CLUSTER_MESO_2, CLUSTER_MESO_3, CLUSTER_MESO_4]"),
        "{coverage}"
    );
    assert!(
        coverage.contains("C0, C1,") && coverage.contains("C29]"),
        "{coverage}"
    );
}

/// Not a test: writes every shape at `PHASE7_BOUNDS_SIZE` bytes into the folder
/// `PHASE7_SHAPES_OUT` (`NN.json`, and `names.tsv`: index, accepted, name), for
/// measurements outside this binary — `tests/e2e/measure_shapes.mjs` drops each into the
/// dashboard. `PHASE7_BOUNDS_SIZE=15000000 PHASE7_SHAPES_OUT=target/shapes cargo test
/// --release -p phase7-core --test bounds write_the_shapes -- --ignored`.
#[test]
#[ignore = "writes files for a measurement; run it by name"]
fn write_the_shapes() {
    // A relative folder is under the workspace root (cargo runs tests in `core/`).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(std::env::var_os("PHASE7_SHAPES_OUT").expect("PHASE7_SHAPES_OUT names the folder"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut names = String::new();
    for (i, s) in shapes::all(size()).into_iter().enumerate() {
        std::fs::write(dir.join(format!("{i:02}.json")), &s.bytes).unwrap();
        names.push_str(&format!("{i:02}\t{}\t{}\n", s.accepted, s.name));
    }
    std::fs::write(dir.join("names.tsv"), names).unwrap();
}

#[test]
fn a_certificate_for_another_input_takes_one_rerun() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // The sample's genuine certificate against a large input: about twenty fields
    // differ, few enough that the verifier reran the whole input in the other mode too
    // (twice the work) before it checked that the certificate is for this input at all.
    let input = many_distinct_keys();
    let own = certificate_of(&input);
    let foreign = certificate_of(shapes::SAMPLE.as_bytes());
    let allocated = |cert: &str| {
        let supplied = Supplied {
            certificate: cert.as_bytes(),
            macro_score: None,
            audit_trail: None,
        };
        let before = ALLOCATED.load(Ordering::Relaxed);
        let report = verify::verify(&input, &supplied, &RunOptions::default());
        (ALLOCATED.load(Ordering::Relaxed) - before, report)
    };
    let (genuine, report) = allocated(&own);
    assert!(report.verified);
    let (other, report) = allocated(&foreign);
    assert!(!report.verified);
    let failed = report.checks.iter().filter(|c| !c.passed).count();
    assert!((1..=64).contains(&failed), "{failed} failed checks");
    assert!(
        other * 4 < genuine * 5,
        "another input's certificate: {other} B allocated, its own: {genuine} B"
    );
}

/// The "many distinct keys" shape: a large accepted input.
fn many_distinct_keys() -> Vec<u8> {
    shapes::all(size())
        .into_iter()
        .find(|s| s.name == "many distinct keys")
        .unwrap()
        .bytes
}

/// The genuine `certificate.json` of an accepted input.
fn certificate_of(input: &[u8]) -> String {
    let run = phase::run(input, &RunOptions::default()).unwrap();
    Artifacts::issue(&run, None)
        .unwrap()
        .certificate_json
        .unwrap()
}
