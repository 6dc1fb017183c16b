//! Rendering: the assembled [`Site`] and a compiled [`Theme`] in, output
//! files out, with no disk access.
//!
//! Pages render in parallel with rayon. A panic while rendering one page
//! becomes a diagnostic naming that page rather than taking the build down.
//! The navigation is written once to `nav.js` instead of into every page, so
//! output grows linearly with the number of pages.

pub mod theme;
pub mod view;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::markdown::{self, BodyContext};
use crate::page::ParsedPage;
use crate::site::{Site, paths};
use crate::slug::{relative_url, root_prefix};
pub use theme::Theme;
use view::{
    BookView, Chrome, IndexView, NavPage, NavSection, NotFoundView, PageLink, PageView,
    SectionView, TocEntry,
};

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
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(bytes.into()),
        }
    }
}

/// Renders every file of the site, sorted by path.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    config: &Config,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let book = BookView {
        title: config.book.title.clone(),
        description: config.book.description.clone(),
        language: config.book.language.clone(),
    };
    let renderer = Renderer {
        site,
        theme,
        book: &book,
        config,
    };
    let results: Vec<Result<OutputFile, Diagnostic>> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| renderer.render_page_guarded(i))
        .collect();
    let mut files = Vec::with_capacity(site.pages.len() + site.assets.len() + 8);
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(d) => problems.push(d),
        }
    }
    let generated = [renderer.home(), renderer.contents(), renderer.not_found()];
    for result in generated {
        match result {
            Ok(file) => files.push(file),
            Err(d) => problems.push(d),
        }
    }
    files.push(renderer.nav_script());
    for (name, bytes) in theme.statics() {
        files.push(OutputFile::bytes(
            format!("{}/{name}", paths::ASSET_DIR),
            bytes.clone(),
        ));
    }
    for asset in &site.assets {
        files.push(OutputFile {
            path: asset.rel_path.clone(),
            contents: Contents::CopyOf(asset.abs_path.clone()),
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, problems)
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    book: &'a BookView,
    config: &'a Config,
}

impl Renderer<'_> {
    fn chrome(&self, path: &str) -> Chrome<'_> {
        Chrome {
            book: self.book,
            root: root_prefix(path),
            path: path.to_string(),
        }
    }

    fn link(&self, from: &str, page: &ParsedPage) -> PageLink {
        PageLink {
            title: page.title.clone(),
            url: relative_url(from, &page.slug.output_path()),
            summary: page.summary.clone(),
        }
    }

    fn render_template(
        &self,
        template: &str,
        path: &str,
        display: &str,
        view: &impl serde::Serialize,
    ) -> Result<OutputFile, Diagnostic> {
        self.theme
            .render(template, view)
            .map(|html| OutputFile::bytes(path, html))
            .map_err(|e| {
                Diagnostic::error(
                    Code::RenderFailed,
                    format!("rendering `{path}` with `{template}` failed"),
                )
                .in_file(display)
                .with_note(e)
                .with_help(
                    "if the theme is your own, check the template; otherwise please report this",
                )
            })
    }

    fn render_page_guarded(&self, index: usize) -> Result<OutputFile, Diagnostic> {
        let page = &self.site.pages[index];
        catch_unwind(AssertUnwindSafe(|| self.render_page(index))).unwrap_or_else(|panic| {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(Diagnostic::error(
                Code::RenderFailed,
                format!("playbook crashed while rendering this page: {reason}"),
            )
            .in_file(&page.source.display_path)
            .with_help("this is a bug in playbook; please report it with this page attached"))
        })
    }

    fn render_page(&self, index: usize) -> Result<OutputFile, Diagnostic> {
        let page = &self.site.pages[index];
        let path = page.slug.output_path();
        let body_html = markdown::render(
            page.body(),
            &BodyContext {
                source_dir: page.source_dir(),
                output_path: &path,
                drop_leading_h1: page.title_from_body,
            },
        );
        let toc = page
            .outline
            .headings
            .iter()
            .filter(|h| matches!(h.level, 2 | 3))
            .map(|h| TocEntry {
                level: h.level,
                id: h.id.clone(),
                text: h.text.clone(),
            })
            .collect();
        let view = PageView {
            chrome: self.chrome(&path),
            title: page.title.clone(),
            summary: page.summary.clone(),
            body_html,
            toc,
            prev: Some(match index.checked_sub(1) {
                Some(prev) => self.link(&path, &self.site.pages[prev]),
                None => self.home_link(&path),
            }),
            next: self.site.pages.get(index + 1).map(|p| self.link(&path, p)),
        };
        self.render_template("page.html", &path, &page.source.display_path, &view)
    }

    fn home_link(&self, from: &str) -> PageLink {
        PageLink {
            title: self.book.title.clone(),
            url: relative_url(from, "index.html"),
            summary: None,
        }
    }

    fn sections(&self, from: &str) -> Vec<SectionView> {
        self.site
            .sections
            .iter()
            .map(|s| SectionView {
                title: s.title.clone(),
                pages: s
                    .pages
                    .iter()
                    .map(|&i| self.link(from, &self.site.pages[i]))
                    .collect(),
            })
            .collect()
    }

    fn home(&self) -> Result<OutputFile, Diagnostic> {
        let path = "index.html";
        let intro_html = self.site.home.as_ref().map(|home| {
            markdown::render(
                home.body(),
                &BodyContext {
                    source_dir: home.source_dir(),
                    output_path: path,
                    drop_leading_h1: home.title_from_body,
                },
            )
        });
        let view = IndexView {
            chrome: self.chrome(path),
            title: self
                .site
                .home
                .as_ref()
                .map_or_else(|| self.book.title.clone(), |h| h.title.clone()),
            intro_html,
            sections: self.sections(path),
            next: self.site.pages.first().map(|p| self.link(path, p)),
        };
        let display = self
            .site
            .home
            .as_ref()
            .map_or("index.html", |h| h.source.display_path.as_str());
        self.render_template("home.html", path, display, &view)
    }

    fn contents(&self) -> Result<OutputFile, Diagnostic> {
        let path = paths::CONTENTS;
        let view = IndexView {
            chrome: self.chrome(path),
            title: "Contents".to_string(),
            intro_html: None,
            sections: self.sections(path),
            next: None,
        };
        self.render_template("contents.html", path, path, &view)
    }

    fn not_found(&self) -> Result<OutputFile, Diagnostic> {
        let chrome = Chrome {
            book: self.book,
            root: self.config.build.site_url.clone(),
            path: paths::NOT_FOUND.to_string(),
        };
        self.render_template(
            "404.html",
            paths::NOT_FOUND,
            paths::NOT_FOUND,
            &NotFoundView { chrome },
        )
    }

    /// The navigation, once for the whole site: pages load it and draw the
    /// sidebar from it, with links made relative in the browser.
    fn nav_script(&self) -> OutputFile {
        let sections: Vec<NavSection> = self
            .site
            .sections
            .iter()
            .map(|s| NavSection {
                title: s.title.clone(),
                pages: s
                    .pages
                    .iter()
                    .map(|&i| NavPage {
                        title: self.site.pages[i].title.clone(),
                        path: self.site.pages[i].slug.output_path(),
                    })
                    .collect(),
            })
            .collect();
        let json = serde_json::to_string(&sections).expect("navigation views always serialize");
        OutputFile::bytes(paths::NAV_SCRIPT, format!("window.playbookNav = {json};\n"))
    }
}
