//! `playbook serve`: build in memory, serve on loopback, watch, rebuild what
//! changed, reload open pages. Nothing is written to disk, so stopping it
//! (Ctrl-C) can never leave anything of the user's half-written.
//!
//! `watch.rs` turns file events into change sets, `session.rs` rebuilds,
//! `http.rs` serves (with `guard.rs` checking requests and `body.rs` carrying
//! responses); this module wires them and reports to the terminal.

mod body;
pub mod guard;
pub mod http;
pub mod session;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Context as _;

use crate::diag::{Diagnostic, emit};
use crate::pipeline;
use http::Live;
use session::{Outcome, Session};
use watch::{Watched, classify, watch};

/// How `serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The playbook folder.
    pub dir: PathBuf,
    /// The address to bind; loopback unless the user says otherwise.
    pub host: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Open the browser once serving.
    pub open: bool,
    /// How to colour diagnostics.
    pub color: emit::Color,
}

/// Serves until the process is stopped.
pub fn run(options: &ServeOptions) -> anyhow::Result<()> {
    let mut layout = match pipeline::load_layout(&options.dir, None)? {
        Ok(layout) => layout,
        Err(problems) => {
            eprint!("{}", emit::human(&problems, options.color));
            anyhow::bail!("the configuration has errors; fix book.toml, then start serve again");
        }
    };
    // The site is served at the root of this server, whatever site-url says.
    layout.config.build.site_url = "/".into();
    let started = Instant::now();
    let (mut session, first) = Session::start(layout.clone())?;
    let live = Arc::new(Live::new(Arc::default()));
    report(&live, first, started, options.color);

    // Watch before announcing the address: an edit made as soon as the
    // server says it is ready must not be missed.
    let watched = Watched {
        root: layout.root.clone(),
        content_dir: layout.content_dir.clone(),
        theme_dir: layout.root.join("themes").join(&layout.config.build.theme),
    };
    let (_watcher, batches) = watch(&watched)?;
    let listener = TcpListener::bind(SocketAddr::new(options.host, options.port))
        .with_context(|| format!("failed to listen on {}:{}", options.host, options.port))?;
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
    println!("serving `{}` at {url} (Ctrl-C to stop)", session.config().book.title);
    let shared_layout = Arc::new(Mutex::new(layout));
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

    for paths in batches {
        let changes = classify(&paths, &watched);
        if changes.is_empty() {
            continue;
        }
        let started = Instant::now();
        let outcome = session.apply(&changes)?;
        *shared_layout.lock().expect("layout lock") = session.layout().clone();
        report(&live, outcome, started, options.color);
    }
    Ok(())
}

/// Publishes or shows the outcome of a rebuild, and says so in the terminal.
fn report(live: &Live, outcome: Outcome, started: Instant, color: emit::Color) {
    match outcome {
        Outcome::Published { snapshot, changed, warnings, rendered } => {
            if !warnings.is_empty() {
                eprint!("{}", emit::human(&warnings, color));
            }
            live.publish(snapshot, changed);
            eprintln!(
                "rebuilt {rendered} page{} in {:.1} ms",
                if rendered == 1 { "" } else { "s" },
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        Outcome::Unchanged => {}
        Outcome::Failed(errors) => {
            eprint!("{}", emit::human(&errors, color));
            eprintln!("error: the build is broken; still serving the last good version");
            live.fail(errors_json(&errors));
        }
    }
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
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("could not open a browser; visit {url}");
    }
}
