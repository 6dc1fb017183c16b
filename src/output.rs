//! Writing the built site: the only place that writes the output folder.
//!
//! A build writes into a staging folder of its own beside the output
//! (`.book.playbook-tmp-<pid>`) and then swaps it in. On Linux the swap is one
//! `renameat2(RENAME_EXCHANGE)` call, so `book/` holds the old site or the new
//! one at every instant and a crash at any point leaves one of them whole;
//! elsewhere it is two renames, with a moment between them when `book/` is
//! absent. Builds into the same folder take an advisory lock on the folder
//! that holds it ([`lock_output`]): a second build waits for the first
//! instead of mixing their files (issue 9).
//!
//! Every path is checked to stay inside the output folder, every copied file
//! is read through the playbook's [`Boundary`], and an existing folder is only
//! replaced or deleted if a build made it (it holds [`MARKER`]): `-d
//! ~/Documents` must never delete someone's documents.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, bail};
use rayon::prelude::*;

use crate::UsageError;
use crate::boundary::Boundary;
use crate::render::{Contents, OutputFile};

/// The file that marks a folder as playbook's output, safe to replace.
pub(crate) const MARKER: &str = ".playbook-build";

const MARKER_TEXT: &str = "This folder is written by `playbook build` and replaced on every build.\n";

/// Whether `path` is a relative path that stays inside the folder it is
/// joined to: no root, no `..`, no backslashes, no empty segments.
pub(crate) fn is_contained(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0'])
        && path.split('/').all(|segment| !matches!(segment, "" | "." | ".."))
        && Path::new(path).components().all(|c| matches!(c, Component::Normal(_)))
}

/// Whether `dir` is absent, empty, or an earlier build's output.
pub(crate) fn is_replaceable(dir: &Path) -> anyhow::Result<bool> {
    if !dir.exists() {
        return Ok(true);
    }
    if !dir.is_dir() {
        return Ok(false);
    }
    if dir.join(MARKER).is_file() {
        return Ok(true);
    }
    let mut entries = fs::read_dir(dir).with_context(|| format!("failed to read `{}`", dir.display()))?;
    Ok(entries.next().is_none())
}

/// An advisory lock on writing one output folder, held until dropped.
#[derive(Debug)]
pub(crate) struct OutputLock {
    _file: File,
}

/// Takes the lock on writing `out_dir`, calling `on_wait` first if another
/// build holds it. The lock is on the folder that holds `out_dir` (on Unix,
/// that folder itself, so nothing is left behind): `out_dir` is the thing
/// being swapped, so it cannot carry the lock.
pub(crate) fn lock_output(out_dir: &Path, on_wait: impl FnOnce()) -> anyhow::Result<OutputLock> {
    let (parent, _) = parent_and_name(out_dir)?;
    fs::create_dir_all(&parent).with_context(|| format!("failed to create `{}`", parent.display()))?;
    let file = open_lock_file(&parent, out_dir)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            on_wait();
            file.lock().with_context(|| format!("failed to lock `{}`", parent.display()))?;
        }
        Err(fs::TryLockError::Error(error)) => {
            return Err(error).with_context(|| format!("failed to lock `{}`", parent.display()));
        }
    }
    Ok(OutputLock { _file: file })
}

#[cfg(unix)]
fn open_lock_file(parent: &Path, _out_dir: &Path) -> anyhow::Result<File> {
    File::open(parent).with_context(|| format!("failed to open `{}` to lock it", parent.display()))
}

#[cfg(not(unix))]
fn open_lock_file(parent: &Path, out_dir: &Path) -> anyhow::Result<File> {
    let name = out_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let path = parent.join(format!(".{name}.playbook-lock"));
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("failed to open `{}`", path.display()))
}

fn parent_and_name(out_dir: &Path) -> anyhow::Result<(PathBuf, String)> {
    let name = out_dir.file_name().context("the output folder has no name")?.to_string_lossy().into_owned();
    let parent = out_dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Ok((parent.to_path_buf(), name))
}

/// A build's output being written: files go into a staging folder of its
/// own as they are rendered, and [`OutputWriter::finish`] swaps the folder
/// in. Dropped without `finish`, it removes the staging folder: the previous
/// output stands.
pub(crate) struct OutputWriter<'a> {
    out_dir: PathBuf,
    staging: PathBuf,
    previous: Option<PathBuf>,
    boundary: Boundary<'a>,
    written: AtomicUsize,
    /// Folders of the staging folder made so far: most files go into a
    /// folder another file made, which needs no system call to know.
    made: Mutex<HashSet<PathBuf>>,
    finished: bool,
}

impl<'a> OutputWriter<'a> {
    /// Starts writing the new contents of `out_dir`. The caller holds the
    /// [`OutputLock`]; copied files are read through `boundary`.
    pub(crate) fn start(_lock: &OutputLock, out_dir: &Path, boundary: Boundary<'a>) -> anyhow::Result<Self> {
        refuse_foreign(out_dir, "replace")?;
        let (parent, name) = parent_and_name(out_dir)?;
        remove_leftovers(&parent, &name)?;
        let staging = parent.join(format!(".{name}.playbook-tmp-{}", std::process::id()));
        fs::create_dir(&staging).with_context(|| format!("failed to create `{}`", staging.display()))?;
        let writer = OutputWriter {
            out_dir: out_dir.to_path_buf(),
            previous: out_dir.is_dir().then(|| out_dir.to_path_buf()),
            staging,
            boundary,
            written: AtomicUsize::new(0),
            made: Default::default(),
            finished: false,
        };
        fs::write(writer.staging.join(MARKER), MARKER_TEXT)
            .with_context(|| format!("failed to write in `{}`", writer.staging.display()))?;
        Ok(writer)
    }

    /// Writes one file; callable from many threads at once. A file the
    /// previous build wrote with the same bytes is linked, not written.
    pub(crate) fn write(&self, file: &OutputFile) -> anyhow::Result<()> {
        if !is_contained(&file.path) {
            bail!("refusing to write `{}`: it would leave the output folder", file.path);
        }
        let target = self.staging.join(&file.path);
        if let Some(dir) = target.parent() {
            let known = self.made.lock().unwrap_or_else(|e| e.into_inner()).contains(dir);
            if !known {
                fs::create_dir_all(dir).with_context(|| format!("failed to create `{}`", dir.display()))?;
                self.made.lock().unwrap_or_else(|e| e.into_inner()).insert(dir.to_path_buf());
            }
        }
        match &file.contents {
            Contents::Bytes(bytes) => {
                let old = self.previous.as_ref().map(|p| p.join(&file.path));
                if !old.is_some_and(|old| link_if_unchanged(&old, bytes, &target)) {
                    fs::write(&target, bytes).with_context(|| format!("failed to write `{}`", target.display()))?;
                }
            }
            Contents::CopyOf(source) => copy_through(self.boundary, source, &target)
                .with_context(|| format!("failed to copy `{}` to `{}`", source.display(), target.display()))?,
        }
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Swaps the new output in; returns how many files it has.
    pub(crate) fn finish(mut self) -> anyhow::Result<usize> {
        self.finished = true;
        swap_in(&self.staging, &self.out_dir)?;
        Ok(self.written.load(Ordering::Relaxed))
    }

    /// Gives up: the staging folder is removed, the previous output stands.
    pub(crate) fn abandon(self) {}
}

impl Drop for OutputWriter<'_> {
    fn drop(&mut self) {
        if !self.finished {
            let _ = remove_tree(&self.staging);
        }
    }
}

fn refuse_foreign(out_dir: &Path, verb: &str) -> anyhow::Result<()> {
    if is_replaceable(out_dir)? {
        return Ok(());
    }
    Err(UsageError(format!(
        "refusing to {verb} `{}`: it is not empty and was not made by playbook (it has no `{MARKER}` file); \
         choose another output folder with -d, or empty it first",
        out_dir.display()
    ))
    .into())
}

/// Removes what builds of `name` that were killed left beside it: their
/// staging folders, and the old output of an interrupted two-rename swap.
/// Only folders that are recognisably ours are touched; the lock means no
/// running build owns one.
fn remove_leftovers(parent: &Path, name: &str) -> anyhow::Result<()> {
    let prefix = format!(".{name}.playbook-");
    let entries = fs::read_dir(parent).with_context(|| format!("failed to read `{}`", parent.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("failed to read `{}`", parent.display()))?;
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else { continue };
        let Some(kind) = file_name.strip_prefix(&prefix) else { continue };
        if !(kind.starts_with("tmp") || kind.starts_with("old")) {
            continue;
        }
        let dir = entry.path();
        if !is_replaceable(&dir)? {
            bail!("`{}` is in the way and was not made by playbook; move it away", dir.display());
        }
        remove_tree(&dir).with_context(|| format!("failed to remove `{}`", dir.display()))?;
    }
    Ok(())
}

/// Copies a file of the playbook, read through the boundary: it may have
/// become a link to somewhere else since it was listed.
fn copy_through(boundary: Boundary<'_>, source: &Path, target: &Path) -> io::Result<()> {
    let mut from = boundary.open(source)?;
    let mut to = File::create(target)?;
    io::copy(&mut from, &mut to).map(drop)
}

/// A file the previous build wrote with the same bytes is linked into the
/// new output rather than written again: a rebuild of a large handbook where
/// little changed then dirties almost no disk blocks. Any doubt (another
/// size, a read error, a file system without hard links) means a plain write.
fn link_if_unchanged(old: &Path, bytes: &[u8], target: &Path) -> bool {
    let Ok(meta) = fs::symlink_metadata(old) else { return false };
    if !meta.is_file() || meta.len() != bytes.len() as u64 {
        return false;
    }
    matches!(fs::read(old), Ok(existing) if existing == bytes) && fs::hard_link(old, target).is_ok()
}

/// Removes a folder tree, its top-level entries in parallel: the previous
/// output of a large handbook is thousands of folders. The marker goes
/// last, so a removal killed halfway leaves a folder still known as ours.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().filter(|entry| entry.file_name() != MARKER).try_for_each(remove_entry)?;
    match fs::remove_file(dir.join(MARKER)) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// Removes one entry of a folder being removed; a folder's own entries in
/// parallel too, since one folder may hold most of the files (the search
/// index's texts, one per page).
fn remove_entry(entry: &fs::DirEntry) -> io::Result<()> {
    if !entry.file_type()?.is_dir() {
        return fs::remove_file(entry.path());
    }
    let entries: Vec<_> = fs::read_dir(entry.path())?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(remove_entry)?;
    fs::remove_dir(entry.path())
}

/// Puts the staging folder in place of `out_dir`, then removes what was
/// there. After the exchange the staging path holds the old site.
fn swap_in(staging: &Path, out_dir: &Path) -> anyhow::Result<()> {
    if !out_dir.exists() {
        return fs::rename(staging, out_dir).or_else(|error| {
            let _ = remove_tree(staging);
            Err(error).with_context(|| format!("failed to move the new output into `{}`", out_dir.display()))
        });
    }
    match exchange(staging, out_dir) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::Unsupported => two_renames(staging, out_dir)?,
        Err(error) => {
            let _ = remove_tree(staging);
            return Err(error).with_context(|| format!("failed to swap the new output into `{}`", out_dir.display()));
        }
    }
    remove_tree(staging).with_context(|| format!("failed to remove the old output, now at `{}`", staging.display()))
}

/// Exchanges two folders in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // A file system without RENAME_EXCHANGE (some network and FUSE ones).
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => Err(io::ErrorKind::Unsupported.into()),
        Err(errno) => Err(errno.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The swap where folders cannot be exchanged: the old output is moved
/// aside, then the new one in. `staging` ends up holding the old output.
fn two_renames(staging: &Path, out_dir: &Path) -> anyhow::Result<()> {
    let (parent, name) = parent_and_name(out_dir)?;
    let aside = parent.join(format!(".{name}.playbook-old-{}", std::process::id()));
    fs::rename(out_dir, &aside)
        .with_context(|| format!("failed to move the old output `{}` aside", out_dir.display()))?;
    if let Err(error) = fs::rename(staging, out_dir) {
        let _ = fs::rename(&aside, out_dir);
        let _ = remove_tree(staging);
        return Err(error).with_context(|| format!("failed to move the new output into `{}`", out_dir.display()));
    }
    fs::rename(&aside, staging).with_context(|| format!("failed to move `{}`", aside.display()))
}

/// Deletes an output folder, if it is one playbook made, and what killed
/// builds left beside it. The caller holds the [`OutputLock`].
pub(crate) fn remove_output(_lock: &OutputLock, out_dir: &Path) -> anyhow::Result<bool> {
    refuse_foreign(out_dir, "delete")?;
    let (parent, name) = parent_and_name(out_dir)?;
    if parent.is_dir() {
        remove_leftovers(&parent, &name)?;
    }
    if !out_dir.exists() {
        return Ok(false);
    }
    remove_tree(out_dir).with_context(|| format!("failed to remove `{}`", out_dir.display()))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes the lock and writes, reading copies from the folder around `out`.
    fn write(out: &Path, files: &[OutputFile]) -> anyhow::Result<()> {
        let root = out.parent().unwrap().canonicalize().unwrap();
        let lock = lock_output(out, || {})?;
        if let Some(bad) = files.iter().find(|f| !is_contained(&f.path)) {
            bail!("refusing to write `{}`", bad.path);
        }
        let writer = OutputWriter::start(&lock, out, Boundary::new(&root))?;
        for file in files {
            writer.write(file)?;
        }
        writer.finish().map(drop)
    }

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), contents: Contents::Bytes(text.as_bytes().to_vec()) }
    }

    #[test]
    fn containment() {
        assert!(is_contained("a/index.html"));
        for bad in ["", "/etc/passwd", "../x", "a/../../x", "a\\b", "a//b", "./a", "a/\0"] {
            assert!(!is_contained(bad), "{bad:?}");
        }
    }

    #[test]
    fn writes_then_replaces_and_cleans_up() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("book");
        write(&out, &[file("a/index.html", "one"), file("old.html", "x")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "one");
        write(&out, &[file("a/index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("old.html").exists());
        let names: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["book"], "no staging folders left behind");
    }

    #[test]
    fn refuses_to_replace_a_foreign_folder() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("precious.txt"), "keep").unwrap();
        let error = write(tmp.path(), &[file("index.html", "x")]).unwrap_err();
        assert!(error.downcast_ref::<UsageError>().is_some());
        assert_eq!(fs::read_to_string(tmp.path().join("precious.txt")).unwrap(), "keep");
        let lock = lock_output(tmp.path(), || {}).unwrap();
        assert!(remove_output(&lock, tmp.path()).is_err());
    }

    #[test]
    fn refuses_escaping_paths_before_touching_anything() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("book");
        assert!(write(&out, &[file("../evil.html", "x")]).is_err());
        assert!(!out.exists());
        assert!(!tmp.path().join("evil.html").exists());
    }

    #[test]
    fn unchanged_files_are_linked_changed_ones_written() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("book");
        write(&out, &[file("same.html", "same"), file("changes.html", "one")]).unwrap();
        let inode = fs::metadata(out.join("same.html")).unwrap().ino();
        write(&out, &[file("same.html", "same"), file("changes.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("changes.html")).unwrap(), "two");
        assert_eq!(fs::read_to_string(out.join("same.html")).unwrap(), "same");
        assert_eq!(fs::metadata(out.join("same.html")).unwrap().ino(), inode, "linked, not rewritten");
        assert_eq!(fs::metadata(out.join("same.html")).unwrap().nlink(), 1, "the old tree is gone");
    }

    #[test]
    fn issue_9_the_output_is_never_absent_during_a_swap() {
        // With two renames (old aside, new in) there is a moment with no
        // site at all; a crash there left none. The swap is one exchange.
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("book");
        write(&out, &[file("index.html", "0")]).unwrap();
        let done = AtomicBool::new(false);
        let absent = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    if !out.join("index.html").exists() {
                        absent.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
            for round in 0..300 {
                write(&out, &[file("index.html", &round.to_string())]).unwrap();
            }
            done.store(true, Ordering::Relaxed);
        });
        assert_eq!(absent.load(Ordering::Relaxed), 0, "the site was seen missing");
    }

    #[test]
    fn failed_write_keeps_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("book");
        write(&out, &[file("index.html", "good")]).unwrap();
        let missing = OutputFile { path: "img.png".into(), contents: Contents::CopyOf(tmp.path().join("nope.png")) };
        assert!(write(&out, &[file("index.html", "new"), missing]).is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
    }
}
