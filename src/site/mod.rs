//! The whole handbook before rendering: every page with an id, in reading
//! order, looked up by slug, grouped for navigation, listed by level and
//! context, with output-path clashes found.
//!
//! [`assemble`] is pure. It works in four stages, each in its own module
//! and each a function of a few fields of every page: `claims.rs` keeps the
//! pages and files whose output paths are free and gives each page its id;
//! `order.rs` works out the reading order and the navigation groups;
//! `terms.rs` lists each level's and context's pages and finds related
//! pages; `questions.rs` indexes the diagnostic questions. A page's id is
//! its rank by source path, so it keeps it while pages change order,
//! levels or questions, and a stage whose inputs did not change since the
//! last assemble is taken over as it was (see `memo.rs`).

mod claims;
mod folders;
mod order;
mod questions;
mod terms;

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::hashing::FastMap;
use crate::hashing::hash_of;
use crate::ids::{FEW_MOVED, IdMap};
use crate::memo::{KeyBuilder, Memo};
use crate::model::{ContextId, LevelId, QuestionId, Slug};
use crate::page::{Input, ParsedPage};
use crate::source::Asset;
use claims::Claimed;
pub(crate) use folders::Folder;
use order::Order;
pub(crate) use order::home_level;
pub(crate) use questions::{QuestionRef, questions_hash};
pub(crate) use terms::{Related, RelatedReason, TermPages, shared_terms};
use terms::{Terms, TermsBefore, TermsFrom};

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
    /// Each level's colours, made from `book.toml`.
    pub(crate) const LEVEL_STYLE: &str = "assets/levels.css";
    /// The whole handbook as one page, to print.
    pub(crate) const PRINT: &str = "print.html";
    /// The search results page; the index is beside it (`search/files.rs`).
    pub(crate) const SEARCH: &str = "search/index.html";

    /// The output file of a level's or context's page.
    pub(crate) fn term_page(folder: &str, id: &str) -> String {
        format!("{folder}/{id}/index.html")
    }
}

/// A group of pages in the navigation: the pages of one top-level folder,
/// or of one level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// The group's title; empty for pages at the top of `content/` when
    /// there are no levels.
    pub(crate) title: String,
    /// The level the group holds, as an index into `book.toml`'s levels.
    pub(crate) level: Option<usize>,
    /// Its lines, in reading order.
    pub(crate) entries: Vec<Entry>,
}

impl Section {
    /// The ids of its pages, in reading order.
    pub(crate) fn pages(&self) -> impl Iterator<Item = usize> + '_ {
        self.entries.iter().filter_map(|entry| match entry {
            Entry::Page { id, .. } => Some(*id),
            Entry::Draft { .. } => None,
        })
    }
}

/// One line of a navigation group.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Entry {
    /// Page `id`, nested `depth` chapters deep, under the title SUMMARY.md
    /// gives it (else its own).
    Page {
        /// The page.
        id: usize,
        /// 0 for a top-level chapter.
        depth: u8,
        /// The title SUMMARY.md links it by.
        label: Option<String>,
    },
    /// A chapter SUMMARY.md lists that has no page (yet): shown, not linked.
    Draft {
        /// Its title.
        title: String,
        /// 0 for a top-level chapter.
        depth: u8,
    },
}

/// Every page of the handbook, ready to render. Everything but `pages` and
/// `home` is shared with the previous assemble when its stage's inputs did
/// not change.
#[derive(Debug, Clone, Default)]
pub(crate) struct Site {
    /// Every page except the home page's intro, by id: sorted by source
    /// path. Shared: a page that did not change is the same allocation from
    /// one update of the engine to the next.
    pub(crate) pages: Vec<Arc<ParsedPage>>,
    /// `content/index.md`, whose body introduces the home page.
    pub(crate) home: Option<Arc<ParsedPage>>,
    /// Page ids in reading order: the sidebar's, and previous/next.
    pub(crate) reading: Arc<Vec<usize>>,
    /// Each page's place in `reading`, by id.
    pub(crate) position: Arc<Vec<usize>>,
    /// Page id by slug.
    pub(crate) by_slug: Arc<FastMap<Slug, usize>>,
    /// The navigation groups, in order.
    pub(crate) sections: Arc<Vec<Section>>,
    /// A generated page for each folder of pages without one of its own.
    pub(crate) folders: Arc<Vec<Folder>>,
    /// Files copied as they are.
    pub(crate) assets: Arc<Vec<Asset>>,
    /// Every declared level with its pages, in declared order.
    pub(crate) levels: Arc<Vec<TermPages<LevelId>>>,
    /// Every declared context with its pages, in declared order.
    pub(crate) contexts: Arc<Vec<TermPages<ContextId>>>,
    /// `matrix[level][context]`: the pages at that level in that context.
    pub(crate) matrix: Arc<Vec<Vec<Vec<usize>>>>,
    /// Where each diagnostic question is defined.
    pub(crate) questions: Arc<FastMap<QuestionId, QuestionRef>>,
    /// For each page id, the pages worth reading next.
    pub(crate) related: Arc<Vec<Vec<Related>>>,
    /// Slugs of pages that exist but failed to parse: later checks do not
    /// report references to them again.
    pub(crate) unparsed: Arc<BTreeSet<Slug>>,
    /// The ids pages had in the assemble this one was made from, mapped to
    /// theirs here; `None` without one, or when many pages came or went.
    pub(crate) since_last: Option<Arc<IdMap>>,
    stages: Stages,
}

/// What each stage of the last assemble was computed from.
#[derive(Debug, Clone, Default)]
struct Stages {
    claims: Memo,
    /// The input positions of the pages kept, and of the home page.
    kept: Arc<Vec<usize>>,
    home: Option<usize>,
    order: Memo,
    terms: Memo,
    /// A hash of the levels and contexts `book.toml` declares.
    vocabulary: u64,
    questions: Memo,
}

/// The keys of the stages of an assembled site, for the stages that build
/// on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct SiteKeys {
    /// Which pages and files there are, their slugs and output paths, the
    /// slugs of pages that failed to parse, and the configuration.
    pub(crate) claims: u64,
    /// The above, and the reading order.
    pub(crate) order: u64,
    /// The above, and every page's levels, contexts and related pages.
    pub(crate) terms: u64,
    /// Which pages there are, and every page's questions.
    pub(crate) questions: u64,
}

impl Site {
    /// The keys of this site's stages.
    pub(crate) fn keys(&self) -> SiteKeys {
        SiteKeys {
            claims: self.stages.claims.key(),
            order: self.stages.order.key(),
            terms: self.stages.terms.key(),
            questions: self.stages.questions.key(),
        }
    }

    /// The pages, the home page first, for stages that report into them.
    pub(crate) fn all_pages(&self) -> impl Iterator<Item = &Arc<ParsedPage>> {
        self.home.iter().chain(&self.pages)
    }
}

/// What `assemble` works from: the pages that parsed, the assets, and the
/// slugs of pages that failed to parse (references to them are not
/// reported again: their own error says what is wrong).
pub(crate) struct Parts {
    /// Pages that parsed, in any order.
    pub(crate) pages: Vec<Arc<ParsedPage>>,
    /// Files copied as they are.
    pub(crate) assets: Vec<Asset>,
    /// Slugs of pages that exist but failed to parse.
    pub(crate) unparsed: BTreeSet<Slug>,
}

/// Assembles the site, taking over from `previous` every stage whose inputs
/// are unchanged. Returns the problems of every stage.
pub(crate) fn assemble(parts: Parts, config: &Config, previous: Option<&Site>) -> (Site, Vec<Diagnostic>) {
    let Parts { mut pages, mut assets, unparsed } = parts;
    pages.sort_by(|a, b| a.source.rel_path.cmp(&b.source.rel_path));
    assets.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    let mut site = Site::default();

    // 1. Claims: which pages and files there are, and their ids.
    let mut key = KeyBuilder::new(config);
    key.add(&unparsed).add(&assets);
    for page in &pages {
        key.add(page.input_hash(Input::Claims, |p| hash_of(&(&p.source.rel_path, &p.slug))));
    }
    let key = key.finish();
    match previous.filter(|p| p.stages.claims.holds(key, &pages)) {
        Some(previous) => {
            site.stages.claims = previous.stages.claims.clone();
            site.stages.kept = previous.stages.kept.clone();
            site.stages.home = previous.stages.home;
            site.by_slug = previous.by_slug.clone();
            site.assets = previous.assets.clone();
        }
        None => {
            let (Claimed { kept, home, assets, by_slug }, problems) = claims::claim_outputs(&pages, &assets, config);
            site.stages.claims = Memo::new(key, problems, &pages);
            site.stages.kept = Arc::new(kept);
            site.stages.home = home;
            site.by_slug = Arc::new(by_slug);
            site.assets = Arc::new(assets);
        }
    }
    site.pages = site.stages.kept.iter().map(|&k| pages[k].clone()).collect();
    site.home = site.stages.home.map(|k| pages[k].clone());
    site.since_last = previous.and_then(|p| IdMap::between(&p.pages, &site.pages, FEW_MOVED)).map(Arc::new);
    site.unparsed = match previous {
        Some(p) if *p.unparsed == unparsed => p.unparsed.clone(),
        _ => Arc::new(unparsed),
    };

    // 2. The reading order and its groups.
    let mut key = KeyBuilder::new(site.stages.claims.key());
    for page in &site.pages {
        key.add(page.input_hash(Input::Order, |p| hash_of(&order::order_input(p, config))));
    }
    let key = key.finish();
    match previous.filter(|p| p.stages.order.holds(key, &site.pages)) {
        Some(previous) => {
            site.stages.order = previous.stages.order.clone();
            site.reading = previous.reading.clone();
            site.position = previous.position.clone();
            site.sections = previous.sections.clone();
            site.folders = previous.folders.clone();
        }
        None => {
            let (Order { reading, position, sections }, problems) =
                order::reading_order(&site.pages, config, &site.unparsed);
            site.stages.order = Memo::new(key, problems, &site.pages);
            site.folders = Arc::new(folders::folder_pages(&site.pages, &reading, &site.by_slug, &site.assets));
            site.reading = Arc::new(reading);
            site.position = Arc::new(position);
            site.sections = Arc::new(sections);
        }
    }

    // 3. Levels, contexts, the matrix, related pages.
    let vocabulary = hash_of(&config.playbook);
    site.stages.vocabulary = vocabulary;
    let mut key = KeyBuilder::new(site.stages.order.key());
    for page in &site.pages {
        key.add(page.input_hash(Input::Terms, |p| hash_of(&terms::terms_input(p))));
    }
    let key = key.finish();
    match previous.filter(|p| p.stages.terms.holds(key, &site.pages)) {
        Some(previous) => {
            site.stages.terms = previous.stages.terms.clone();
            site.levels = previous.levels.clone();
            site.contexts = previous.contexts.clone();
            site.matrix = previous.matrix.clone();
            site.related = previous.related.clone();
        }
        None => {
            let from = TermsFrom {
                pages: &site.pages,
                reading: &site.reading,
                position: &site.position,
                by_slug: &site.by_slug,
                unparsed: &site.unparsed,
            };
            // The same levels and contexts: the last assemble's lists say
            // whose related pages a change can reach.
            let before = previous.filter(|p| p.stages.vocabulary == vocabulary).zip(site.since_last.as_deref());
            let before = before.map(|(p, ids)| TermsBefore {
                ids,
                pages: &p.pages,
                position: &p.position,
                levels: &p.levels,
                matrix: &p.matrix,
                related: &p.related,
            });
            let (Terms { levels, contexts, matrix, related }, problems) = match before {
                Some(before) => terms::update_terms(&from, config, &before),
                None => terms::index_terms(&from, config),
            };
            site.stages.terms = Memo::new(key, problems, &site.pages);
            site.levels = Arc::new(levels);
            site.contexts = Arc::new(contexts);
            site.matrix = Arc::new(matrix);
            site.related = Arc::new(related);
        }
    }

    // 4. Where each question is defined.
    let mut key = KeyBuilder::new(site.stages.claims.key());
    for page in site.all_pages() {
        key.add(questions::questions_hash(page));
    }
    let key = key.finish();
    match previous.filter(|p| p.stages.questions.holds(key, site.all_pages())) {
        Some(previous) => {
            site.stages.questions = previous.stages.questions.clone();
            site.questions = previous.questions.clone();
        }
        None => {
            let (index, problems) = questions::index_questions(&site.pages, site.home.as_ref());
            site.stages.questions = Memo::new(key, problems, site.all_pages());
            site.questions = Arc::new(index);
        }
    }

    let stages = [&site.stages.claims, &site.stages.order, &site.stages.terms, &site.stages.questions];
    let problems = stages.iter().flat_map(|memo| memo.problems().iter().cloned()).collect();
    (site, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::diag::Code;
    use crate::page::parse_page;
    use crate::source::source_from_text;
    use std::collections::BTreeMap;

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
        let (site, problems) =
            assemble(Parts { pages, assets: vec![], unparsed: BTreeSet::new() }, &Config::default(), None);
        assert!(problems.is_empty());
        let slugs: Vec<_> = site.reading.iter().map(|&id| site.pages[id].slug.as_str()).collect();
        assert_eq!(slugs, ["a", "b", "b/z", "b/y"]);
        assert_eq!(site.home.unwrap().title, "Home");
        let titles: Vec<_> = site.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["", "B section"]);
    }

    #[test]
    fn issue_12_navigation_files_a_page_under_the_first_level_it_lists() {
        let (site, _) = model_site(&[
            ("x.md", "---\nlevels: [execution, impact]\n---\n"),
            ("y.md", "---\nlevels: [impact]\n---\n"),
            ("z.md", "# No level"),
            ("d.md", "---\ndecision: { start: q }\nlevels: [impact]\n---\n"),
        ]);
        let slugs: Vec<_> = site.reading.iter().map(|&id| site.pages[id].slug.as_str()).collect();
        assert_eq!(slugs, ["d", "y", "x", "z"]);
        let titles: Vec<_> = site.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Start here", "Impact", "Execution", "More"]);
        let levels: Vec<_> = site.sections.iter().map(|s| s.level).collect();
        assert_eq!(levels, [None, Some(0), Some(1), None]);
    }

    #[test]
    fn two_pages_one_slug_is_an_error_naming_both() {
        let pages = vec![page("a.md", ""), page("b.md", "---\nslug: a\n---\n")];
        let (site, problems) =
            assemble(Parts { pages, assets: vec![], unparsed: BTreeSet::new() }, &Config::default(), None);
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
            None,
        );
        assert_eq!(problems.len(), 1);
        let asset = Asset {
            rel_path: "assets/style.css".into(),
            display_path: "content/assets/style.css".into(),
            abs_path: "x".into(),
            stamp: 0,
        };
        let (_, problems) =
            assemble(Parts { pages: vec![], assets: vec![asset], unparsed: BTreeSet::new() }, &Config::default(), None);
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

    /// The pages `(path, text)`, parsed and assembled under `MODEL`.
    fn model_site(pages: &[(&str, &str)]) -> (Site, Vec<Diagnostic>) {
        let config = crate::config::parse_config(MODEL).unwrap();
        let pages = pages.iter().map(|(rel, text)| model_page(&config, rel, text)).collect();
        assemble(Parts { pages, assets: vec![], unparsed: BTreeSet::new() }, &config, None)
    }

    #[test]
    fn levels_contexts_and_matrix_list_exactly_their_pages() {
        let (site, problems) = model_site(&[
            ("a.md", "---\nlevels: [impact]\ncontexts: [platform]\n---\n"),
            ("b.md", "---\nlevels: [impact, execution]\ncontexts: [early]\n---\n"),
            ("c.md", "---\nlevels: [execution]\ncontexts: [platform, early]\n---\n"),
        ]);
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
        let (site, problems) = model_site(&[
            ("a.md", "---\nlevels: [impact]\ncontexts: [platform]\nrelated: [c]\n---\n"),
            ("b.md", "---\nlevels: [impact]\ncontexts: [platform]\n---\n"),
            ("c.md", "---\nlevels: [execution]\ncontexts: [early]\n---\n"),
        ]);
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
            assemble(Parts { pages: pages.clone(), assets: vec![], unparsed: BTreeSet::new() }, &config, None);
        let codes: Vec<_> = problems.iter().map(|d| d.code).collect();
        assert!(codes.contains(&Code::UnknownRelated) && codes.contains(&Code::DuplicateQuestion), "{codes:?}");
        let related = problems.iter().find(|d| d.code == Code::UnknownRelated).unwrap();
        assert_eq!(related.help.as_deref(), Some("did you mean `b`?"));
        let unparsed = BTreeSet::from([crate::slug::parse_slug("bb").unwrap()]);
        let (_, problems) = assemble(Parts { pages, assets: vec![], unparsed }, &config, None);
        assert!(
            problems.iter().all(|d| d.code != Code::UnknownRelated),
            "a page that failed to parse is not reported again"
        );
    }

    /// A page of a site large enough that related pages are chosen from a
    /// window of neighbours, not from every page.
    fn random_page(config: &Config, name: &str, shape: (u8, u8, Option<u8>, usize)) -> Arc<ParsedPage> {
        let (levels, contexts, order, related) = shape;
        let pick = |mask: u8, names: [&str; 2]| {
            let ids: Vec<&str> = (0..2).filter(|b| mask & (1 << b) != 0).map(|b| names[b]).collect();
            ids.join(", ")
        };
        let order = order.map(|o| format!("order: {o}\n")).unwrap_or_default();
        let text = format!(
            "---\nlevels: [{}]\ncontexts: [{}]\n{order}related: [p{related:03}]\n---\n",
            pick(levels, ["impact", "execution"]),
            pick(contexts, ["platform", "early"]),
        );
        model_page(config, &format!("{name}.md"), &text)
    }

    fn shape() -> impl proptest::strategy::Strategy<Value = (u8, u8, Option<u8>, usize)> {
        (0u8..4, 0u8..4, proptest::option::of(0u8..5), 0usize..170)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Related pages worked out again for only the pages an edit can
        /// reach are those a fresh assemble finds, as pages change, come
        /// and go.
        #[test]
        fn related_pages_updated_in_place_match_a_fresh_assemble(
            pages in proptest::collection::vec(shape(), 60..150),
            edits in proptest::collection::vec(
                proptest::collection::vec((0u8..3, 0usize..170, shape()), 1..4),
                1..4,
            ),
        ) {
            let config = crate::config::parse_config(MODEL).unwrap();
            let mut now: BTreeMap<String, Arc<ParsedPage>> = (pages.iter().enumerate())
                .map(|(n, &shape)| (format!("p{n:03}"), random_page(&config, &format!("p{n:03}"), shape)))
                .collect();
            let parts = |pages: &BTreeMap<String, Arc<ParsedPage>>| {
                Parts { pages: pages.values().cloned().collect(), assets: vec![], unparsed: BTreeSet::new() }
            };
            let (mut site, _) = assemble(parts(&now), &config, None);
            for step in edits {
                for (kind, n, shape) in step {
                    let name = format!("p{n:03}");
                    match kind {
                        0 if now.len() > 1 => {
                            now.remove(&name);
                        }
                        _ => {
                            now.insert(name.clone(), random_page(&config, &name, shape));
                        }
                    }
                }
                let (updated, updated_problems) = assemble(parts(&now), &config, Some(&site));
                let (fresh, fresh_problems) = assemble(parts(&now), &config, None);
                proptest::prop_assert_eq!(&updated.related, &fresh.related);
                proptest::prop_assert_eq!(&updated.reading, &fresh.reading);
                proptest::prop_assert_eq!(&updated.matrix, &fresh.matrix);
                let codes = |p: &[Diagnostic]| p.iter().map(|d| (d.code, d.message.clone())).collect::<Vec<_>>();
                proptest::prop_assert_eq!(codes(&updated_problems), codes(&fresh_problems));
                site = updated;
            }
        }
    }

    #[test]
    fn file_and_folder_clash() {
        let asset =
            Asset { rel_path: "guide".into(), display_path: "content/guide".into(), abs_path: "x".into(), stamp: 0 };
        let (_, problems) = assemble(
            Parts { pages: vec![page("guide/intro.md", "")], assets: vec![asset], unparsed: BTreeSet::new() },
            &Config::default(),
            None,
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
    }
}
