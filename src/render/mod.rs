//! Rendering: the assembled [`Site`] and a compiled [`Theme`] in, output
//! files out, with no disk access.
//!
//! Pages render in parallel with rayon. A panic while rendering one page
//! becomes a diagnostic naming that page rather than taking the build down.
//! `page.rs` renders content pages; `index.rs` the pages playbook generates
//! (home, contents, levels, contexts, matrix, 404) and the navigation file,
//! written once instead of into every page so output grows linearly.

mod decision;
mod index;
mod page;
mod sitemap;
pub mod theme;
pub mod view;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::{Config, Term};
use crate::decision::Decisions;
use crate::diag::{Code, Diagnostic};
use crate::link::{LinkGraph, LinkIndex, PageResolver};
use crate::markdown::{self, BodyContext};
use crate::page::ParsedPage;
use crate::site::{Site, paths};
use crate::slug::{relative_url, root_prefix};
pub use theme::Theme;
use view::{BookView, Chrome, PageLink, TermLink};

/// What an output file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// Bytes made by the build.
    Bytes(Vec<u8>),
    /// A file copied as it is (an asset), read when written.
    CopyOf(PathBuf),
}

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Site-relative path with `/` separators.
    pub path: String,
    /// What it holds.
    pub contents: Contents,
}

impl OutputFile {
    fn bytes(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile { path: path.into(), contents: Contents::Bytes(bytes.into()) }
    }
}

/// What rendering reads: the site, its links, the theme and the
/// configuration.
pub struct RenderInput<'a> {
    /// The assembled site.
    pub site: &'a Site,
    /// Where links lead.
    pub links: &'a LinkIndex,
    /// What links where, for backlinks.
    pub graph: &'a LinkGraph,
    /// The walks of the decision pages.
    pub decisions: &'a Decisions,
    /// The compiled theme.
    pub theme: &'a Theme,
    /// `book.toml`.
    pub config: &'a Config,
}

fn book_view(config: &Config) -> BookView {
    BookView {
        title: config.book.title.clone(),
        description: config.book.description.clone(),
        language: config.book.language.clone(),
    }
}

/// Renders only the content pages at `indices` (indexes into `Site::pages`),
/// for `serve`'s incremental rebuilds.
pub fn render_pages(input: &RenderInput<'_>, indices: &[usize]) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let RenderInput { site, links, graph, decisions, theme, config } = *input;
    let book = book_view(config);
    let renderer = Renderer { site, links, graph, decisions, theme, book: &book, config };
    let results: Vec<_> = indices.par_iter().map(|&i| renderer.guarded(i, || renderer.content_page(i))).collect();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(d) => problems.push(d),
        }
    }
    (files, problems)
}

/// Renders every file of the site, sorted by path.
pub fn render_site(input: &RenderInput<'_>) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let RenderInput { site, links, graph, decisions, theme, config } = *input;
    let book = book_view(config);
    let renderer = Renderer { site, links, graph, decisions, theme, book: &book, config };
    let results: Vec<Result<OutputFile, Diagnostic>> =
        (0..site.pages.len()).into_par_iter().map(|i| renderer.guarded(i, || renderer.content_page(i))).collect();
    let mut files = Vec::with_capacity(site.pages.len() + site.assets.len() + 16);
    let mut problems = Vec::new();
    for result in results.into_iter().chain(renderer.generated_pages()) {
        match result {
            Ok(file) => files.push(file),
            Err(d) => problems.push(d),
        }
    }
    files.push(renderer.nav_script());
    if let Some(map) = sitemap::sitemap(&config.build.site_url, files.iter().map(|f| f.path.as_str())) {
        files.push(OutputFile::bytes(paths::SITEMAP, map));
    }
    for (name, bytes) in theme.statics() {
        files.push(OutputFile::bytes(format!("{}/{name}", paths::ASSET_DIR), bytes.clone()));
    }
    for asset in &site.assets {
        files.push(OutputFile { path: asset.rel_path.clone(), contents: Contents::CopyOf(asset.abs_path.clone()) });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, problems)
}

/// Everything a view builder needs, borrowed once per build.
struct Renderer<'a> {
    site: &'a Site,
    links: &'a LinkIndex,
    graph: &'a LinkGraph,
    decisions: &'a Decisions,
    theme: &'a Theme,
    book: &'a BookView,
    config: &'a Config,
}

impl Renderer<'_> {
    fn chrome(&self, path: &str) -> Chrome<'_> {
        Chrome { book: self.book, root: root_prefix(path), path: path.to_string() }
    }

    /// A link from output file `from` to page `index`, with `facets`.
    fn link(&self, from: &str, index: usize, facets: Vec<String>) -> PageLink {
        let page = &self.site.pages[index];
        PageLink {
            title: page.title.clone(),
            url: relative_url(from, &page.slug.output_path()),
            summary: page.summary.clone(),
            facets,
        }
    }

    fn term_link(&self, from: &str, folder: &str, term: &Term) -> TermLink {
        TermLink {
            id: term.id.clone(),
            name: term.name.clone(),
            url: relative_url(from, &paths::term_page(folder, &term.id)),
        }
    }

    /// The body of a page as HTML, for output file `path`.
    fn body_html(&self, page: &ParsedPage, path: &str) -> String {
        markdown::render(
            page.body(),
            &BodyContext {
                source_dir: page.source_dir(),
                output_path: path,
                drop_leading_h1: page.title_from_body,
                video_id: page.meta.video_id.as_deref(),
                links: &PageResolver { index: self.links, from: page, output_path: path },
            },
        )
    }

    fn render_template(
        &self,
        template: &str,
        path: &str,
        display: &str,
        view: &impl serde::Serialize,
    ) -> Result<OutputFile, Diagnostic> {
        self.theme.render(template, view).map(|html| OutputFile::bytes(path, html)).map_err(|e| {
            Diagnostic::error(Code::RenderFailed, format!("rendering `{path}` with `{template}` failed"))
                .in_file(display)
                .with_note(e)
                .with_help("if the theme is your own, check the template; otherwise please report this")
        })
    }

    /// Runs `render` for page `index`, turning a panic into a diagnostic
    /// naming the page.
    fn guarded(
        &self,
        index: usize,
        render: impl FnOnce() -> Result<OutputFile, Diagnostic>,
    ) -> Result<OutputFile, Diagnostic> {
        catch_unwind(AssertUnwindSafe(render)).unwrap_or_else(|panic| {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(Diagnostic::error(Code::RenderFailed, format!("playbook crashed while rendering this page: {reason}"))
                .in_file(&self.site.pages[index].source.display_path)
                .with_help("this is a bug in playbook; please report it with this page attached"))
        })
    }
}
