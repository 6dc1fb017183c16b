//! `playbook serve`: glue between the command line and `serve/`.

use super::Status;
use crate::cli::ServeArgs;
use crate::diag::emit::Color;
use crate::serve::{self, ServeOptions};

pub(super) fn run(args: &ServeArgs, color: Color) -> anyhow::Result<Status> {
    let options = ServeOptions {
        dir: args.book.dir.clone(),
        host: args.host,
        port: args.port,
        open: args.open,
        timings: args.timings,
        color,
    };
    serve::run(&options)?;
    Ok(Status::Success)
}
