//! `playbook` turns a folder of Markdown pages with YAML frontmatter into a
//! cross-linked HTML handbook.
//!
//! The pipeline lives in [`pipeline`]: configuration, sources, pages, site,
//! render, output, each a module with its own type. Only [`source`],
//! [`output`], the theme loader and [`cmd`] touch the disk; every stage in
//! between is a pure function, which is what lets pages parse and render in
//! parallel and lets tests drive each stage with strings.

pub mod boundary;
pub mod citation;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod decision;
pub mod diag;
pub mod frontmatter;
pub mod link;
pub mod markdown;
pub mod meta;
pub mod model;
pub mod nesting;
pub mod output;
pub mod page;
pub mod pipeline;
pub mod rawhtml;
pub mod render;
pub mod serve;
pub mod site;
pub mod slug;
pub mod source;

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
