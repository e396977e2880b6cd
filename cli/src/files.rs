//! Writing output files so that nothing is half-written: every file goes to a temporary
//! name in the target directory, is flushed to disk, and only when all of them are ready
//! are they renamed into place.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes all `(name, contents)` pairs into `dir`, all or nothing (as far as the file
/// system allows: the renames come last and are atomic one by one).
///
/// # Errors
///
/// Any I/O error; temporary files are removed on failure.
pub fn write_all(dir: &Path, files: &[(&str, &str)]) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| {
        for (name, contents) in files {
            let target = dir.join(name);
            let temp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
            staged.push((temp.clone(), target));
            let mut f = File::create(&temp)?;
            f.write_all(contents.as_bytes())?;
            f.sync_all()?;
        }
        Ok::<(), io::Error>(())
    })();
    if let Err(e) = result {
        for (temp, _) in &staged {
            let _ = fs::remove_file(temp);
        }
        return Err(e);
    }
    let mut written = Vec::new();
    for (temp, target) in &staged {
        fs::rename(temp, target)?;
        written.push(target.clone());
    }
    if let Ok(d) = File::open(dir) {
        // Persist the renames; not every platform can sync a directory.
        let _ = d.sync_all();
    }
    Ok(written)
}

/// Reads at most `limit` bytes of a file. `Ok(Err(size))` when the file is larger (its
/// size, or `limit + 1` when the size cannot be known), so that a huge file is never
/// loaded whole.
///
/// # Errors
///
/// The I/O error, with the path.
pub fn read_limited(path: &str, limit: u64) -> Result<Result<Vec<u8>, u64>, String> {
    use std::io::Read;
    let f = File::open(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let known = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    if let Some(len) = known {
        if len > limit {
            return Ok(Err(len));
        }
    }
    let mut buf = Vec::new();
    f.take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read {path}: {e}"))?;
    if buf.len() as u64 > limit {
        return Ok(Err(buf.len() as u64));
    }
    Ok(Ok(buf))
}
