//! The CLI's side of an observed run: a clock and memory probe, a JSON-lines signal
//! sink, and an atomic checkpoint directory.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use phase7_core::observe::checkpoint::Checkpoint;
use phase7_core::observe::signal::{Signal, SignalSink};
use phase7_core::observe::{CheckpointStore, Probe};

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

/// Signals as JSON lines, flushed one by one so a crash leaves a readable prefix.
pub struct JsonLines {
    out: BufWriter<File>,
    /// The first write error, reported at the end.
    pub error: Option<String>,
}

impl JsonLines {
    /// Creates (truncates) the file.
    ///
    /// # Errors
    ///
    /// The I/O error, with the path.
    pub fn create(path: &Path) -> Result<Self, String> {
        let f = File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(JsonLines {
            out: BufWriter::new(f),
            error: None,
        })
    }
}

impl SignalSink for JsonLines {
    fn emit(&mut self, signal: &Signal) {
        let r = serde_json::to_string(signal)
            .map_err(std::io::Error::other)
            .and_then(|line| writeln!(self.out, "{line}"))
            .and_then(|()| self.out.flush());
        if let (Err(e), None) = (r, &self.error) {
            self.error = Some(e.to_string());
        }
    }
}

/// A directory of checkpoints, written atomically (temp file, fsync, rename).
pub struct CheckpointDir {
    dir: PathBuf,
    written: Vec<PathBuf>,
    /// Files to remove too after success (the ones resumed from).
    pub also_clear: Vec<PathBuf>,
}

impl CheckpointDir {
    /// Uses (and creates) `dir`.
    ///
    /// # Errors
    ///
    /// The I/O error, with the path.
    pub fn open(dir: &Path) -> Result<Self, String> {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(CheckpointDir {
            dir: dir.to_path_buf(),
            written: Vec::new(),
            also_clear: Vec::new(),
        })
    }

    /// Every `checkpoint-*.json` file in the directory, with its bytes.
    pub fn load(&self) -> Vec<(String, Vec<u8>)> {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut files: Vec<(String, Vec<u8>)> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                (name.starts_with("checkpoint-") && name.ends_with(".json"))
                    .then(|| fs::read(e.path()).ok().map(|b| (name, b)))
                    .flatten()
            })
            .collect();
        files.sort();
        files
    }

    /// The path of a file in the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl CheckpointStore for CheckpointDir {
    fn save(&mut self, checkpoint: &Checkpoint) -> Result<(), String> {
        let name = Checkpoint::file_name(checkpoint.stage);
        crate::files::write_all(&self.dir, &[(&name, &checkpoint.encode())])
            .map_err(|e| format!("cannot write checkpoint {name}: {e}"))?;
        self.written.push(self.dir.join(name));
        Ok(())
    }

    fn clear(&mut self) {
        for p in self.written.iter().chain(&self.also_clear) {
            let _ = fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(rfc3339_utc(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339_utc(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(rfc3339_utc(1_795_689_780, 0), "2026-11-26T10:43:00.000Z");
    }
}
