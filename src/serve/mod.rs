//! `playbook serve`: build in memory, serve on loopback, watch, rebuild what
//! changed, reload open pages. Nothing is written to disk, so stopping it
//! (Ctrl-C) can never leave anything of the user's half-written.
//!
//! Thin by design: `watch.rs` turns file events into batches of changed
//! paths, the [`Engine`] takes them in and renders what changed into a new
//! [`Snapshot`], and `http.rs` serves it (with `guard.rs` checking requests
//! and `body.rs` carrying responses). This module wires them and reports to
//! the terminal.

mod body;
pub(crate) mod guard;
pub(crate) mod http;
mod stored;
pub(crate) mod watch;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Context as _;

use crate::analysis::Mode;
use crate::diag::{Code, Diagnostic, emit};
use crate::engine::Engine;
use crate::layout::load_layout;
use crate::render::Contents;
use http::Live;
use stored::Stored;
use watch::Watching;

/// How `serve` was asked to run.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    /// The playbook folder.
    pub(crate) dir: PathBuf,
    /// The address to bind; loopback unless the user says otherwise.
    pub(crate) host: IpAddr,
    /// The port; 0 picks a free one.
    pub(crate) port: u16,
    /// Open the browser once serving.
    pub(crate) open: bool,
    /// Print the time of each stage after every rebuild.
    pub(crate) timings: bool,
    /// How to colour diagnostics.
    pub(crate) color: emit::Color,
}

/// The files of the last good build: exactly what `build` would publish
/// (plus the live-reload script in every page).
#[derive(Debug, Default, Clone)]
pub(crate) struct Snapshot {
    /// Site-relative path -> bytes, for the files the build makes. Shared
    /// keys: every edit publishes a copy of this map with its changes.
    pub(crate) files: HashMap<Arc<str>, Stored>,
    /// Site-relative path -> the file in `content/` it is a copy of. Read
    /// when requested, through the playbook's boundary.
    pub(crate) assets: HashMap<String, PathBuf>,
}

/// A rendered file on its way into the snapshot.
enum Incoming {
    /// Made by the build, kept compressed.
    Made(Stored),
    /// A copy of a file of `content/`.
    CopyOf(PathBuf),
}

/// How many bytes of an edit's files are served before they are
/// compressed: enough for the pages an edit touches, including the largest
/// lists, while a rebuild of everything (the first, a theme change) is
/// compressed as it renders and never holds the whole site plain.
const PLAIN_PER_PUBLISH: usize = 24 << 20;

impl Incoming {
    /// Keeps what the build made plain while `room` lasts, compressed (on
    /// the thread that rendered it) after.
    fn of(contents: Contents, room: &AtomicUsize) -> Incoming {
        match contents {
            Contents::Bytes(bytes) => {
                let fits = room.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |r| r.checked_sub(bytes.len()));
                Incoming::Made(if fits.is_ok() { Stored::plain(bytes) } else { Stored::new(bytes) })
            }
            Contents::CopyOf(source) => Incoming::CopyOf(source),
        }
    }
}

impl Snapshot {
    fn insert(&mut self, path: String, file: Incoming) {
        match file {
            Incoming::Made(stored) => {
                self.assets.remove(&path);
                self.files.insert(path.into(), stored);
            }
            Incoming::CopyOf(source) => {
                self.files.remove(path.as_str());
                self.assets.insert(path, source);
            }
        }
    }

    fn remove(&mut self, path: &str) {
        self.files.remove(path);
        self.assets.remove(path);
    }
}

/// Serves until the process is stopped.
pub(crate) fn run(options: &ServeOptions) -> anyhow::Result<()> {
    let mut layout = match load_layout(&options.dir, None)? {
        Ok(layout) => layout,
        Err(problems) => {
            eprint!("{}", emit::human(&problems, options.color));
            anyhow::bail!("the configuration has errors; fix book.toml, then start serve again");
        }
    };
    // The site is served at the root of this server, whatever site-url says,
    // and with its drafts, marked.
    layout.config.build.site_url = "/".into();
    layout.config.build.drafts = true;
    // The port first: a busy one is said at once, not after the build.
    let listener = bind(options.host, options.port)?;
    let started = Instant::now();
    let mut engine = Engine::load(layout, Mode::Build, true)?;
    let live = Arc::new(Live::new(Arc::default()));
    let mut snapshot = Arc::new(Snapshot::default());
    let mut first = publish(&mut engine, &mut snapshot, &live, started, options)?;
    first.extend(publish_deferred(&mut engine, &mut snapshot, &live, options)?);
    compact(&mut snapshot, &live, first);
    give_back_free_memory();
    let mut plain = Vec::new();

    // Watch before announcing the address: an edit made as soon as the
    // server says it is ready must not be missed.
    let (mut watching, batches) = Watching::start(engine.layout(), &engine.included_folders())?;
    let port = listener.local_addr()?.port();
    if !options.host.is_loopback() {
        eprintln!(
            "warning: serving on {}, reachable from other machines: your drafts are visible to your network",
            options.host
        );
    }
    let shown_host = if options.host.is_unspecified() { "127.0.0.1".to_string() } else { options.host.to_string() };
    let url =
        format!("http://{}:{port}/", if shown_host.contains(':') { format!("[{shown_host}]") } else { shown_host });
    println!("serving `{}` at {url} (Ctrl-C to stop)", engine.layout().config.book.title);
    let shared_layout = Arc::new(Mutex::new(engine.layout().clone()));
    {
        let (live, shared_layout) = (live.clone(), shared_layout.clone());
        std::thread::spawn(move || {
            if let Err(error) = http::serve(listener, live, shared_layout, port) {
                eprintln!("error: the server stopped: {error}");
            }
        });
    }
    if options.open {
        open_browser(&url);
    }

    let mut publishes_since_compacted = 0;
    loop {
        // Files published plain are compressed once the server is idle, so
        // the reload that follows an edit does not wait behind it.
        let paths = if engine.has_deferred() {
            match batches.recv_timeout(DEFERRED_WHEN_IDLE_FOR) {
                Ok(paths) => paths,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    plain.extend(publish_deferred(&mut engine, &mut snapshot, &live, options)?);
                    continue;
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            }
        } else if plain.is_empty() {
            match batches.recv() {
                Ok(paths) => paths,
                Err(_) => break,
            }
        } else {
            match batches.recv_timeout(COMPACT_WHEN_IDLE_FOR) {
                Ok(paths) if publishes_since_compacted < COMPACT_AFTER_PUBLISHES => paths,
                Ok(paths) => {
                    compact(&mut snapshot, &live, std::mem::take(&mut plain));
                    publishes_since_compacted = 0;
                    paths
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    compact(&mut snapshot, &live, std::mem::take(&mut plain));
                    publishes_since_compacted = 0;
                    give_back_free_memory();
                    continue;
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            }
        };
        let started = Instant::now();
        // A `themes/` folder may have appeared; book.toml may have moved the
        // content folder.
        watching.follow(engine.layout(), &engine.included_folders())?;
        if !engine.update(&paths)? {
            continue;
        }
        watching.follow(engine.layout(), &engine.included_folders())?;
        let mut layout = engine.layout().clone();
        layout.config.build.site_url = "/".into();
        *shared_layout.lock().expect("layout lock") = layout;
        plain.extend(publish(&mut engine, &mut snapshot, &live, started, options)?);
        engine.release_replaced();
        give_back_free_memory();
        publishes_since_compacted += 1;
    }
    Ok(())
}

/// How long the server waits, after publishing, before it compresses what
/// it published plain: a reader's reload of the changed pages comes first.
const COMPACT_WHEN_IDLE_FOR: std::time::Duration = std::time::Duration::from_millis(250);

/// How long the server waits, after publishing an edit, before it renders
/// what it left for later (the book to print): another save in a burst
/// comes first.
const DEFERRED_WHEN_IDLE_FOR: std::time::Duration = std::time::Duration::from_millis(100);

/// Renders what the last publish left for later and publishes it; open
/// copies of it reload. Returns the paths published, to compress later.
fn publish_deferred(
    engine: &mut Engine,
    snapshot: &mut Arc<Snapshot>,
    live: &Live,
    options: &ServeOptions,
) -> anyhow::Result<Vec<String>> {
    let arriving = Arriving::new();
    let rendered = engine.render_deferred(|file| arriving.take(file))?;
    if !rendered.problems.is_empty() {
        eprint!("{}", emit::human(&rendered.problems, options.color));
    }
    if rendered.changed.is_empty() {
        return Ok(Vec::new());
    }
    let mut next = Snapshot::clone(snapshot);
    for (path, file) in arriving.into_files() {
        next.insert(path, file);
    }
    *snapshot = Arc::new(next);
    live.publish(snapshot.clone(), Some(rendered.changed.clone()));
    Ok(rendered.changed)
}

/// Files the engine hands over as it renders them, on their way into the
/// next snapshot; at most [`PLAIN_PER_PUBLISH`] bytes of them kept plain.
struct Arriving {
    files: Mutex<Vec<(String, Incoming)>>,
    room: AtomicUsize,
}

impl Arriving {
    fn new() -> Self {
        Arriving { files: Mutex::new(Vec::new()), room: AtomicUsize::new(PLAIN_PER_PUBLISH) }
    }

    /// The engine's sink.
    fn take(&self, file: crate::render::OutputFile) -> anyhow::Result<()> {
        let incoming = Incoming::of(file.contents, &self.room);
        self.files.lock().expect("rendered files lock").push((file.path, incoming));
        Ok(())
    }

    fn into_files(self) -> Vec<(String, Incoming)> {
        self.files.into_inner().expect("rendered files lock")
    }
}

/// How many publishes may leave files plain before they are compressed
/// anyway (edits arriving without a pause), which bounds the memory plain
/// files hold.
const COMPACT_AFTER_PUBLISHES: usize = 8;

/// Renders what changed into the snapshot and publishes it, or shows the
/// errors over the last good site; says which in the terminal. Returns the
/// paths published, to compress later.
fn publish(
    engine: &mut Engine,
    snapshot: &mut Arc<Snapshot>,
    live: &Live,
    started: Instant,
    options: &ServeOptions,
) -> anyhow::Result<Vec<String>> {
    let color = options.color;
    let mut errors: Vec<Diagnostic> = engine.diagnostics().iter().filter(|d| d.is_error()).cloned().collect();
    if errors.is_empty() {
        let (files, rendered) = render_settled(engine)?;
        errors = rendered.problems;
        if errors.is_empty() {
            let warnings: Vec<Diagnostic> = engine.diagnostics().to_vec();
            if !warnings.is_empty() {
                eprint!("{}", emit::human(&warnings, color));
            }
            let mut next = Snapshot::clone(snapshot);
            for (path, file) in files {
                next.insert(path, file);
            }
            for path in &rendered.removed {
                next.remove(path);
            }
            *snapshot = Arc::new(next);
            let mut changed = rendered.changed;
            changed.extend(rendered.removed);
            // Pages are counted as `build` counts them: the book's own.
            let (pages, all) = (rendered.pages, engine.page_count());
            let files = format!("{} file{}", changed.len(), if changed.len() == 1 { "" } else { "s" });
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            if pages == all && pages > 1 {
                eprintln!("built {pages} pages ({files} in all) in {ms:.1} ms");
            } else {
                eprintln!(
                    "rebuilt {pages} of {all} page{} ({files} in all) in {ms:.1} ms",
                    if all == 1 { "" } else { "s" }
                );
            }
            if options.timings {
                eprintln!("  timings: {}", engine.timings());
            }
            live.publish(snapshot.clone(), Some(changed.clone()));
            return Ok(changed);
        }
    }
    eprint!("{}", emit::human(&errors, color));
    eprintln!("error: the build is broken; still serving the last good version");
    live.fail(errors_json(&errors));
    Ok(Vec::new())
}

/// Listens on `host:port`. A port another program holds is a usage error
/// that says how to pick another.
fn bind(host: IpAddr, port: u16) -> anyhow::Result<TcpListener> {
    match TcpListener::bind(SocketAddr::new(host, port)) {
        Ok(listener) => Ok(listener),
        Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => Err(crate::UsageError(format!(
            "port {port} on {host} is in use (another `playbook serve`?); \
             serve on another with `--port {}`, or on any free one with `--port 0`",
            port.wrapping_add(1).max(1)
        ))
        .into()),
        Err(error) => Err(error).with_context(|| format!("failed to listen on {host}:{port}")),
    }
}

/// How many times a render starts again because pages changed on disk while
/// it ran.
const SETTLE_ATTEMPTS: usize = 3;

/// Renders what changed. The engine reads a page's text again when it
/// renders it; if the file changed since it was parsed (E206: an editor
/// saved twice, a `git checkout` is under way), that page is taken in now,
/// as the watcher would report it a moment later, and the render starts
/// again, its files from the first attempt dropped.
fn render_settled(engine: &mut Engine) -> anyhow::Result<(Vec<(String, Incoming)>, crate::engine::Rendered)> {
    let mut attempts = 0;
    loop {
        let arriving = Arriving::new();
        let rendered = engine.render(|file| arriving.take(file))?;
        let changed: Option<Vec<PathBuf>> = rendered
            .problems
            .iter()
            .map(|p| match (&p.code, &p.location) {
                (Code::ChangedDuringBuild, Some(at)) => Some(engine.layout().root.join(&at.file)),
                _ => None,
            })
            .collect();
        attempts += 1;
        match changed {
            Some(paths) if !paths.is_empty() && attempts < SETTLE_ATTEMPTS => {
                engine.update(&paths)?;
            }
            _ => return Ok((arriving.into_files(), rendered)),
        }
    }
}

/// Compresses the files of `paths` that were published plain, and serves
/// the snapshot that holds them so. Runs once the server is idle.
fn compact(snapshot: &mut Arc<Snapshot>, live: &Live, mut paths: Vec<String>) {
    use rayon::prelude::*;
    paths.sort_unstable();
    paths.dedup();
    let compacted: Vec<(&String, Stored)> =
        paths.par_iter().filter_map(|path| Some((path, snapshot.files.get(path.as_str())?.compact()?))).collect();
    if compacted.is_empty() {
        return;
    }
    let mut next = Snapshot::clone(snapshot);
    for (path, stored) in compacted {
        next.files.insert(path.as_str().into(), stored);
    }
    *snapshot = Arc::new(next);
    live.restore(snapshot.clone());
}

/// Returns the heap's free pages to the system after an update. An update
/// builds a new analysis beside the old one and renders large list pages;
/// mimalloc keeps what they freed for a second, per thread, so without this
/// a server taking a few edits in a row peaks about 30 MiB higher at 10,000
/// pages. Each thread's heap is collected on that thread: rayon's workers,
/// which render, and this one.
fn give_back_free_memory() {
    // SAFETY: mi_collect only releases memory mimalloc holds unused; it
    // takes no pointers and may be called from any thread at any time. When
    // mimalloc is not the allocator (the test binaries) it has nothing to do.
    let collect = || unsafe { libmimalloc_sys::mi_collect(true) };
    rayon::broadcast(|_| collect());
    collect();
}

fn errors_json(errors: &[Diagnostic]) -> String {
    let lines = emit::json(errors);
    format!("[{}]", lines.lines().collect::<Vec<_>>().join(","))
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    // The opener's own complaints (xdg-open lists every browser it tried)
    // are noise: one line says what to do instead.
    let url = url.to_string();
    std::thread::spawn(move || {
        let opened = std::process::Command::new(opener)
            .arg(&url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        if !opened.is_ok_and(|status| status.success()) {
            eprintln!("could not open a browser; visit {url}");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &std::path::Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn html_of(files: &[(String, Incoming)], path: &str) -> String {
        let found = files.iter().rev().find(|(p, _)| p == path).map(|(_, file)| file);
        match found {
            Some(Incoming::Made(stored)) => String::from_utf8(stored.bytes().to_vec()).unwrap(),
            _ => panic!("{path} was not rendered"),
        }
    }

    /// Page b changes on disk while the engine, not yet told, renders it
    /// (it shows a's title, which changed): serve takes b in and renders
    /// again, instead of showing E206 or b's old text.
    #[test]
    fn a_page_that_changes_while_it_renders_is_taken_in_and_rendered_again() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(&root, "book.toml", "[book]\ntitle = \"T\"\n");
        write(&root, "content/index.md", "# Home\n\n[[a]] [[b]]\n");
        write(&root, "content/a.md", "---\ntitle: A\n---\n\nSee [[b]].\n");
        write(&root, "content/b.md", "---\ntitle: B\n---\n\nFirst words.\n");
        let layout = load_layout(&root, None).unwrap().unwrap();
        let mut engine = Engine::load(layout, Mode::Build, true).unwrap();
        engine.render(|_| Ok(())).unwrap();
        write(&root, "content/a.md", "---\ntitle: A again\n---\n\nSee [[b]].\n");
        engine.update(&[root.join("content/a.md")]).unwrap();
        write(&root, "content/b.md", "---\ntitle: B\n---\n\nSecond words.\n");
        let (files, rendered) = render_settled(&mut engine).unwrap();
        assert!(rendered.problems.is_empty(), "{:?}", rendered.problems);
        let b = html_of(&files, "b/index.html");
        assert!(b.contains("Second words.") && b.contains("A again"), "{b}");
    }
}
