//! Watching the playbook for edits: notify events in, debounced batches of
//! changed paths out, classified by the pure [`classify`] into what a
//! rebuild must redo.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use notify::{RecursiveMode, Watcher as _};

use crate::boundary::is_site_path;
use crate::config::CONFIG_FILE;
use crate::source::is_page_path;

/// What changed, as far as a rebuild is concerned.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ChangeSet {
    /// `book.toml` changed: everything is rebuilt.
    pub config: bool,
    /// A file of the active theme changed: everything is re-rendered.
    pub theme: bool,
    /// Pages (paths inside `content/`) edited, added or deleted.
    pub pages: BTreeSet<String>,
    /// Something else in `content/` changed (an asset, a folder): the content
    /// folder is walked again to find out what.
    pub rescan: bool,
}

impl ChangeSet {
    /// Whether nothing that matters changed.
    pub fn is_empty(&self) -> bool {
        !self.config && !self.theme && self.pages.is_empty() && !self.rescan
    }
}

/// Where the watched parts of a playbook are.
#[derive(Debug, Clone)]
pub struct Watched {
    /// The playbook folder.
    pub root: PathBuf,
    /// `content/`.
    pub content_dir: PathBuf,
    /// `themes/<active theme>/`.
    pub theme_dir: PathBuf,
}

/// Sorts changed paths into a [`ChangeSet`]. Editor temp files, hidden files
/// and anything outside the watched parts are ignored.
pub fn classify(paths: &[PathBuf], watched: &Watched) -> ChangeSet {
    let mut changes = ChangeSet::default();
    for path in paths {
        // Only the part below the playbook folder is judged: the playbook
        // itself may well live under a hidden folder.
        let Ok(inside) = path.strip_prefix(&watched.root) else { continue };
        let inside = inside.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if !inside.is_empty() && !is_site_path(&inside) {
            continue;
        }
        if path == &watched.root.join(CONFIG_FILE) {
            changes.config = true;
        } else if path.starts_with(&watched.theme_dir) {
            changes.theme = true;
        } else if let Ok(rel) = path.strip_prefix(&watched.content_dir) {
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            if rel.is_empty() || !is_page_path(Path::new(&rel)) || path.is_dir() {
                changes.rescan = true;
            } else {
                changes.pages.insert(rel);
            }
        }
    }
    changes
}

/// How long to wait for more events after the first, so one save (often a
/// write, a rename and a chmod) is one rebuild.
const QUIET: Duration = Duration::from_millis(8);
/// The longest a batch may gather, so a stream of writes still rebuilds.
const MAX_BATCH: Duration = Duration::from_millis(60);

/// Watches `watched` and sends debounced batches of changed paths. The
/// returned watcher must be kept alive.
pub fn watch(watched: &Watched) -> anyhow::Result<(notify::RecommendedWatcher, Receiver<Vec<PathBuf>>)> {
    let (raw_tx, raw_rx) = channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            for path in event.paths {
                let _ = raw_tx.send(path);
            }
        }
    })
    .context("failed to start watching files")?;
    watcher.watch(&watched.root, RecursiveMode::NonRecursive).context("failed to watch the playbook folder")?;
    watcher.watch(&watched.content_dir, RecursiveMode::Recursive).context("failed to watch the content folder")?;
    if watched.theme_dir.is_dir() {
        watcher.watch(&watched.theme_dir, RecursiveMode::Recursive).context("failed to watch the theme folder")?;
    }
    let (batch_tx, batch_rx) = channel();
    std::thread::spawn(move || debounce(&raw_rx, &batch_tx));
    Ok((watcher, batch_rx))
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

    fn watched() -> Watched {
        Watched { root: "/b".into(), content_dir: "/b/content".into(), theme_dir: "/b/themes/mine".into() }
    }

    fn classify_paths(paths: &[&str]) -> ChangeSet {
        classify(&paths.iter().map(PathBuf::from).collect::<Vec<_>>(), &watched())
    }

    #[test]
    fn pages_config_theme_and_assets() {
        let c = classify_paths(&[
            "/b/content/a.md",
            "/b/content/guides/b.md",
            "/b/book.toml",
            "/b/themes/mine/static/style.css",
        ]);
        assert!(c.config && c.theme && !c.rescan);
        assert_eq!(c.pages.iter().map(String::as_str).collect::<Vec<_>>(), ["a.md", "guides/b.md"]);
        assert!(classify_paths(&["/b/content/img/a.png"]).rescan);
    }

    #[test]
    fn a_playbook_inside_a_hidden_folder_still_sees_its_edits() {
        let watched = Watched {
            root: "/tmp/.tmpAb12/book".into(),
            content_dir: "/tmp/.tmpAb12/book/content".into(),
            theme_dir: "/tmp/.tmpAb12/book/themes/default".into(),
        };
        let c = classify(&[PathBuf::from("/tmp/.tmpAb12/book/content/a.md")], &watched);
        assert_eq!(c.pages.len(), 1);
    }

    #[test]
    fn editor_files_and_other_folders_are_ignored() {
        let c = classify_paths(&[
            "/b/content/.a.md.swp",
            "/b/content/a.md~",
            "/b/content/#a.md#",
            "/b/content/4913",
            "/b/book/index.html",
            "/b/themes/other/x.html",
            "/b/.git/index",
        ]);
        assert_eq!(c, ChangeSet::default());
        assert!(c.is_empty());
    }
}
