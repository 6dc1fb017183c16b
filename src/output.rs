//! Writing the built site: the only place that writes the output folder.
//!
//! [`write_atomic`] writes everything to a temporary folder beside the output
//! and swaps it in, so a failed or interrupted build leaves the previous
//! output as it was. Every path is checked to stay inside the output folder,
//! and an existing folder is only replaced if an earlier build made it (it
//! holds [`MARKER`]): `-d ~/Documents` must never delete someone's documents.

use std::fs;
use std::path::{Component, Path};

use anyhow::{Context as _, bail};
use rayon::prelude::*;

use crate::UsageError;
use crate::render::{Contents, OutputFile};

/// The file that marks a folder as playbook's output, safe to replace.
pub const MARKER: &str = ".playbook-build";

const MARKER_TEXT: &str = "This folder is written by `playbook build` and replaced on every build.\n";

/// Whether `path` is a relative path that stays inside the folder it is
/// joined to: no root, no `..`, no backslashes, no empty segments.
pub fn is_contained(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0'])
        && path.split('/').all(|segment| !matches!(segment, "" | "." | ".."))
        && Path::new(path).components().all(|c| matches!(c, Component::Normal(_)))
}

/// Whether `dir` is absent, empty, or an earlier build's output.
pub fn is_replaceable(dir: &Path) -> anyhow::Result<bool> {
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

/// Writes `files` as the new contents of `out_dir`, all or nothing.
pub fn write_atomic(out_dir: &Path, files: &[OutputFile]) -> anyhow::Result<()> {
    if let Some(bad) = files.iter().find(|f| !is_contained(&f.path)) {
        bail!("refusing to write `{}`: it would leave the output folder", bad.path);
    }
    if !is_replaceable(out_dir)? {
        return Err(UsageError(format!(
            "refusing to replace `{}`: it is not empty and was not made by playbook (it has no `{MARKER}` file); \
             choose another output folder with -d, or empty it first",
            out_dir.display()
        ))
        .into());
    }
    let name = out_dir.file_name().context("the output folder has no name")?.to_string_lossy().into_owned();
    let parent = out_dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).with_context(|| format!("failed to create `{}`", parent.display()))?;
    let staging = parent.join(format!(".{name}.playbook-tmp"));
    let previous = parent.join(format!(".{name}.playbook-old"));
    for leftover in [&staging, &previous] {
        remove_own_folder(leftover)?;
    }
    fs::create_dir(&staging).with_context(|| format!("failed to create `{}`", staging.display()))?;
    fs::write(staging.join(MARKER), MARKER_TEXT)
        .with_context(|| format!("failed to write in `{}`", staging.display()))?;
    let previous_output = out_dir.is_dir().then_some(out_dir);
    if let Err(error) = write_files(&staging, files, previous_output) {
        let _ = fs::remove_dir_all(&staging);
        return Err(error);
    }
    swap_in(&staging, out_dir, &previous)
}

/// Removes a staging folder left by an interrupted build, but only if it is
/// recognisably ours.
fn remove_own_folder(dir: &Path) -> anyhow::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !is_replaceable(dir)? {
        bail!("`{}` is in the way and was not made by playbook; move it away", dir.display());
    }
    remove_tree(dir).with_context(|| format!("failed to remove `{}`", dir.display()))
}

fn write_files(staging: &Path, files: &[OutputFile], previous: Option<&Path>) -> anyhow::Result<()> {
    // Each task creates its file's folder and writes the file: with one
    // folder per page, creating 10,000 folders first and writing after would
    // leave one core idle for most of the write.
    files.par_iter().try_for_each(|file| {
        let target = staging.join(&file.path);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).with_context(|| format!("failed to create `{}`", dir.display()))?;
        }
        match &file.contents {
            Contents::Bytes(bytes) => {
                if let Some(old) = previous.map(|p| p.join(&file.path)) {
                    if link_if_unchanged(&old, bytes, &target) {
                        return Ok(());
                    }
                }
                fs::write(&target, bytes).with_context(|| format!("failed to write `{}`", target.display()))
            }
            Contents::CopyOf(source) => fs::copy(source, &target)
                .map(drop)
                .with_context(|| format!("failed to copy `{}` to `{}`", source.display(), target.display())),
        }
    })
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
/// output of a large handbook is thousands of folders.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() { fs::remove_dir_all(entry.path()) } else { fs::remove_file(entry.path()) }
    })?;
    fs::remove_dir(dir)
}

fn swap_in(staging: &Path, out_dir: &Path, previous: &Path) -> anyhow::Result<()> {
    let had_output = out_dir.exists();
    if had_output {
        fs::rename(out_dir, previous)
            .with_context(|| format!("failed to move the old output `{}` aside", out_dir.display()))?;
    }
    if let Err(error) = fs::rename(staging, out_dir) {
        if had_output {
            let _ = fs::rename(previous, out_dir);
        }
        let _ = fs::remove_dir_all(staging);
        return Err(error).with_context(|| format!("failed to move the new output into `{}`", out_dir.display()));
    }
    if had_output {
        fs::remove_dir_all(previous)
            .with_context(|| format!("failed to remove the old output `{}`", previous.display()))?;
    }
    Ok(())
}

/// Deletes an output folder, if it is one playbook made.
pub fn remove_output(out_dir: &Path) -> anyhow::Result<bool> {
    if !out_dir.exists() {
        return Ok(false);
    }
    if !is_replaceable(out_dir)? {
        return Err(UsageError(format!(
            "refusing to delete `{}`: it was not made by playbook (it has no `{MARKER}` file)",
            out_dir.display()
        ))
        .into());
    }
    fs::remove_dir_all(out_dir).with_context(|| format!("failed to remove `{}`", out_dir.display()))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        write_atomic(&out, &[file("a/index.html", "one"), file("old.html", "x")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "one");
        write_atomic(&out, &[file("a/index.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("old.html").exists());
        let names: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["book"], "no staging folders left behind");
    }

    #[test]
    fn refuses_to_replace_a_foreign_folder() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("precious.txt"), "keep").unwrap();
        let error = write_atomic(tmp.path(), &[file("index.html", "x")]).unwrap_err();
        assert!(error.downcast_ref::<UsageError>().is_some());
        assert_eq!(fs::read_to_string(tmp.path().join("precious.txt")).unwrap(), "keep");
        assert!(remove_output(tmp.path()).is_err());
    }

    #[test]
    fn refuses_escaping_paths_before_touching_anything() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("book");
        assert!(write_atomic(&out, &[file("../evil.html", "x")]).is_err());
        assert!(!out.exists());
        assert!(!tmp.path().join("evil.html").exists());
    }

    #[test]
    fn unchanged_files_are_linked_changed_ones_written() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("book");
        write_atomic(&out, &[file("same.html", "same"), file("changes.html", "one")]).unwrap();
        let inode = fs::metadata(out.join("same.html")).unwrap().ino();
        write_atomic(&out, &[file("same.html", "same"), file("changes.html", "two")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("changes.html")).unwrap(), "two");
        assert_eq!(fs::read_to_string(out.join("same.html")).unwrap(), "same");
        assert_eq!(fs::metadata(out.join("same.html")).unwrap().ino(), inode, "linked, not rewritten");
        assert_eq!(fs::metadata(out.join("same.html")).unwrap().nlink(), 1, "the old tree is gone");
    }

    #[test]
    fn failed_write_keeps_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("book");
        write_atomic(&out, &[file("index.html", "good")]).unwrap();
        let missing = OutputFile { path: "img.png".into(), contents: Contents::CopyOf(tmp.path().join("nope.png")) };
        assert!(write_atomic(&out, &[file("index.html", "new"), missing]).is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
    }
}
