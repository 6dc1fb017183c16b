//! What templates see: typed, serializable views, one per template. A field
//! a template misspells is a render error, never silently empty, and every
//! string here is escaped by Tera unless its name says it is HTML.

use serde::Serialize;

/// Facts about the handbook every page shows.
#[derive(Debug, Clone, Serialize)]
pub struct BookView {
    /// `[book] title`.
    pub title: String,
    /// `[book] description`.
    pub description: Option<String>,
    /// `[book] language`, for `<html lang>`.
    pub language: String,
}

/// What every page template needs to place itself in the site.
#[derive(Debug, Clone, Serialize)]
pub struct Chrome<'a> {
    /// The handbook.
    pub book: &'a BookView,
    /// The prefix leading from this page to the site root (`../../`).
    pub root: String,
    /// This page's site-relative output path, for highlighting it in the
    /// navigation.
    pub path: String,
}

/// A link to a page, with what a list of pages shows about it.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// The page title.
    pub title: String,
    /// Relative URL from the page that shows the link.
    pub url: String,
    /// The page summary.
    pub summary: Option<String>,
}

/// A heading in the on-page table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// The anchor id.
    pub id: String,
    /// The heading text.
    pub text: String,
}

/// `page.html`.
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    /// Site placement.
    pub chrome: Chrome<'a>,
    /// The title.
    pub title: String,
    /// The summary, shown under the title.
    pub summary: Option<String>,
    /// The rendered body. HTML: authors may write raw HTML in Markdown.
    pub body_html: String,
    /// The on-page table of contents.
    pub toc: Vec<TocEntry>,
    /// The page before this one in reading order.
    pub prev: Option<PageLink>,
    /// The page after this one in reading order.
    pub next: Option<PageLink>,
}

/// A group of pages in a list.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// The group's title; empty for top-level pages.
    pub title: String,
    /// Its pages.
    pub pages: Vec<PageLink>,
}

/// `home.html` and `contents.html`.
#[derive(Debug, Clone, Serialize)]
pub struct IndexView<'a> {
    /// Site placement.
    pub chrome: Chrome<'a>,
    /// The title.
    pub title: String,
    /// The body of `content/index.md`, rendered. HTML.
    pub intro_html: Option<String>,
    /// Every page, grouped.
    pub sections: Vec<SectionView>,
    /// The first page in reading order.
    pub next: Option<PageLink>,
}

/// `404.html`.
#[derive(Debug, Clone, Serialize)]
pub struct NotFoundView<'a> {
    /// Site placement; `root` is the absolute `site-url`, because this page
    /// is served at whatever URL was missing.
    pub chrome: Chrome<'a>,
}

/// One entry of the shared navigation file.
#[derive(Debug, Clone, Serialize)]
pub struct NavPage {
    /// The title.
    pub title: String,
    /// Site-relative output path.
    pub path: String,
}

/// A group of the shared navigation file.
#[derive(Debug, Clone, Serialize)]
pub struct NavSection {
    /// The group title.
    pub title: String,
    /// Its pages.
    pub pages: Vec<NavPage>,
}
