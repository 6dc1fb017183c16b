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

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::{CONFIG_FILE, Config};
use crate::decision::{Decisions, check_decisions};
use crate::diag::{Code, Diagnostic};
use crate::hashing::{FastMap, hash_of};
use crate::history::{PageDates, last_updated};
use crate::ids::{FEW_MOVED, IdMap};
use crate::link::{LinkFrom, LinkIndex, LinkSeverity, Links, Listing, alias_collisions, link_site, orphan_pages};
use crate::memo::{KeyBuilder, Memo};
use crate::meta::Field;
use crate::model::{QuestionId, Slug};
use crate::page::{Input, ParsedPage};
use crate::search::SearchIndex;
use crate::site::{Parts, QuestionRef, Related, Site, SiteKeys, assemble, questions_hash};
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
    /// When each page last changed (from git, read with the pages).
    pub(crate) dates: Arc<PageDates>,
    /// The full-text index.
    pub(crate) search: Arc<SearchIndex>,
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
    /// When each page last changed.
    pub(crate) dates: Arc<PageDates>,
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
    let AnalysisInput { pages, unparsed, assets, dates, config } = input;
    let (site, mut diagnostics) = assemble(Parts { pages, assets, unparsed }, config, previous.map(|p| &p.site));
    // The search index reads the pages alone: it is built beside the
    // question graph and the links, whose sequential parts leave a thread
    // free.
    let (linked, search) = rayon::join(
        || link_checks(&site, config, mode, previous),
        || Arc::new(SearchIndex::of_site(&site, config, previous.map(|p| &*p.search))),
    );
    let Linked { decisions, decisions_memo, index, index_key, links, problems, assembled } = linked;
    let assembled = assembled.duration_since(started);
    diagnostics.extend(problems);
    diagnostics.extend(alias_collisions(&site, &index).into_iter().map(|(page, n, others)| {
        let alias = &page.meta.aliases[n];
        let names = others.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ");
        let pages = if others.len() == 1 { "page" } else { "pages" };
        Diagnostic::error(Code::AliasCollision, format!("the alias `{alias}` already names the {pages} {names}"))
            .at_field(page, Field::Alias { index: n })
            .with_help("a wiki link by this name could mean either page: choose another alias, or remove it")
    }));
    if mode == Mode::Check {
        diagnostics.extend(orphan_pages(&site, &links, config.summary.as_ref()));
    }
    let linking = started.elapsed().saturating_sub(assembled);
    let analysis = Analysis { site, decisions, links, diagnostics, dates, search, decisions_memo, index, index_key };
    (analysis, (assembled, linking))
}

/// The question graph and the links of an assembled site, and the
/// problems they have.
struct Linked {
    decisions: Arc<Decisions>,
    decisions_memo: Memo,
    index: Arc<LinkIndex>,
    index_key: u64,
    links: Links,
    problems: Vec<Diagnostic>,
    /// When the question graph was done and linking started.
    assembled: Instant,
}

/// Checks the question graph and follows every link of `site`, taking over
/// from `previous` what did not change.
fn link_checks(site: &Site, config: &Config, mode: Mode, previous: Option<&Analysis>) -> Linked {
    let keys = site.keys();
    // The question graph reads every page's questions, and which pages exist.
    let (decisions, decisions_memo) =
        match previous.filter(|p| p.decisions_memo.holds(keys.questions, site.all_pages())) {
            Some(previous) => (previous.decisions.clone(), previous.decisions_memo.clone()),
            None => {
                let (decisions, problems) = check_decisions(site);
                (Arc::new(decisions), Memo::new(keys.questions, problems, site.all_pages()))
            }
        };
    let mut problems: Vec<Diagnostic> = decisions_memo.problems().to_vec();
    let assembled = Instant::now();
    // The link index reads which pages and files exist, and page titles.
    let mut index_key = KeyBuilder::new(keys.claims);
    for page in site.all_pages() {
        index_key.add(page.input_hash(Input::Title, |p| hash_of(&(&p.title, &p.meta.aliases))));
    }
    let index_key = index_key.finish();
    // The same index, or the last one with the pages that came, went or
    // were retitled put in and taken out, or a new one; with the lookups it
    // answers differently from the last one.
    let (index, index_changes) = match previous {
        Some(p) if p.index_key == index_key => (p.index.clone(), Some(HashSet::new())),
        Some(p) => {
            let updated = (site.since_last.as_deref()).and_then(|map| {
                p.index.updated(&p.site.pages, p.site.home.as_ref(), site, map, &config.build.site_url)
            });
            match updated {
                Some((index, changes)) => (Arc::new(index), Some(changes)),
                None => {
                    let index = LinkIndex::new(site, &config.build.site_url);
                    let changes = index.changes_since(&p.index);
                    (Arc::new(index), changes)
                }
            }
        }
        None => (Arc::new(LinkIndex::new(site, &config.build.site_url)), None),
    };
    let severity = match mode {
        Mode::Build => LinkSeverity::Lenient,
        Mode::Check => LinkSeverity::Strict,
    };
    let from = LinkFrom {
        site,
        decisions: &decisions,
        index: &index,
        previous_index: previous.map(|p| &*p.index),
        index_changes: index_changes.as_ref(),
    };
    let (links, link_problems) = link_site(&from, severity, previous.map(|p| &p.links));
    problems.extend(link_problems);
    Linked { decisions, decisions_memo, index, index_key, links, problems, assembled }
}

impl Analysis {
    /// The output path of the page built from content file `rel_path`
    /// (`format/config.md`), if there is one.
    pub(crate) fn output_of_file(&self, rel_path: &str) -> Option<String> {
        let slug = self.index.slug_of_file(rel_path)?;
        Some(crate::model::Slug::new_unchecked(slug.to_string()).output_path())
    }

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
    /// The same files, and pages but for a few added or removed; only these pages' own text,
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
        /// When pages came or went: the ids they had at the last render,
        /// mapped to theirs now. The outputs that stand must say what they
        /// show in today's ids.
        renumbered: Option<Arc<IdMap>>,
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
    questions: Arc<FastMap<QuestionId, QuestionRef>>,
    assets: Arc<Vec<Asset>>,
    dates: Arc<PageDates>,
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
            questions: analysis.site.questions.clone(),
            assets: analysis.site.assets.clone(),
            dates: analysis.dates.clone(),
        }
    }
}

/// What differs from `before` to `after`. Cheap: stages taken over share
/// their results, and pages that were not parsed again are the same
/// allocations, so most of this compares pointers. Pages added or removed
/// since shift the ids of the pages after them; the comparison maps ids
/// through an [`IdMap`], and names what other outputs show in the ids they
/// were rendered with.
pub(crate) fn delta(before: &Baseline, after: &Analysis) -> Delta {
    let new = &after.site;
    let keys = new.keys();
    let Some(map) = IdMap::between(&before.pages, &new.pages, FEW_MOVED) else {
        return Delta::Everything;
    };
    let same_ids = map.is_identity();
    let same_files = Arc::ptr_eq(&before.assets, &new.assets) || before.assets == new.assets;
    if !same_files || (same_ids && (before.keys.claims != keys.claims || before.index_key != after.index_key)) {
        // Other files copied, or the same pages under other claims (a page
        // that failed to parse).
        return Delta::Everything;
    }
    let (mut ids, mut shown) = (Vec::new(), Vec::new());
    let lists = !same_ids || (before.keys.order, before.keys.terms) != (keys.order, keys.terms);
    let to_new = |old: usize| map.new_of[old];
    let old_of = |id: usize| map.old_of[id];
    if !Arc::ptr_eq(&before.reading, &new.reading) {
        let neighbours = |reading: &[usize], position: &[usize], id: usize| {
            (position[id].checked_sub(1).map(|p| reading[p]), reading.get(position[id] + 1).copied())
        };
        ids.extend((0..new.pages.len()).filter(|&id| match old_of(id) {
            Some(old) => {
                let (prev, next) = neighbours(&before.reading, &before.position, old);
                (prev.map(to_new), next.map(to_new)) != {
                    let (prev, next) = neighbours(&new.reading, &new.position, id);
                    (prev.map(Some), next.map(Some))
                }
            }
            None => true,
        }));
    }
    if !Arc::ptr_eq(&before.related, &new.related) {
        ids.extend((0..new.pages.len()).filter(|&id| match old_of(id) {
            Some(old) => {
                let then = before.related[old].iter().map(|r| (to_new(r.page), &r.reason));
                !then.eq(new.related[id].iter().map(|r| (Some(r.page), &r.reason)))
            }
            None => true,
        }));
    }
    let show = |shown: &mut Vec<u32>, old: usize| shown.push(u32::try_from(old).unwrap_or(u32::MAX));
    for (old, _) in map.new_of.iter().enumerate().filter(|(_, new)| new.is_none()) {
        // A page removed: whatever showed it shows something else now.
        show(&mut shown, old);
    }
    for (id, b) in new.pages.iter().enumerate() {
        let Some(old) = old_of(id) else {
            ids.push(id);
            continue;
        };
        let a = &before.pages[old];
        if Arc::ptr_eq(a, b) {
            continue;
        }
        ids.push(id);
        if a.card_hash != b.card_hash {
            show(&mut shown, old);
        }
        if before.keys.questions != keys.questions && questions_moved(a, b) {
            return Delta::Everything;
        }
        if questions_hash(a) != questions_hash(b) {
            show(&mut shown, old);
        }
    }
    if !Arc::ptr_eq(&before.decisions, &after.decisions) {
        // A question whose walk changed is shown elsewhere by another link.
        let (then, now) = (&before.decisions.walk_of, &after.decisions.walk_of);
        for question in then.keys().chain(now.keys()) {
            if then.get(question).map(|&old| to_new(old)) != now.get(question).map(|&id| Some(id)) {
                match (before.questions.get(question), new.questions.get(question).map(|at| old_of(at.page))) {
                    (Some(at), _) => show(&mut shown, at.page),
                    (None, Some(Some(old))) => show(&mut shown, old),
                    _ => return Delta::Everything,
                }
            }
        }
    }
    let links = &after.links;
    ids.extend(
        (0..new.pages.len()).filter(|&id| old_of(id).is_none_or(|old| before.links[old] != links.of_page(id).key)),
    );
    if !Arc::ptr_eq(&before.backlinks, &links.backlinks) {
        ids.extend((0..new.pages.len()).filter(|&id| match old_of(id) {
            Some(old) => {
                let then = before.backlinks[old].iter().map(|b| b.renumbered(&map));
                !then.eq(links.backlinks[id].iter().cloned().map(Some))
            }
            None => true,
        }));
    }
    let dates_changed = !Arc::ptr_eq(&before.dates, &after.dates);
    if dates_changed {
        // Git was asked again (book.toml changed): pages whose last commit
        // differs show another date.
        ids.extend((0..new.pages.len()).filter(|&id| match old_of(id) {
            Some(old) => last_updated(&before.pages[old], &before.dates) != last_updated(&new.pages[id], &after.dates),
            None => true,
        }));
    }
    ids.sort_unstable();
    ids.dedup();
    shown.sort_unstable();
    shown.dedup();
    let home = match (&before.home, &new.home) {
        (Some(a), Some(b)) => {
            !Arc::ptr_eq(a, b)
                || before.home_links != links.of_home().key
                || (dates_changed && last_updated(a, &before.dates) != last_updated(b, &after.dates))
        }
        (None, None) => false,
        _ => return Delta::Everything,
    };
    let renumbered = (!same_ids).then(|| Arc::new(map));
    Delta::Pages { ids, home, shown, lists, renumbered }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::parse_page;
    use crate::source::source_from_text;

    fn analysis_of(pages: &[Arc<ParsedPage>], dates: PageDates, config: &Config) -> Analysis {
        let input = AnalysisInput {
            pages: pages.to_vec(),
            unparsed: BTreeSet::new(),
            assets: Vec::new(),
            dates: Arc::new(dates),
            config,
        };
        analyze(input, Mode::Build, None).0
    }

    #[test]
    fn issue_12_pages_whose_commit_date_changed_are_rendered_again() {
        let config = Config::default();
        let page =
            |rel: &str, text: &str| Arc::new(parse_page(source_from_text("content", rel, text), &config).unwrap().0);
        let pages = [page("index.md", "# Home\n"), page("a.md", "# A\n"), page("b.md", "# B\n")];
        let before = analysis_of(&pages, PageDates::from_pairs(&[("a.md", 1), ("b.md", 1)]), &config);
        let baseline = Baseline::of(&before);
        let same = analysis_of(&pages, PageDates::from_pairs(&[("a.md", 1), ("b.md", 1)]), &config);
        assert!(matches!(delta(&baseline, &same), Delta::Pages { ref ids, home: false, .. } if ids.is_empty()));
        let later = analysis_of(&pages, PageDates::from_pairs(&[("a.md", 1), ("b.md", 2), ("index.md", 2)]), &config);
        let b = later.site.by_slug[&crate::slug::slug_from_path("b.md")];
        match delta(&baseline, &later) {
            Delta::Pages { ids, home, .. } => assert_eq!((ids, home), (vec![b], true)),
            Delta::Everything => panic!("only the pages whose date changed"),
        }
    }
}
