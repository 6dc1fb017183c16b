//! `playbook clean`: delete the output folder, if playbook made it.

use super::{Status, load_or_report};
use crate::cli::CleanArgs;
use crate::diag::emit::Color;
use crate::output::remove_output;

pub(super) fn run(args: &CleanArgs, color: Color) -> anyhow::Result<Status> {
    let Some(layout) = load_or_report(&args.book.dir, args.dest.as_deref(), color)? else {
        return Ok(Status::ContentErrors);
    };
    if remove_output(&layout.output_dir)? {
        eprintln!("removed `{}`", layout.output_dir.display());
    } else {
        eprintln!("nothing to remove: `{}` does not exist", layout.output_dir.display());
    }
    Ok(Status::Success)
}
