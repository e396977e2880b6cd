//! The CLI's side of an observed run: a clock and memory probe, a JSON-lines signal
//! sink, and a checkpoint folder.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use phase7_core::observe::checkpoint::{Checkpoint, Latest};
use phase7_core::observe::signal::{Signal, SignalSink};
use phase7_core::observe::{CheckpointStore, Probe};
use phase7_core::stages::Stage;

use crate::exit::Fail;
use crate::{files, term};

/// Wall clock and resident memory of this process.
pub struct ProcessProbe {
    start: Instant,
}

impl ProcessProbe {
    /// A probe whose clock starts now.
    pub fn new() -> Self {
        ProcessProbe {
            start: Instant::now(),
        }
    }
}

/// Reads a `Vm…:  123 kB` line of /proc/self/status, in bytes (Linux only).
pub fn proc_status_bytes(key: &str) -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

impl Probe for ProcessProbe {
    fn now_ms(&mut self) -> f64 {
        self.start.elapsed().as_secs_f64() * 1000.0
    }

    fn memory_bytes(&mut self) -> Option<u64> {
        proc_status_bytes("VmRSS:")
    }

    fn timestamp(&mut self) -> Option<String> {
        let d = SystemTime::now().duration_since(UNIX_EPOCH).ok()?;
        Some(rfc3339_utc(d.as_secs(), d.subsec_millis()))
    }
}

/// Formats Unix time as `YYYY-MM-DDTHH:MM:SS.mmmZ` (days-to-civil, proleptic Gregorian).
pub fn rfc3339_utc(secs: u64, millis: u32) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Signals as JSON lines, flushed one by one, into any writer (a staged file: see
/// [`crate::run`]).
pub struct JsonLines<W: Write> {
    out: BufWriter<W>,
    /// The first write error, reported at the end.
    pub error: Option<String>,
}

impl<W: Write> JsonLines<W> {
    /// Signals into `out`.
    pub fn new(out: W) -> Self {
        JsonLines {
            out: BufWriter::new(out),
            error: None,
        }
    }

    /// The writer back, flushed; `Err` with the first error when any write failed.
    ///
    /// # Errors
    ///
    /// The first write error, as text.
    pub fn finish(mut self) -> Result<W, String> {
        if let Err(e) = self.out.flush() {
            self.error.get_or_insert(e.to_string());
        }
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.into_inner().map_err(|e| e.error().to_string())
    }
}

impl<W: Write> SignalSink for JsonLines<W> {
    fn emit(&mut self, signal: &Signal) {
        if self.error.is_some() {
            return;
        }
        let r = serde_json::to_string(signal)
            .map_err(std::io::Error::other)
            .and_then(|line| writeln!(self.out, "{line}"))
            .and_then(|()| self.out.flush());
        if let Err(e) = r {
            self.error = Some(e.to_string());
        }
    }
}

/// A folder of checkpoints. Each is written as every output is ([`files::commit`]:
/// a new temporary file, fsync, rename, never over anything but a regular file) and
/// named after the input's digest and the stage
/// ([`Checkpoint::file_name`]), so the checkpoints of different inputs never collide.
pub struct CheckpointDir {
    dir: PathBuf,
    /// The size cap of each checkpoint read.
    limit: u64,
    written: Vec<PathBuf>,
    /// Files to remove too after success (the ones resumed from).
    also_clear: Vec<PathBuf>,
}

impl CheckpointDir {
    /// Uses (and creates) `dir`; checkpoints are read with at most `limit` bytes each.
    ///
    /// # Errors
    ///
    /// `IO_ERROR`, with the path.
    pub fn open(dir: &Path, limit: u64) -> Result<Self, Fail> {
        fs::create_dir_all(dir)
            .map_err(|e| Fail::io(format!("cannot create {}: {e}", term::path(dir))))?;
        Ok(CheckpointDir {
            dir: dir.to_path_buf(),
            limit,
            written: Vec::new(),
            also_clear: Vec::new(),
        })
    }

    /// The checkpoints of the input with digest `input_digest`: for each stage, the file
    /// of that name when there is one, read as every input is (regular files only, at
    /// most the folder's limit in bytes; symlinks are not followed) and handed to `f`
    /// with its name, one at a time (so that eight hostile files of the size limit are
    /// never all held at once), or why it cannot be read.
    fn each(&self, input_digest: &str, mut f: impl FnMut(String, Result<Vec<u8>, String>)) {
        let limit = self.limit;
        for stage in Stage::ALL {
            let name = Checkpoint::file_name(input_digest, stage);
            let path = self.dir.join(&name);
            match fs::symlink_metadata(&path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                // The folder is ours: a symlink in it is not followed.
                Ok(m) if m.file_type().is_symlink() => {
                    f(name, Err("a symbolic link, not followed".into()));
                    continue;
                }
                _ => {}
            }
            let read = match files::read_regular(&path, limit) {
                Ok(Ok(l)) => Ok(l.bytes),
                Ok(Err(size)) => Err(format!("{size} bytes, over the {limit}-byte limit")),
                Err(fail) => Err(fail.message),
            };
            f(name, read);
        }
    }
}

impl CheckpointStore for CheckpointDir {
    fn save(&mut self, checkpoint: &Checkpoint) -> Result<(), String> {
        if !checkpoint
            .input_digest
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
        {
            return Err("the input digest is not hexadecimal".into());
        }
        let name = Checkpoint::file_name(&checkpoint.input_digest, checkpoint.stage);
        let path = self.dir.join(&name);
        files::Staged::with_bytes(&path, checkpoint.encode().as_bytes())
            .and_then(|s| files::commit(vec![s], &[]))
            .map_err(|f| format!("cannot write checkpoint {name}: {}", f.message))?;
        self.written.push(path);
        Ok(())
    }

    fn clear(&mut self) {
        for p in self.written.iter().chain(&self.also_clear) {
            // Removes the name only (a symlink put there is removed, never followed).
            let _ = fs::remove_file(p);
        }
    }

    /// The latest valid checkpoint of this input, reporting every one skipped and why
    /// (those that cannot be read first, then those that do not check). Each file is
    /// offered to [`Latest`] as soon as it is read, and dropped.
    fn load(&mut self, input_digest: &str, config_digest: &str) -> Option<Checkpoint> {
        let mut unreadable = Vec::new();
        let mut latest = Latest::default();
        self.each(input_digest, |name, read| match read {
            Err(why) => unreadable.push((name, why)),
            Ok(bytes) => latest.offer(name, &bytes, input_digest, config_digest),
        });
        for (name, why) in &unreadable {
            term::warning("CHECKPOINT_UNREADABLE", &format!("{name}: {why}; skipped"));
        }
        for (name, why) in &latest.skipped {
            term::warning(why.code(), &format!("{name}: {why}; skipped"));
        }
        let Latest { best, usable, .. } = latest;
        match &best {
            Some(cp) => {
                term::note(&format!(
                    "phase7: resuming after {} ({})",
                    cp.stage.name(),
                    Checkpoint::file_name(input_digest, cp.stage)
                ));
                self.also_clear = usable.iter().map(|name| self.dir.join(name)).collect();
            }
            None => term::note("phase7: no usable checkpoint; starting from the beginning"),
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_write_failures_are_kept_not_dropped() {
        /// A writer whose disk is full.
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::from_raw_os_error(28))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let sample = include_bytes!("../../tests/fixtures/p06_sample.json");
        let mut sink = JsonLines::new(Full);
        let observed = phase7_core::observe::run_observed(
            sample,
            &phase7_core::phase::RunOptions::default(),
            &mut ProcessProbe::new(),
            &mut sink,
            None,
            &phase7_core::observe::Controls::default(),
        );
        assert!(observed.result.is_ok(), "the run itself is unaffected");
        let e = sink.finish().err().unwrap();
        assert!(e.contains("No space left on device"), "{e}");

        let mut ok = JsonLines::new(Vec::new());
        let _ = phase7_core::observe::run_observed(
            sample,
            &phase7_core::phase::RunOptions::default(),
            &mut ProcessProbe::new(),
            &mut ok,
            None,
            &phase7_core::observe::Controls::default(),
        );
        let text = String::from_utf8(ok.finish().unwrap()).unwrap();
        assert!(text.lines().last().unwrap().contains("PHASE_COMPLETED"));
    }

    #[test]
    fn civil_dates() {
        assert_eq!(rfc3339_utc(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339_utc(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(rfc3339_utc(1_795_689_780, 0), "2026-11-26T10:43:00.000Z");
    }
}
