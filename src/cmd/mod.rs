//! One module per subcommand: glue between the command line and the library.
//! Diagnostics are printed here, once, never by the stages that find them.

mod build;
mod check;
mod clean;
mod init;
mod serve;

use std::io::IsTerminal as _;

use crate::cli::{Cli, ColorChoice, Command};
use crate::diag::{Diagnostic, emit};

/// How a command ended, when it ran to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything worked.
    Success,
    /// The content has errors (exit status 1).
    ContentErrors,
}

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> anyhow::Result<Status> {
    let color = match cli.color {
        ColorChoice::Always => emit::Color::Always,
        ColorChoice::Never => emit::Color::Never,
        ColorChoice::Auto if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() => {
            emit::Color::Always
        }
        ColorChoice::Auto => emit::Color::Never,
    };
    match cli.command {
        Command::Init(args) => init::run(&args),
        Command::Build(args) => build::run(&args, color),
        Command::Check(args) => check::run(&args, color),
        Command::Serve(args) => serve::run(&args, color),
        Command::Clean(args) => clean::run(&args, color),
    }
}

/// Reads the playbook's layout, printing `book.toml`'s problems if it has
/// any (`None` then: the command ends with content errors).
fn load_or_report(
    dir: &std::path::Path,
    dest: Option<&std::path::Path>,
    color: emit::Color,
) -> anyhow::Result<Option<crate::layout::Layout>> {
    match crate::layout::load_layout(dir, dest)? {
        Ok(layout) => Ok(Some(layout)),
        Err(problems) => {
            print_diagnostics(&problems, color);
            eprintln!("error: could not read the configuration: {}", count_summary(&problems));
            Ok(None)
        }
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic], color: emit::Color) {
    if !diagnostics.is_empty() {
        eprint!("{}", emit::human(diagnostics, color));
    }
}

/// "1 page", "2 pages".
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// "2 errors, 1 warning".
fn count_summary(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    match (errors, warnings) {
        (0, w) => plural(w, "warning"),
        (e, 0) => plural(e, "error"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}
