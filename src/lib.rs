//! `playbook` turns a folder of Markdown pages with YAML frontmatter into a
//! cross-linked HTML handbook.
//!
//! The pipeline lives in [`pipeline`] and the [`engine`] that `build`,
//! `check` and `serve` share: configuration, sources, pages, site, links,
//! render, output, each a module with its own type. Only `source`, `output`,
//! the theme loader and [`cmd`] touch the disk; every stage in between is a
//! pure function, which is what lets pages parse and render in parallel,
//! lets the engine reuse what an edit did not touch, and lets tests drive
//! each stage with strings. `ARCHITECTURE.md` is the map.

mod analysis;
mod boundary;
mod callout;
mod citation;
pub mod cli;
pub mod cmd;
mod config;
mod decision;
pub mod diag;
pub mod engine;
mod frontmatter;
mod hashing;
mod highlight;
mod history;
mod ids;
pub mod layout;
mod link;
mod markdown;
mod mdbook;
mod memo;
mod meta;
mod model;
mod nesting;
mod output;
mod page;
pub mod pipeline;
mod rawhtml;
mod render;
mod search;
mod serve;
mod site;
mod slug;
mod source;
mod yamlpos;
mod yamlwords;

pub use analysis::Mode;
pub use render::{Contents, OutputFile};

use std::fmt;

/// A mistake in how playbook was called (a folder that is no playbook, an
/// output folder that would overwrite sources), as opposed to a problem in
/// the content. The command exits with status 2 for these.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}
