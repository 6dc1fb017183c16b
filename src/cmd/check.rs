//! `playbook check`: every check of a build, broken links and orphans
//! included, printed in the chosen format; nothing is written.

use super::{Status, count_summary, print_diagnostics};
use crate::cli::{CheckArgs, Format};
use crate::diag::emit::{self, Color};
use crate::layout::load_layout;
use crate::pipeline;

pub(super) fn run(args: &CheckArgs, color: Color) -> anyhow::Result<Status> {
    let diagnostics = match load_layout(&args.book.dir, None)? {
        Ok(mut layout) => {
            layout.config.build.drafts = args.drafts;
            pipeline::check(layout)?
        }
        Err(problems) => problems,
    };
    match args.format {
        Format::Human => {
            print_diagnostics(&diagnostics, color);
            if diagnostics.is_empty() {
                eprintln!("no problems found");
            } else {
                eprintln!("found {}", count_summary(&diagnostics));
            }
        }
        Format::Json => print!("{}", emit::json(&diagnostics)),
        Format::Github => print!("{}", emit::github(&diagnostics)),
    }
    let failed = diagnostics.iter().any(|d| d.is_error());
    Ok(if failed { Status::ContentErrors } else { Status::Success })
}
