//! `build` and `check` as the library runs them: load the playbook into
//! the [`Engine`], and for a build, render every output straight into the
//! output writer's staging folder, which is swapped in only if everything
//! rendered cleanly.
//!
//! ```text
//! book.toml ─layout::load_layout─▶ Layout
//! content/  ─engine: source::read_all (lists) ─▶ read + page::parse_page (parallel, per page)
//!           ─analysis::analyze: site::assemble ─▶ decision ─▶ link
//!           ─render::plan, render::render (parallel) ─▶ output::OutputWriter (writes, as they render)
//! ```
//!
//! The engine keeps no page's text: a page is read and parsed, and read
//! again when it is rendered (its hash must match, or the build fails with
//! E206). Memory holds what the analysis needs, not the sources.

use std::path::PathBuf;

use crate::analysis::Mode;
use crate::diag::Diagnostic;
use crate::engine::{Engine, Timings};
use crate::layout::Layout;
use crate::output::{OutputWriter, lock_output};

/// Whether warnings fail a build (`--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// Warnings are printed; the build succeeds.
    WarningsAllowed,
    /// Warnings fail the build like errors, as CI wants.
    WarningsFail,
}

/// How a build ended.
#[derive(Debug)]
pub enum Outcome {
    /// The new site is in place.
    Published {
        /// How many files it has.
        files: usize,
    },
    /// The content has errors (or warnings, when strict): the previous
    /// output was left as it was.
    Failed,
}

/// What `build` did.
#[derive(Debug)]
pub struct BuildReport {
    /// Every problem found, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// How many content pages the handbook has.
    pub page_count: usize,
    /// Whether the site was published.
    pub outcome: Outcome,
    /// Where.
    pub output_dir: PathBuf,
    /// How long each stage took.
    pub timings: Timings,
}

/// Builds the playbook and, if it has no errors (nor warnings, when
/// strict), swaps the new output in. Builds of one output analyse side by
/// side but write one at a time; `on_wait` runs if this one must wait.
pub fn build(layout: Layout, strictness: Strictness, on_wait: impl FnOnce()) -> anyhow::Result<BuildReport> {
    let output_dir = layout.output_dir.clone();
    let mut engine = Engine::load(layout, Mode::Build, false)?;
    engine.forget_history();
    let mut diagnostics = engine.diagnostics().to_vec();
    let mut failed = has_errors(&diagnostics) || (strictness == Strictness::WarningsFail && !diagnostics.is_empty());
    let mut files = 0;
    if !failed {
        let lock = lock_output(&output_dir, on_wait)?;
        let layout = engine.layout().clone();
        let writer = OutputWriter::start(&lock, &output_dir, layout.boundary())?;
        let rendered = engine.render(|file| writer.write(&file))?;
        if rendered.problems.is_empty() {
            files = writer.finish()?;
        } else {
            writer.abandon();
            diagnostics.extend(rendered.problems);
            crate::diag::sort(&mut diagnostics);
            failed = true;
        }
    }
    Ok(BuildReport {
        page_count: engine.page_count(),
        outcome: if failed { Outcome::Failed } else { Outcome::Published { files } },
        diagnostics,
        output_dir,
        timings: engine.timings().clone(),
    })
}

/// Every check of a build, broken links and orphan pages included; nothing
/// is written. Templates are rendered too (into nothing), so a theme that
/// fails on some page is caught.
pub fn check(layout: Layout) -> anyhow::Result<Vec<Diagnostic>> {
    let mut engine = Engine::load(layout, Mode::Check, false)?;
    let mut diagnostics = engine.diagnostics().to_vec();
    if !has_errors(&diagnostics) {
        diagnostics.extend(engine.render(|_| Ok(()))?.problems);
        crate::diag::sort(&mut diagnostics);
    }
    Ok(diagnostics)
}

fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}
