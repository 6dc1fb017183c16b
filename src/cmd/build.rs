//! `playbook build`: compile, print diagnostics, write if clean.

use std::time::Instant;

use super::{Status, count_summary, load_or_report, print_diagnostics};
use crate::cli::BuildArgs;
use crate::diag::emit::Color;
use crate::pipeline::{self, Strictness};

pub(super) fn run(args: &BuildArgs, color: Color) -> anyhow::Result<Status> {
    let started = Instant::now();
    let Some(mut layout) = load_or_report(&args.book.dir, args.dest.as_deref(), color)? else {
        return Ok(Status::ContentErrors);
    };
    layout.config.build.drafts = args.drafts;
    let strictness = if args.strict { Strictness::WarningsFail } else { Strictness::WarningsAllowed };
    let output_dir = layout.output_dir.clone();
    let report = pipeline::build(layout, strictness, || {
        eprintln!("waiting for another build of `{}` to finish...", output_dir.display());
    })?;
    print_diagnostics(&report.diagnostics, color);
    let out = report.output_dir.display();
    if matches!(report.outcome, pipeline::Outcome::Failed) {
        eprintln!("error: build failed ({}); `{out}` was left as it was", count_summary(&report.diagnostics));
        return Ok(Status::ContentErrors);
    }
    let warnings = if report.diagnostics.is_empty() {
        String::new()
    } else {
        format!(" with {}", count_summary(&report.diagnostics))
    };
    if args.timings {
        eprintln!("timings: {}", report.timings);
    }
    eprintln!(
        "built {} into `{out}` in {:.2}s{warnings}\n  open {}",
        super::plural(report.page_count, "page"),
        started.elapsed().as_secs_f64(),
        report.output_dir.join("index.html").display()
    );
    Ok(Status::Success)
}
