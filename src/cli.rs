//! The command line, declared with clap's derive API: the doc comments below
//! are the `--help` text. No logic lives here; `cmd/` acts on it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Build a typed product playbook (Markdown pages with YAML frontmatter) into
/// a cross-linked HTML handbook.
#[derive(Debug, Parser)]
#[command(name = "playbook", version, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// When to colour diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a small working playbook in DIR.
    Init(InitArgs),
    /// Build the handbook into DIR/book (or `output-dir`, or -d).
    Build(BuildArgs),
    /// Check everything a build checks, broken links as errors, without writing.
    Check(CheckArgs),
    /// Serve the handbook on this machine, rebuilding and reloading on every edit.
    Serve(ServeArgs),
    /// Delete the built handbook.
    Clean(CleanArgs),
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The playbook folder argument shared by every subcommand.
#[derive(Debug, Args)]
pub struct BookDir {
    /// The playbook folder, holding book.toml and content/.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// `playbook init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the playbook (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// `playbook build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Which playbook.
    #[command(flatten)]
    pub book: BookDir,
    /// Write the handbook here instead (relative to the current folder).
    #[arg(short = 'd', long = "dest-dir", value_name = "OUT")]
    pub dest: Option<PathBuf>,
    /// Fail on warnings too (broken links, unknown theme files), as CI should.
    #[arg(long)]
    pub strict: bool,
    /// Publish `draft: true` pages too.
    #[arg(long)]
    pub drafts: bool,
    /// Print how long each stage took (read, parse, assemble, link, render, write).
    #[arg(long)]
    pub timings: bool,
}

/// How `check` prints diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Like a compiler, on standard error.
    Human,
    /// One JSON object per line, on standard output.
    Json,
    /// GitHub Actions annotations, on standard output.
    Github,
}

/// `playbook check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Which playbook.
    #[command(flatten)]
    pub book: BookDir,
    /// How to print what was found.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Check `draft: true` pages as published ones.
    #[arg(long)]
    pub drafts: bool,
}

/// `playbook serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Which playbook.
    #[command(flatten)]
    pub book: BookDir,
    /// The port to listen on (0 picks a free one).
    #[arg(short, long, default_value_t = 3000)]
    pub port: u16,
    /// The address to listen on. Anything but loopback exposes your drafts
    /// to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// Open the handbook in a browser.
    #[arg(long)]
    pub open: bool,
    /// After every rebuild, print how long each stage took.
    #[arg(long)]
    pub timings: bool,
}

/// `playbook clean`.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Which playbook.
    #[command(flatten)]
    pub book: BookDir,
    /// Delete this output folder instead of the configured one.
    #[arg(short = 'd', long = "dest-dir", value_name = "OUT")]
    pub dest: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
