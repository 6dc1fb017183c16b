//! How long the engine takes to take in one edit and re-render, without the
//! watcher or HTTP around it: the part of `serve`'s latency that playbook
//! itself spends. Runs the edits of `bench/serve_latency.py` on one page of
//! a gen_corpus playbook (`update`, then `render` into nothing), alternating
//! between two states so each is a real change, and prints for each the
//! median time, the median of each stage and how many outputs changed.
//!
//!     cargo run --release --example edit_latency -- bench/out/corpus-10000/playbook [RUNS] [EDIT...]
//!
//! EDIT is body, summary, levels, answer or add (all of them by default).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use playbook::engine::{Engine, Timings};

// The allocator the `playbook` binary uses, so the figures match serve's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PAGE: &str = "content/page-0001.md";
const ADDED: &str = "content/bench-added.md";
const LEVELS: [&str; 3] = ["impact", "execution", "optics"];

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        anyhow::bail!("usage: edit_latency PLAYBOOK [RUNS] [EDIT...]");
    };
    let runs: usize = args.next().map_or(Ok(21), |r| r.parse())?;
    let mut edits: Vec<String> = args.collect();
    if edits.is_empty() {
        edits = ["body", "summary", "levels", "answer", "add"].map(String::from).to_vec();
    }
    let root = PathBuf::from(root).canonicalize()?;
    let layout = match playbook::layout::load_layout(&root, None)? {
        Ok(layout) => layout,
        Err(problems) => anyhow::bail!("book.toml: {problems:?}"),
    };
    let mut engine = Engine::load(layout, playbook::Mode::Build, true)?;
    engine.render(|_| Ok(()))?;
    let page = root.join(PAGE);
    let original = std::fs::read_to_string(&page)?;
    let result = edits.iter().try_for_each(|edit| measure(&mut engine, &root, &original, edit, runs));
    std::fs::write(&page, &original)?;
    let _ = std::fs::remove_file(root.join(ADDED));
    result
}

/// Runs edit `kind` `runs` times and prints its medians.
fn measure(engine: &mut Engine, root: &Path, original: &str, kind: &str, runs: usize) -> anyhow::Result<()> {
    let mut samples: Vec<(Duration, Timings, usize)> = Vec::with_capacity(runs);
    for run in 0..runs {
        let changed = apply(root, original, kind, run)?;
        let started = Instant::now();
        engine.update(&[changed])?;
        let rendered = engine.render(|_| Ok(()))?;
        let took = started.elapsed();
        // As serve does once the edit is published.
        engine.release_replaced();
        anyhow::ensure!(rendered.problems.is_empty(), "{kind}: {:?}", rendered.problems);
        samples.push((took, engine.timings().clone(), rendered.changed.len() + rendered.removed.len()));
    }
    std::fs::write(root.join(PAGE), original)?;
    if root.join(ADDED).exists() {
        std::fs::remove_file(root.join(ADDED))?;
        engine.update(&[root.join(ADDED)])?;
    }
    engine.update(&[root.join(PAGE)])?;
    engine.render(|_| Ok(()))?;
    let median = |f: &dyn Fn(&(Duration, Timings, usize)) -> Duration| {
        let mut all: Vec<Duration> = samples.iter().map(f).collect();
        all.sort();
        all[all.len() / 2].as_secs_f64() * 1000.0
    };
    let mut outputs: Vec<usize> = samples.iter().map(|s| s.2).collect();
    outputs.sort();
    println!(
        "{kind:8} median {:6.2} ms  (read+parse {:.2}, assemble {:.2}, link {:.2}, render {:.2}) outputs changed {}",
        median(&|s| s.0),
        median(&|s| s.1.read + s.1.parse),
        median(&|s| s.1.assemble),
        median(&|s| s.1.link),
        median(&|s| s.1.render),
        outputs[outputs.len() / 2],
    );
    Ok(())
}

/// Writes run `run` of edit `kind` and returns the path it changed.
fn apply(root: &Path, original: &str, kind: &str, run: usize) -> anyhow::Result<PathBuf> {
    let even = run.is_multiple_of(2);
    let line_starting = |prefix: &str| {
        original.lines().find(|l| l.starts_with(prefix)).ok_or_else(|| anyhow::anyhow!("{PAGE} has no `{prefix}` line"))
    };
    let text = match kind {
        "body" => format!("{original}\nedit {run}\n"),
        "summary" => original.replacen(line_starting("summary: ")?, &format!("summary: \"edit {run}\""), 1),
        "levels" => {
            let line = line_starting("levels: [")?;
            let other = LEVELS.iter().find(|l| !line.contains(*l)).expect("a level the page lacks");
            if even { original.replacen("levels: [", &format!("levels: [{other}, "), 1) } else { original.to_string() }
        }
        "answer" => {
            let first = line_starting("      - { label: \"Yes\", leads_to: ")?;
            let target = first.split("leads_to: ").nth(1).unwrap_or("").trim_end_matches([' ', '}']).to_string();
            let other = if target == "page-0002" { "page-0003" } else { "page-0002" };
            if even {
                original.replacen(&format!("leads_to: {target}"), &format!("leads_to: {other}"), 1)
            } else {
                original.to_string()
            }
        }
        "add" => {
            let added = root.join(ADDED);
            if even {
                std::fs::write(&added, format!("---\ntitle: Added\nlevels: [optics]\n---\n\nadded {run}\n"))?;
            } else {
                std::fs::remove_file(&added)?;
            }
            return Ok(added);
        }
        other => anyhow::bail!("unknown edit `{other}`: body, summary, levels, answer or add"),
    };
    std::fs::write(root.join(PAGE), text)?;
    Ok(root.join(PAGE))
}
