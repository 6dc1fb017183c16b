//! Everything that needs every page at once, computed in one place: the
//! assembled site, the decision walks, every link resolved with the
//! backlinks it implies, and the diagnostics these give. Pure; the engine
//! runs it after each update, and render reads only what it holds.
//!
//! Each stage is a function of a few inputs whose key it keeps (see
//! `memo.rs`): given the previous analysis, a stage whose key is unchanged
//! is taken over instead of computed. So an edit costs what it touches: a
//! page's body is parsed and its links followed again, while the reading
//! order, the levels, the question graph and the link index stand.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::{CONFIG_FILE, Config};
use crate::decision::{Decisions, check_decisions};
use crate::diag::{Code, Diagnostic};
use crate::hashing::hash_of;
use crate::link::{LinkFrom, LinkIndex, LinkSeverity, Links, Listing, link_site, orphan_pages};
use crate::memo::{KeyBuilder, Memo};
use crate::model::Slug;
use crate::page::{Input, ParsedPage};
use crate::site::{Parts, Related, Site, SiteKeys, assemble, questions_hash};
use crate::source::Asset;

/// How strictly a command judges the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// `build` and `serve`: broken links are warnings.
    Build,
    /// `check`: broken links are errors and orphan pages are reported.
    Check,
}

/// The site with every fact that needs all pages worked out.
#[derive(Debug)]
pub(crate) struct Analysis {
    /// The assembled site.
    pub(crate) site: Site,
    /// The decision walks.
    pub(crate) decisions: Arc<Decisions>,
    /// Every link resolved, and the backlinks.
    pub(crate) links: Links,
    /// What assembling, checking the question graph and links found.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// What the decision walks were worked out from.
    decisions_memo: Memo,
    /// Every link target, and the key of what it was built from.
    index: Arc<LinkIndex>,
    index_key: u64,
}

/// What the analysis is made from: the pages that parsed, the slugs of those
/// that did not (so references to them are not reported twice), and the
/// files copied as they are.
pub(crate) struct AnalysisInput<'a> {
    /// Pages that parsed, in any order.
    pub(crate) pages: Vec<Arc<ParsedPage>>,
    /// Slugs of pages that failed to parse.
    pub(crate) unparsed: BTreeSet<Slug>,
    /// Files copied as they are.
    pub(crate) assets: Vec<Asset>,
    /// The configuration.
    pub(crate) config: &'a Config,
}

/// Assembles the site and checks it as a whole, taking over from
/// `previous` what did not change. Also returns how long assembling (with
/// the question graph) and linking took.
pub(crate) fn analyze(
    input: AnalysisInput<'_>,
    mode: Mode,
    previous: Option<&Analysis>,
) -> (Analysis, (Duration, Duration)) {
    let started = Instant::now();
    let AnalysisInput { pages, unparsed, assets, config } = input;
    let (site, mut diagnostics) = assemble(Parts { pages, assets, unparsed }, config, previous.map(|p| &p.site));
    let keys = site.keys();
    // The question graph reads every page's questions, and which pages exist.
    let (decisions, decisions_memo) =
        match previous.filter(|p| p.decisions_memo.holds(keys.questions, site.all_pages())) {
            Some(previous) => (previous.decisions.clone(), previous.decisions_memo.clone()),
            None => {
                let (decisions, problems) = check_decisions(&site);
                (Arc::new(decisions), Memo::new(keys.questions, problems, site.all_pages()))
            }
        };
    diagnostics.extend(decisions_memo.problems().iter().cloned());
    let assembled = started.elapsed();
    let started = Instant::now();
    // The link index reads which pages and files exist, and page titles.
    let mut index_key = KeyBuilder::new(keys.claims);
    for page in site.all_pages() {
        index_key.add(page.input_hash(Input::Title, |p| hash_of(&p.title)));
    }
    let index_key = index_key.finish();
    let index = match previous.filter(|p| p.index_key == index_key) {
        Some(previous) => previous.index.clone(),
        None => Arc::new(LinkIndex::new(&site, &config.build.site_url)),
    };
    let severity = match mode {
        Mode::Build => LinkSeverity::Lenient,
        Mode::Check => LinkSeverity::Strict,
    };
    let from = LinkFrom { site: &site, decisions: &decisions, index: &index, index_key };
    let (links, problems) = link_site(&from, severity, previous.map(|p| &p.links));
    diagnostics.extend(problems);
    if mode == Mode::Check {
        diagnostics.extend(orphan_pages(&site, &links));
    }
    let analysis = Analysis { site, decisions, links, diagnostics, decisions_memo, index, index_key };
    (analysis, (assembled, started.elapsed()))
}

impl Analysis {
    /// Drops what only a later analysis would reuse.
    pub(crate) fn forget_history(&mut self) {
        self.links.forget_history();
    }
}

/// What differs between two analyses of one playbook, as render needs to
/// know it: which outputs may show something else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Delta {
    /// Anything may differ.
    Everything,
    /// The same pages, files and link targets; only these pages' own text,
    /// links, backlinks, neighbours or related pages differ, the home
    /// page's if `home`, what other outputs show of the pages in `shown` (a
    /// summary or an answer edited), and every list of pages if `lists`
    /// (the reading order, levels or contexts changed).
    Pages {
        /// Ids of the pages that differ, sorted.
        ids: Vec<usize>,
        /// Whether the home page differs.
        home: bool,
        /// Ids of the pages whose card or questions (or the walk that asks
        /// them) differ, sorted.
        shown: Vec<u32>,
        /// Whether the pages that list pages (home, contents, navigation,
        /// levels, contexts, matrix) may differ as a whole.
        lists: bool,
    },
}

/// What render needs to remember of the analysis it rendered from, to
/// work out the next [`Delta`]: the keys and shared results that say what
/// changed, without holding the rest of that analysis in memory.
#[derive(Debug, Clone)]
pub(crate) struct Baseline {
    keys: SiteKeys,
    index_key: u64,
    decisions: Arc<Decisions>,
    pages: Vec<Arc<ParsedPage>>,
    home: Option<Arc<ParsedPage>>,
    links: Vec<u64>,
    home_links: u64,
    backlinks: Arc<Vec<Listing>>,
    reading: Arc<Vec<usize>>,
    position: Arc<Vec<usize>>,
    related: Arc<Vec<Vec<Related>>>,
}

impl Baseline {
    /// What to remember of `analysis`.
    pub(crate) fn of(analysis: &Analysis) -> Baseline {
        let links = &analysis.links;
        Baseline {
            keys: analysis.site.keys(),
            index_key: analysis.index_key,
            decisions: analysis.decisions.clone(),
            pages: analysis.site.pages.clone(),
            home: analysis.site.home.clone(),
            links: (0..analysis.site.pages.len()).map(|id| links.of_page(id).key).collect(),
            home_links: links.of_home().key,
            backlinks: links.backlinks.clone(),
            reading: analysis.site.reading.clone(),
            position: analysis.site.position.clone(),
            related: analysis.site.related.clone(),
        }
    }
}

/// What differs from `before` to `after`. Cheap: stages taken over share
/// their results, and pages that were not parsed again are the same
/// allocations, so most of this compares pointers.
pub(crate) fn delta(before: &Baseline, after: &Analysis) -> Delta {
    let new = &after.site;
    let keys = new.keys();
    if before.keys.claims != keys.claims || before.index_key != after.index_key || before.pages.len() != new.pages.len()
    {
        return Delta::Everything;
    }
    let (mut ids, mut shown) = (Vec::new(), Vec::new());
    let lists = (before.keys.order, before.keys.terms) != (keys.order, keys.terms);
    if !Arc::ptr_eq(&before.reading, &new.reading) {
        let neighbours = |reading: &[usize], position: &[usize], id: usize| {
            (position[id].checked_sub(1).map(|p| reading[p]), reading.get(position[id] + 1).copied())
        };
        ids.extend((0..new.pages.len()).filter(|&id| {
            neighbours(&before.reading, &before.position, id) != neighbours(&new.reading, &new.position, id)
        }));
    }
    if !Arc::ptr_eq(&before.related, &new.related) {
        ids.extend((0..new.pages.len()).filter(|&id| before.related[id] != new.related[id]));
    }
    let show = |shown: &mut Vec<u32>, id: usize| shown.push(u32::try_from(id).unwrap_or(u32::MAX));
    for (id, (a, b)) in before.pages.iter().zip(&new.pages).enumerate() {
        if Arc::ptr_eq(a, b) {
            continue;
        }
        ids.push(id);
        if a.card_hash != b.card_hash {
            show(&mut shown, id);
        }
        if before.keys.questions != keys.questions && questions_moved(a, b) {
            return Delta::Everything;
        }
        if questions_hash(a) != questions_hash(b) {
            show(&mut shown, id);
        }
    }
    if !Arc::ptr_eq(&before.decisions, &after.decisions) {
        // A question whose walk changed is shown elsewhere by another link.
        let (old, now) = (&before.decisions.walk_of, &after.decisions.walk_of);
        for question in old.keys().chain(now.keys()) {
            if old.get(question) != now.get(question) {
                match new.questions.get(question) {
                    Some(at) => show(&mut shown, at.page),
                    None => return Delta::Everything,
                }
            }
        }
    }
    let links = &after.links;
    ids.extend((0..new.pages.len()).filter(|&id| before.links[id] != links.of_page(id).key));
    if !Arc::ptr_eq(&before.backlinks, &links.backlinks) {
        ids.extend((0..new.pages.len()).filter(|&id| before.backlinks[id] != links.backlinks[id]));
    }
    ids.sort_unstable();
    ids.dedup();
    shown.sort_unstable();
    shown.dedup();
    let home = match (&before.home, &new.home) {
        (Some(a), Some(b)) => !Arc::ptr_eq(a, b) || before.home_links != links.of_home().key,
        (None, None) => false,
        _ => return Delta::Everything,
    };
    Delta::Pages { ids, home, shown, lists }
}

/// Whether the questions of a page that changed from `a` to `b` are other
/// ones (ids added, removed or reordered), or it became or stopped being a
/// decision page: which questions exist, where, and which pages walk them
/// is structure, shown by pages that record none of this one's.
fn questions_moved(a: &ParsedPage, b: &ParsedPage) -> bool {
    let ids = |p: &ParsedPage| p.meta.questions.iter().map(|q| q.id.clone()).collect::<Vec<_>>();
    ids(a) != ids(b) || a.meta.decision.is_some() != b.meta.decision.is_some()
}

/// Without `book.toml` no level or context is declared, so every page that
/// names one fails with its own "unknown level": six errors hid the one
/// cause. Replaces them by one error that names the missing file (issue 9).
pub(crate) fn name_missing_config(diagnostics: &mut Vec<Diagnostic>) {
    let is_undeclared = |d: &Diagnostic| matches!(d.code, Code::UnknownLevel | Code::UnknownContext);
    let Some(first) = diagnostics.iter().find(|d| is_undeclared(d)) else { return };
    let first_place = first.location.as_ref().map(ToString::to_string);
    let pages: BTreeSet<&str> = diagnostics
        .iter()
        .filter(|d| is_undeclared(d))
        .filter_map(|d| Some(d.location.as_ref()?.file.as_str()))
        .collect();
    let mut named = Diagnostic::error(
        Code::UnknownLevel,
        format!(
            "there is no `{CONFIG_FILE}`, so no levels or contexts are declared, yet {} page{} name{} them",
            pages.len(),
            if pages.len() == 1 { "" } else { "s" },
            if pages.len() == 1 { "s" } else { "" }
        ),
    )
    .in_file(CONFIG_FILE)
    .with_help("create book.toml with a [playbook] table declaring `levels` and `contexts` (the README shows one)");
    if let Some(place) = first_place {
        named = named.with_note(format!("the first is at {place}"));
    }
    diagnostics.retain(|d| !is_undeclared(d));
    diagnostics.push(named);
}
