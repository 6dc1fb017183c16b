//! Links between pages: resolving every way an author links, checking them
//! all at once, and the backlinks they imply.
//!
//! How a wiki target (`[[target]]`, `[[target#heading]]`) finds its page, in
//! order:
//! 1. the exact slug of a page, or of a generated page (`levels/impact`,
//!    `contexts/platform`, `levels`, `contexts`, `matrix`, `contents`);
//! 2. otherwise a *folded* match: lowercase, with spaces, hyphens and
//!    underscores counted as the same character, against each page's slug,
//!    file name (without `.md`) and title. One page matching is a link;
//!    several are an ambiguous link, an error naming every candidate.
//!
//! `[text](path.md#heading)` is resolved as a path relative to the linking
//! page's file. A `#heading` must be an anchor of the target page: a heading
//! id, or a heading's text that slugifies to one. Pure: [`LinkIndex::new`]
//! and [`check_links`] take the assembled site and return data.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use crate::diag::{Code, Diagnostic, LineIndex, nearest};
use crate::markdown::{LinkKind, LinkRef, LinkResolver, LinkTarget};
use crate::model::Target;
use crate::page::ParsedPage;
use crate::site::{Site, paths};
use crate::slug::{join_relative, percent_decode, relative_url, slug_from_path, slugify};

/// A page a link can point at.
#[derive(Debug, Clone)]
struct Entry {
    output_path: String,
    title: String,
    anchors: HashSet<String>,
    /// Index into `Site::pages`, for content pages.
    page: Option<usize>,
}

/// Every link target of the site, by slug, file and folded name.
#[derive(Debug)]
pub struct LinkIndex {
    /// Folded slugs of pages that failed to parse: links to them are not
    /// reported again.
    unparsed: HashSet<String>,
    by_slug: BTreeMap<String, Entry>,
    by_file: HashMap<String, String>,
    folded: HashMap<String, BTreeSet<String>>,
    /// Paths of the files copied from `content/`.
    assets: HashSet<String>,
    /// The path the site is published under (`/`, `/playbook/`): a
    /// root-absolute link must start with it.
    base_path: String,
}

/// Folds a name for wiki matching: lowercase; spaces, `-` and `_` the same.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.trim().chars() {
        if matches!(ch, ' ' | '-' | '_') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.extend(ch.to_lowercase());
        }
    }
    out.trim_matches('-').to_string()
}

/// The anchors of a content page: its heading ids and the ids the page
/// template gives its question and section blocks.
fn page_anchors(page: &ParsedPage) -> HashSet<String> {
    let mut anchors: HashSet<String> = page.outline.headings.iter().map(|h| h.id.clone()).collect();
    anchors.extend(page.meta.questions.iter().map(|q| format!("q-{}", q.id)));
    anchors.extend(["pb-questions", "pb-sources", "pb-related", "pb-backlinks"].map(String::from));
    anchors
}

impl LinkIndex {
    /// Indexes every page of `site`, every generated page and every copied
    /// file. `site_url` is the configured `site-url`, whose path is where
    /// root-absolute links start.
    pub fn new(site: &Site, site_url: &str) -> Self {
        let mut index = LinkIndex {
            unparsed: site.unparsed.iter().map(|s| fold(s.as_str())).collect(),
            by_slug: BTreeMap::new(),
            by_file: HashMap::new(),
            folded: HashMap::new(),
            assets: site.assets.iter().map(|a| a.rel_path.clone()).collect(),
            base_path: base_path(site_url),
        };
        let content_pages =
            site.pages.iter().enumerate().map(|(i, p)| (p, Some(i))).chain(site.home.iter().map(|h| (h, None)));
        for (page, number) in content_pages {
            let slug = page.slug.as_str().to_string();
            index.by_file.insert(page.source.rel_path.clone(), slug.clone());
            let stem = page.source.rel_path.rsplit('/').next().unwrap_or_default().trim_end_matches(".md");
            for name in [slug.as_str(), stem, page.title.as_str()] {
                index.folded.entry(fold(name)).or_default().insert(slug.clone());
            }
            let entry = Entry {
                output_path: page.slug.output_path(),
                title: page.title.clone(),
                anchors: page_anchors(page),
                page: number,
            };
            index.by_slug.insert(slug, entry);
        }
        let generated =
            |path: String, title: String| Entry { output_path: path, title, anchors: HashSet::new(), page: None };
        for (folder, terms, title) in
            [(paths::LEVELS, &site.levels, "Levels"), (paths::CONTEXTS, &site.contexts, "Contexts")]
        {
            if terms.is_empty() {
                continue;
            }
            index.by_slug.insert(folder.to_string(), generated(format!("{folder}/index.html"), title.to_string()));
            for term in terms {
                let slug = format!("{folder}/{}", term.term.id);
                index.by_slug.insert(slug, generated(paths::term_page(folder, &term.term.id), term.term.name.clone()));
            }
        }
        if !site.levels.is_empty() && !site.contexts.is_empty() {
            index.by_slug.insert("matrix".into(), generated(paths::MATRIX.into(), "Levels × contexts".into()));
        }
        index.by_slug.insert("contents".into(), generated(paths::CONTENTS.into(), "Contents".into()));
        index
    }

    /// Resolves a link written in `from` (a page or the home page).
    pub fn resolve(&self, from: &ParsedPage, kind: LinkKind, target: &str) -> Resolution {
        match kind {
            LinkKind::Wiki { .. } | LinkKind::Markdown => self.resolve_page(from, kind, target),
            LinkKind::Local => self.resolve_local(from, target),
            LinkKind::Absolute => self.resolve_absolute(target),
        }
    }

    fn resolve_page(&self, from: &ParsedPage, kind: LinkKind, target: &str) -> Resolution {
        let (path, fragment) = match target.split_once('#') {
            Some((path, fragment)) => (path.trim(), Some(fragment.trim())),
            None => (target.trim(), None),
        };
        // A Markdown link is a URL: `a%20b.md` names `a b.md`. A wiki link
        // is a name, taken as written.
        let (path, fragment) = match kind {
            LinkKind::Markdown => (decode(path), fragment.map(decode)),
            _ => (Cow::Borrowed(path), fragment.map(Cow::Borrowed)),
        };
        let slug = if path.is_empty() {
            from.slug.as_str().to_string()
        } else {
            match kind {
                LinkKind::Wiki { .. } => match self.find_wiki(&path) {
                    Ok(slug) => slug,
                    Err(resolution) => return resolution,
                },
                _ => match self.find_file(from.source_dir(), &path) {
                    Some(slug) => slug,
                    None => return Resolution::MissingPage { name: path.trim_end_matches(".md").to_string() },
                },
            }
        };
        self.at_anchor(slug, fragment.as_deref())
    }

    /// The page `slug` (which exists), at `fragment` if one is given.
    fn at_anchor(&self, slug: String, fragment: Option<&str>) -> Resolution {
        let entry = &self.by_slug[&slug];
        let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
            return Resolution::Found {
                output_path: entry.output_path.clone(),
                fragment: None,
                title: entry.title.clone(),
                page: entry.page,
            };
        };
        let anchor = if entry.anchors.contains(fragment) {
            Some(fragment.to_string())
        } else {
            Some(slugify(fragment)).filter(|s| entry.anchors.contains(s))
        };
        match anchor {
            Some(anchor) => Resolution::Found {
                output_path: entry.output_path.clone(),
                fragment: Some(anchor),
                title: entry.title.clone(),
                page: entry.page,
            },
            None => Resolution::MissingHeading { slug, fragment: fragment.to_string() },
        }
    }

    /// A relative path to a file beside the page: `img/a.png`.
    fn resolve_local(&self, from: &ParsedPage, target: &str) -> Resolution {
        let (path, suffix) = split_suffix(target);
        let path = decode(path);
        let Some(joined) = join_relative(from.source_dir(), &path) else {
            return Resolution::MissingFile { path: path.into_owned() };
        };
        if self.assets.contains(&joined) {
            return Resolution::File { output_path: joined, suffix: suffix.to_string() };
        }
        // `../other/` written as a path to a page's folder.
        let folder = joined.trim_end_matches('/').trim_end_matches("index.html").trim_end_matches('/');
        if self.by_slug.contains_key(folder) {
            return self.at_anchor(folder.to_string(), suffix.strip_prefix('#'));
        }
        Resolution::MissingFile { path: joined }
    }

    /// A root-absolute path, read from the site's base path: `/guide/`,
    /// `/img/a.png`, `/guide.md`.
    fn resolve_absolute(&self, target: &str) -> Resolution {
        let (path, suffix) = split_suffix(target);
        let path = decode(path);
        let Some(inside) = path.strip_prefix(self.base_path.as_str()) else {
            return Resolution::OutsideBase { base: self.base_path.clone() };
        };
        if inside.ends_with(".md") {
            return match self.by_file.get(inside) {
                Some(slug) => self.at_anchor(slug.clone(), suffix.strip_prefix('#')),
                None => Resolution::MissingPage { name: inside.trim_end_matches(".md").to_string() },
            };
        }
        if self.assets.contains(inside) || inside.starts_with(&format!("{}/", paths::ASSET_DIR)) {
            return Resolution::File { output_path: inside.to_string(), suffix: suffix.to_string() };
        }
        let folder = inside.trim_end_matches("index.html").trim_end_matches('/');
        if self.by_slug.contains_key(folder) {
            return self.at_anchor(folder.to_string(), suffix.strip_prefix('#'));
        }
        let looks_like_a_file = inside.rsplit('/').next().is_some_and(|name| name.contains('.'));
        if looks_like_a_file {
            Resolution::MissingFile { path: inside.to_string() }
        } else {
            Resolution::MissingPage { name: folder.to_string() }
        }
    }

    fn find_wiki(&self, name: &str) -> Result<String, Resolution> {
        let name = name.trim_end_matches(".md");
        if self.by_slug.contains_key(name) {
            return Ok(name.to_string());
        }
        match self.folded.get(&fold(name)) {
            Some(slugs) if slugs.len() == 1 => Ok(slugs.iter().next().expect("one element").clone()),
            Some(slugs) => Err(Resolution::Ambiguous { candidates: slugs.iter().cloned().collect() }),
            None => Err(Resolution::MissingPage { name: name.to_string() }),
        }
    }

    fn find_file(&self, source_dir: &str, path: &str) -> Option<String> {
        self.by_file.get(&join_relative(source_dir, path)?).cloned()
    }

    /// The slug closest to a name no page has, for "did you mean". Costs a
    /// comparison with every slug, so it runs only for reported links.
    pub fn nearest_slug(&self, name: &str) -> Option<String> {
        let folded = fold(name);
        nearest(&folded, self.by_slug.keys().map(String::as_str)).map(str::to_string)
    }

    /// The anchor of page `slug` closest to a `fragment` it does not have.
    pub fn nearest_anchor(&self, slug: &str, fragment: &str) -> Option<String> {
        let entry = self.by_slug.get(slug)?;
        nearest(fragment, entry.anchors.iter().map(String::as_str)).map(str::to_string)
    }
}

/// The outcome of resolving one link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// The link works.
    Found {
        /// The target's site-relative output file.
        output_path: String,
        /// The anchor on it, if the link names one.
        fragment: Option<String>,
        /// The target's title.
        title: String,
        /// The target's index in `Site::pages`, for content pages.
        page: Option<usize>,
    },
    /// No page has that name.
    MissingPage {
        /// The name looked up, without `.md`.
        name: String,
    },
    /// The page exists; the heading does not.
    MissingHeading {
        /// The page.
        slug: String,
        /// The anchor asked for.
        fragment: String,
    },
    /// Several pages fold to the wiki name.
    Ambiguous {
        /// Their slugs.
        candidates: Vec<String>,
    },
    /// A file copied from `content/` (or a file of the theme).
    File {
        /// Its site-relative output path.
        output_path: String,
        /// `?query` or `#fragment`, kept as written.
        suffix: String,
    },
    /// No file at that path.
    MissingFile {
        /// The path looked for, inside `content/` (or the site).
        path: String,
    },
    /// A root-absolute link that does not start with the site's base path.
    OutsideBase {
        /// The base path.
        base: String,
    },
}

/// A URL path or fragment with `%XX` escapes decoded; as written if they
/// are malformed.
fn decode(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    percent_decode(text).map_or(Cow::Borrowed(text), Cow::Owned)
}

/// The path part of a URL-like target, and its `?query` or `#fragment`.
fn split_suffix(target: &str) -> (&str, &str) {
    match target.find(['#', '?']) {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    }
}

/// The path of `site-url`: `/` for `https://example.org`, `/playbook/` for
/// `https://example.org/playbook/` or `/playbook/`.
fn base_path(site_url: &str) -> String {
    let path = match site_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => site_url,
    };
    if path.ends_with('/') { path.to_string() } else { format!("{path}/") }
}

/// Resolves links while rendering one page.
pub struct PageResolver<'a> {
    /// The index of the site.
    pub index: &'a LinkIndex,
    /// The page being rendered.
    pub from: &'a ParsedPage,
    /// Its output file, for relative URLs.
    pub output_path: &'a str,
}

impl LinkResolver for PageResolver<'_> {
    fn resolve(&self, kind: LinkKind, target: &str) -> Option<LinkTarget> {
        match self.index.resolve(self.from, kind, target) {
            Resolution::File { output_path, suffix } => Some(LinkTarget {
                url: format!("{}{suffix}", relative_url(self.output_path, &output_path)),
                title: String::new(),
            }),
            Resolution::Found { output_path, fragment, title, .. } => {
                let base = if output_path == self.output_path && fragment.is_some() {
                    String::new()
                } else {
                    relative_url(self.output_path, &output_path)
                };
                let url = match fragment {
                    Some(f) => format!("{base}#{f}"),
                    None => base,
                };
                Some(LinkTarget { url, title })
            }
            _ => None,
        }
    }
}

/// Where a page is linked from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Backlink {
    /// Prose on page N (None: the home page) links here.
    Prose(Option<usize>),
    /// An answer to question `question` (index into page N's questions)
    /// leads here.
    Answer {
        /// The page holding the question.
        page: usize,
        /// Index of the question on that page.
        question: usize,
        /// Index of the answer.
        answer: usize,
    },
}

/// What link checking found: every page's backlinks.
#[derive(Debug, Default)]
pub struct LinkGraph {
    /// For each page of `Site::pages`, what links to it, sorted.
    pub backlinks: Vec<Vec<Backlink>>,
}

/// When broken links are errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkSeverity {
    /// `build`: broken links are warnings.
    Lenient,
    /// `check`: broken links are errors.
    Strict,
}

/// What one page's links resolve to.
#[derive(Debug, Default)]
pub struct PageLinks {
    /// The content pages its prose links to (not itself), sorted, once each.
    pub targets: Vec<usize>,
    /// Broken links, keyed by what they point at, for grouping.
    pub broken: Vec<(String, Diagnostic)>,
    /// Ambiguous links.
    pub ambiguous: Vec<Diagnostic>,
    /// Broken or ambiguous links past [`MAX_REPORTED_PER_PAGE`], counted
    /// but not described.
    pub unreported: usize,
}

/// How many other places linking to the same missing target a broken-link
/// report names.
const MAX_OTHER_PLACES: usize = 10;

/// How many broken or ambiguous links of one page are described. Past it
/// they are only counted: each description costs a search for the nearest
/// slug, and 102,000 of them on one page took 40 s and 2 GB (issue 9).
pub const MAX_REPORTED_PER_PAGE: usize = 100;

/// Resolves the links of one page (`from` is its index, `None` for the home
/// page).
pub fn page_links(index: &LinkIndex, page: &ParsedPage, from: Option<usize>, severity: LinkSeverity) -> PageLinks {
    let mut report = PageLinks::default();
    if page.outline.links.is_empty() {
        return report;
    }
    let line_index = LineIndex::new(&page.source.text);
    for link in &page.outline.links {
        let resolution = index.resolve(page, link.kind, &link.target);
        match &resolution {
            Resolution::Found { page: Some(target), .. } if Some(*target) != from => {
                report.targets.push(*target);
                continue;
            }
            Resolution::Found { .. } | Resolution::File { .. } => continue,
            Resolution::MissingPage { .. } if index.is_unparsed(page, link) => continue,
            _ => {}
        }
        if report.broken.len() + report.ambiguous.len() >= MAX_REPORTED_PER_PAGE {
            report.unreported += 1;
            continue;
        }
        let span = page.body_start + link.span.start..page.body_start + link.span.end;
        let at = |d: Diagnostic| d.at_indexed(&page.source.display_path, &page.source.text, &line_index, span.clone());
        match problem(index, link, resolution, severity) {
            Problem::Ambiguous(d) => report.ambiguous.push(at(d)),
            Problem::Broken(key, d) => report.broken.push((key, at(d))),
        }
    }
    report.targets.sort_unstable();
    report.targets.dedup();
    report
}

/// What is wrong with a link that did not resolve.
enum Problem {
    /// It could mean several pages.
    Ambiguous(Diagnostic),
    /// It leads nowhere; the key groups reports of the same target.
    Broken(String, Diagnostic),
}

fn problem(index: &LinkIndex, link: &LinkRef, resolution: Resolution, severity: LinkSeverity) -> Problem {
    let written = page_part(&link.target);
    match resolution {
        Resolution::Ambiguous { candidates } => Problem::Ambiguous(
            Diagnostic::error(Code::AmbiguousLink, format!("`{}` could mean {} pages", link.target, candidates.len()))
                .with_note(format!(
                    "candidates: {}",
                    candidates.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
                ))
                .with_help(format!("link by exact slug, e.g. `[[{}]]`", candidates[0])),
        ),
        Resolution::MissingHeading { slug, fragment } => {
            let help = match index.nearest_anchor(&slug, &fragment) {
                Some(n) => format!("did you mean `#{n}`?"),
                None => format!("`{slug}` has no such heading; link to the page alone"),
            };
            let message = format!("broken link: `{slug}` has no heading `#{fragment}`");
            Problem::Broken(format!("{slug}#{fragment}"), broken_link(severity, message).with_help(help))
        }
        Resolution::OutsideBase { base } => {
            let message = format!("broken link: `{written}` is outside the site, which is published under `{base}`");
            let help = format!(
                "links starting with `/` are read from the web server's root; write `{}{}`, or a relative link",
                base.trim_end_matches('/'),
                written
            );
            Problem::Broken(written.to_string(), broken_link(severity, message).with_help(help))
        }
        Resolution::MissingFile { path } => {
            let help = match link.kind {
                LinkKind::Absolute => {
                    "a path starting with `/` is read from the site's root; add the file, or fix the path"
                }
                _ => "add the file to the content folder, or fix the path: it is relative to the page's own file",
            };
            let message = format!("missing file: `{written}` (no `{path}` in the content folder)");
            Problem::Broken(path, missing_file(severity, message).with_help(help))
        }
        // Found and File are not problems; MissingPage is what is left.
        _ => {
            let name = match &link.kind {
                LinkKind::Wiki { .. } => written.trim_end_matches(".md").to_string(),
                _ => written.trim_start_matches('/').trim_end_matches('/').trim_end_matches(".md").to_string(),
            };
            let help = match index.nearest_slug(&name) {
                Some(n) => format!("did you mean `{n}`?"),
                None => "link to an existing page by its slug (its path without `.md`)".to_string(),
            };
            let message = format!("broken link: no page `{written}`");
            Problem::Broken(written.to_string(), broken_link(severity, message).with_help(help))
        }
    }
}

/// Resolves every link of every page, reports the broken and ambiguous ones
/// (each missing target once, listing every place that links to it), and
/// collects backlinks.
pub fn check_links(site: &Site, index: &LinkIndex, severity: LinkSeverity) -> (LinkGraph, Vec<Diagnostic>) {
    let sources: Vec<(Option<usize>, &ParsedPage)> =
        site.pages.iter().enumerate().map(|(i, p)| (Some(i), p)).chain(site.home.iter().map(|h| (None, h))).collect();
    let reports: Vec<PageLinks> =
        sources.par_iter().map(|&(from, page)| page_links(index, page, from, severity)).collect();
    let mut backlinks: Vec<BTreeSet<Backlink>> = vec![BTreeSet::new(); site.pages.len()];
    let mut broken: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    let mut problems = Vec::new();
    for ((from, page), report) in sources.iter().zip(reports) {
        for target in report.targets {
            backlinks[target].insert(Backlink::Prose(*from));
        }
        problems.extend(report.ambiguous);
        if report.unreported > 0 {
            problems.push(
                broken_link(
                    severity,
                    format!("{} more broken or ambiguous links in this page are not listed", report.unreported),
                )
                .in_file(&page.source.display_path)
                .with_help(format!("fix the first {MAX_REPORTED_PER_PAGE}, then check again")),
            );
        }
        for (key, d) in report.broken {
            broken.entry(key).or_default().push(d);
        }
    }
    for (page_index, page) in site.pages.iter().enumerate() {
        for (q, question) in page.meta.questions.iter().enumerate() {
            for (a, answer) in question.answers.iter().enumerate() {
                if let Target::Page(slug) = &answer.target
                    && let Some(&target) = site.by_slug.get(slug)
                {
                    backlinks[target].insert(Backlink::Answer { page: page_index, question: q, answer: a });
                }
            }
        }
    }
    for (_, mut group) in broken {
        let mut first = group.remove(0);
        let mut others: Vec<String> = group
            .iter()
            .take(MAX_OTHER_PLACES)
            .map(|d| d.location.as_ref().map(|l| format!("{}:{}:{}", l.file, l.line, l.column)).unwrap_or_default())
            .collect();
        if group.len() > MAX_OTHER_PLACES {
            others.push(format!("and {} more places", group.len() - MAX_OTHER_PLACES));
        }
        if !others.is_empty() {
            first = first.with_note(format!("also linked from {}", others.join(", ")));
        }
        problems.push(first);
    }
    let graph = LinkGraph { backlinks: backlinks.into_iter().map(|b| b.into_iter().collect()).collect() };
    (graph, problems)
}

impl LinkIndex {
    /// Whether a link points at a page that exists but failed to parse.
    fn is_unparsed(&self, from: &ParsedPage, link: &LinkRef) -> bool {
        let path = page_part(&link.target);
        let slug = match link.kind {
            LinkKind::Wiki { .. } => path.trim_end_matches(".md").to_string(),
            LinkKind::Markdown => match join_relative(from.source_dir(), &decode(path)) {
                Some(joined) => slug_from_path(&joined).as_str().to_string(),
                None => return false,
            },
            LinkKind::Absolute if path.ends_with(".md") => match decode(path).strip_prefix(self.base_path.as_str()) {
                Some(inside) => slug_from_path(inside).as_str().to_string(),
                None => return false,
            },
            LinkKind::Local | LinkKind::Absolute => return false,
        };
        self.unparsed.contains(&fold(&slug))
    }

    /// Replaces the anchors of page `slug` after its body changed.
    pub fn set_anchors(&mut self, page: &ParsedPage) {
        if let Some(entry) = self.by_slug.get_mut(page.slug.as_str()) {
            entry.anchors = page_anchors(page);
        }
    }
}

impl LinkGraph {
    /// Moves page `from`'s prose backlinks from `old` targets to `new` ones,
    /// returning every page whose list changed.
    pub fn relink(&mut self, from: usize, old: &[usize], new: &[usize]) -> Vec<usize> {
        let mut changed = Vec::new();
        for &target in old.iter().filter(|t| !new.contains(t)) {
            self.backlinks[target].retain(|b| *b != Backlink::Prose(Some(from)));
            changed.push(target);
        }
        for &target in new.iter().filter(|t| !old.contains(t)) {
            let list = &mut self.backlinks[target];
            let link = Backlink::Prose(Some(from));
            if let Err(at) = list.binary_search(&link) {
                list.insert(at, link);
            }
            changed.push(target);
        }
        changed
    }
}

fn page_part(target: &str) -> &str {
    target.split('#').next().unwrap_or(target).trim()
}

fn broken_link(severity: LinkSeverity, message: String) -> Diagnostic {
    match severity {
        LinkSeverity::Lenient => Diagnostic::warning(Code::BrokenLink, message),
        LinkSeverity::Strict => Diagnostic::error(Code::BrokenLink, message),
    }
}

fn missing_file(severity: LinkSeverity, message: String) -> Diagnostic {
    broken_link(severity, message).with_code(Code::MissingFile)
}

/// Pages nothing links to and no level lists: a reader can only find them
/// through the full contents. Warnings, from `check`.
pub fn orphan_pages(site: &Site, graph: &LinkGraph) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .zip(&graph.backlinks)
        .filter(|(page, backlinks)| backlinks.is_empty() && page.meta.levels.is_empty() && page.meta.decision.is_none())
        .map(|(page, _)| {
            Diagnostic::warning(
                Code::OrphanPage,
                format!("`{}` is an orphan: no page links to it and no level lists it", page.slug),
            )
            .in_file(&page.source.display_path)
            .with_help("link to it from a related page, or give it `levels:` in its frontmatter")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_config;
    use crate::diag::Severity;
    use crate::page::parse_page;
    use crate::site::{Parts, assemble};
    use crate::source::source_from_text;

    fn site(files: &[(&str, &str)]) -> Site {
        let config = parse_config("[playbook]\nlevels = [{ id = \"impact\", name = \"Impact\" }]\ncontexts = [{ id = \"platform\", name = \"Platform\" }]\n").unwrap();
        let pages = files
            .iter()
            .map(|(rel, text)| parse_page(source_from_text("content", rel, text), &config).unwrap().0)
            .collect();
        assemble(Parts { pages, assets: vec![], unparsed: BTreeSet::new() }, &config).0
    }

    fn resolve(site: &Site, from: &str, kind: LinkKind, target: &str) -> Resolution {
        let page = site.pages.iter().find(|p| p.slug.as_str() == from).expect("page exists");
        LinkIndex::new(site, "/").resolve(page, kind, target)
    }

    const WIKI: LinkKind = LinkKind::Wiki { labelled: false };

    #[test]
    fn folding_treats_case_spaces_hyphens_underscores_alike() {
        assert_eq!(fold("Impact_in Product--management"), "impact-in-product-management");
    }

    #[test]
    fn wiki_targets_resolve_by_slug_file_name_and_title() {
        let s = site(&[
            ("a.md", "# A"),
            ("guides/Culture Problems.md", "---\ntitle: Why culture bites\n---\n## Signs\n"),
            ("impact_in_product_management.md", "# Impact"),
        ]);
        for target in ["guides/culture-problems", "Culture Problems", "culture_problems", "WHY CULTURE BITES"] {
            assert!(
                matches!(resolve(&s, "a", WIKI, target), Resolution::Found { ref output_path, .. } if output_path == "guides/culture-problems/index.html"),
                "{target}"
            );
        }
        assert!(matches!(resolve(&s, "a", WIKI, "impact_in_product_management"), Resolution::Found { .. }));
        assert!(
            matches!(resolve(&s, "a", WIKI, "levels/impact"), Resolution::Found { ref output_path, .. } if output_path == "levels/impact/index.html")
        );
        assert!(matches!(resolve(&s, "a", WIKI, "contexts/platform"), Resolution::Found { .. }));
    }

    #[test]
    fn headings_by_id_or_text_and_missing_ones_suggest() {
        let s = site(&[("a.md", "# A\n\n## Why it happens\n"), ("b.md", "# B")]);
        assert!(
            matches!(resolve(&s, "b", WIKI, "a#why-it-happens"), Resolution::Found { fragment: Some(ref f), .. } if f == "why-it-happens")
        );
        assert!(matches!(resolve(&s, "b", WIKI, "a#Why it happens"), Resolution::Found { .. }));
        assert_eq!(
            resolve(&s, "b", WIKI, "a#why-it-hapens"),
            Resolution::MissingHeading { slug: "a".into(), fragment: "why-it-hapens".into() }
        );
        assert_eq!(LinkIndex::new(&s, "/").nearest_anchor("a", "why-it-hapens").as_deref(), Some("why-it-happens"));
        assert!(matches!(resolve(&s, "a", LinkKind::Markdown, "#why-it-happens"), Resolution::Found { .. }));
    }

    #[test]
    fn markdown_paths_are_relative_to_the_linking_file() {
        let s = site(&[("guides/a.md", "# A"), ("guides/b.md", "# B"), ("top.md", "# Top")]);
        assert!(
            matches!(resolve(&s, "guides/a", LinkKind::Markdown, "b.md"), Resolution::Found { ref output_path, .. } if output_path == "guides/b/index.html")
        );
        assert!(matches!(resolve(&s, "guides/a", LinkKind::Markdown, "../top.md"), Resolution::Found { .. }));
        assert!(matches!(resolve(&s, "guides/a", LinkKind::Markdown, "top.md"), Resolution::MissingPage { .. }));
    }

    #[test]
    fn ambiguous_and_missing_targets() {
        let s = site(&[("a/x.md", "# One"), ("b/x.md", "# Two"), ("c.md", "# C")]);
        assert_eq!(resolve(&s, "c", WIKI, "x"), Resolution::Ambiguous { candidates: vec!["a/x".into(), "b/x".into()] });
        assert_eq!(resolve(&s, "c", WIKI, "a/xx"), Resolution::MissingPage { name: "a/xx".into() });
        assert_eq!(LinkIndex::new(&s, "/").nearest_slug("a/xx").as_deref(), Some("a/x"));
    }

    #[test]
    fn broken_links_are_grouped_and_backlinks_split_by_kind() {
        let s = site(&[
            (
                "a.md",
                "---\ndiagnostic_questions:\n  - { id: q, ask: A?, answers: [{ label: y, leads_to: c }] }\n---\n[[gone]] [[c]]\n",
            ),
            ("b.md", "# B\n\nSee [[gone]] and [[c]].\n"),
            ("c.md", "# C\n"),
        ]);
        let index = LinkIndex::new(&s, "/");
        let (graph, problems) = check_links(&s, &index, LinkSeverity::Lenient);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].severity, Severity::Warning);
        assert!(problems[0].notes[0].starts_with("also linked from content/b.md:3:5"), "{:?}", problems[0].notes);
        assert_eq!(
            graph.backlinks[2],
            [Backlink::Prose(Some(0)), Backlink::Prose(Some(1)), Backlink::Answer { page: 0, question: 0, answer: 0 }]
        );
        let (_, strict) = check_links(&s, &index, LinkSeverity::Strict);
        assert_eq!(strict[0].severity, Severity::Error);
    }

    #[test]
    fn orphans_have_no_backlinks_and_no_level() {
        let s = site(&[("a.md", "# A\n[[b]]"), ("b.md", "# B"), ("c.md", "---\nlevels: [impact]\n---\n")]);
        let (graph, _) = check_links(&s, &LinkIndex::new(&s, "/"), LinkSeverity::Lenient);
        let orphans = orphan_pages(&s, &graph);
        assert_eq!(orphans.len(), 1);
        assert!(orphans[0].message.contains("`a`"));
    }
}
