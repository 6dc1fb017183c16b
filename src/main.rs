//! The `playbook` binary: parse the command line, run it, map the outcome to
//! an exit code (0 success, 1 content errors, 2 usage errors). The only place
//! that exits.

use std::process::ExitCode;

use clap::Parser;
use playbook::UsageError;
use playbook::cli::Cli;
use playbook::cmd::{self, Status};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    match cmd::run(cli) {
        Ok(Status::Success) => ExitCode::SUCCESS,
        Ok(Status::ContentErrors) => ExitCode::from(1),
        Err(error) if error.downcast_ref::<UsageError>().is_some() => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}
