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

/// How long to wait for more events after the first, so one save (often a
/// write, a rename and a chmod) is one rebuild.
const QUIET: Duration = Duration::from_millis(8);
/// The longest a batch may gather, so a stream of writes still rebuilds.
const MAX_BATCH: Duration = Duration::from_millis(60);

/// The folders a layout reads: the playbook folder itself (for
/// `book.toml`), not recursively; the content folder and `themes/`,
/// recursively (all themes, so switching to another one needs no restart).
fn watched_folders(layout: &Layout) -> BTreeSet<(PathBuf, bool)> {
    let mut folders = BTreeSet::from([(layout.root.clone(), false), (layout.content_dir.clone(), true)]);
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
    pub(crate) fn start(layout: &Layout) -> anyhow::Result<(Watching, Receiver<Vec<PathBuf>>)> {
        let (raw_tx, raw_rx) = channel::<PathBuf>();
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if let Ok(event) = event
                && !matches!(event.kind, notify::EventKind::Access(_))
            {
                for path in event.paths {
                    let _ = raw_tx.send(path);
                }
            }
        })
        .context("failed to start watching files")?;
        let mut watching = Watching { watcher, folders: BTreeSet::new() };
        watching.follow(layout)?;
        let (batch_tx, batch_rx) = channel();
        std::thread::spawn(move || debounce(&raw_rx, &batch_tx));
        Ok((watching, batch_rx))
    }

    /// Watches what `layout` reads now, and stops watching what it no
    /// longer does (a content folder `book.toml` moved away from).
    pub(crate) fn follow(&mut self, layout: &Layout) -> anyhow::Result<()> {
        let wanted = watched_folders(layout);
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

fn debounce(raw: &Receiver<PathBuf>, batches: &Sender<Vec<PathBuf>>) {
    while let Ok(first) = raw.recv() {
        let started = Instant::now();
        let mut batch = vec![first];
        loop {
            match raw.recv_timeout(QUIET) {
                Ok(path) => batch.push(path),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if started.elapsed() > MAX_BATCH {
                break;
            }
        }
        batch.sort();
        batch.dedup();
        if batches.send(batch).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_theme_and_the_content_folder_are_watched() {
        let layout = Layout::for_tests("/nonexistent/b".into(), "/nonexistent/b/content".into(), "/b/book".into(), "x");
        let folders = watched_folders(&layout);
        assert!(folders.contains(&(PathBuf::from("/nonexistent/b"), false)));
        assert!(folders.contains(&(PathBuf::from("/nonexistent/b/content"), true)));
    }
}
