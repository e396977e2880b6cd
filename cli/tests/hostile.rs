//! Issue 10 from the outside: `phase7` run on hostile files and paths, each test
//! asserting what is on disk afterwards. Symlinks, FIFOs (`mkfifo`), devices (/dev/null,
//! /dev/full, and a device node made with `mknod` when root), full disks (a tiny tmpfs,
//! when root can mount one), collisions, traversal names, 255-byte names, terminal
//! escapes, non-UTF-8 names and values. Every child gets a time limit, so a hang fails
//! the test instead of stalling the suite.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{symlink, FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

mod common;
use common::{os, phase7, phase7_env, sample, text};

fn tmp() -> tempfile::TempDir {
    common::tmp("hostile-")
}
const OUTPUTS: [&str; 3] = ["macro_score.json", "audit_trail.json", "certificate.json"];

/// The entries of a folder, sorted.
fn listing(dir: &Path) -> Vec<OsString> {
    let mut names: Vec<OsString> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    names
}

fn names(xs: &[&str]) -> Vec<OsString> {
    let mut v: Vec<OsString> = xs.iter().map(OsString::from).collect();
    v.sort();
    v
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// A copy of the sample with `from` replaced by `to`.
fn edited(path: &Path, from: &str, to: &str) -> PathBuf {
    let t = fs::read_to_string(sample()).unwrap();
    assert!(t.contains(from), "{from}");
    fs::write(path, t.replacen(from, to, 1)).unwrap();
    path.to_path_buf()
}

/// No raw control character, ESC, C1 or bidi control in what a terminal would show.
fn assert_clean(bytes: &[u8], what: &str) {
    let t = String::from_utf8_lossy(bytes);
    for (i, line) in t.split('\n').enumerate() {
        for c in line.chars() {
            let bad = c < ' '
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
                || c == '\u{2028}'
                || c == '\u{2029}';
            assert!(!bad, "{what}: raw {c:?} on line {i}: {line:?}");
        }
    }
}

fn assert_code(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    assert!(!text(&o.stderr).contains("panicked"), "{}", text(&o.stderr));
}

/// A tmpfs of a few KiB, filled up, unmounted on drop (root only).
struct FullDisk {
    dir: tempfile::TempDir,
}

impl FullDisk {
    fn mount() -> Option<FullDisk> {
        if !is_root() {
            eprintln!("skipped: a full disk needs root to mount a tmpfs");
            return None;
        }
        let dir = tmp();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k,nr_inodes=64", "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs here");
            return None;
        }
        let disk = FullDisk { dir };
        let fill = fs::write(disk.path().join("filler"), vec![b'x'; 1 << 20]);
        assert!(fill.is_err(), "the tmpfs should be full");
        Some(disk)
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for FullDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

// ---- 1. batch writes outside --out ------------------------------------------------

#[test]
fn batch_traversal_names_stay_inside_out() {
    let t = tmp();
    let plans = t.path().join("plans");
    fs::create_dir(&plans).unwrap();
    for name in ["...json", "..json", "a.json", ".hidden.json", "-rf.json"] {
        fs::copy(sample(), plans.join(name)).unwrap();
    }
    // An earlier run's certificate next to OUT must survive.
    fs::write(t.path().join("certificate.json"), "earlier run").unwrap();
    let out = t.path().join("out");
    let o = phase7(&[os("batch"), plans.as_os_str(), os("--out"), out.as_os_str()]);
    assert_code(&o, 0);
    assert_eq!(
        listing(t.path()),
        names(&["certificate.json", "out", "plans"])
    );
    assert_eq!(
        fs::read(t.path().join("certificate.json")).unwrap(),
        b"earlier run"
    );
    assert_eq!(
        listing(&out),
        names(&["_.", "_", "a", "_hidden", "_rf", "summary.csv"])
    );
    for d in ["_.", "_", "a", "_hidden", "_rf"] {
        assert_eq!(listing(&out.join(d)), names(&OUTPUTS), "{d}");
    }
    let csv = fs::read_to_string(out.join("summary.csv")).unwrap();
    let p = |n: &str| plans.join(n).display().to_string();
    assert!(
        csv.lines()
            .any(|l| l.contains(",true,,") && l.ends_with(&format!(",{}", p("...json")))),
        "{csv}"
    );
    assert!(csv
        .lines()
        .any(|l| l.starts_with("_.,") && l.ends_with(&p("...json"))));
    assert!(csv
        .lines()
        .any(|l| l.starts_with("_,") && l.ends_with(&p("..json"))));
    assert!(csv
        .lines()
        .any(|l| l.starts_with("_rf,") && l.ends_with(&p("-rf.json"))));
}

// ---- 2. name collisions -----------------------------------------------------------

#[test]
fn colliding_names_get_their_own_folders_with_their_own_results() {
    let t = tmp();
    let plans = t.path().join("plans");
    fs::create_dir(&plans).unwrap();
    // Four different inputs whose names sanitize alike (one only by case).
    let variants = [
        ("a b.json", "0.9805"),
        ("a_b.json", "0.9806"),
        ("a_b-2.json", "0.9807"),
        ("A_B.json", "0.9808"),
    ];
    for (name, value) in variants {
        edited(&plans.join(name), "0.9805", value);
    }
    let out = t.path().join("out");
    let o = phase7(&[os("batch"), plans.as_os_str(), os("--out"), out.as_os_str()]);
    assert_code(&o, 0);
    let csv = fs::read_to_string(out.join("summary.csv")).unwrap();
    let rows: Vec<(String, String)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            // plan, …, file (the last column).
            (cells[0].to_string(), cells[cells.len() - 1].to_string())
        })
        .collect();
    assert_eq!(rows.len(), 4, "{csv}");
    let mut folders: Vec<String> = rows.iter().map(|(p, _)| p.to_lowercase()).collect();
    folders.sort();
    folders.dedup();
    assert_eq!(folders.len(), 4, "distinct even ignoring case: {csv}");
    // Each folder holds the results of the file its row names.
    for (plan, file) in &rows {
        let o = phase7(&[
            os("verify"),
            os(file),
            os("--certificate"),
            out.join(plan).join("certificate.json").as_os_str(),
            os("--macro-score"),
            out.join(plan).join("macro_score.json").as_os_str(),
        ]);
        assert_code(&o, 0);
    }
}

#[test]
fn a_255_byte_name_given_twice_fits_with_its_suffix() {
    let t = tmp();
    let name = format!("{}.json", "x".repeat(250));
    assert_eq!(name.len(), 255);
    for d in ["one", "two"] {
        fs::create_dir(t.path().join(d)).unwrap();
        fs::copy(sample(), t.path().join(d).join(&name)).unwrap();
    }
    let out = t.path().join("out");
    let o = phase7(&[
        os("batch"),
        t.path().join("one").as_os_str(),
        t.path().join("two").as_os_str(),
        os("--out"),
        out.as_os_str(),
    ]);
    assert_code(&o, 0);
    let second = format!("{}-2", "x".repeat(250));
    assert_eq!(
        listing(&out),
        names(&["x".repeat(250).as_str(), second.as_str(), "summary.csv"])
    );
    assert_eq!(listing(&out.join(&second)), names(&OUTPUTS));
}

// ---- 3. side outputs never replace what is not a regular file ---------------------

fn run_with_metrics(t: &Path, metrics: &Path) -> Output {
    phase7(&[
        os("run"),
        sample().as_os_str(),
        os("--out"),
        t.join("out").as_os_str(),
        os("--metrics"),
        metrics.as_os_str(),
    ])
}

fn assert_side_refused(o: &Output, t: &Path) {
    assert_code(o, 5);
    let err = text(&o.stderr);
    assert!(
        err.contains("warning[SIDE_OUTPUT_FAILED]: metrics not written to "),
        "{err}"
    );
    // The results are written all the same.
    assert_eq!(listing(&t.join("out")), names(&OUTPUTS));
}

#[test]
fn metrics_never_replace_a_device_fifo_symlink_or_folder() {
    // /dev/full and /dev/null stay devices.
    for dev in ["/dev/full", "/dev/null"] {
        let t = tmp();
        let o = run_with_metrics(t.path(), Path::new(dev));
        assert_side_refused(&o, t.path());
        let m = fs::symlink_metadata(dev).unwrap();
        assert!(m.file_type().is_char_device(), "{dev} replaced");
    }
    // A FIFO stays a FIFO (and nothing blocks on it).
    let t = tmp();
    let fifo = t.path().join("metrics.json");
    mkfifo(&fifo);
    assert_side_refused(&run_with_metrics(t.path(), &fifo), t.path());
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    // A symlink stays a symlink and its target is not written.
    let t = tmp();
    let victim = t.path().join("victim");
    fs::write(&victim, "mine").unwrap();
    let link = t.path().join("metrics.json");
    symlink(&victim, &link).unwrap();
    assert_side_refused(&run_with_metrics(t.path(), &link), t.path());
    assert_eq!(fs::read_link(&link).unwrap(), victim);
    assert_eq!(fs::read(&victim).unwrap(), b"mine");
    // A folder stays a folder.
    let t = tmp();
    let dir = t.path().join("metrics.json");
    fs::create_dir(&dir).unwrap();
    assert_side_refused(&run_with_metrics(t.path(), &dir), t.path());
    assert!(dir.is_dir());
    assert_eq!(
        listing(t.path()),
        names(&["metrics.json", "out"]),
        "no temporary file left"
    );
    // Signals likewise.
    let t = tmp();
    let fifo = t.path().join("signals.jsonl");
    mkfifo(&fifo);
    let o = phase7(&[
        os("run"),
        sample().as_os_str(),
        os("--out"),
        t.path().join("out").as_os_str(),
        os("--signals"),
        fifo.as_os_str(),
    ]);
    assert_code(&o, 5);
    assert!(text(&o.stderr).contains("warning[SIDE_OUTPUT_FAILED]: signals not written to "));
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(listing(&t.path().join("out")), names(&OUTPUTS));
    // /dev/stdout (a symlink into /proc) is refused too: the results stay.
    let t = tmp();
    assert_side_refused(
        &run_with_metrics(t.path(), Path::new("/dev/stdout")),
        t.path(),
    );
}

#[test]
fn metrics_never_replace_a_device_node() {
    if !is_root() {
        eprintln!("skipped: mknod needs root");
        return;
    }
    let t = tmp();
    let node = t.path().join("metrics.json");
    let ok = Command::new("mknod")
        .arg(&node)
        .args(["c", "1", "3"])
        .status()
        .unwrap()
        .success();
    assert!(ok);
    assert_side_refused(&run_with_metrics(t.path(), &node), t.path());
    let m = fs::symlink_metadata(&node).unwrap();
    assert!(m.file_type().is_char_device());
    assert_eq!(m.rdev(), fs::metadata("/dev/null").unwrap().rdev());
}

#[test]
fn side_outputs_that_name_a_result_or_the_input_are_refused() {
    let t = tmp();
    let out = t.path().join("out");
    let input = t.path().join("p06.json");
    fs::copy(sample(), &input).unwrap();
    let o = phase7(&[
        os("run"),
        input.as_os_str(),
        os("--out"),
        out.as_os_str(),
        os("--metrics"),
        out.join("certificate.json").as_os_str(),
        os("--signals"),
        input.as_os_str(),
    ]);
    assert_code(&o, 5);
    let err = text(&o.stderr);
    assert_eq!(
        err.matches("warning[SIDE_OUTPUT_FAILED]").count(),
        2,
        "{err}"
    );
    let cert = fs::read_to_string(out.join("certificate.json")).unwrap();
    assert!(cert.contains("certificate_id"), "the certificate stays");
    assert_eq!(fs::read(&input).unwrap(), fs::read(sample()).unwrap());
}

/// `--signals` naming the input, refused when the input is never read: over the size
/// limit (given directly or through a symlink), or not readable.
#[test]
fn signals_never_replace_an_input_that_was_not_read() {
    let t = tmp();
    let input = t.path().join("plan.json");
    fs::copy(sample(), &input).unwrap();
    let link = t.path().join("link.json");
    symlink(&input, &link).unwrap();
    let before = fs::read(&input).unwrap();
    for given in [&input, &link] {
        let o = phase7(&[
            os("run"),
            given.as_os_str(),
            os("--out"),
            t.path().join("out").as_os_str(),
            os("--max-input-bytes"),
            os("100"),
            os("--signals"),
            input.as_os_str(),
        ]);
        assert_code(&o, 2);
        let err = text(&o.stderr);
        assert!(err.contains("error[INPUT_TOO_LARGE]: "), "{err}");
        assert!(
            err.contains("warning[SIDE_OUTPUT_FAILED]: signals not written to ")
                && err.contains("plan.json is an input of this command; refusing to replace it"),
            "{err}"
        );
        assert_eq!(fs::read(&input).unwrap(), before, "{}", given.display());
        assert_eq!(listing(t.path()), names(&["link.json", "plan.json"]));
    }
}

#[test]
fn signals_never_replace_an_input_that_cannot_be_read() {
    // An input we may replace but not read: write-only, for a user other than root
    // (root reads anything, so as root the run drops to nobody).
    let t = tmp();
    fs::set_permissions(t.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let input = t.path().join("plan.json");
    fs::copy(sample(), &input).unwrap();
    fs::set_permissions(&input, fs::Permissions::from_mode(0o200)).unwrap();
    let mut c = if is_root() {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            common::BIN,
        ]);
        c
    } else {
        Command::new(common::BIN)
    };
    c.arg("run")
        .arg(&input)
        .arg("--out")
        .arg(t.path().join("out"))
        .arg("--signals")
        .arg(&input);
    let o = common::output_of(c);
    let err = text(&o.stderr);
    if is_root() && err.starts_with("setpriv: ") {
        eprintln!("skipped: cannot drop to nobody here: {err}");
        return;
    }
    assert_code(&o, 1);
    assert!(err.contains("error[IO_ERROR]: cannot read "), "{err}");
    assert!(
        err.contains("plan.json is an input of this command; refusing to replace it"),
        "{err}"
    );
    fs::set_permissions(&input, fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(fs::read(&input).unwrap(), fs::read(sample()).unwrap());
    assert_eq!(listing(t.path()), names(&["plan.json"]));
}

#[test]
fn a_full_disk_for_side_outputs_keeps_the_results() {
    let Some(disk) = FullDisk::mount() else {
        return;
    };
    let t = tmp();
    let before = listing(disk.path());
    for opt in ["--metrics", "--signals"] {
        let o = phase7(&[
            os("run"),
            sample().as_os_str(),
            os("--out"),
            t.path().join("out").as_os_str(),
            os(opt),
            disk.path().join("side.json").as_os_str(),
        ]);
        assert_code(&o, 5);
        let what = &opt[2..];
        assert!(
            text(&o.stderr).contains(&format!(
                "warning[SIDE_OUTPUT_FAILED]: {what} not written to "
            )),
            "{}",
            text(&o.stderr)
        );
        assert_eq!(listing(&t.path().join("out")), names(&OUTPUTS));
        assert_eq!(listing(disk.path()), before, "no temporary file left");
    }
}

#[test]
fn a_full_disk_for_the_results_writes_nothing() {
    let Some(disk) = FullDisk::mount() else {
        return;
    };
    let before = listing(disk.path());
    let o = phase7(&[
        os("run"),
        sample().as_os_str(),
        os("--out"),
        disk.path().as_os_str(),
    ]);
    assert_code(&o, 1);
    assert!(text(&o.stderr).starts_with("error[IO_ERROR]: cannot write "));
    assert_eq!(listing(disk.path()), before);

    // batch --jsonl into a full disk: exit 1, nothing left there.
    let t = tmp();
    let x = t.path().join("x.jsonl");
    let line = fs::read_to_string(sample()).unwrap().replace('\n', "");
    fs::write(&x, format!("{line}\n").repeat(50)).unwrap();
    let o = phase7(&[
        os("batch"),
        os("--jsonl"),
        x.as_os_str(),
        os("--out"),
        disk.path().join("out.jsonl").as_os_str(),
    ]);
    assert_code(&o, 1);
    assert!(
        text(&o.stderr).contains("No space left on device")
            && text(&o.stderr).ends_with("(nothing written)\n"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(listing(disk.path()), before);

    // A batch of files into a full disk: each plan's folder fails (exit 1, rows say
    // so), or summary.csv cannot be written; either way no partial folder is left.
    let plans = t.path().join("plans");
    fs::create_dir(&plans).unwrap();
    fs::copy(sample(), plans.join("a.json")).unwrap();
    let o = phase7(&[
        os("batch"),
        plans.as_os_str(),
        os("--out"),
        disk.path().as_os_str(),
    ]);
    assert_code(&o, 1);
    assert!(text(&o.stderr).contains("error[IO_ERROR]: cannot write "));
    assert_eq!(listing(disk.path()), before);
}

// ---- 4. predictable temporary names -----------------------------------------------

#[test]
fn planted_symlinks_at_the_old_temporary_names_are_never_followed() {
    let t = tmp();
    let out = t.path().join("out");
    fs::create_dir(&out).unwrap();
    let victim = t.path().join("victim");
    fs::write(&victim, "mine").unwrap();
    // The old scheme was `.{name}.tmp-{pid}`: plant it for the next pids.
    let last: u32 = fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(std::process::id());
    let mut planted = 0;
    for pid in last + 1..last + 400 {
        for name in OUTPUTS.iter().chain(&["metrics.json", "signals.jsonl"]) {
            symlink(&victim, out.join(format!(".{name}.tmp-{pid}"))).unwrap();
            planted += 1;
        }
    }
    let o = phase7(&[
        os("run"),
        sample().as_os_str(),
        os("--out"),
        out.as_os_str(),
        os("--metrics"),
        out.join("metrics.json").as_os_str(),
        os("--signals"),
        out.join("signals.jsonl").as_os_str(),
        os("--checkpoint-dir"),
        out.as_os_str(),
    ]);
    assert_code(&o, 0);
    assert_eq!(fs::read(&victim).unwrap(), b"mine");
    let entries = listing(&out);
    assert_eq!(entries.len(), planted + 5, "{entries:?}");
    for e in &entries {
        let m = fs::symlink_metadata(out.join(e)).unwrap();
        if e.as_bytes().starts_with(b".") {
            assert!(m.file_type().is_symlink(), "{e:?}");
        } else {
            assert!(m.file_type().is_file(), "{e:?}");
        }
    }
}

// ---- 5. all or nothing ------------------------------------------------------------

#[test]
fn a_folder_at_one_output_leaves_every_output_as_it_was() {
    let t = tmp();
    let out = t.path().join("out");
    fs::create_dir_all(out.join("certificate.json")).unwrap();
    fs::write(out.join("macro_score.json"), "old").unwrap();
    let o = phase7(&[
        os("run"),
        sample().as_os_str(),
        os("--out"),
        out.as_os_str(),
    ]);
    assert_code(&o, 1);
    let err = text(&o.stderr);
    assert!(
        err.starts_with("error[OUTPUT_NOT_REPLACEABLE]: ") && err.contains("is a directory"),
        "{err}"
    );
    assert_eq!(
        listing(&out),
        names(&["certificate.json", "macro_score.json"])
    );
    assert_eq!(fs::read(out.join("macro_score.json")).unwrap(), b"old");
    assert!(out.join("certificate.json").is_dir());
}

#[test]
fn a_symlinked_output_is_refused_and_its_target_untouched() {
    let t = tmp();
    let out = t.path().join("out");
    fs::create_dir(&out).unwrap();
    let victim = t.path().join("earlier-certificate.json");
    fs::write(&victim, "earlier").unwrap();
    symlink(&victim, out.join("certificate.json")).unwrap();
    let o = phase7(&[
        os("run"),
        sample().as_os_str(),
        os("--out"),
        out.as_os_str(),
    ]);
    assert_code(&o, 1);
    assert!(text(&o.stderr).contains("is a symbolic link, not a regular file"));
    assert_eq!(listing(&out), names(&["certificate.json"]));
    assert_eq!(fs::read(&victim).unwrap(), b"earlier");
}

#[test]
fn the_input_is_never_an_output() {
    let t = tmp();
    let out = t.path().join("out");
    fs::create_dir(&out).unwrap();
    let input = out.join("macro_score.json");
    fs::copy(sample(), &input).unwrap();
    let o = phase7(&[os("run"), input.as_os_str(), os("--out"), out.as_os_str()]);
    assert_code(&o, 1);
    assert!(text(&o.stderr).starts_with("error[OUTPUT_IS_INPUT]: "));
    assert_eq!(fs::read(&input).unwrap(), fs::read(sample()).unwrap());
    assert_eq!(listing(&out), names(&["macro_score.json"]));
}

// ---- 6. terminal escapes ----------------------------------------------------------

/// The sample's certificate, issued into `dir/out`, its `certificate_id` replaced by
/// `id` as written (JSON text inside the quotes). Returns its path.
fn certificate_with_id(dir: &Path, id: &str) -> PathBuf {
    let out = dir.join("out");
    assert_code(
        &phase7(&[
            os("run"),
            sample().as_os_str(),
            os("--out"),
            out.as_os_str(),
        ]),
        0,
    );
    let cert_path = out.join("certificate.json");
    let cert = fs::read_to_string(&cert_path).unwrap();
    let id_at = cert.find("\"certificate_id\": \"").unwrap() + 19;
    let genuine = &cert[id_at..id_at + 64];
    fs::write(&cert_path, cert.replacen(genuine, id, 1)).unwrap();
    cert_path
}

/// `phase7 verify <sample> --certificate <cert> [--format json]`.
fn verify_sample(cert: &Path, json: bool) -> Output {
    let input = sample();
    let mut args = vec![
        os("verify"),
        input.as_os_str(),
        os("--certificate"),
        cert.as_os_str(),
    ];
    if json {
        args.extend([os("--format"), os("json")]);
    }
    phase7(&args)
}

#[test]
fn an_escape_in_certificate_id_cannot_fake_the_verdict() {
    let t = tmp();
    let cert_path = certificate_with_id(
        t.path(),
        r"\r\u001b[1A\u001b[2Kphase7 verify: VERIFIED\u001b[8m",
    );
    let o = verify_sample(&cert_path, false);
    assert_code(&o, 4);
    assert_clean(&o.stdout, "stdout");
    assert_clean(&o.stderr, "stderr");
    let stdout = text(&o.stdout);
    assert!(
        stdout.starts_with("phase7 verify: NOT VERIFIED ("),
        "{stdout}"
    );
    assert!(
        stdout.contains(r"certificate_id: \r\u{1b}[1A\u{1b}[2Kphase7 verify: VERIFIED\u{1b}[8m"),
        "{stdout}"
    );
    // JSON stays exact.
    let o = verify_sample(&cert_path, true);
    assert_code(&o, 4);
    assert!(text(&o.stdout)
        .contains(r#""certificate_id": "\r\u001b[1A\u001b[2Kphase7 verify: VERIFIED\u001b[8m""#));
}

#[test]
fn a_newline_in_cluster_id_cannot_forge_error_lines() {
    let t = tmp();
    let input = edited(
        &t.path().join("p06.json"),
        "\"cluster_id\": \"CLUSTER_MESO_2\"",
        "\"cluster_id\": \"CLUSTER_MESO_2\\nerror[FAKE]: forged \\u001b[2J\\u202e\"",
    );
    let out = t.path().join("out");
    let o = phase7(&[os("run"), input.as_os_str(), os("--out"), out.as_os_str()]);
    assert_code(&o, 2);
    assert_clean(&o.stderr, "stderr");
    for line in text(&o.stderr).lines() {
        assert!(
            (line.starts_with("error[") || line.starts_with("warning["))
                && !line.starts_with("error[FAKE]"),
            "{line}"
        );
    }
    assert!(text(&o.stderr).contains(r"CLUSTER_MESO_2\nerror[FAKE]"));
    // The refusal record keeps the value exactly (JSON); the lines naming it are clean.
    assert_eq!(listing(&out), names(&["audit_trail.json", "refusal.json"]));
    assert_clean(&o.stdout, "stdout");
    let record = fs::read_to_string(out.join("refusal.json")).unwrap();
    assert!(
        record.contains(r"CLUSTER_MESO_2\nerror[FAKE]: forged \u001b[2J"),
        "{record}"
    );
    let o = phase7(&[
        os("verify"),
        input.as_os_str(),
        os("--refusal"),
        out.join("refusal.json").as_os_str(),
    ]);
    assert_code(&o, 0);
    assert_clean(&o.stdout, "verify --refusal stdout");

    // The same through a claim and through a batch (table, progress, rows).
    let claim = t.path().join("p07.json");
    fs::write(
        &claim,
        "{\"cluster_scores\": [{\"cluster_id\": \"x\\n\\u001b[2J\"}], \"a\\rb\": 1}",
    )
    .unwrap();
    let o = phase7(&[
        os("verify"),
        sample().as_os_str(),
        os("--claimed"),
        claim.as_os_str(),
    ]);
    assert_code(&o, 4);
    assert_clean(&o.stdout, "claim stdout");
    assert_clean(&o.stderr, "claim stderr");

    let plans = t.path().join("plans");
    fs::create_dir(&plans).unwrap();
    fs::copy(&input, plans.join("bad.json")).unwrap();
    fs::copy(
        sample(),
        plans.join("\u{1b}[2J\r\u{202e}x\nerror[FAKE]: y.json"),
    )
    .unwrap();
    let o = phase7(&[
        os("batch"),
        plans.as_os_str(),
        os("--out"),
        t.path().join("bout").as_os_str(),
    ]);
    assert_code(&o, 2);
    assert_clean(&o.stdout, "batch stdout");
    assert_clean(&o.stderr, "batch stderr");
    let csv = fs::read(t.path().join("bout/summary.csv")).unwrap();
    assert!(!csv.contains(&0x1b), "summary.csv: no ESC");
}

/// What serde_json leaves raw in a string and a terminal must not get: DEL, C1 (CSI
/// U+009B), bidi controls, the line and paragraph separators.
const RAW: &str = "\u{9b}2J\u{202e}x\u{7f}\u{85}\u{2028}\u{2066}";

#[test]
fn json_on_stdout_escapes_c1_and_bidi_characters_and_keeps_the_values() {
    let t = tmp();
    // Raw in the file (valid JSON: only C0 must be escaped in a JSON string).
    let cert_path = certificate_with_id(t.path(), RAW);
    let o = verify_sample(&cert_path, true);
    assert_code(&o, 4);
    assert_clean(&o.stdout, "verify --format json");
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let shown = text(&o.stdout);
    assert!(
        shown.contains(r"\u009b2J\u202ex\u007f\u0085\u2028\u2066"),
        "{shown}"
    );
    // The same value, read back: somewhere in the report, the forged id.
    let mut found = false;
    let mut stack = vec![&report];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s) => found |= s.contains(RAW),
            serde_json::Value::Array(a) => stack.extend(a),
            serde_json::Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    assert!(found, "{shown}");
}

#[test]
fn jsonl_lines_escape_c1_and_bidi_characters_the_same_on_stdout_and_in_a_file() {
    let t = tmp();
    let line = fs::read_to_string(sample()).unwrap().replace('\n', "");
    let hostile = line.replacen("CLUSTER_MESO_2", &format!("CLUSTER_MESO_2{RAW}"), 1);
    let input = t.path().join("in.jsonl");
    fs::write(&input, format!("{hostile}\n{line}\n{hostile}\n")).unwrap();
    let mut outputs = Vec::new();
    for jobs in ["1", "3"] {
        let o = phase7(&[
            os("batch"),
            os("--jsonl"),
            input.as_os_str(),
            os("--jobs"),
            os(jobs),
        ]);
        assert_code(&o, 2);
        outputs.push(o.stdout);
        let file = t.path().join(format!("out{jobs}.jsonl"));
        let o = phase7(&[
            os("batch"),
            os("--jsonl"),
            input.as_os_str(),
            os("--out"),
            file.as_os_str(),
            os("--jobs"),
            os(jobs),
        ]);
        assert_code(&o, 2);
        outputs.push(fs::read(&file).unwrap());
    }
    for out in &outputs {
        assert!(out == &outputs[0], "the same bytes everywhere");
    }
    assert_clean(&outputs[0], "batch --jsonl");
    let lines: Vec<serde_json::Value> = text(&outputs[0])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    let value = &lines[0]["errors"][0]["value"];
    assert_eq!(
        value.as_str(),
        Some(format!("CLUSTER_MESO_2{RAW}").as_str())
    );
    assert_eq!(lines[2], lines[0]);
    assert!(lines[1]["macro_score"].is_object());
}

/// A refused plan's files are written like every output: never over anything but a
/// regular file, all together or not at all, never over the input.
#[test]
fn a_refusal_record_never_replaces_a_fifo_symlink_or_folder() {
    let t = tmp();
    let input = edited(
        &t.path().join("p06.json"),
        "\"score\": 1.4712",
        "\"score\": 3.5",
    );
    let elsewhere = t.path().join("elsewhere");
    for (i, plant) in ["fifo", "symlink", "folder"].iter().enumerate() {
        let out = t.path().join(format!("out{i}"));
        fs::create_dir(&out).unwrap();
        let at = out.join("refusal.json");
        match *plant {
            "fifo" => mkfifo(&at),
            "symlink" => symlink(&elsewhere, &at).unwrap(),
            _ => fs::create_dir(&at).unwrap(),
        }
        let o = phase7(&[os("run"), input.as_os_str(), os("--out"), out.as_os_str()]);
        assert_code(&o, 1);
        assert!(
            text(&o.stderr).contains("error[OUTPUT_NOT_REPLACEABLE]"),
            "{plant}: {}",
            text(&o.stderr)
        );
        assert!(text(&o.stderr).contains("error[SCORE_OUT_OF_BOUNDS]"));
        // Nothing written, the planted thing untouched.
        assert_eq!(listing(&out), names(&["refusal.json"]), "{plant}");
        assert!(!elsewhere.exists());
    }
    // A record over the input itself is refused.
    let out = t.path().to_path_buf();
    let same = t.path().join("refusal.json");
    fs::copy(&input, &same).unwrap();
    let o = phase7(&[os("run"), same.as_os_str(), os("--out"), out.as_os_str()]);
    assert_code(&o, 1);
    assert!(text(&o.stderr).contains("error[OUTPUT_IS_INPUT]"));
    assert_eq!(fs::read(&same).unwrap(), fs::read(&input).unwrap());
}

// ---- 7. silent failures -----------------------------------------------------------

#[test]
fn a_batch_reports_every_candidate_and_says_what_happened() {
    let t = tmp();
    let plans = t.path().join("plans");
    fs::create_dir(&plans).unwrap();
    fs::copy(sample(), plans.join("good.json")).unwrap();
    symlink(plans.join("gone"), plans.join("dangling.json")).unwrap();
    mkfifo(&plans.join("fifo.json"));
    fs::create_dir(plans.join("folder.json")).unwrap();
    symlink("/dev/zero", plans.join("zero.json")).unwrap();
    fs::write(plans.join("notes.txt"), "not a candidate").unwrap();
    let out = t.path().join("out");
    let o = phase7(&[os("batch"), plans.as_os_str(), os("--out"), out.as_os_str()]);
    assert_code(&o, 1);
    let csv = fs::read_to_string(out.join("summary.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 5, "{csv}");
    let row = |plan: &str| {
        *rows
            .iter()
            .find(|r| r.starts_with(&format!("{plan},")))
            .unwrap_or_else(|| panic!("{plan}: {csv}"))
    };
    assert!(row("good").contains(",true,,"));
    assert!(row("dangling").contains(",false,IO_ERROR,"), "{csv}");
    for plan in ["fifo", "folder", "zero"] {
        assert!(row(plan).contains(",false,NOT_REGULAR_FILE,"), "{csv}");
    }
    assert_eq!(listing(&out), names(&["good", "summary.csv"]));
    // Nothing replaced among the candidates.
    assert!(fs::symlink_metadata(plans.join("fifo.json"))
        .unwrap()
        .file_type()
        .is_fifo());
}

#[test]
fn rows_say_verified_only_for_written_folders() {
    let t = tmp();
    let plans = t.path().join("plans");
    fs::create_dir(&plans).unwrap();
    for n in ["a", "b", "c"] {
        fs::copy(sample(), plans.join(format!("{n}.json"))).unwrap();
    }
    let out = t.path().join("out");
    fs::create_dir(&out).unwrap();
    // Someone else's things where two plans' folders would go.
    mkfifo(&out.join("a"));
    fs::create_dir(out.join("b")).unwrap();
    fs::write(out.join("b").join("notes.txt"), "mine").unwrap();
    let o = phase7(&[os("batch"), plans.as_os_str(), os("--out"), out.as_os_str()]);
    assert_code(&o, 1);
    let csv = fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(
        csv.contains("\na,,,,false,OUTPUT_NOT_REPLACEABLE,"),
        "{csv}"
    );
    assert!(
        csv.contains("\nb,,,,false,OUTPUT_NOT_REPLACEABLE,"),
        "{csv}"
    );
    assert!(csv.contains("\nc,1.6970916666666667,"), "{csv}");
    assert!(fs::symlink_metadata(out.join("a"))
        .unwrap()
        .file_type()
        .is_fifo());
    assert_eq!(listing(&out.join("b")), names(&["notes.txt"]));
    assert_eq!(listing(&out.join("c")), names(&OUTPUTS));
    assert!(text(&o.stdout).contains("verified  1"));

    // A rerun into the same folder replaces the previous results (only those).
    let o = phase7(&[
        os("batch"),
        plans.join("c.json").as_os_str(),
        os("--out"),
        out.as_os_str(),
    ]);
    assert_code(&o, 0);
    assert_eq!(listing(&out), names(&["a", "b", "c", "summary.csv"]));
}

#[test]
fn a_batch_where_every_plan_fails_does_not_exit_0() {
    let t = tmp();
    let plans = t.path().join("plans");
    fs::create_dir(&plans).unwrap();
    fs::write(plans.join("x.json"), "[1, 2]").unwrap();
    let o = phase7(&[
        os("batch"),
        plans.as_os_str(),
        os("--out"),
        t.path().join("out").as_os_str(),
    ]);
    assert_code(&o, 2);
    let vectors = t.path().join("in.jsonl");
    fs::write(&vectors, "[1]\nnot json\n").unwrap();
    let o = phase7(&[os("batch"), os("--jsonl"), vectors.as_os_str()]);
    assert_code(&o, 2);
    assert_eq!(text(&o.stdout).lines().count(), 2);
}

#[test]
fn non_utf8_names_and_values_are_handled() {
    let t = tmp();
    let name = OsString::from_vec(b"plan-\xff\xfe.json".to_vec());
    let input = t.path().join(&name);
    fs::copy(sample(), &input).unwrap();
    let out = t.path().join(OsString::from_vec(b"out-\xff".to_vec()));
    let o = phase7(&[os("run"), input.as_os_str(), os("--out"), out.as_os_str()]);
    assert_code(&o, 0);
    assert_eq!(listing(&out), names(&OUTPUTS));
    assert_clean(&o.stdout, "stdout");
    assert!(text(&o.stdout).contains(r"out-\xff/certificate.json"));

    let plans = t.path().join("plans");
    fs::create_dir(&plans).unwrap();
    fs::copy(sample(), plans.join(&name)).unwrap();
    let bout = t.path().join("bout");
    let o = phase7(&[
        os("batch"),
        plans.as_os_str(),
        os("--out"),
        bout.as_os_str(),
    ]);
    assert_code(&o, 0);
    let csv = fs::read_to_string(bout.join("summary.csv")).unwrap();
    assert!(
        csv.contains(r",true,,") && csv.contains(r"plan-\xff\xfe.json"),
        "{csv}"
    );

    // A non-UTF-8 test hook is a usage error, not ignored.
    let bad = OsString::from_vec(b"STAGE_\xff".to_vec());
    let o = phase7_env(
        &[
            os("run"),
            sample().as_os_str(),
            os("--out"),
            t.path().join("o3").as_os_str(),
        ],
        &[("PHASE7_FAIL_AFTER_STAGE", &bad)],
    );
    assert_code(&o, 1);
    assert!(text(&o.stderr).starts_with("error[USAGE]: PHASE7_FAIL_AFTER_STAGE: "));
    assert!(!t.path().join("o3").exists());

    // A long test hook (an environment string may hold 128 KiB), UTF-8 or not, is cut
    // with its length in the usage error, like any text from outside.
    for long in [
        OsString::from(format!("\u{1b}[2J{}", "x".repeat(100_000))),
        OsString::from_vec([b"\xff".as_slice(), &[b'y'; 100_000]].concat()),
    ] {
        let o = phase7_env(
            &[
                os("run"),
                sample().as_os_str(),
                os("--out"),
                t.path().join("o4").as_os_str(),
            ],
            &[("PHASE7_FAIL_AFTER_STAGE", &long)],
        );
        assert_code(&o, 1);
        let err = text(&o.stderr);
        assert!(
            err.starts_with("error[USAGE]: PHASE7_FAIL_AFTER_STAGE: "),
            "{err}"
        );
        assert!(err.len() < 1000, "{} bytes of stderr", err.len());
        assert!(err.contains("(100004 bytes)"), "{err}");
        assert_clean(&o.stderr, "long PHASE7_FAIL_AFTER_STAGE");
        assert!(!t.path().join("o4").exists());
    }

    // A long invalid value (an argument may hold 128 KiB): clap repeats it, escaped and
    // cut with the length of the escaped text (as the test hook above is), in a usage
    // error of bounded size (655 KB before).
    let controls = format!("7{}", "\u{1}".repeat(131_000));
    for option in [
        "--jobs",
        "--evaluated-at",
        "--max-lines",
        "--max-input-bytes",
    ] {
        let o = phase7(&[
            os("batch"),
            os("--jsonl"),
            t.path().join("none.jsonl").as_os_str(),
            os(option),
            os(&controls),
        ]);
        assert_code(&o, 1);
        let err = text(&o.stderr);
        assert!(err.len() < 2000, "{option}: {} bytes of stderr", err.len());
        assert!(err.contains("(655001 bytes)"), "{option}: {err}");
        assert_clean(&o.stderr, option);
    }

    // A missing path too long for any file (128 KiB of control characters) named in an
    // I/O error: cut with the escaped text's length (a 655 KB line before). A path the
    // system can open is shown whole.
    let long = t.path().join(&controls);
    for args in [
        vec![os("run"), long.as_os_str()],
        vec![os("batch"), os("--jsonl"), long.as_os_str()],
        vec![
            os("verify"),
            sample().as_os_str(),
            os("--certificate"),
            long.as_os_str(),
        ],
    ] {
        let o = phase7(&args);
        let err = text(&o.stderr);
        let command = args[..2]
            .iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>();
        assert!(
            err.len() < 2000,
            "{command:?}: {} bytes of stderr",
            err.len()
        );
        assert!(err.contains(" bytes)"), "{err}");
        assert_clean(&o.stderr, "a long missing path");
    }
    let missing = t.path().join(format!("missing-{}", "n".repeat(200)));
    let o = phase7(&[os("run"), missing.as_os_str()]);
    assert!(text(&o.stderr).contains(&*missing.to_string_lossy()));

    // Non-UTF-8 arguments anywhere: a coded error or usage, never a panic.
    let junk = OsString::from_vec(b"\xff\x1b[2J".to_vec());
    for args in [
        vec![junk.as_os_str()],
        vec![os("run"), junk.as_os_str()],
        vec![
            os("verify"),
            junk.as_os_str(),
            os("--certificate"),
            junk.as_os_str(),
        ],
        vec![
            os("run"),
            sample().as_os_str(),
            os("--evaluated-at"),
            junk.as_os_str(),
        ],
    ] {
        let o = phase7(&args);
        assert_code(&o, 1);
        assert_clean(&o.stderr, "stderr");
    }
}

// ---- 8. hangs and unbounded reads -------------------------------------------------

#[test]
fn fifos_and_devices_as_inputs_are_refused_at_once() {
    let t = tmp();
    let fifo = t.path().join("fifo.json");
    mkfifo(&fifo);
    let s = sample();
    let cases: Vec<Vec<&OsStr>> = vec![
        vec![os("run"), fifo.as_os_str()],
        vec![
            os("verify"),
            fifo.as_os_str(),
            os("--certificate"),
            s.as_os_str(),
        ],
        vec![
            os("verify"),
            s.as_os_str(),
            os("--certificate"),
            fifo.as_os_str(),
        ],
        vec![
            os("verify"),
            s.as_os_str(),
            os("--claimed"),
            fifo.as_os_str(),
        ],
        vec![os("batch"), os("--jsonl"), fifo.as_os_str()],
        vec![os("run"), os("/dev/zero")],
        vec![os("run"), t.path().as_os_str()],
    ];
    for args in cases {
        let start = Instant::now();
        let o = phase7_env(&args, &[]);
        assert_code(&o, 1);
        assert!(
            text(&o.stderr).starts_with("error[NOT_REGULAR_FILE]: cannot read "),
            "{args:?}: {}",
            text(&o.stderr)
        );
        assert!(start.elapsed() < Duration::from_secs(20), "{args:?}");
    }
    let o = phase7(&[os("run"), t.path().join("missing").as_os_str()]);
    assert_code(&o, 1);
    assert!(text(&o.stderr).starts_with("error[IO_ERROR]: cannot read "));
    assert_eq!(listing(t.path()), names(&["fifo.json"]));
}

fn sample_digest() -> String {
    phase7_core::phase::run(&fs::read(sample()).unwrap(), &Default::default())
        .unwrap()
        .digests
        .input
}

#[test]
fn hostile_checkpoints_are_skipped_without_hanging_or_loading_them() {
    let t = tmp();
    let cps = t.path().join("cps");
    fs::create_dir(&cps).unwrap();
    let name = |n: usize, stage: &str| {
        cps.join(format!(
            "checkpoint-{}-{n:02}-{stage}.json",
            sample_digest()
        ))
    };
    mkfifo(&name(1, "STAGE_INPUT_VALIDATION"));
    symlink("/dev/zero", name(2, "STAGE_WEIGHTED_SCORE")).unwrap();
    let sparse = name(3, "STAGE_QUALITY_CLASSIFICATION");
    fs::File::create(&sparse).unwrap().set_len(3 << 30).unwrap();
    fs::create_dir(name(4, "STAGE_COHERENCE_ANALYSIS")).unwrap();
    let out = t.path().join("out");
    let o = phase7(&[
        os("run"),
        sample().as_os_str(),
        os("--out"),
        out.as_os_str(),
        os("--checkpoint-dir"),
        cps.as_os_str(),
        os("--resume"),
    ]);
    let err = text(&o.stderr);
    assert_eq!(
        err.matches("warning[CHECKPOINT_UNREADABLE]").count(),
        4,
        "{err}"
    );
    assert!(err.contains("it is a FIFO, not a regular file"), "{err}");
    assert!(
        err.contains("STAGE_WEIGHTED_SCORE.json: a symbolic link, not followed; skipped"),
        "{err}"
    );
    assert!(
        err.contains("3221225472 bytes, over the 16777216-byte limit"),
        "{err}"
    );
    assert!(
        err.contains("it is a directory, not a regular file"),
        "{err}"
    );
    assert!(err.contains("no usable checkpoint; starting from the beginning"));
    // Its first checkpoint would replace the FIFO: refused, so the run stops there
    // (a checkpoint that cannot be stored is RESOURCE_EXHAUSTED), writing nothing.
    assert_code(&o, 1);
    assert!(
        err.contains("error[RESOURCE_EXHAUSTED]: checkpoint storage: ")
            && err.contains("is a FIFO, not a regular file; refusing to replace it"),
        "{err}"
    );
    assert!(!out.exists());
    assert_eq!(listing(&cps).len(), 4);
    assert!(fs::symlink_metadata(name(1, "STAGE_INPUT_VALIDATION"))
        .unwrap()
        .file_type()
        .is_fifo());
    assert_eq!(
        fs::read_link(name(2, "STAGE_WEIGHTED_SCORE")).unwrap(),
        Path::new("/dev/zero")
    );
    assert_eq!(fs::metadata(&sparse).unwrap().len(), 3 << 30);

    // Without the FIFO, the run goes through; the sparse file (a regular file at its
    // own name) is replaced by the real checkpoint and then cleared.
    fs::remove_file(name(1, "STAGE_INPUT_VALIDATION")).unwrap();
    fs::remove_file(name(2, "STAGE_WEIGHTED_SCORE")).unwrap();
    fs::remove_dir(name(4, "STAGE_COHERENCE_ANALYSIS")).unwrap();
    let o = phase7(&[
        os("run"),
        sample().as_os_str(),
        os("--out"),
        out.as_os_str(),
        os("--checkpoint-dir"),
        cps.as_os_str(),
        os("--resume"),
    ]);
    assert_code(&o, 0);
    assert_eq!(listing(&out), names(&OUTPUTS));
    assert_eq!(listing(&cps).len(), 0);
}

#[test]
fn checkpoints_of_huge_hostile_text_give_short_clean_warnings() {
    // Each a checkpoint of this input whose text — the format tag, an unknown stage
    // full of ESC, the digest — is a megabyte: serde_json quotes an unknown variant
    // whole, and every field used to be printed whole (eight such files gave 96 MB of
    // stderr). Now each warning is cut like input text, with the length.
    let t = tmp();
    let cps = t.path().join("cps");
    fs::create_dir(&cps).unwrap();
    let genuine = t.path().join("genuine");
    let o = phase7_env(
        &[
            os("run"),
            sample().as_os_str(),
            os("--out"),
            t.path().join("o").as_os_str(),
            os("--checkpoint-dir"),
            genuine.as_os_str(),
        ],
        &[("PHASE7_FAIL_AFTER_STAGE", os("STAGE_WEIGHTED_SCORE"))],
    );
    assert_code(&o, 75);
    let name =
        |n: usize, stage: &str| format!("checkpoint-{}-{n:02}-{stage}.json", sample_digest());
    let text2 = fs::read_to_string(genuine.join(name(2, "STAGE_WEIGHTED_SCORE"))).unwrap();
    let big = 1 << 20;
    let hostile = [
        (
            1,
            "STAGE_INPUT_VALIDATION",
            "\"phase7-checkpoint/1\"",
            format!("\"{}\"", "f".repeat(big)),
        ),
        (
            2,
            "STAGE_WEIGHTED_SCORE",
            "\"STAGE_WEIGHTED_SCORE\"",
            format!("\"{}\"", "\\u001b".repeat(big / 6)),
        ),
        (
            3,
            "STAGE_QUALITY_CLASSIFICATION",
            "\"digest\": \"",
            format!("\"digest\": \"{}", "d".repeat(big)),
        ),
    ];
    for (n, stage, from, to) in &hostile {
        assert!(text2.contains(from), "{from}");
        fs::write(cps.join(name(*n, stage)), text2.replacen(from, to, 1)).unwrap();
    }
    let o = phase7(&[
        os("run"),
        sample().as_os_str(),
        os("--out"),
        t.path().join("out").as_os_str(),
        os("--checkpoint-dir"),
        cps.as_os_str(),
        os("--resume"),
    ]);
    assert_code(&o, 0);
    let err = text(&o.stderr);
    assert_clean(&o.stderr, "stderr");
    assert!(o.stderr.len() < 4096, "{} bytes: {err}", o.stderr.len());
    assert_eq!(
        err.matches("warning[CHECKPOINT_UNREADABLE]").count(),
        2,
        "{err}"
    );
    assert_eq!(
        err.matches("warning[CHECKPOINT_CORRUPTED]").count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("…\" (1048576 bytes), expected \"phase7-checkpoint/1\""),
        "{err}"
    );
    assert!(err.contains("unknown variant `\\u{1b}"), "{err}");
    assert!(err.contains("… (175041 bytes) at line "), "{err}");
    assert!(
        err.contains("… (1048640 bytes) does not match the content"),
        "{err}"
    );
}

// ---- 9. checkpoints of two inputs -------------------------------------------------

#[test]
fn two_inputs_share_a_checkpoint_folder_without_collisions() {
    let t = tmp();
    let cps = t.path().join("cps");
    let other = edited(&t.path().join("other.json"), "0.9805", "0.9806");
    let run = |input: &Path, out: &str, extra: &[&str], stop: Option<&str>| {
        let mut args: Vec<OsString> = vec![
            "run".into(),
            input.into(),
            "--out".into(),
            t.path().join(out).into(),
            "--checkpoint-dir".into(),
            cps.clone().into(),
        ];
        args.extend(extra.iter().map(OsString::from));
        let refs: Vec<&OsStr> = args.iter().map(OsString::as_os_str).collect();
        let stage = stop.map(OsString::from);
        let env: Vec<(&str, &OsStr)> = stage
            .iter()
            .map(|s| ("PHASE7_FAIL_AFTER_STAGE", s.as_os_str()))
            .collect();
        phase7_env(&refs, &env)
    };
    assert_code(
        &run(&sample(), "a", &[], Some("STAGE_QUALITY_CLASSIFICATION")),
        75,
    );
    assert_eq!(listing(&cps).len(), 3);
    // The other input runs to the end in the same folder, resuming from nothing of A's.
    let o = run(&other, "b", &["--resume"], None);
    assert_code(&o, 0);
    assert!(
        text(&o.stderr).contains("no usable checkpoint"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(listing(&cps).len(), 3, "A's checkpoints are still there");
    for n in listing(&cps) {
        assert!(
            n.to_string_lossy()
                .starts_with(&format!("checkpoint-{}-", sample_digest())),
            "{n:?}"
        );
    }
    let o = run(&sample(), "a", &["--resume"], None);
    assert_code(&o, 0);
    assert!(text(&o.stderr).contains("resuming after STAGE_QUALITY_CLASSIFICATION"));
    assert_eq!(listing(&cps).len(), 0);
}

// ---- 10. --jsonl X --out X, huge limits -------------------------------------------

#[test]
fn jsonl_output_over_its_own_input_is_refused_before_truncating() {
    let t = tmp();
    let x = t.path().join("x.jsonl");
    let line = String::from_utf8(fs::read(sample()).unwrap())
        .unwrap()
        .replace('\n', "");
    fs::write(&x, format!("{line}\n")).unwrap();
    let before = fs::read(&x).unwrap();
    fs::hard_link(&x, t.path().join("hard.jsonl")).unwrap();
    symlink(&x, t.path().join("soft.jsonl")).unwrap();
    let dotted = t.path().join(".").join("x.jsonl");
    for out in [
        x.clone(),
        dotted,
        t.path().join("hard.jsonl"),
        t.path().join("soft.jsonl"),
    ] {
        let o = phase7(&[
            os("batch"),
            os("--jsonl"),
            x.as_os_str(),
            os("--out"),
            out.as_os_str(),
        ]);
        assert_code(&o, 1);
        assert!(
            text(&o.stderr).starts_with("error[OUTPUT_IS_INPUT]: "),
            "{}",
            text(&o.stderr)
        );
        assert_eq!(fs::read(&x).unwrap(), before);
    }
    assert_eq!(
        listing(t.path()),
        names(&["hard.jsonl", "soft.jsonl", "x.jsonl"])
    );
    // A real output file next to it works and is complete.
    let y = t.path().join("y.jsonl");
    let o = phase7(&[
        os("batch"),
        os("--jsonl"),
        x.as_os_str(),
        os("--out"),
        y.as_os_str(),
    ]);
    assert_code(&o, 0);
    assert!(fs::read_to_string(&y)
        .unwrap()
        .starts_with("{\"macro_score\":"));
}

#[test]
fn the_largest_size_limit_is_a_limit_not_an_overflow() {
    let t = tmp();
    let max = "18446744073709551615";
    let o = phase7(&[
        os("run"),
        sample().as_os_str(),
        os("--max-input-bytes"),
        os(max),
        os("--out"),
        t.path().join("out").as_os_str(),
    ]);
    assert_code(&o, 0);
    let o = phase7(&[
        os("verify"),
        sample().as_os_str(),
        os("--certificate"),
        t.path().join("out/certificate.json").as_os_str(),
        os("--max-input-bytes"),
        os(max),
    ]);
    assert_code(&o, 0);
    let x = t.path().join("x.jsonl");
    fs::write(&x, "[]\n").unwrap();
    let o = phase7(&[
        os("batch"),
        os("--jsonl"),
        x.as_os_str(),
        os("--max-input-bytes"),
        os(max),
    ]);
    assert_code(&o, 2);
    assert!(text(&o.stdout).contains("INVALID_CLUSTER_COUNT"));
    // One more is a usage error (exit 1), never MALFORMED_JSON.
    let o = phase7(&[
        os("run"),
        sample().as_os_str(),
        os("--max-input-bytes"),
        os("18446744073709551616"),
    ]);
    assert_code(&o, 1);
    assert!(!text(&o.stderr).contains("MALFORMED_JSON"));
}

// ---- the command line itself ------------------------------------------------------

#[test]
fn every_command_has_its_help_and_usage_errors_exit_1() {
    for cmd in ["run", "batch", "verify", "sensitivity"] {
        let o = phase7(&[os(cmd), os("--help")]);
        assert_code(&o, 0);
        assert!(
            text(&o.stdout).contains(&format!("Usage: phase7 {cmd} ")),
            "{}",
            text(&o.stdout)
        );
        assert!(text(&o.stdout).contains("Exit codes:"));
    }
    let o = phase7(&[os("--version")]);
    assert_code(&o, 0);
    assert!(text(&o.stdout).starts_with("phase7 "));
    for args in [
        vec!["frobnicate"],
        vec!["run"],
        vec!["run", "x.json", "--resume"],
        vec!["verify", "x.json", "--certificate", "a", "--claimed", "b"],
        vec!["batch", "--jsonl", "a", "b.json"],
        vec!["sensitivity"],
        vec!["sensitivity", "x.json", "--what-if"],
        vec![],
    ] {
        let a: Vec<&OsStr> = args.iter().map(|s| os(s)).collect();
        assert_code(&phase7(&a), 1);
    }
    let o = phase7(&[os("completions"), os("bash")]);
    assert_code(&o, 0);
    assert!(text(&o.stdout).contains("phase7"));
}

/// Successive runs into one --out: a refusal never stays beside an older certificate, nor
/// a certificate beside an older refusal — a run's files replace the whole earlier set.
#[test]
fn a_refusal_replaces_an_earlier_certificate_and_back() {
    let d = tmp();
    let out = d.path().join("out");
    let bad = d.path().join("bad.json");
    fs::write(&bad, "[1, 2]").unwrap();
    let run = |input: &Path| phase7(&[os("run"), input.as_os_str(), os("--out"), out.as_os_str()]);

    let o = run(&sample());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        listing(&out),
        names(&["audit_trail.json", "certificate.json", "macro_score.json"])
    );

    let o = run(&bad);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert_eq!(listing(&out), names(&["audit_trail.json", "refusal.json"]));

    let o = run(&sample());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        listing(&out),
        names(&["audit_trail.json", "certificate.json", "macro_score.json"])
    );

    // Something other than a regular file at an old output's name is left alone.
    fs::remove_file(out.join("certificate.json")).unwrap();
    fs::create_dir(out.join("certificate.json")).unwrap();
    let o = run(&bad);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(out.join("certificate.json").is_dir());
    assert!(!out.join("macro_score.json").exists());
}
