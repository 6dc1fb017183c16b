//! The whole handbook before rendering: every page in reading order, looked up
//! by slug, grouped for navigation, with output-path clashes found.
//!
//! [`assemble`] is pure. It decides the reading order (the order of the
//! sidebar and of previous/next), and it is the one place that knows every
//! output path, so it refuses two sources that would write the same file.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::config::{Config, Term};
use crate::diag::{Code, Diagnostic, nearest};
use crate::meta::PageMeta;
use crate::model::{ContextId, LevelId, QuestionId, Slug};
use crate::page::ParsedPage;
use crate::source::Asset;

/// Output paths the generator itself writes; no page or asset may take them.
pub(crate) mod paths {
    /// The home page.
    pub(crate) const HOME: &str = "index.html";
    /// The page shown for missing URLs.
    pub(crate) const NOT_FOUND: &str = "404.html";
    /// The shared navigation, loaded by every page.
    pub(crate) const NAV_SCRIPT: &str = "nav.js";
    /// The full table of contents, for readers without JavaScript.
    pub(crate) const CONTENTS: &str = "contents/index.html";
    /// The folder of the theme's static files.
    pub(crate) const ASSET_DIR: &str = "assets";
    /// The folder of the level pages (`levels/<id>/index.html`).
    pub(crate) const LEVELS: &str = "levels";
    /// The folder of the context pages (`contexts/<id>/index.html`).
    pub(crate) const CONTEXTS: &str = "contexts";
    /// The levels x contexts matrix.
    pub(crate) const MATRIX: &str = "matrix/index.html";
    /// The sitemap, written when `site-url` is an absolute URL.
    pub(crate) const SITEMAP: &str = "sitemap.xml";

    /// The output file of a level's or context's page.
    pub(crate) fn term_page(folder: &str, id: &str) -> String {
        format!("{folder}/{id}/index.html")
    }
}

/// A level or context with the pages that sit at it, in reading order.
#[derive(Debug, Clone)]
pub(crate) struct TermPages<I> {
    /// The level or context.
    pub(crate) term: Term<I>,
    /// Indexes into [`Site::pages`].
    pub(crate) pages: Vec<usize>,
}

/// Where a diagnostic question is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct QuestionRef {
    /// Index into [`Site::pages`].
    pub(crate) page: usize,
    /// Index into that page's questions.
    pub(crate) index: usize,
}

/// A page worth reading after another, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Related {
    /// Index into [`Site::pages`].
    pub(crate) page: usize,
    /// Why it is related.
    pub(crate) reason: RelatedReason,
}

/// Why a page is related to another.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum RelatedReason {
    /// The author listed it in `related:`.
    Author,
    /// It shares levels or contexts with the page; which ones is for the
    /// renderer to read off both pages.
    Shares,
}

/// The levels and contexts two pages share, in `a`'s order.
pub(crate) fn shared_terms<'a>(
    a: &'a PageMeta,
    b: &'a PageMeta,
) -> (impl Iterator<Item = &'a LevelId>, impl Iterator<Item = &'a ContextId>) {
    (a.levels.iter().filter(|l| b.levels.contains(l)), a.contexts.iter().filter(|x| b.contexts.contains(x)))
}

/// How many related pages a page shows, besides those its author lists.
const RELATED_LIMIT: usize = 4;

/// How many neighbours in reading order, on each side, are considered as
/// related candidates within a level and context. Bounds the work per page
/// so a 10,000-page playbook stays linear.
const RELATED_WINDOW: usize = 12;

/// A group of pages in the navigation: the pages of one top-level folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// The folder's index page title, or its humanized name; empty for pages
    /// at the top of `content/`.
    pub(crate) title: String,
    /// Indexes into [`Site::pages`], in reading order.
    pub(crate) pages: Vec<usize>,
}

/// Every page of the handbook, in order, ready to render.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// Every page except the home page's intro, in reading order. Shared:
    /// a page that did not change is the same allocation from one update of
    /// the engine to the next.
    pub(crate) pages: Vec<Arc<ParsedPage>>,
    /// `content/index.md`, whose body introduces the home page.
    pub(crate) home: Option<Arc<ParsedPage>>,
    /// Page index by slug.
    pub(crate) by_slug: BTreeMap<Slug, usize>,
    /// The navigation groups, in order.
    pub(crate) sections: Vec<Section>,
    /// Files copied as they are.
    pub(crate) assets: Vec<Asset>,
    /// Every declared level with its pages, in declared order.
    pub(crate) levels: Vec<TermPages<LevelId>>,
    /// Every declared context with its pages, in declared order.
    pub(crate) contexts: Vec<TermPages<ContextId>>,
    /// `matrix[level][context]`: the pages at that level in that context.
    pub(crate) matrix: Vec<Vec<Vec<usize>>>,
    /// Where each diagnostic question is defined.
    pub(crate) questions: BTreeMap<QuestionId, QuestionRef>,
    /// For each page, the pages worth reading next.
    pub(crate) related: Vec<Vec<Related>>,
    /// Slugs of pages that exist but failed to parse: later checks do not
    /// report references to them again.
    pub(crate) unparsed: BTreeSet<Slug>,
}

/// What `assemble` works from: the pages that parsed, the assets, and the
/// slugs of pages that failed to parse (references to them are not
/// reported again: their own error says what is wrong).
pub(crate) struct Parts {
    /// Pages that parsed.
    pub(crate) pages: Vec<Arc<ParsedPage>>,
    /// Files copied as they are.
    pub(crate) assets: Vec<Asset>,
    /// Slugs of pages that exist but failed to parse.
    pub(crate) unparsed: BTreeSet<Slug>,
}

/// Orders the pages, groups them, indexes the content model and checks what
/// needs every page at once: output collisions, question ids, related slugs.
pub(crate) fn assemble(parts: Parts, config: &Config) -> (Site, Vec<Diagnostic>) {
    let Parts { pages, assets, unparsed } = parts;
    let mut problems = Vec::new();
    let mut claims: BTreeMap<String, String> = BTreeMap::new();
    for reserved in [paths::NOT_FOUND, paths::NAV_SCRIPT, paths::CONTENTS, paths::MATRIX, paths::SITEMAP] {
        claims.insert(reserved.to_string(), "playbook itself".to_string());
    }
    // The home page is always written, from `content/index.md` or without
    // it: a `content/index.html` would silently replace it.
    claims.insert(paths::HOME.to_string(), "the home page".to_string());
    let level_ids: Vec<&str> = config.playbook.levels.iter().map(|t| t.id.as_str()).collect();
    let context_ids: Vec<&str> = config.playbook.contexts.iter().map(|t| t.id.as_str()).collect();
    for (folder, terms) in [(paths::LEVELS, &level_ids), (paths::CONTEXTS, &context_ids)] {
        claims.insert(format!("{folder}/index.html"), "playbook itself".to_string());
        for term in terms.iter() {
            claims.insert(paths::term_page(folder, term), format!("the page of `{term}` in book.toml"));
        }
    }

    let mut home = None;
    let mut kept = Vec::with_capacity(pages.len());
    for page in pages {
        if page.slug.is_home() && home.is_none() {
            claims.insert(page.slug.output_path(), page.source.display_path.clone());
            home = Some(page);
            continue;
        }
        match claim(&mut claims, page.slug.output_path(), &page.source.display_path) {
            Ok(()) => kept.push(page),
            Err(d) => problems.push(d),
        }
    }
    let mut kept_assets = Vec::with_capacity(assets.len());
    for asset in assets {
        match claim(&mut claims, asset.rel_path.clone(), &asset.display_path) {
            Ok(()) => kept_assets.push(asset),
            Err(d) => problems.push(d),
        }
    }
    problems.extend(file_folder_clashes(&claims));

    kept.sort_by_cached_key(|page| reading_order_key(page, config));
    let by_slug: BTreeMap<Slug, usize> = kept.iter().enumerate().map(|(i, p)| (p.slug.clone(), i)).collect();
    let sections = group_sections(&kept, config);
    let levels = index_terms(&config.playbook.levels, &kept, |p, id| p.meta.levels.contains(id));
    let contexts = index_terms(&config.playbook.contexts, &kept, |p, id| p.meta.contexts.contains(id));
    let matrix = build_matrix(&levels, &contexts);
    let questions = index_questions(&kept, home.as_ref(), &mut problems);
    let finder =
        RelatedFinder { pages: &kept, by_slug: &by_slug, unparsed: &unparsed, levels: &levels, matrix: &matrix };
    let related = (0..kept.len()).map(|i| finder.related_pages(i, &mut problems)).collect();
    let site = Site {
        pages: kept,
        home,
        by_slug,
        sections,
        assets: kept_assets,
        levels,
        contexts,
        matrix,
        questions,
        related,
        unparsed,
    };
    (site, problems)
}

fn index_terms<I: Clone>(
    terms: &[Term<I>],
    pages: &[Arc<ParsedPage>],
    has: impl Fn(&ParsedPage, &I) -> bool,
) -> Vec<TermPages<I>> {
    terms
        .iter()
        .map(|term| TermPages {
            term: term.clone(),
            pages: (0..pages.len()).filter(|&i| has(&pages[i], &term.id)).collect(),
        })
        .collect()
}

fn build_matrix(levels: &[TermPages<LevelId>], contexts: &[TermPages<ContextId>]) -> Vec<Vec<Vec<usize>>> {
    levels
        .iter()
        .map(|level| {
            contexts
                .iter()
                .map(|context| level.pages.iter().copied().filter(|p| context.pages.binary_search(p).is_ok()).collect())
                .collect()
        })
        .collect()
}

/// Question ids are unique across the playbook: an answer names a question
/// by id alone.
fn index_questions(
    pages: &[Arc<ParsedPage>],
    home: Option<&Arc<ParsedPage>>,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<QuestionId, QuestionRef> {
    let mut index: BTreeMap<QuestionId, QuestionRef> = BTreeMap::new();
    for (page_index, page) in pages.iter().enumerate() {
        for (question_index, question) in page.meta.questions.iter().enumerate() {
            match index.get(&question.id) {
                Some(first) if first.page != page_index => problems.push(
                    Diagnostic::error(
                        Code::DuplicateQuestion,
                        format!("question id `{}` is already used", question.id),
                    )
                    .at(&page.source.display_path, &page.source.text, page.locate(question.place))
                    .with_note(format!("first defined in {}", pages[first.page].source.display_path))
                    .with_help("question ids are unique across the playbook; rename one of them"),
                ),
                Some(_) => {}
                None => {
                    index.insert(question.id.clone(), QuestionRef { page: page_index, index: question_index });
                }
            }
        }
    }
    if let Some(home) = home.filter(|h| !h.meta.questions.is_empty()) {
        problems.push(
            Diagnostic::error(Code::InvalidQuestion, "the home page cannot hold diagnostic questions")
                .at(&home.source.display_path, &home.source.text, home.locate(home.meta.questions[0].place))
                .with_help("move them to a page of their own"),
        );
    }
    index
}

/// What finding related pages looks at.
struct RelatedFinder<'a> {
    pages: &'a [Arc<ParsedPage>],
    by_slug: &'a BTreeMap<Slug, usize>,
    unparsed: &'a BTreeSet<Slug>,
    levels: &'a [TermPages<LevelId>],
    matrix: &'a [Vec<Vec<usize>>],
}

impl RelatedFinder<'_> {
    /// The author's `related:` pages first, then pages sharing the most levels
    /// and contexts, nearest in reading order first.
    fn related_pages(&self, index: usize, problems: &mut Vec<Diagnostic>) -> Vec<Related> {
        let RelatedFinder { pages, by_slug, unparsed, levels, matrix } = *self;
        let page = &pages[index];
        let mut related: Vec<Related> = Vec::new();
        for reference in &page.meta.related {
            match by_slug.get(&reference.slug) {
                Some(&target) if target != index && related.iter().all(|r| r.page != target) => {
                    related.push(Related { page: target, reason: RelatedReason::Author });
                }
                Some(_) => {}
                None if unparsed.contains(&reference.slug) => {}
                None => {
                    let help = match nearest(reference.slug.as_str(), by_slug.keys().map(Slug::as_str)) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "write the slug of an existing page (its path without `.md`)".to_string(),
                    };
                    problems.push(
                        Diagnostic::error(
                            Code::UnknownRelated,
                            format!("`related` names `{}`, which is no page", reference.slug),
                        )
                        .at(&page.source.display_path, &page.source.text, page.locate(reference.place))
                        .with_help(help),
                    );
                }
            }
        }
        let mut candidates: Vec<usize> = Vec::new();
        for (level_index, level) in levels.iter().enumerate() {
            if !page.meta.levels.contains(&level.term.id) {
                continue;
            }
            let cells = matrix[level_index].iter().filter(|cell| cell.binary_search(&index).is_ok());
            for bucket in cells.chain(std::iter::once(&level.pages)) {
                let at = bucket.partition_point(|&p| p < index);
                let window = &bucket[at.saturating_sub(RELATED_WINDOW)..(at + RELATED_WINDOW + 1).min(bucket.len())];
                candidates.extend(window.iter().filter(|&&p| p != index));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut scored: Vec<(usize, usize, usize)> = candidates
            .into_iter()
            .filter(|c| related.iter().all(|r| r.page != *c))
            .map(|c| {
                let (levels, contexts) = shared_terms(&page.meta, &pages[c].meta);
                (levels.count() + contexts.count(), index.abs_diff(c), c)
            })
            .collect();
        scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        related.extend(
            scored.into_iter().take(RELATED_LIMIT).map(|(_, _, c)| Related { page: c, reason: RelatedReason::Shares }),
        );
        related.shrink_to_fit();
        related
    }
}

fn claim(claims: &mut BTreeMap<String, String>, path: String, owner: &str) -> Result<(), Diagnostic> {
    let clash = if path.starts_with(&format!("{}/", paths::ASSET_DIR)) {
        Some("the theme's static files".to_string())
    } else {
        claims.get(&path).cloned()
    };
    match clash {
        None => {
            claims.insert(path, owner.to_string());
            Ok(())
        }
        Some(first) => Err(Diagnostic::error(Code::DuplicateOutputPath, format!("`{path}` would be written twice"))
            .in_file(owner)
            .with_note(format!("it is already written for {first}"))
            .with_help("give one of them another `slug:` in its frontmatter, or rename the file")),
    }
}

/// A file at `a/b` and a page at `a/b/c` cannot both exist: `a/b` would have
/// to be a file and a folder.
fn file_folder_clashes(claims: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (path, owner) in claims {
        let mut prefix = path.as_str();
        while let Some((parent, _)) = prefix.rsplit_once('/') {
            if let Some(file_owner) = claims.get(parent) {
                problems.push(
                    Diagnostic::error(
                        Code::DuplicateOutputPath,
                        format!("`{parent}` would be both a file and a folder"),
                    )
                    .in_file(owner)
                    .with_note(format!("the file is written for {file_owner}"))
                    .with_help("rename one of them"),
                );
            }
            prefix = parent;
        }
    }
    problems
}

/// The navigation group a page belongs to. Decision pages come first, as
/// the way into the handbook; then each level, in declared order, holds the
/// pages whose first level it is; pages without a level follow, by folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Decisions,
    Level(usize),
    Folder(String),
}

fn group_of(page: &ParsedPage, config: &Config) -> Group {
    if page.meta.decision.is_some() {
        return Group::Decisions;
    }
    let first_level = config.playbook.levels.iter().position(|l| page.meta.levels.contains(&l.id));
    match first_level {
        Some(level) => Group::Level(level),
        None => Group::Folder(top_folder(&page.source.rel_path).to_string()),
    }
}

/// Group first, then a folder's index page, then `order` (pages without one
/// last), then the path: stable whatever the walk order.
fn reading_order_key(page: &ParsedPage, config: &Config) -> (Group, bool, i64, String) {
    let group = group_of(page, config);
    let is_index = matches!(&group, Group::Folder(folder) if page.slug.as_str() == folder);
    (group, !is_index, page.order.unwrap_or(i64::MAX), page.source.rel_path.clone())
}

fn top_folder(rel_path: &str) -> &str {
    rel_path.split_once('/').map_or("", |(top, _)| top)
}

fn group_sections(pages: &[Arc<ParsedPage>], config: &Config) -> Vec<Section> {
    let mut sections: Vec<(Group, Section)> = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let group = group_of(page, config);
        if sections.last().is_none_or(|(g, _)| *g != group) {
            let title = match &group {
                Group::Decisions => "Start here".to_string(),
                Group::Level(level) => config.playbook.levels[*level].name.clone(),
                Group::Folder(folder) if folder.is_empty() => {
                    if config.playbook.levels.is_empty() {
                        String::new()
                    } else {
                        "More".to_string()
                    }
                }
                Group::Folder(folder) if page.slug.as_str() == folder => page.title.clone(),
                Group::Folder(folder) => humanize(folder),
            };
            sections.push((group, Section { title, pages: Vec::new() }));
        }
        sections.last_mut().expect("pushed above").1.pages.push(i);
    }
    sections.into_iter().map(|(_, s)| s).collect()
}

fn humanize(folder: &str) -> String {
    let words = folder.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::page::parse_page;
    use crate::source::source_from_text;

    fn page(rel: &str, text: &str) -> Arc<ParsedPage> {
        Arc::new(parse_page(source_from_text("content", rel, text), &Config::default()).unwrap().0)
    }

    #[test]
    fn reading_order_is_folder_index_order_path() {
        let pages = vec![
            page("b/z.md", "---\norder: 1\n---\n"),
            page("b/index.md", "# B section"),
            page("a.md", ""),
            page("b/y.md", ""),
            page("index.md", "# Home"),
        ];
        let (site, problems) = assemble(Parts { pages, assets: vec![], unparsed: BTreeSet::new() }, &Config::default());
        assert!(problems.is_empty());
        let slugs: Vec<_> = site.pages.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs, ["a", "b", "b/z", "b/y"]);
        assert_eq!(site.home.unwrap().title, "Home");
        let titles: Vec<_> = site.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["", "B section"]);
    }

    #[test]
    fn navigation_groups_by_first_level_with_decisions_first() {
        let config = crate::config::parse_config(MODEL).unwrap();
        let pages = vec![
            model_page(&config, "x.md", "---\nlevels: [execution, impact]\n---\n"),
            model_page(&config, "y.md", "---\nlevels: [impact]\n---\n"),
            model_page(&config, "z.md", "# No level"),
            model_page(&config, "d.md", "---\ndecision: { start: q }\nlevels: [impact]\n---\n"),
        ];
        let (site, _) = assemble(Parts { pages, assets: vec![], unparsed: BTreeSet::new() }, &config);
        let slugs: Vec<_> = site.pages.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs, ["d", "x", "y", "z"]);
        let titles: Vec<_> = site.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Start here", "Impact", "More"]);
    }

    #[test]
    fn two_pages_one_slug_is_an_error_naming_both() {
        let pages = vec![page("a.md", ""), page("b.md", "---\nslug: a\n---\n")];
        let (site, problems) = assemble(Parts { pages, assets: vec![], unparsed: BTreeSet::new() }, &Config::default());
        assert_eq!(site.pages.len(), 1);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, Code::DuplicateOutputPath);
        assert_eq!(problems[0].location.as_ref().unwrap().file, "content/b.md");
        assert!(problems[0].notes[0].contains("content/a.md"));
    }

    #[test]
    fn generated_paths_are_reserved() {
        let (_, problems) = assemble(
            Parts { pages: vec![page("contents.md", "")], assets: vec![], unparsed: BTreeSet::new() },
            &Config::default(),
        );
        assert_eq!(problems.len(), 1);
        let asset = Asset {
            rel_path: "assets/style.css".into(),
            display_path: "content/assets/style.css".into(),
            abs_path: "x".into(),
            stamp: 0,
        };
        let (_, problems) =
            assemble(Parts { pages: vec![], assets: vec![asset], unparsed: BTreeSet::new() }, &Config::default());
        assert_eq!(problems.len(), 1);
    }

    const MODEL: &str = r#"
[playbook]
levels = [{ id = "impact", name = "Impact" }, { id = "execution", name = "Execution" }]
contexts = [{ id = "platform", name = "Platform" }, { id = "early", name = "Early" }]
"#;

    fn model_page(config: &Config, rel: &str, text: &str) -> Arc<ParsedPage> {
        Arc::new(parse_page(source_from_text("content", rel, text), config).unwrap().0)
    }

    #[test]
    fn levels_contexts_and_matrix_list_exactly_their_pages() {
        let config = crate::config::parse_config(MODEL).unwrap();
        let pages = vec![
            model_page(&config, "a.md", "---\nlevels: [impact]\ncontexts: [platform]\n---\n"),
            model_page(&config, "b.md", "---\nlevels: [impact, execution]\ncontexts: [early]\n---\n"),
            model_page(&config, "c.md", "---\nlevels: [execution]\ncontexts: [platform, early]\n---\n"),
        ];
        let (site, problems) = assemble(Parts { pages, assets: vec![], unparsed: BTreeSet::new() }, &config);
        assert!(problems.is_empty(), "{problems:?}");
        let slugs = |v: &[usize]| v.iter().map(|&i| site.pages[i].slug.as_str().to_string()).collect::<Vec<_>>();
        assert_eq!(slugs(&site.levels[0].pages), ["a", "b"]);
        assert_eq!(slugs(&site.levels[1].pages), ["b", "c"]);
        assert_eq!(slugs(&site.contexts[1].pages), ["b", "c"]);
        assert_eq!(slugs(&site.matrix[0][0]), ["a"]);
        assert_eq!(slugs(&site.matrix[1][1]), ["b", "c"]);
        assert!(site.matrix[0][1] == [1]);
    }

    #[test]
    fn related_puts_author_first_then_shared_with_reasons() {
        let config = crate::config::parse_config(MODEL).unwrap();
        let pages = vec![
            model_page(&config, "a.md", "---\nlevels: [impact]\ncontexts: [platform]\nrelated: [c]\n---\n"),
            model_page(&config, "b.md", "---\nlevels: [impact]\ncontexts: [platform]\n---\n"),
            model_page(&config, "c.md", "---\nlevels: [execution]\ncontexts: [early]\n---\n"),
        ];
        let (site, problems) = assemble(Parts { pages, assets: vec![], unparsed: BTreeSet::new() }, &config);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(site.related[0][0], Related { page: 2, reason: RelatedReason::Author });
        assert_eq!(site.related[0][1], Related { page: 1, reason: RelatedReason::Shares });
        let (levels, contexts) = shared_terms(&site.pages[0].meta, &site.pages[1].meta);
        assert_eq!(levels.map(LevelId::as_str).collect::<Vec<_>>(), ["impact"]);
        assert_eq!(contexts.map(ContextId::as_str).collect::<Vec<_>>(), ["platform"]);
        assert_eq!(site.related[0].len(), 2, "c shares nothing with a except the author's word");
    }

    #[test]
    fn unknown_related_and_duplicate_questions_across_pages() {
        let config = crate::config::parse_config(MODEL).unwrap();
        let q = "diagnostic_questions:\n  - { id: same, ask: A, answers: [{ label: x, leads_to: a }] }\n";
        let pages = vec![
            model_page(&config, "a.md", &format!("---\nrelated: [bb]\n{q}---\n")),
            model_page(&config, "b.md", &format!("---\n{q}---\n")),
        ];
        let (_, problems) =
            assemble(Parts { pages: pages.clone(), assets: vec![], unparsed: BTreeSet::new() }, &config);
        let codes: Vec<_> = problems.iter().map(|d| d.code).collect();
        assert!(codes.contains(&Code::UnknownRelated) && codes.contains(&Code::DuplicateQuestion), "{codes:?}");
        let related = problems.iter().find(|d| d.code == Code::UnknownRelated).unwrap();
        assert_eq!(related.help.as_deref(), Some("did you mean `b`?"));
        let unparsed = BTreeSet::from([crate::slug::parse_slug("bb").unwrap()]);
        let (_, problems) = assemble(Parts { pages, assets: vec![], unparsed }, &config);
        assert!(
            problems.iter().all(|d| d.code != Code::UnknownRelated),
            "a page that failed to parse is not reported again"
        );
    }

    #[test]
    fn file_and_folder_clash() {
        let asset =
            Asset { rel_path: "guide".into(), display_path: "content/guide".into(), abs_path: "x".into(), stamp: 0 };
        let (_, problems) = assemble(
            Parts { pages: vec![page("guide/intro.md", "")], assets: vec![asset], unparsed: BTreeSet::new() },
            &Config::default(),
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
    }
}
