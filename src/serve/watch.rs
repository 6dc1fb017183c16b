//! Watching the playbook for edits: notify events in, debounced batches of
//! changed paths out. What a path means is the engine's business
//! (`engine::classify`); this module only makes sure every folder the
//! current layout reads is watched, including after `book.toml` switches
//! the theme or moves the content folder.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use notify::{RecursiveMode, Watcher as _};

use crate::layout::Layout;

/// How long to wait for more events after the last, so one save (often a
/// write, a rename and a chmod) is one rebuild.
const QUIET: Duration = Duration::from_millis(8);
/// How long to wait instead when every file of the batch is settled (last
/// closed after writing, removed or renamed): the writer is done with it,
/// and only an event that follows at once (the rename of a save through a
/// temp file) is worth catching in the same batch.
const GRACE: Duration = Duration::from_millis(1);
/// The longest a batch may gather, so a stream of writes still rebuilds.
const MAX_BATCH: Duration = Duration::from_millis(60);

/// The folders a layout reads: the playbook folder itself (for
/// `book.toml`), not recursively; the content folder and `themes/`,
/// recursively (all themes, so switching to another one needs no restart);
/// and `also`, the folders of files pages include, not recursively.
fn watched_folders(layout: &Layout, also: &BTreeSet<PathBuf>) -> BTreeSet<(PathBuf, bool)> {
    let mut folders = BTreeSet::from([(layout.root.clone(), false), (layout.content_dir.clone(), true)]);
    folders.extend(also.iter().filter(|f| !f.starts_with(&layout.content_dir)).map(|f| (f.clone(), false)));
    let themes = layout.root.join("themes");
    if themes.is_dir() {
        folders.insert((themes, true));
    }
    folders
}

/// A running watch of a playbook's folders.
pub(crate) struct Watching {
    watcher: notify::RecommendedWatcher,
    folders: BTreeSet<(PathBuf, bool)>,
}

impl Watching {
    /// Starts watching what `layout` reads; batches of changed paths arrive
    /// on the returned channel.
    pub(crate) fn start(
        layout: &Layout,
        also: &BTreeSet<PathBuf>,
    ) -> anyhow::Result<(Watching, Receiver<Vec<PathBuf>>)> {
        let (raw_tx, raw_rx) = channel::<(PathBuf, bool)>();
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            let Some(settled) = settles(&event.kind) else { return };
            for path in event.paths {
                let _ = raw_tx.send((path, settled));
            }
        })
        .context("failed to start watching files")?;
        let mut watching = Watching { watcher, folders: BTreeSet::new() };
        watching.follow(layout, also)?;
        let (batch_tx, batch_rx) = channel();
        std::thread::spawn(move || debounce(&raw_rx, &batch_tx));
        Ok((watching, batch_rx))
    }

    /// Watches what `layout` reads now, with the folders `also`, and stops
    /// watching what it no longer does (a content folder `book.toml` moved
    /// away from).
    pub(crate) fn follow(&mut self, layout: &Layout, also: &BTreeSet<PathBuf>) -> anyhow::Result<()> {
        let wanted = watched_folders(layout, also);
        for (folder, _) in self.folders.difference(&wanted) {
            let _ = self.watcher.unwatch(folder);
        }
        for (folder, recursive) in wanted.difference(&self.folders) {
            let mode = if *recursive { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
            self.watcher.watch(folder, mode).with_context(|| format!("failed to watch `{}`", folder.display()))?;
        }
        self.folders = wanted;
        Ok(())
    }
}

/// Whether an event leaves its file settled: closed after writing, removed,
/// or renamed (the last step of a save through a temporary file). `None`
/// for events that change nothing (a read).
fn settles(kind: &notify::EventKind) -> Option<bool> {
    use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Some(true),
        EventKind::Access(_) => None,
        EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_)) => Some(true),
        _ => Some(false),
    }
}

/// Gathers events into batches: a batch ends when no event came for
/// [`QUIET`] (or [`GRACE`], once every file in it was closed after writing),
/// or after [`MAX_BATCH`].
fn debounce(raw: &Receiver<(PathBuf, bool)>, batches: &Sender<Vec<PathBuf>>) {
    while let Ok(first) = raw.recv() {
        let started = Instant::now();
        let mut gathering = Gathering::default();
        let mut next = Some(first);
        while let Some((path, closed_after_writing)) = next.take() {
            let wait = gathering.take(path, closed_after_writing);
            if started.elapsed() > MAX_BATCH {
                break;
            }
            match raw.recv_timeout(wait) {
                Ok(event) => next = Some(event),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let mut batch = gathering.batch;
        batch.sort();
        batch.dedup();
        if batches.send(batch).is_err() {
            return;
        }
    }
}

/// A batch of changed paths being gathered.
#[derive(Debug, Default)]
struct Gathering {
    batch: Vec<PathBuf>,
    /// Paths with an event since they were last settled (see [`settles`]).
    open: BTreeSet<PathBuf>,
}

impl Gathering {
    /// Takes in one event; returns how long to wait for the next one before
    /// the batch ends.
    fn take(&mut self, path: PathBuf, settled: bool) -> Duration {
        if settled {
            self.open.remove(&path);
        } else {
            self.open.insert(path.clone());
        }
        self.batch.push(path);
        if self.open.is_empty() { GRACE } else { QUIET }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_waits_briefly_only_once_every_file_in_it_was_closed_after_writing() {
        let mut gathering = Gathering::default();
        assert_eq!(gathering.take("c/a.md".into(), false), QUIET, "a truncate or write: more may come");
        assert_eq!(gathering.take("c/b.md".into(), false), QUIET);
        assert_eq!(gathering.take("c/a.md".into(), true), QUIET, "b.md is still being written");
        assert_eq!(gathering.take("c/b.md".into(), true), GRACE, "both writers are done");
        assert_eq!(gathering.take("c/b.md".into(), false), QUIET, "written again");
        assert_eq!(gathering.batch.len(), 5);
    }

    #[test]
    fn removed_and_renamed_files_are_settled_but_created_ones_are_not() {
        use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind, RemoveKind, RenameMode};
        assert_eq!(settles(&EventKind::Remove(RemoveKind::File)), Some(true), "a deletion is complete");
        assert_eq!(settles(&EventKind::Modify(ModifyKind::Name(RenameMode::To))), Some(true));
        assert_eq!(settles(&EventKind::Access(AccessKind::Close(AccessMode::Write))), Some(true));
        assert_eq!(settles(&EventKind::Create(CreateKind::File)), Some(false), "its text is still coming");
        assert_eq!(settles(&EventKind::Modify(ModifyKind::Any)), Some(false));
        assert_eq!(settles(&EventKind::Access(AccessKind::Read)), None);
    }

    #[test]
    fn every_theme_and_the_content_folder_are_watched() {
        let layout = Layout::for_tests("/nonexistent/b".into(), "/nonexistent/b/content".into(), "/b/book".into(), "x");
        let folders = watched_folders(&layout, &BTreeSet::new());
        assert!(folders.contains(&(PathBuf::from("/nonexistent/b"), false)));
        assert!(folders.contains(&(PathBuf::from("/nonexistent/b/content"), true)));
    }
}
