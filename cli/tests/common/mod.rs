//! What the binary-driven suites share: the binary, the fixtures, temporary folders and
//! a runner that never hangs a test. (Each suite uses a part of it.)
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The `phase7` binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_phase7");

/// `tests/fixtures`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// The sample Phase 6 file.
pub fn sample() -> PathBuf {
    fixtures().join("p06_sample.json")
}

/// A temporary folder named after the suite.
pub fn tmp(prefix: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(prefix).tempdir().unwrap()
}

pub fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn read_pipe(mut r: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = r.read_to_end(&mut v);
        v
    })
}

/// Runs `phase7` with `args` and `env`, stdin closed, failing the test if it takes over
/// 60 s (killed, not left hanging).
pub fn phase7_env<S: AsRef<OsStr>>(args: &[S], env: &[(&str, &OsStr)]) -> Output {
    let mut c = Command::new(BIN);
    c.args(args).env_remove("PHASE7_FAIL_AFTER_STAGE");
    for (k, v) in env {
        c.env(k, v);
    }
    output_of(c)
}

/// Runs `c` with stdin closed, failing the test if it takes over 60 s (killed, not left
/// hanging).
pub fn output_of(mut c: Command) -> Output {
    c.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let out = read_pipe(child.stdout.take().unwrap());
    let err = read_pipe(child.stderr.take().unwrap());
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{c:?} hung (killed after 60 s)");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// [`phase7_env`] without extra environment.
pub fn phase7<S: AsRef<OsStr>>(args: &[S]) -> Output {
    phase7_env(args, &[])
}
