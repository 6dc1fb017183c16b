//! `playbook clean`: delete the output folder, if playbook made it.

use super::{Status, load_or_report};
use crate::cli::CleanArgs;
use crate::diag::emit::Color;
use crate::output::{lock_output, remove_output};

pub(super) fn run(args: &CleanArgs, color: Color) -> anyhow::Result<Status> {
    let Some(layout) = load_or_report(&args.book.dir, args.dest.as_deref(), color)? else {
        return Ok(Status::ContentErrors);
    };
    let out = &layout.output_dir;
    if !out.exists() && !out.parent().is_some_and(std::path::Path::is_dir) {
        eprintln!("nothing to remove: `{}` does not exist", out.display());
        return Ok(Status::Success);
    }
    let lock = lock_output(&layout.output_dir, || {
        eprintln!("waiting for a build of `{}` to finish...", layout.output_dir.display());
    })?;
    if remove_output(&lock, &layout.output_dir)? {
        eprintln!("removed `{}`", layout.output_dir.display());
    } else {
        eprintln!("nothing to remove: `{}` does not exist", layout.output_dir.display());
    }
    Ok(Status::Success)
}
