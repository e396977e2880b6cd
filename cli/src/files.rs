//! Reading and writing files like a careful Unix tool.
//!
//! **Reading.** Only regular files are read (the Phase 6 file, certificates, claims, JSON
//! lines, checkpoints), each under a size cap: the path is checked before it is opened
//! (a directory, FIFO, device or socket is refused without opening it), opened
//! non-blocking (so a FIFO swapped in meanwhile cannot hang the open) and checked again
//! on the open handle. A larger file is never loaded.
//!
//! **Writing.** Every output is first written to a new file created exclusively
//! (`O_CREAT|O_EXCL`, unpredictable name from the `tempfile` crate) in the target folder,
//! flushed to disk, then renamed into place. Only a missing name or a regular file is ever
//! replaced: a directory, symlink, FIFO, device or socket where an output would go is
//! refused (`OUTPUT_NOT_REPLACEABLE`) and left untouched, and so is an input of the same
//! command (`OUTPUT_IS_INPUT`).
//!
//! The files of one result appear together or not at all:
//! * [`commit`] (a run's three files in `--out`, which may hold other files) writes and
//!   rolls back: every new file is complete on disk before the first rename; each file
//!   it replaces is kept under a temporary hard link (or, where hard links are not
//!   supported, moved aside) until every rename succeeded; on a failure the renames done
//!   are undone and the old files put back.
//! * [`write_folder`] (a batch plan's folder) stages: the folder is built under a
//!   temporary name next to its target and renamed into place in one step.

use std::ffi::OsString;
use std::fs::{self, File, Metadata, OpenOptions, Permissions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tempfile::{Builder, NamedTempFile, TempDir, TempPath};

use crate::exit::{Fail, NOT_REGULAR_FILE, OUTPUT_IS_INPUT, OUTPUT_NOT_REPLACEABLE};
use crate::term;

/// A file's identity: device and inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    /// The identity of the file `m` describes.
    pub fn of(m: &Metadata) -> FileId {
        FileId {
            dev: m.dev(),
            ino: m.ino(),
        }
    }
}

/// What kind of file `m` describes, for messages.
pub fn kind(m: &Metadata) -> &'static str {
    let t = m.file_type();
    if t.is_file() {
        "a regular file"
    } else if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

fn not_regular(path: &Path, m: &Metadata) -> Fail {
    Fail::new(
        NOT_REGULAR_FILE,
        format!(
            "cannot read {}: it is {}, not a regular file",
            term::path(path),
            kind(m)
        ),
    )
}

fn cannot_read(path: &Path, e: &io::Error) -> Fail {
    Fail::io(format!("cannot read {}: {e}", term::path(path)))
}

/// Opens a regular file for reading (following symlinks), refusing anything else at
/// once; returns the file and its metadata (from the open handle).
///
/// # Errors
///
/// `NOT_REGULAR_FILE`, or `IO_ERROR` (missing file, dangling symlink, permissions).
pub fn open_regular(path: &Path) -> Result<(File, Metadata), Fail> {
    let before = fs::metadata(path).map_err(|e| cannot_read(path, &e))?;
    if !before.is_file() {
        return Err(not_regular(path, &before));
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| cannot_read(path, &e))?;
    let meta = file.metadata().map_err(|e| cannot_read(path, &e))?;
    if !meta.is_file() {
        return Err(not_regular(path, &meta));
    }
    Ok((file, meta))
}

/// A file read whole.
pub struct Loaded {
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its identity.
    pub id: FileId,
}

/// Reads a regular file of at most `limit` bytes. `Ok(Err(size))` when it is larger (its
/// size, or the bytes seen, `limit + 1`, when it grew while read): never loaded whole.
///
/// # Errors
///
/// `NOT_REGULAR_FILE` or `IO_ERROR`, naming the path.
pub fn read_regular(path: &Path, limit: u64) -> Result<Result<Loaded, u64>, Fail> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > limit {
        return Ok(Err(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(path, &e))?;
    if bytes.len() as u64 > limit {
        return Ok(Err(bytes.len() as u64));
    }
    Ok(Ok(Loaded {
        bytes,
        id: FileId::of(&meta),
    }))
}

/// The folder and the file name of an output path (`.` when it has no folder part).
///
/// # Errors
///
/// `IO_ERROR` for a path without a file name (`/`, `..`, `dir/..`).
pub fn split(target: &Path) -> Result<(PathBuf, OsString), Fail> {
    let name = match target.file_name() {
        Some(n) if !target.ends_with("..") => n.to_os_string(),
        _ => {
            return Err(Fail::io(format!(
                "{} does not name a file",
                term::path(target)
            )))
        }
    };
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok((dir.to_path_buf(), name))
}

/// Where an output path leads: its canonical folder and its name (to tell whether two
/// paths name the same output). `None` when the folder does not exist.
pub fn place(target: &Path) -> Option<(PathBuf, OsString)> {
    let (dir, name) = split(target).ok()?;
    Some((fs::canonicalize(dir).ok()?, name))
}

/// Checks that `target` is missing or a regular file (not following a symlink) that is
/// not one of `inputs`; returns its metadata when it exists.
///
/// # Errors
///
/// `OUTPUT_NOT_REPLACEABLE`, `OUTPUT_IS_INPUT`, or `IO_ERROR`.
pub fn check_replaceable(target: &Path, inputs: &[FileId]) -> Result<Option<Metadata>, Fail> {
    match fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Fail::io(format!(
            "cannot write {}: {e}",
            term::path(target)
        ))),
        Ok(m) if !m.file_type().is_file() => Err(Fail::new(
            OUTPUT_NOT_REPLACEABLE,
            format!(
                "{} is {}, not a regular file; refusing to replace it (left untouched)",
                term::path(target),
                kind(&m)
            ),
        )),
        Ok(m) if inputs.contains(&FileId::of(&m)) => Err(Fail::new(
            OUTPUT_IS_INPUT,
            format!(
                "{} is an input of this command; refusing to replace it",
                term::path(target)
            ),
        )),
        Ok(m) => Ok(Some(m)),
    }
}

fn builder(prefix: &'static str, mode: u32) -> Builder<'static, 'static> {
    let mut b = Builder::new();
    b.prefix(prefix).permissions(Permissions::from_mode(mode));
    b
}

fn write_error(target: &Path, e: &io::Error) -> Fail {
    Fail::io(format!(
        "cannot write {}: {}",
        term::path(target),
        os_error(e)
    ))
}

/// An I/O error's text without the path the `tempfile` crate appends (`… at path
/// "DIR/.phase7-XXXXXX"`): the temporary name is random, and the message names the
/// target already.
fn os_error(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" at path \"") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

#[cfg(test)]
thread_local! {
    /// How many times a staged file was synced on this thread.
    static SYNCS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many times a staged file was synced on this thread (tests count the fsyncs).
#[cfg(test)]
pub fn syncs() -> usize {
    SYNCS.with(std::cell::Cell::get)
}

/// An output being written: a new temporary file in the target's folder.
pub struct Staged {
    temp: NamedTempFile,
    target: PathBuf,
}

impl Staged {
    /// Creates the temporary file for `target` (mode 0666 minus the umask, as a plain
    /// create would give).
    ///
    /// # Errors
    ///
    /// `IO_ERROR` when the folder is missing or not writable.
    pub fn new(target: &Path) -> Result<Staged, Fail> {
        let (dir, _) = split(target)?;
        let temp = builder(".phase7-", 0o666)
            .tempfile_in(&dir)
            .map_err(|e| write_error(target, &e))?;
        Ok(Staged {
            temp,
            target: target.to_path_buf(),
        })
    }

    /// A staged file holding `bytes` (flushed to disk by [`commit`], before any rename).
    ///
    /// # Errors
    ///
    /// `IO_ERROR` (a full disk included).
    pub fn with_bytes(target: &Path, bytes: &[u8]) -> Result<Staged, Fail> {
        let mut s = Staged::new(target)?;
        s.temp
            .as_file_mut()
            .write_all(bytes)
            .map_err(|e| write_error(target, &e))?;
        Ok(s)
    }

    /// Where it goes.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes the file to disk (once, in [`commit_replacing`]).
    ///
    /// # Errors
    ///
    /// `IO_ERROR`.
    fn sync(&mut self) -> Result<(), Fail> {
        #[cfg(test)]
        SYNCS.with(|n| n.set(n.get() + 1));
        let target = self.target.clone();
        self.temp
            .as_file_mut()
            .flush()
            .and_then(|()| self.temp.as_file().sync_all())
            .map_err(|e| write_error(&target, &e))
    }
}

// Through the file itself: `NamedTempFile`'s own `Write` adds its random path to errors.
impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.as_file_mut().write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temp.as_file_mut().flush()
    }
}

/// What an output replaced, kept until every rename succeeded.
enum Backup {
    /// Nothing was there.
    None,
    /// A hard link to the old file.
    Linked(TempPath),
    /// The old file itself, moved aside (file systems without hard links).
    Moved(TempPath),
}

fn back_up(target: &Path, dir: &Path, old: &Metadata) -> io::Result<Backup> {
    let linked = builder(".phase7-old-", 0o600).make_in(dir, |p| fs::hard_link(target, p));
    let backup = match linked {
        Ok(t) => Backup::Linked(t.into_temp_path()),
        Err(_) => {
            let spot = builder(".phase7-old-", 0o600).tempfile_in(dir)?;
            let spot = spot.into_temp_path();
            fs::rename(target, &spot)?;
            Backup::Moved(spot)
        }
    };
    // What was linked or moved must be the regular file checked before (not something
    // swapped in since).
    let held = match &backup {
        Backup::Linked(p) | Backup::Moved(p) => fs::symlink_metadata(p)?,
        Backup::None => return Ok(backup),
    };
    if !held.file_type().is_file() || FileId::of(&held) != FileId::of(old) {
        if let Backup::Moved(p) = &backup {
            let _ = fs::rename(p, target);
        }
        return Err(io::Error::other("it changed while being replaced"));
    }
    Ok(backup)
}

/// Moves an earlier output at `target` aside (a regular file that is not an input; any
/// other thing there is left alone), recording it in `done` so that a roll-back puts it
/// back and success deletes it.
fn set_aside(
    target: &Path,
    inputs: &[FileId],
    done: &mut Vec<(PathBuf, Backup)>,
) -> Result<(), Fail> {
    let Ok(Some(old)) = check_replaceable(target, inputs) else {
        return Ok(());
    };
    let (dir, _) = split(target)?;
    let backup = back_up(target, &dir, &old).map_err(|e| write_error(target, &e))?;
    if let Backup::Linked(_) = backup {
        if let Err(e) = fs::remove_file(target) {
            drop(backup);
            return Err(write_error(target, &e));
        }
    }
    done.push((target.to_path_buf(), backup));
    Ok(())
}

fn roll_back(done: Vec<(PathBuf, Backup)>) {
    for (target, backup) in done.into_iter().rev() {
        match backup {
            Backup::Linked(p) | Backup::Moved(p) => {
                let _ = fs::rename(&p, &target);
            }
            Backup::None => {
                let _ = fs::remove_file(&target);
            }
        }
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        // Persists the renames; not every file system can sync a folder.
        let _ = d.sync_all();
    }
}

/// Keeps what a staged file will replace; records it in `done`.
fn place_one(
    s: &Staged,
    old: Option<&Metadata>,
    done: &mut Vec<(PathBuf, Backup)>,
) -> Result<(), Fail> {
    let target = s.target.clone();
    let (dir, _) = split(&target)?;
    let backup = match old {
        Some(m) => back_up(&target, &dir, m).map_err(|e| write_error(&target, &e))?,
        None => Backup::None,
    };
    done.push((target, backup));
    Ok(())
}

/// Renames the temporary file to `target`; `fresh` when nothing may be there (nothing
/// was, or the old file was moved aside), so that anything that appeared meanwhile is
/// refused rather than replaced.
fn persist(temp: NamedTempFile, target: &Path, fresh: bool) -> Result<(), Fail> {
    let persisted = if fresh {
        temp.persist_noclobber(target)
    } else {
        temp.persist(target)
    };
    persisted.map(drop).map_err(|e| {
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            Fail::new(
                OUTPUT_NOT_REPLACEABLE,
                format!(
                    "{} appeared while being written; left untouched",
                    term::path(target)
                ),
            )
        } else {
            write_error(target, &e.error)
        }
    })
}

/// Renames staged files into place, all or none (see the module doc); `inputs` are
/// files the outputs must not replace.
///
/// # Errors
///
/// `OUTPUT_NOT_REPLACEABLE` / `OUTPUT_IS_INPUT` before anything is renamed; `IO_ERROR`
/// after undoing the renames done.
pub fn commit(staged: Vec<Staged>, inputs: &[FileId]) -> Result<Vec<PathBuf>, Fail> {
    commit_replacing(staged, &[], inputs)
}

/// [`commit`], and the regular files at `stale` (earlier outputs of the same set that
/// this run does not write, e.g. a certificate beside a new refusal record) removed in
/// the same all-or-nothing step: kept aside until every rename succeeded, put back if
/// one fails. Anything at `stale` that is not a regular file we may replace is left.
///
/// # Errors
///
/// As [`commit`].
pub fn commit_replacing(
    mut staged: Vec<Staged>,
    stale: &[PathBuf],
    inputs: &[FileId],
) -> Result<Vec<PathBuf>, Fail> {
    let mut olds = Vec::new();
    for s in &staged {
        olds.push(check_replaceable(&s.target, inputs)?);
    }
    // Every new file on disk before anything is renamed or set aside: each synced here,
    // once (the only fsync of a staged file).
    for s in &mut staged {
        s.sync()?;
    }
    let mut done: Vec<(PathBuf, Backup)> = Vec::new();
    for target in stale {
        if let Err(f) = set_aside(target, inputs, &mut done) {
            roll_back(done);
            return Err(f);
        }
    }
    let mut written = Vec::new();
    for (s, old) in staged.into_iter().zip(olds) {
        let target = s.target.clone();
        if let Err(f) = place_one(&s, old.as_ref(), &mut done) {
            roll_back(done);
            return Err(f);
        }
        let Staged { temp, .. } = s;
        match persist(
            temp,
            &target,
            old.is_none() || matches!(done.last(), Some((_, Backup::Moved(_)))),
        ) {
            Ok(()) => written.push(target),
            Err(f) => {
                if let Some((_, Backup::None)) = done.last() {
                    // The failed rename placed nothing: leave what is there.
                    done.pop();
                }
                roll_back(done);
                return Err(f);
            }
        }
    }
    let mut dirs: Vec<PathBuf> = written
        .iter()
        .filter_map(|t| split(t).ok().map(|(d, _)| d))
        .collect();
    dirs.dedup();
    for d in &dirs {
        sync_dir(d);
    }
    // Dropping the backups removes them.
    drop(done);
    Ok(written)
}

/// Writes `files` into `dir` (created if missing), all or none, removing in the same step
/// the regular files named in `stale` that this set does not write (the other outputs
/// a command may leave there, so that no result of an earlier run stays beside this
/// one's).
///
/// # Errors
///
/// See [`commit`]; `IO_ERROR` when `dir` cannot be created.
pub fn write_set(
    dir: &Path,
    files: &[(&str, &[u8])],
    stale: &[&str],
    inputs: &[FileId],
) -> Result<Vec<PathBuf>, Fail> {
    fs::create_dir_all(dir)
        .map_err(|e| Fail::io(format!("cannot create {}: {e}", term::path(dir))))?;
    // Refuse before writing anything.
    for (name, _) in files {
        check_replaceable(&dir.join(name), inputs)?;
    }
    let mut staged = Vec::new();
    for (name, bytes) in files {
        staged.push(Staged::with_bytes(&dir.join(name), bytes)?);
    }
    let stale: Vec<PathBuf> = stale
        .iter()
        .filter(|name| !files.iter().any(|(n, _)| n == *name))
        .map(|name| dir.join(name))
        .collect();
    commit_replacing(staged, &stale, inputs)
}

/// Whether `dir` (not a symlink) holds nothing but regular files named in `names`, none
/// of them an input (`is_input`): a folder a batch wrote, which it may replace.
fn is_ours(dir: &Path, names: &[&str], is_input: &dyn Fn(FileId) -> bool) -> io::Result<bool> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let ours = entry
            .file_name()
            .to_str()
            .is_some_and(|n| names.contains(&n))
            && entry.file_type()?.is_file()
            && !is_input(FileId::of(&entry.metadata()?));
        if !ours {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Writes `files` as the folder `parent/name`, all or none: built under a temporary name
/// in `parent`, then renamed into place. An existing folder is replaced only when it
/// holds nothing but regular files named in `replaceable` or `files` (a previous
/// batch's), none of them an input (`is_input`: a batch passes every candidate, so
/// that no plan's folder replaces another plan's file, whatever order the plans run
/// in); anything else there is refused and left untouched.
///
/// # Errors
///
/// `OUTPUT_NOT_REPLACEABLE` or `IO_ERROR`; nothing is left behind.
pub fn write_folder(
    parent: &Path,
    name: &str,
    files: &[(&str, &[u8])],
    replaceable: &[&str],
    is_input: &dyn Fn(FileId) -> bool,
) -> Result<PathBuf, Fail> {
    let target = parent.join(name);
    let names: Vec<&str> = files
        .iter()
        .map(|(n, _)| *n)
        .chain(replaceable.iter().copied())
        .collect();
    let refuse = |what: String| {
        Fail::new(
            OUTPUT_NOT_REPLACEABLE,
            format!(
                "{} is {what}; refusing to replace it (left untouched)",
                term::path(&target)
            ),
        )
    };
    let old = match fs::symlink_metadata(&target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(write_error(&target, &e)),
        Ok(m) if !m.file_type().is_dir() => return Err(refuse(kind(&m).to_string())),
        Ok(_) => match is_ours(&target, &names, is_input) {
            Ok(true) => true,
            Ok(false) => {
                return Err(refuse(
                    "a folder holding other files than a plan's results, or an input".into(),
                ))
            }
            Err(e) => return Err(write_error(&target, &e)),
        },
    };
    let staging: TempDir = builder(".phase7-", 0o777)
        .tempdir_in(parent)
        .map_err(|e| write_error(&target, &e))?;
    for (file, bytes) in files {
        let path = staging.path().join(file);
        File::create_new(&path)
            .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
            .map_err(|e| write_error(&target.join(file), &e))?;
    }
    sync_dir(staging.path());
    let aside = if old {
        let aside = builder(".phase7-old-", 0o700)
            .tempdir_in(parent)
            .map_err(|e| write_error(&target, &e))?;
        // Replaces the empty folder just made, atomically.
        fs::rename(&target, aside.path()).map_err(|e| write_error(&target, &e))?;
        Some(aside)
    } else {
        None
    };
    if let Err(e) = fs::rename(staging.path(), &target) {
        if let Some(aside) = &aside {
            let _ = fs::rename(aside.path(), &target);
        }
        return Err(write_error(&target, &e));
    }
    // Renamed: nothing left to clean at the staging name.
    let _ = staging.keep();
    sync_dir(parent);
    drop(aside);
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::IO_ERROR;

    #[test]
    fn a_set_replaces_regular_files_and_refuses_anything_else_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("a"), "old a").unwrap();
        write_set(d, &[("a", b"new a"), ("b", b"new b")], &[], &[]).unwrap();
        assert_eq!(fs::read(d.join("a")).unwrap(), b"new a");
        assert_eq!(fs::read(d.join("b")).unwrap(), b"new b");

        fs::create_dir(d.join("c")).unwrap();
        let e = write_set(d, &[("a", b"newer"), ("c", b"c")], &[], &[]).unwrap_err();
        assert_eq!(e.code, OUTPUT_NOT_REPLACEABLE);
        assert_eq!(fs::read(d.join("a")).unwrap(), b"new a");
        assert!(d.join("c").is_dir());
        let mut names: Vec<_> = fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["a", "b", "c"], "no temporary file left");
    }

    #[test]
    fn each_staged_file_is_synced_once() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let before = syncs();
        write_set(d, &[("a", b"1"), ("b", b"2"), ("c", b"3")], &[], &[]).unwrap();
        assert_eq!(syncs() - before, 3);
        let before = syncs();
        let mut e = Staged::new(&d.join("e")).unwrap();
        e.write_all(b"streamed").unwrap();
        let f = Staged::with_bytes(&d.join("f"), b"whole").unwrap();
        commit(vec![e, f], &[]).unwrap();
        assert_eq!(syncs() - before, 2);
        assert_eq!(fs::read(d.join("e")).unwrap(), b"streamed");
        assert_eq!(fs::read(d.join("f")).unwrap(), b"whole");
    }

    #[test]
    fn a_failed_rename_rolls_back_the_files_already_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("a"), "old a").unwrap();
        let a = Staged::with_bytes(&d.join("a"), b"new a").unwrap();
        let b = Staged::with_bytes(&d.join("b"), b"new b").unwrap();
        // Something appears at "b" after the checks: a directory, swapped in.
        let c = Staged::with_bytes(&d.join("c"), b"new c").unwrap();
        fs::create_dir(d.join("c")).unwrap();
        let e = commit(vec![a, b, c], &[]).unwrap_err();
        assert_eq!(e.code, OUTPUT_NOT_REPLACEABLE, "{e:?}");
        assert_eq!(fs::read(d.join("a")).unwrap(), b"old a");
        assert!(!d.join("b").exists());
        assert!(d.join("c").is_dir());
        assert_eq!(fs::read_dir(d).unwrap().count(), 2, "a and c only");
    }

    #[test]
    fn a_rename_failing_after_the_checks_undoes_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("a"), "old a").unwrap();
        let a = Staged::with_bytes(&d.join("a"), b"new a").unwrap();
        let b = Staged::with_bytes(&d.join("b"), b"new b").unwrap();
        // The checks pass; then b's rename fails (its temporary file is gone), after a's.
        fs::remove_file(b.temp.path()).unwrap();
        let e = commit(vec![a, b], &[]).unwrap_err();
        assert_eq!(e.code, IO_ERROR, "{e:?}");
        assert_eq!(fs::read(d.join("a")).unwrap(), b"old a");
        assert!(!d.join("b").exists());
        assert_eq!(
            fs::read_dir(d).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn stale_outputs_go_with_the_set_or_stay_with_a_failed_one() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("certificate"), "old certificate").unwrap();
        fs::create_dir(d.join("macro")).unwrap();
        write_set(
            d,
            &[("refusal", b"new refusal")],
            &["certificate", "macro"],
            &[],
        )
        .unwrap();
        assert!(!d.join("certificate").exists(), "a stale regular file goes");
        assert!(d.join("macro").is_dir(), "anything else is left");
        assert_eq!(fs::read(d.join("refusal")).unwrap(), b"new refusal");

        // A set that fails keeps the stale file where it was.
        fs::write(d.join("certificate"), "old certificate").unwrap();
        let a = Staged::with_bytes(&d.join("refusal"), b"newer").unwrap();
        let b = Staged::with_bytes(&d.join("trail"), b"trail").unwrap();
        fs::remove_file(b.temp.path()).unwrap();
        let e = commit_replacing(vec![a, b], &[d.join("certificate")], &[]).unwrap_err();
        assert_eq!(e.code, IO_ERROR, "{e:?}");
        assert_eq!(fs::read(d.join("certificate")).unwrap(), b"old certificate");
        assert_eq!(fs::read(d.join("refusal")).unwrap(), b"new refusal");
        let mut names: Vec<_> = fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["certificate", "macro", "refusal"],
            "no temporary file left"
        );
    }

    #[test]
    fn something_appearing_at_a_new_name_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let b = Staged::with_bytes(&d.join("b"), b"new b").unwrap();
        // Checked missing, then someone else's file appears before the rename.
        assert!(check_replaceable(b.target(), &[]).unwrap().is_none());
        fs::write(d.join("b"), "theirs").unwrap();
        let e = persist(b.temp, &d.join("b"), true).unwrap_err();
        assert_eq!(e.code, OUTPUT_NOT_REPLACEABLE);
        assert_eq!(fs::read(d.join("b")).unwrap(), b"theirs");
        assert_eq!(fs::read_dir(d).unwrap().count(), 1);
    }

    #[test]
    fn folders_are_staged_and_replace_only_a_previous_result() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let files: [(&str, &[u8]); 2] = [("x.json", b"1"), ("y.json", b"2")];
        let p = write_folder(d, "plan", &files, &[], &|_| false).unwrap();
        assert_eq!(fs::read(p.join("y.json")).unwrap(), b"2");
        let files2: [(&str, &[u8]); 2] = [("x.json", b"3"), ("y.json", b"4")];
        write_folder(d, "plan", &files2, &[], &|_| false).unwrap();
        assert_eq!(fs::read(p.join("x.json")).unwrap(), b"3");
        fs::write(p.join("notes.txt"), "mine").unwrap();
        let e = write_folder(d, "plan", &files, &[], &|_| false).unwrap_err();
        assert_eq!(e.code, OUTPUT_NOT_REPLACEABLE);
        assert_eq!(fs::read(p.join("x.json")).unwrap(), b"3");
        std::os::unix::fs::symlink(d.join("elsewhere"), d.join("link")).unwrap();
        let e = write_folder(d, "link", &files, &[], &|_| false).unwrap_err();
        assert_eq!(e.code, OUTPUT_NOT_REPLACEABLE);
        assert!(!d.join("elsewhere").exists());
        let mut names: Vec<_> = fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["link", "plan"], "no staging folder left");
    }

    #[test]
    fn a_folder_of_another_outcome_is_replaced_only_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let passed: [(&str, &[u8]); 2] = [("x.json", b"1"), ("y.json", b"2")];
        let refused: [(&str, &[u8]); 1] = [("z.json", b"3")];
        let p = write_folder(d, "plan", &passed, &[], &|_| false).unwrap();
        // Other names than the new files': refused unless they are replaceable.
        let e = write_folder(d, "plan", &refused, &[], &|_| false).unwrap_err();
        assert_eq!(e.code, OUTPUT_NOT_REPLACEABLE);
        write_folder(d, "plan", &refused, &["x.json", "y.json"], &|_| false).unwrap();
        let mut names: Vec<_> = fs::read_dir(&p)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["z.json"], "the old result is gone with its folder");
    }

    #[test]
    fn reads_refuse_what_is_not_a_regular_file_and_cap_the_size() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("f"), "12345").unwrap();
        assert_eq!(
            read_regular(&d.join("f"), 5).unwrap().unwrap().bytes,
            b"12345"
        );
        assert_eq!(read_regular(&d.join("f"), 4).unwrap().err(), Some(5));
        assert_eq!(
            read_regular(&d.join("f"), u64::MAX).unwrap().unwrap().bytes,
            b"12345"
        );
        assert_eq!(read_regular(d, 5).err().unwrap().code, NOT_REGULAR_FILE);
        assert_eq!(
            read_regular(Path::new("/dev/zero"), 5).err().unwrap().code,
            NOT_REGULAR_FILE
        );
        std::os::unix::fs::symlink(d.join("gone"), d.join("dangling")).unwrap();
        assert_eq!(
            read_regular(&d.join("dangling"), 5).err().unwrap().code,
            IO_ERROR
        );
    }
}
