//! How long the engine takes to take in one edit and re-render, without the
//! watcher or HTTP around it: the part of `serve`'s latency that playbook
//! itself spends. Appends a line to one page's body, `update`, `render`
//! (into nothing), and prints the median of the runs.
//!
//!     cargo run --release --example edit_latency -- bench/out/corpus-10000/playbook content/page-0001.md 50

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(root), Some(page)) = (args.next(), args.next()) else {
        anyhow::bail!("usage: edit_latency PLAYBOOK PAGE [RUNS]");
    };
    let runs: usize = args.next().map_or(Ok(50), |r| r.parse())?;
    let root = PathBuf::from(root).canonicalize()?;
    let page = root.join(page);
    let layout = match playbook::layout::load_layout(&root, None)? {
        Ok(layout) => layout,
        Err(problems) => anyhow::bail!("book.toml: {problems:?}"),
    };
    let mut engine = playbook::engine::Engine::load(layout, playbook::Mode::Build, true)?;
    engine.render(|_| Ok(()))?;
    let original = std::fs::read_to_string(&page)?;
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    for run in 0..runs {
        std::fs::write(&page, format!("{original}\nedit {run}\n"))?;
        let started = Instant::now();
        engine.update(std::slice::from_ref(&page))?;
        let rendered = engine.render(|_| Ok(()))?;
        times.push(started.elapsed());
        anyhow::ensure!(rendered.changed.len() == 1, "expected one page to change, got {:?}", rendered.changed);
    }
    std::fs::write(&page, original)?;
    times.sort();
    println!(
        "{} pages, {runs} edits of {}: median {:.2} ms, min {:.2} ms, max {:.2} ms",
        engine.page_count(),
        page.display(),
        times[runs / 2].as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0,
        times[runs - 1].as_secs_f64() * 1000.0
    );
    Ok(())
}
