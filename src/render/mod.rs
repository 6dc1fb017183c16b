//! Rendering: one output file at a time, from the analysed site and a
//! compiled theme, with no disk access.
//!
//! [`plan`] lists every output of the site as a [`Unit`] with its path and a
//! fingerprint: the hash of the facts it is rendered from (`facts.rs`) and of
//! the [`RenderEnv`]. [`render`] renders one unit from those same facts. The
//! engine renders only the units whose fingerprint changed, and a build
//! writes each file as soon as it is rendered, so no stage holds the whole
//! output. `page.rs` renders content pages, `decision.rs` the walk of a
//! decision page, `index.rs` the pages playbook generates (home, contents,
//! levels, contexts, matrix, 404) and the navigation file, written once
//! instead of into every page so output grows linearly.

mod cards;
mod decision;
pub(crate) mod facts;
mod index;
mod page;
pub(crate) mod palette;
mod search;
mod sitemap;
pub(crate) mod theme;
pub(crate) mod view;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use crate::analysis::{Analysis, Delta};
use crate::config::{Config, Term};
use crate::diag::{Code, Diagnostic};
use crate::hashing::hash_of;
use crate::markdown::{self, BodyContext, Resolved};
use crate::page::ParsedPage;
use crate::search::{FileKind, SectionText};
use crate::site::paths;
use crate::slug::{relative_url, root_prefix};
pub(crate) use cards::CardCache;
pub(crate) use theme::Theme;
use view::{BookView, Chrome, PageLink, TermLink};

/// The anchor of a question on the page that defines it.
pub(crate) fn question_anchor(id: &str) -> String {
    format!("q-{id}")
}

/// The anchor of a question's step on a decision page.
pub(crate) fn step_anchor(id: &str) -> String {
    format!("step-{id}")
}

/// What an output file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// Bytes made by the build.
    Bytes(Vec<u8>),
    /// A file of `content/` copied as it is, read when written.
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

impl From<OutputFile> for Vec<OutputFile> {
    fn from(file: OutputFile) -> Self {
        vec![file]
    }
}

impl OutputFile {
    fn bytes(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile { path: path.into(), contents: Contents::Bytes(bytes.into()) }
    }
}

/// What every output is rendered with; none of it differs between outputs.
pub(crate) struct RenderEnv<'a> {
    /// The compiled theme.
    pub(crate) theme: &'a Theme,
    /// `book.toml`.
    pub(crate) config: &'a Config,
    /// `serve` adds its live-reload script to every HTML page.
    pub(crate) live_reload: bool,
    /// Pages as lists show them, kept between renders in `serve`.
    cards: &'a CardCache,
    book: BookView,
    hash: u64,
}

/// Where `serve` serves its live-reload script.
pub(crate) const LIVE_RELOAD_SCRIPT: &str = "/__playbook/live.js";

impl<'a> RenderEnv<'a> {
    /// The environment of one render of a build or serve session.
    pub(crate) fn new(theme: &'a Theme, config: &'a Config, live_reload: bool, cards: &'a CardCache) -> Self {
        let book = BookView {
            title: config.book.title.clone(),
            description: config.book.description.clone(),
            language: config.book.language.clone(),
            authors: config.book.authors.clone(),
            footer: config.book.footer.clone(),
            site_url: is_absolute_url(&config.build.site_url).then(|| config.build.site_url.clone()),
            favicon: config.build.favicon.clone(),
            has_matrix: !config.playbook.levels.is_empty() && !config.playbook.contexts.is_empty(),
            has_levels: !config.playbook.levels.is_empty(),
            has_contexts: !config.playbook.contexts.is_empty(),
            has_search: config.build.search,
        };
        let hash = hash_of(&(theme.hash(), config, live_reload));
        RenderEnv { theme, config, live_reload, cards, book, hash }
    }

    /// A hash of everything here: the theme, the configuration, and whether
    /// pages load the live-reload script.
    pub(crate) fn hash(&self) -> u64 {
        self.hash
    }
}

/// Which vocabulary a term page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// A level of product work.
    Level,
    /// A context.
    Context,
}

impl Kind {
    fn folder(self) -> &'static str {
        match self {
            Kind::Level => paths::LEVELS,
            Kind::Context => paths::CONTEXTS,
        }
    }
}

/// One output of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Unit {
    /// Content page `Site::pages[i]`.
    Page(usize),
    /// The home page.
    Home,
    /// Every page, grouped: the sidebar without JavaScript.
    Contents,
    /// `Site::folders[i]`: the pages of a folder without a page of its own.
    Folder(usize),
    /// `404.html`.
    NotFound,
    /// The list of every level or every context.
    Terms(Kind),
    /// The page of one level or context.
    Term(Kind, usize),
    /// Levels × contexts.
    Matrix,
    /// `nav.js`, the shared navigation.
    Nav,
    /// `sitemap.xml`, when `site-url` is absolute.
    Sitemap,
    /// `assets/levels.css`: each level's colours (`palette.rs`).
    LevelStyle,
    /// `print.html`: every page, in reading order.
    Print,
    /// `search/index.html`, the results page.
    SearchPage,
    /// A file of the search index.
    Search(FileKind),
    /// Static file `i` of the theme.
    Static(usize),
    /// File `Site::assets[i]`, copied.
    Asset(usize),
    /// The page at `BuildSettings::redirects[i]`'s old path, forwarding.
    Redirect(usize),
}

impl Unit {
    /// Whether a server renders it after publishing an edit, when idle: it
    /// costs as much as the pages it holds, and nobody reads it while
    /// writing.
    pub(crate) fn is_deferred(self) -> bool {
        matches!(self, Unit::Print)
    }

    /// Whether it is a document search finds, whose text it writes too.
    fn is_searchable(self, analysis: &Analysis) -> bool {
        match self {
            Unit::Page(_) | Unit::Term(..) => true,
            Unit::Home => analysis.site.home.is_some(),
            _ => false,
        }
    }

    /// Whether the output lists every page, or a large share of them.
    pub(crate) fn lists_pages(self) -> bool {
        matches!(self, Unit::Contents | Unit::Nav | Unit::Matrix | Unit::Term(..) | Unit::Home | Unit::Print)
    }
}

/// One output of the plan: what it is and the files it writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Planned {
    /// What it is.
    pub(crate) unit: Unit,
    /// Its file, from the site's root.
    pub(crate) path: String,
    /// The file of its text for search, written with it from the same pass
    /// over the page's Markdown (`search/text/...`).
    pub(crate) text: Option<String>,
}

impl Planned {
    /// Every file it writes.
    pub(crate) fn files(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.path.as_str()).chain(self.text.as_deref())
    }
}

/// Every output of the site, sorted by path: what it is and where it is
/// written.
pub(crate) fn plan(analysis: &Analysis, env: &RenderEnv<'_>) -> Vec<Planned> {
    let site = &analysis.site;
    let mut units: Vec<(Unit, String)> =
        site.pages.iter().enumerate().map(|(i, page)| (Unit::Page(i), page.slug.output_path())).collect();
    units.push((Unit::Home, paths::HOME.into()));
    units.push((Unit::Contents, paths::CONTENTS.into()));
    units.extend(site.folders.iter().enumerate().map(|(i, folder)| (Unit::Folder(i), folder.output_path())));
    units.push((Unit::Nav, paths::NAV_SCRIPT.into()));
    units.push((Unit::NotFound, paths::NOT_FOUND.into()));
    units.push((Unit::Print, paths::PRINT.into()));
    if !site.levels.is_empty() {
        units.push((Unit::LevelStyle, paths::LEVEL_STYLE.into()));
    }
    for (kind, count) in [(Kind::Level, site.levels.len()), (Kind::Context, site.contexts.len())] {
        if count == 0 {
            continue;
        }
        units.push((Unit::Terms(kind), format!("{}/index.html", kind.folder())));
        for i in 0..count {
            units.push((Unit::Term(kind, i), paths::term_page(kind.folder(), term_id(env.config, kind, i))));
        }
    }
    if !site.levels.is_empty() && !site.contexts.is_empty() {
        units.push((Unit::Matrix, paths::MATRIX.into()));
    }
    for (i, (name, _)) in env.theme.statics().iter().enumerate() {
        units.push((Unit::Static(i), format!("{}/{name}", paths::ASSET_DIR)));
    }
    for (i, asset) in site.assets.iter().enumerate() {
        units.push((Unit::Asset(i), asset.rel_path.clone()));
    }
    if is_absolute_url(&env.config.build.site_url) {
        units.push((Unit::Sitemap, paths::SITEMAP.into()));
    }
    // An old address never stands in for a file the site has.
    let taken: std::collections::HashSet<&str> = units.iter().map(|(_, path)| path.as_str()).collect();
    let redirects: Vec<(Unit, String)> = (env.config.build.redirects.iter().enumerate())
        .filter(|(_, r)| !taken.contains(r.from.as_str()))
        .map(|(i, r)| (Unit::Redirect(i), r.from.clone()))
        .collect();
    units.extend(redirects);
    let index = &analysis.search;
    if env.config.build.search {
        units.push((Unit::SearchPage, paths::SEARCH.into()));
        units.extend(crate::search::files(index).map(|file| (Unit::Search(file), file.path(index, env.config))));
    }
    let mut planned: Vec<Planned> = (units.into_iter())
        .map(|(unit, path)| {
            let text =
                (env.config.build.search && unit.is_searchable(analysis)).then(|| crate::search::text_path(&path));
            Planned { unit, path, text }
        })
        .collect();
    planned.sort_by(|a, b| a.path.cmp(&b.path));
    planned
}

/// Whether `unit`, which last showed the pages `shows`, may show something
/// else after `delta`. What each output shows is its facts (`facts.rs`): a
/// content page shows its own text, links and backlinks, and other pages
/// only through their cards, their questions and the site's structure;
/// every other output shows only cards and structure, and the home page its
/// own text and links. Facts record which pages' cards and questions they
/// show as they are hashed. So when `delta` keeps the pages and link
/// targets, only the pages it names, the outputs that show a card or
/// question it changed, and (if the order or the levels changed) the lists
/// of pages need their facts gathered again. The differential test holds
/// this rule to a fresh build.
pub(crate) fn affected(unit: Unit, shows: &[u32], delta: &Delta) -> bool {
    match delta {
        Delta::Everything => true,
        Delta::Pages { ids, home, shown, lists, .. } => {
            let own = match unit {
                Unit::Page(id) => ids.binary_search(&id).is_ok(),
                Unit::Home => *home || *lists,
                Unit::Static(_)
                | Unit::Asset(_)
                | Unit::Sitemap
                | Unit::NotFound
                | Unit::LevelStyle
                | Unit::SearchPage => false,
                // Where it leads depends on which pages there are; a lookup.
                Unit::Redirect(_) => true,
                // Gathering their facts costs a lookup of hashes the index
                // keeps: cheaper than working out whether an edit reached them.
                Unit::Search(_) => true,
                Unit::Contents | Unit::Folder(_) | Unit::Nav | Unit::Terms(_) | Unit::Term(..) | Unit::Matrix => *lists,
                // It shows every page's text and the home page's: any the delta names.
                Unit::Print => *lists || *home || !ids.is_empty(),
            };
            own || shown.iter().any(|id| shows.binary_search(id).is_ok())
        }
    }
}

/// What an output was rendered from: the hash of its facts, and the ids of
/// the pages whose card or title those facts show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    /// The hash of the output's facts and of the [`RenderEnv`].
    pub(crate) hash: u64,
    /// Ids of the pages it shows, sorted.
    pub(crate) shows: Box<[u32]>,
}

impl Fingerprint {
    /// Says what the output shows in the ids `map` gives the pages now; a
    /// page that is gone is shown by no output that stands (the delta
    /// re-rendered those).
    pub(crate) fn renumber(&mut self, map: &crate::ids::IdMap) {
        let mut shows: Vec<u32> = (self.shows.iter())
            .filter_map(|&old| map.new_of.get(old as usize).copied().flatten())
            .map(|id| u32::try_from(id).unwrap_or(u32::MAX))
            .collect();
        shows.sort_unstable();
        self.shows = shows.into_boxed_slice();
    }
}

/// What rendering one output came to.
#[derive(Debug)]
pub(crate) enum Rendering {
    /// Its fingerprint is the one it had: the file from last time stands.
    Unchanged,
    /// Rendered afresh: its file, and its text for search if it has one.
    Rendered(Vec<OutputFile>),
    /// The theme or playbook failed on it.
    Failed(Diagnostic),
}

/// A page's path as people write it: `a/b/` for `a/b/index.html`.
pub(crate) fn pretty_path(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

fn is_absolute_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

fn term_id(config: &Config, kind: Kind, index: usize) -> &str {
    match kind {
        Kind::Level => config.playbook.levels[index].id.as_str(),
        Kind::Context => config.playbook.contexts[index].id.as_str(),
    }
}

/// Renders one output unless its fingerprint (the hash of the facts it is
/// made from and of `env`) is `previous`, and returns the fingerprint.
/// Facts are gathered once, for both. `paths` lists every output path, for
/// the sitemap. A panic inside the theme or playbook becomes a diagnostic
/// naming the output rather than taking the build down.
pub(crate) fn render(
    unit: Unit,
    analysis: &Analysis,
    env: &RenderEnv<'_>,
    paths: &[&str],
    previous: Option<u64>,
) -> (Option<Fingerprint>, Rendering) {
    let renderer = Renderer { analysis, env, previous };
    catch_unwind(AssertUnwindSafe(|| renderer.unit(unit, paths))).unwrap_or_else(|panic| {
        let reason = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        let file = match unit {
            Unit::Page(i) => analysis.site.pages[i].source.display_path.clone(),
            other => format!("{other:?}"),
        };
        let problem =
            Diagnostic::error(Code::RenderFailed, format!("playbook crashed while rendering this page: {reason}"))
                .in_file(&file)
                .with_help("this is a bug in playbook; please report it with this page attached");
        (None, Rendering::Failed(problem))
    })
}

/// Everything a view builder needs, borrowed once per output.
struct Renderer<'a> {
    analysis: &'a Analysis,
    env: &'a RenderEnv<'a>,
    /// The output's fingerprint when it was last rendered.
    previous: Option<u64>,
}

impl Renderer<'_> {
    fn unit(&self, unit: Unit, paths: &[&str]) -> (Option<Fingerprint>, Rendering) {
        let site = &self.analysis.site;
        match unit {
            Unit::Page(i) => self.from(facts::PageFacts::gather(self.analysis, i), |f| self.content_page(f)),
            Unit::Home => self.from(facts::HomeFacts::gather(self.analysis), |f| self.home(f)),
            Unit::Contents => self.from(facts::sections(self.analysis), |f| self.contents(f)),
            Unit::Folder(i) => self.from((i, facts::folder(self.analysis, i)), |(i, f)| self.folder(*i, f)),
            Unit::Nav => self.from(facts::nav_sections(self.analysis), |f| Ok(self.nav_script(f))),
            Unit::NotFound => self.from((), |()| self.not_found()),
            Unit::Terms(kind) => {
                let count = match kind {
                    Kind::Level => site.levels.len(),
                    Kind::Context => site.contexts.len(),
                };
                let counts: Vec<usize> =
                    (0..count).map(|i| facts::term_facts(self.analysis, kind, i).pages.len()).collect();
                self.from(counts, |counts| self.terms_index(kind, counts))
            }
            Unit::Term(kind, i) => self.from(facts::term_facts(self.analysis, kind, i), |f| self.term_page(kind, i, f)),
            Unit::Matrix => self.from(facts::matrix_facts(self.analysis), |f| self.matrix(f)),
            Unit::Print => self.from(facts::print_facts(self.analysis), |f| self.print(f)),
            Unit::SearchPage => self.from((), |()| self.search_page()),
            Unit::Search(file) => self.search_file(file),
            // Made from book.toml alone, which the environment's hash covers.
            Unit::LevelStyle => self.from((), |()| {
                Ok(OutputFile::bytes(paths::LEVEL_STYLE, palette::level_css(&self.env.config.playbook.levels)))
            }),
            Unit::Sitemap => self.from(paths, |paths| {
                // The results page is no page to find by search engines.
                let pages = paths.iter().copied().filter(|&p| p != paths::SEARCH);
                let map = sitemap::sitemap(&self.env.config.build.site_url, pages).unwrap_or_default();
                Ok(OutputFile::bytes(paths::SITEMAP, map))
            }),
            Unit::Static(i) => {
                let (name, bytes) = &self.env.theme.statics()[i];
                self.from(bytes, |bytes| Ok(OutputFile::bytes(format!("{}/{name}", paths::ASSET_DIR), bytes.to_vec())))
            }
            Unit::Redirect(i) => {
                let redirect = &self.env.config.build.redirects[i];
                let to = crate::mdbook::redirect::target(&redirect.from, &redirect.to, |file| {
                    self.analysis.output_of_file(file)
                });
                self.from(to, |to| {
                    let to = to.as_deref().unwrap_or(paths::HOME);
                    Ok(OutputFile::bytes(redirect.from.clone(), crate::mdbook::redirect::page(to)))
                })
            }
            Unit::Asset(i) => {
                let asset = &site.assets[i];
                self.from((&asset.abs_path, asset.stamp), |_| {
                    Ok(OutputFile { path: asset.rel_path.clone(), contents: Contents::CopyOf(asset.abs_path.clone()) })
                })
            }
        }
    }

    /// Fingerprints `facts` and renders them with `render` unless the
    /// fingerprint is the previous one.
    fn from<F: std::hash::Hash, R: Into<Vec<OutputFile>>>(
        &self,
        facts: F,
        render: impl FnOnce(&F) -> Result<R, Diagnostic>,
    ) -> (Option<Fingerprint>, Rendering) {
        let (hash, shows) = facts::shown_by(|| hash_of(&(self.env.hash, &facts)));
        let fingerprint = Fingerprint { hash, shows };
        if self.previous == Some(hash) {
            return (Some(fingerprint), Rendering::Unchanged);
        }
        match render(&facts) {
            Ok(files) => (Some(fingerprint), Rendering::Rendered(files.into())),
            Err(problem) => (None, Rendering::Failed(problem)),
        }
    }

    fn chrome(&self, path: &str) -> Chrome<'_> {
        let canonical = self.env.book.site_url.as_ref().map(|url| format!("{url}{}", pretty_path(path)));
        Chrome { book: &self.env.book, root: root_prefix(path), path: path.to_string(), canonical }
    }

    /// A link from output file `from` to `page`, with `facets`.
    fn link(&self, from: &str, page: &ParsedPage, facets: Vec<String>) -> PageLink {
        PageLink {
            title: page.title.clone(),
            url: relative_url(from, &page.slug.output_path()),
            summary: page.summary.clone(),
            facets,
        }
    }

    /// A link to the home page, shown under the handbook's title.
    fn home_link(&self, from: &str) -> PageLink {
        PageLink {
            title: self.env.book.title.clone(),
            url: relative_url(from, paths::HOME),
            summary: None,
            facets: vec![],
        }
    }

    fn term_link<I: AsRef<str>>(&self, from: &str, folder: &str, term: &Term<I>) -> TermLink {
        TermLink {
            id: term.id.as_ref().to_string(),
            name: term.name.clone(),
            url: relative_url(from, &paths::term_page(folder, term.id.as_ref())),
            glyph: (folder == paths::LEVELS).then(|| term.mark.glyph.clone()),
        }
    }

    /// Where to edit `page`'s source, if `book.toml` says how. The config
    /// is part of [`RenderEnv`] and the path of the page's content hash, so
    /// every fingerprint that shows this covers it.
    fn edit_url(&self, page: &ParsedPage) -> Option<String> {
        let template = self.env.config.build.edit_url_template.as_ref()?;
        Some(template.url_for(&page.source.display_path))
    }

    /// The body of a page as HTML, for output file `path`.
    fn body_html(&self, page: &ParsedPage, links: &[Resolved], path: &str) -> Result<String, Diagnostic> {
        Ok(self.body(page, &page.source.text()?, links, path, |_| {}))
    }

    /// The body of a page as HTML, for output file `path`, and its file of
    /// text for search (if the book has search), from the same pass over
    /// its Markdown.
    fn body_and_text(
        &self,
        page: &ParsedPage,
        links: &[Resolved],
        path: &str,
    ) -> Result<(String, Option<OutputFile>), Diagnostic> {
        if !self.env.config.build.search {
            return Ok((self.body_html(page, links, path)?, None));
        }
        let source = page.source.text()?;
        let size = source.len().saturating_sub(page.body_start);
        let mut text = SectionText::new(path, page.summary.as_deref(), &page.outline.headings, size);
        let html = self.body(page, &source, links, path, |event| text.event(event));
        let script = text.finish(&page.meta.questions);
        Ok((html, Some(OutputFile::bytes(crate::search::text_path(path), script))))
    }

    /// Renders the body of `page`, whose file reads `source`, handing each
    /// of its events to `on_event`.
    fn body(
        &self,
        page: &ParsedPage,
        source: &str,
        links: &[Resolved],
        path: &str,
        on_event: impl FnMut(&pulldown_cmark::Event<'_>),
    ) -> String {
        let context = BodyContext {
            source_dir: page.source_dir(),
            output_path: path,
            drop_leading_h1: page.title_from_body,
            video_id: page.meta.video_id.as_deref(),
            headings: &page.outline.headings,
            links,
        };
        markdown::render(&source[page.body_start..], &context, on_event)
    }

    fn render_template(
        &self,
        template: theme::Template,
        path: &str,
        display: &str,
        view: &impl serde::Serialize,
    ) -> Result<OutputFile, Diagnostic> {
        let html = self.render_fragment(template, path, view).map_err(|e| e.in_file(display))?;
        Ok(OutputFile::bytes(path, if self.env.live_reload { with_live_reload(html) } else { html }))
    }

    /// Renders `template` for output file `path`, as a string.
    fn render_fragment(
        &self,
        template: theme::Template,
        path: &str,
        view: &impl serde::Serialize,
    ) -> Result<String, Diagnostic> {
        self.env.theme.render(template, view).map_err(|e| {
            Diagnostic::error(Code::RenderFailed, format!("rendering `{path}` with `{}` failed", template.name()))
                .in_file(self.env.theme.source_of(template))
                .with_note(e)
                .with_help("if the theme is your own, check the template; otherwise please report this")
        })
    }
}

/// An HTML page with `serve`'s live-reload script before `</body>`: added
/// when the page is rendered, so serving it needs no rewriting, and so it
/// works with any theme's templates.
fn with_live_reload(mut html: String) -> String {
    let tag = format!("<script src=\"{LIVE_RELOAD_SCRIPT}\"></script>");
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, &tag),
        None => html.push_str(&tag),
    }
    html
}
