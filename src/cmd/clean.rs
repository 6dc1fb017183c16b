//! `playbook clean`: delete the output folder, if playbook made it.

use super::{Status, count_summary, print_diagnostics};
use crate::cli::CleanArgs;
use crate::diag::emit::Color;
use crate::output::remove_output;
use crate::pipeline;

pub(super) fn run(args: &CleanArgs, color: Color) -> anyhow::Result<Status> {
    let layout = match pipeline::load_layout(&args.book.dir, args.dest.as_deref())? {
        Ok(layout) => layout,
        Err(problems) => {
            print_diagnostics(&problems, color);
            eprintln!("error: could not read the configuration: {}", count_summary(&problems));
            return Ok(Status::ContentErrors);
        }
    };
    if remove_output(&layout.output_dir)? {
        eprintln!("removed `{}`", layout.output_dir.display());
    } else {
        eprintln!("nothing to remove: `{}` does not exist", layout.output_dir.display());
    }
    Ok(Status::Success)
}
