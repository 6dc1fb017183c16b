//! Links between pages, resolved once: every link of every page followed to
//! its page, heading or file, the backlinks that follow from them, and the
//! diagnostics for those that lead nowhere. Render writes exactly what this
//! stage resolved; nothing resolves a link a second time (issue 10).
//!
//! [`link_site`] works in three steps, so that no fact depends on itself:
//! 1. every link is followed to a page or file ([`LinkIndex::reach`]);
//! 2. backlinks follow from that: a link counts as soon as it reaches its
//!    page, whatever its fragment;
//! 3. each page's anchors are known once its backlinks are (the "Referred
//!    to by" section has an id only where it is drawn), and fragments are
//!    judged against them.

mod backlinks;
mod index;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

use rayon::prelude::*;

use crate::decision::Decisions;
use crate::diag::{Code, Diagnostic, LineIndex, nearest};
use crate::markdown::{LinkKind, LinkRef, Resolved};
use crate::mdbook::summary::Summary;
use crate::memo::KeyBuilder;
use crate::page::ParsedPage;
use crate::site::Site;
use crate::slug::{slugify, without_page_ext};
pub(crate) use backlinks::{Backlink, Listing};
use backlinks::{Backlinks, Followed};
pub(crate) use index::{LinkIndex, PageRef, alias_collisions, fold};
use index::{Reach, written_slug};

/// When broken links are errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum LinkSeverity {
    /// `build`: broken links are warnings.
    Lenient,
    /// `check`: broken links are errors.
    Strict,
}

/// What linking found.
#[derive(Debug, Default, Clone)]
pub(crate) struct Links {
    /// For each page id, its links resolved, in the order of its outline's
    /// links (which is the order render meets them).
    pub(crate) pages: Vec<Arc<Vec<Resolved>>>,
    /// The home page's links, likewise.
    pub(crate) home: Arc<Vec<Resolved>>,
    /// For each page id, what links to it: prose first (the home page's,
    /// then in reading order), then answers, in the reading order of their
    /// pages.
    pub(crate) backlinks: Arc<Vec<Listing>>,
    /// A hash of each page's resolved links (by id, then the home page's).
    hashes: Vec<u64>,
    memo: LinkMemo,
}

impl Links {
    /// Drops what only a later linking would reuse.
    pub(crate) fn forget_history(&mut self) {
        self.memo = LinkMemo::default();
    }

    /// Page `id`'s links, resolved, with a hash of them.
    pub(crate) fn of_page(&self, id: usize) -> crate::render::facts::LinksOf<'_> {
        crate::render::facts::LinksOf { resolved: &self.pages[id], key: self.hashes[id] }
    }

    /// The home page's links, likewise.
    pub(crate) fn of_home(&self) -> crate::render::facts::LinksOf<'_> {
        let key = self.hashes.get(self.pages.len()).copied().unwrap_or(0);
        crate::render::facts::LinksOf { resolved: &self.home, key }
    }
}

/// What each page's links were worked out from, to reuse them when that
/// is unchanged (see `memo.rs`).
#[derive(Debug, Default, Clone)]
struct LinkMemo {
    /// The severity: per-page results are reused only under the same one,
    /// and under another index only where what a page looked up there is
    /// unchanged.
    severity: Option<LinkSeverity>,
    /// By page id, then the home page last.
    pages: Vec<PageMemo>,
    /// The backlinks, with the parts they were made from.
    backlinks: Backlinks,
    /// The reading order they are sorted in.
    reading: Arc<Vec<usize>>,
}

/// One page's links, followed, anchored and judged, with the key of each.
#[derive(Debug, Default, Clone)]
struct PageMemo {
    /// The page's `content_hash` when its links were followed.
    content: u64,
    reaches: Arc<Vec<Reach>>,
    /// What following them looked up in the index (see `index::Lookups`).
    looked_up: Arc<[u64]>,
    anchors_key: u64,
    anchors: Arc<HashSet<String>>,
    judge_key: u64,
    resolved: Arc<Vec<Resolved>>,
    /// A hash of `resolved`: when the link index changes (a page added),
    /// every page is judged again, and those whose links resolve as before
    /// keep their hash, so their output stands.
    resolved_hash: u64,
    problems: Arc<PageProblems>,
}

/// One page's links judged, with the key of what they were judged against.
struct Judged {
    key: u64,
    resolved: Arc<Vec<Resolved>>,
    resolved_hash: u64,
    problems: Arc<PageProblems>,
}

/// How many other places linking to the same missing target a broken-link
/// report names.
const MAX_OTHER_PLACES: usize = 10;

/// How many broken or ambiguous links of one page are described. Past it
/// they are only counted: each description costs a search for the nearest
/// slug, and 102,000 of them on one page took 40 s and 2 GB (issue 9).
pub(crate) const MAX_REPORTED_PER_PAGE: usize = 100;

/// What a content page's anchors are made from besides its own text: which
/// of the sections the template draws only sometimes are drawn, and the
/// steps of its decision walk.
fn anchors_input(site: &Site, decisions: &Decisions, backlinks: &[Backlink], id: usize) -> impl Hash {
    (site.related[id].is_empty(), backlinks.is_empty(), decisions.walks.get(&id))
}

/// The ids of a content page that a link's `#fragment` may name: its
/// heading ids, each question's block, and the sections the page template
/// draws, each only where it is drawn (render builds them from the same
/// facts: questions, sources, related pages, backlinks, a decision walk).
fn page_anchors(site: &Site, decisions: &Decisions, backlinks: &[Backlink], id: usize) -> HashSet<String> {
    let page = &site.pages[id];
    let mut anchors: HashSet<String> = page.outline.headings.iter().map(|h| h.id.clone()).collect();
    anchors.extend(page.meta.questions.iter().map(|q| crate::render::question_anchor(q.id.as_str())));
    let sections = [
        ("pb-questions", !page.meta.questions.is_empty()),
        ("pb-sources", !page.meta.citations.is_empty()),
        ("pb-related", !site.related[id].is_empty()),
        ("pb-backlinks", !backlinks.is_empty()),
    ];
    anchors.extend(sections.iter().filter(|(_, drawn)| *drawn).map(|(id, _)| id.to_string()));
    if let Some(walk) = decisions.walks.get(&id) {
        anchors.insert("pb-walk".to_string());
        anchors.extend(walk.questions.iter().map(|q| crate::render::step_anchor(q.as_str())));
    }
    anchors
}

/// What linking works from: the site, its decision walks, the link index,
/// and what changed in it since the last linking.
pub(crate) struct LinkFrom<'a> {
    /// The assembled site.
    pub(crate) site: &'a Site,
    /// Its decision walks (a walk's steps are anchors).
    pub(crate) decisions: &'a Decisions,
    /// Every link target.
    pub(crate) index: &'a LinkIndex,
    /// The index the last linking followed links in.
    pub(crate) previous_index: Option<&'a LinkIndex>,
    /// The lookups `index` answers differently from `previous_index` (see
    /// [`LinkIndex::changes_since`]); `None` without one.
    pub(crate) index_changes: Option<&'a HashSet<u64>>,
}

/// Resolves every link of every page, reports the broken and ambiguous ones
/// (each missing target once, listing every place that links to it), and
/// collects backlinks. Each page's work is taken over from `previous` when
/// what it depends on is unchanged.
pub(crate) fn link_site(
    from: &LinkFrom<'_>,
    severity: LinkSeverity,
    previous: Option<&Links>,
) -> (Links, Vec<Diagnostic>) {
    let LinkFrom { site, decisions, index, previous_index, index_changes } = *from;
    let sources: Vec<(Option<usize>, &ParsedPage)> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (Some(i), &**p))
        .chain(site.home.iter().map(|h| (None, &**h)))
        .collect();
    let linked_before = previous;
    let previous = previous.filter(|p| p.memo.severity == Some(severity));
    // What the index answers differently now, for links followed under
    // the last one (empty: the same index; `None`: follow every link again).
    let changes = previous.and(index_changes);
    let same_index = changes.is_some_and(HashSet::is_empty);
    let unchanged = |keys: &[u64]| changes.is_some_and(|c| c.is_empty() || keys.iter().all(|k| !c.contains(k)));
    // A page's last memo: at its place if no page came or went, else found
    // by what the page was parsed from.
    let by_content: Option<HashMap<u64, &PageMemo>> = previous
        .filter(|p| p.memo.pages.len() != sources.len())
        .map(|p| p.memo.pages.iter().map(|m| (m.content, m)).collect());
    let before = |n: usize| -> Option<&PageMemo> {
        let previous = previous?;
        let content = sources[n].1.content_hash;
        match (&by_content, previous.memo.pages.get(n)) {
            (None, Some(memo)) if memo.content == content => Some(memo),
            (Some(map), _) => map.get(&content).copied(),
            _ => None,
        }
    };
    // 1. Follow every link to its page or file.
    let mut memos: Vec<PageMemo> = sources
        .par_iter()
        .enumerate()
        .map(|(n, &(_, page))| match before(n) {
            Some(memo) if unchanged(&memo.looked_up) => memo.clone(),
            _ => {
                let mut looked = index::Lookups::default();
                let reaches = page.outline.links.iter().map(|link| index.reach(page, link, &mut looked)).collect();
                PageMemo {
                    content: page.content_hash,
                    reaches: Arc::new(reaches),
                    looked_up: looked.into_keys(),
                    ..PageMemo::default()
                }
            }
        })
        .collect();
    // 2. Backlinks: prose that reaches a page, and answers that lead to it.
    let followed = Followed { sources: &sources, reaches: memos.iter().map(|m| &m.reaches).collect() };
    let previous_reaches: Option<Vec<&Arc<Vec<Reach>>>> =
        previous.map(|p| p.memo.pages.iter().map(|m| &m.reaches).collect());
    // Pages came or went: what links where is carried over to today's ids.
    let carried = match (previous, &previous_reaches, site.since_last.as_deref()) {
        (Some(p), Some(reaches), Some(map)) if !map.is_identity() => {
            backlinks::carry_over(site, &followed, &p.memo.backlinks, reaches, &p.memo.reading, map)
        }
        _ => None,
    };
    let same_sources = previous.is_some_and(|p| p.memo.pages.len() == sources.len());
    let carried_reaches: Option<Vec<&Arc<Vec<Reach>>>> = carried.as_ref().map(|(_, reaches)| reaches.iter().collect());
    let (before_backlinks, before_reaches) = match &carried {
        Some((backlinks, _)) => (Some(backlinks), carried_reaches.as_deref()),
        None => (
            linked_before.map(|p| &p.memo.backlinks),
            previous_reaches.as_deref().filter(|_| same_index && same_sources),
        ),
    };
    let backlinks_parts = backlinks::backlinks(site, index, &followed, before_backlinks, before_reaches);
    drop(followed);
    let backlinks = backlinks_parts.all.clone();
    // 3. Anchors, then fragments.
    let home_anchors_key = site.home.as_ref().map_or(0, |h| h.content_hash);
    memos.par_iter_mut().enumerate().for_each(|(n, memo)| {
        let key = match sources[n].0 {
            Some(id) => KeyBuilder::new(memo.content).add(anchors_input(site, decisions, &backlinks[id], id)).finish(),
            None => home_anchors_key,
        };
        match before(n) {
            Some(then) if then.anchors_key == key && then.content == memo.content => {
                memo.anchors = then.anchors.clone();
            }
            _ => {
                memo.anchors = Arc::new(match sources[n].0 {
                    Some(id) => page_anchors(site, decisions, &backlinks[id], id),
                    None => sources[n].1.outline.headings.iter().map(|h| h.id.clone()).collect(),
                });
            }
        }
        memo.anchors_key = key;
    });
    let home_at = site.pages.len();
    let anchors_of = |page: PageRef| -> Option<&HashSet<String>> {
        match page {
            PageRef::Content(i) => Some(&memos[i].anchors),
            PageRef::Home => memos.get(home_at).map(|m| &*m.anchors),
            PageRef::Generated => None,
        }
    };
    let anchors_key_of = |page: PageRef| match page {
        PageRef::Content(i) => memos[i].anchors_key,
        PageRef::Home => memos.get(home_at).map_or(0, |m| m.anchors_key),
        PageRef::Generated => 0,
    };
    let judge = Judge { index, anchors_of: &anchors_of, severity };
    let judged: Vec<Judged> = sources
        .par_iter()
        .enumerate()
        .map(|(n, &(_, page))| {
            let memo = &memos[n];
            let mut key = KeyBuilder::new(memo.content);
            for reach in memo.reaches.iter() {
                if let Reach::Page { slug, fragment: Some(_) } = reach {
                    key.add(index.entry(slug).map(|e| anchors_key_of(e.page)));
                }
            }
            let key = key.finish();
            // Under another index, what the links reach must read the same
            // there: the pages' paths and titles, and for a missing page
            // the slugs "did you mean" chooses from.
            let same_targets = |then: &PageMemo| {
                same_index
                    || Arc::ptr_eq(&then.reaches, &memo.reaches)
                        && memo.reaches.iter().all(|reach| match reach {
                            Reach::Page { slug, .. } => unchanged(&[LinkIndex::entry_key(slug)]),
                            Reach::MissingPage { .. } => {
                                previous_index.is_none_or(|i| i.slugs_key() == index.slugs_key())
                            }
                            _ => true,
                        })
            };
            match before(n) {
                Some(then) if then.judge_key == key && then.content == memo.content && same_targets(then) => Judged {
                    key,
                    resolved: then.resolved.clone(),
                    resolved_hash: then.resolved_hash,
                    problems: then.problems.clone(),
                },
                _ => {
                    let (resolved, problems) = judge.page(page, &memo.reaches);
                    let resolved_hash = crate::hashing::hash_of(&resolved);
                    Judged { key, resolved: Arc::new(resolved), resolved_hash, problems: Arc::new(problems) }
                }
            }
        })
        .collect();
    for (memo, judged) in memos.iter_mut().zip(judged) {
        memo.judge_key = judged.key;
        memo.resolved = judged.resolved;
        memo.resolved_hash = judged.resolved_hash;
        memo.problems = judged.problems;
    }
    let mut links = Links { backlinks, ..Links::default() };
    let mut problems = Vec::new();
    let mut broken: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for ((from, page), memo) in sources.iter().zip(&memos) {
        match from {
            Some(_) => links.pages.push(memo.resolved.clone()),
            None => links.home = memo.resolved.clone(),
        }
        let found = &*memo.problems;
        problems.extend(found.ambiguous.iter().cloned());
        for (key, d) in &found.broken {
            broken.entry(key.clone()).or_default().push(d.clone());
        }
        if found.unreported > 0 {
            problems.push(
                broken_link(
                    severity,
                    format!("{} more broken or ambiguous links in this page are not listed", found.unreported),
                )
                .in_file(&page.source.display_path)
                .with_help(format!("fix the first {MAX_REPORTED_PER_PAGE}, then check again")),
            );
        }
    }
    problems.extend(broken.into_values().map(group_reports));
    links.hashes = memos.iter().map(|m| m.resolved_hash).collect();
    links.memo =
        LinkMemo { severity: Some(severity), pages: memos, backlinks: backlinks_parts, reading: site.reading.clone() };
    (links, problems)
}

/// One report for a missing target, naming the other places that link to it.
fn group_reports(mut group: Vec<Diagnostic>) -> Diagnostic {
    let first = group.remove(0);
    let mut others: Vec<String> =
        group.iter().take(MAX_OTHER_PLACES).filter_map(|d| d.location.as_ref().map(|l| l.to_string())).collect();
    if group.len() > MAX_OTHER_PLACES {
        others.push(format!("and {} more places", group.len() - MAX_OTHER_PLACES));
    }
    if others.is_empty() { first } else { first.with_note(format!("also linked from {}", others.join(", "))) }
}

/// The problems of one page's links.
#[derive(Debug, Default)]
struct PageProblems {
    broken: Vec<(String, Diagnostic)>,
    ambiguous: Vec<Diagnostic>,
    unreported: usize,
}

/// Judges followed links against the anchors of their pages.
struct Judge<'a, F> {
    index: &'a LinkIndex,
    anchors_of: &'a F,
    severity: LinkSeverity,
}

impl<'a, F> Judge<'a, F>
where
    F: Fn(PageRef) -> Option<&'a HashSet<String>> + Sync,
{
    fn page(&self, page: &ParsedPage, reaches: &[Reach]) -> (Vec<Resolved>, PageProblems) {
        let mut resolved = Vec::with_capacity(reaches.len());
        let mut found = PageProblems::default();
        // Lines are counted only for a page with something to report.
        let text = std::cell::OnceCell::new();
        for (link, reach) in page.outline.links.iter().zip(reaches) {
            let outcome = self.judge(reach);
            let problem = match outcome {
                Ok(done) => {
                    resolved.push(done);
                    continue;
                }
                Err(problem) => problem,
            };
            resolved.push(Resolved::Unresolved);
            let Some(problem) = problem else { continue };
            if found.broken.len() + found.ambiguous.len() >= MAX_REPORTED_PER_PAGE {
                found.unreported += 1;
                continue;
            }
            let text = text.get_or_init(|| {
                page.source.text().ok().map(|text| {
                    let index = LineIndex::new(&text);
                    (text, index)
                })
            });
            let span = page.body_start + link.span.start..page.body_start + link.span.end;
            let at = |d: Diagnostic| match text {
                // Included text: the place in the file as written.
                Some((text, _)) if page.source.written.is_some() => page.source.pin(d, text, span.clone()),
                Some((text, index)) => d.at_indexed(&page.source.display_path, text, index, span.clone()),
                None => d.in_file(&page.source.display_path),
            };
            match self.describe(link, problem) {
                Problem::Ambiguous(d) => found.ambiguous.push(at(d)),
                Problem::Broken(key, d) => found.broken.push((key, at(d))),
            }
        }
        (resolved, found)
    }

    /// What a followed link resolves to, or what is wrong with it (`None`
    /// for a problem already reported elsewhere).
    fn judge(&self, reach: &Reach) -> Result<Resolved, Option<Reach>> {
        match reach {
            Reach::File { output_path, suffix } => {
                Ok(Resolved::File { output_path: output_path.clone(), suffix: suffix.clone() })
            }
            Reach::Page { slug, fragment } => {
                let entry = self.index.entry(slug).expect("reach yields slugs of the index");
                let Some(fragment) = fragment else {
                    return Ok(Resolved::Page {
                        output_path: entry.output_path.clone(),
                        fragment: None,
                        title: entry.title.clone(),
                    });
                };
                let anchors = (self.anchors_of)(entry.page);
                let anchor = anchors.and_then(|anchors| {
                    if anchors.contains(fragment) {
                        Some(fragment.clone())
                    } else {
                        Some(slugify(fragment)).filter(|s| anchors.contains(s))
                    }
                });
                match anchor {
                    Some(anchor) => Ok(Resolved::Page {
                        output_path: entry.output_path.clone(),
                        fragment: Some(anchor),
                        title: entry.title.clone(),
                    }),
                    None => Err(Some(reach.clone())),
                }
            }
            Reach::Unparsed => Err(None),
            other => Err(Some(other.clone())),
        }
    }

    fn describe(&self, link: &LinkRef, reach: Reach) -> Problem {
        let severity = self.severity;
        let written = link.target.split('#').next().unwrap_or(&link.target).trim();
        match reach {
            Reach::Ambiguous { candidates } => Problem::Ambiguous(
                Diagnostic::error(
                    Code::AmbiguousLink,
                    format!("`{}` could mean {} pages", link.target, candidates.len()),
                )
                .with_note(format!(
                    "candidates: {}",
                    candidates.iter().map(|c| format!("`{}`", written_slug(c))).collect::<Vec<_>>().join(", ")
                ))
                .with_help(format!("link by exact slug, e.g. `[[{}]]`", written_slug(&candidates[0]))),
            ),
            Reach::Page { slug, fragment } => {
                let fragment = fragment.unwrap_or_default();
                let page = self.index.entry(&slug).map(|e| e.page);
                let near = page
                    .and_then(|p| (self.anchors_of)(p))
                    .and_then(|anchors| nearest(&fragment, anchors.iter().map(String::as_str)).map(str::to_string));
                let help = match near {
                    Some(n) => format!("did you mean `#{n}`?"),
                    None => format!("`{slug}` has no such heading; link to the page alone"),
                };
                let message = format!("broken link: `{slug}` has no heading `#{fragment}`");
                Problem::Broken(format!("{slug}#{fragment}"), broken_link(severity, message).with_help(help))
            }
            Reach::OutsideBase { base } => {
                let message =
                    format!("broken link: `{written}` is outside the site, which is published under `{base}`");
                let help = format!(
                    "links starting with `/` are read from the web server's root; write `{}{}`, or a relative link",
                    base.trim_end_matches('/'),
                    written
                );
                Problem::Broken(written.to_string(), broken_link(severity, message).with_help(help))
            }
            Reach::MissingFile { path } => {
                let help = match link.kind {
                    LinkKind::Absolute => {
                        "a path starting with `/` is read from the site's root; add the file, or fix the path"
                    }
                    _ => "add the file to the content folder, or fix the path: it is relative to the page's own file",
                };
                let message = format!("missing file: `{written}` (no `{path}` in the content folder)");
                Problem::Broken(path, broken_link(severity, message).with_code(Code::MissingFile).with_help(help))
            }
            Reach::MissingPage { .. } | Reach::File { .. } | Reach::Unparsed => {
                let name = match link.kind {
                    LinkKind::Wiki { .. } => without_page_ext(written).to_string(),
                    _ => without_page_ext(written.trim_start_matches('/').trim_end_matches('/')).to_string(),
                };
                let help = match self.index.nearest_slug(&name) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => "link to an existing page by its slug (its path without `.md`)".to_string(),
                };
                let message = format!("broken link: no page `{written}`");
                Problem::Broken(written.to_string(), broken_link(severity, message).with_help(help))
            }
        }
    }
}

/// What is wrong with a link that did not resolve.
enum Problem {
    /// It could mean several pages.
    Ambiguous(Diagnostic),
    /// It leads nowhere; the key groups reports of the same target.
    Broken(String, Diagnostic),
}

fn broken_link(severity: LinkSeverity, message: String) -> Diagnostic {
    match severity {
        LinkSeverity::Lenient => Diagnostic::warning(Code::BrokenLink, message),
        LinkSeverity::Strict => Diagnostic::error(Code::BrokenLink, message),
    }
}

/// Pages nothing links to, no level lists and no `SUMMARY.md` places: a
/// reader can only find them through the full contents. Warnings, from
/// `check`.
pub(crate) fn orphan_pages(site: &Site, links: &Links, summary: Option<&Summary>) -> Vec<Diagnostic> {
    let in_summary = |page: &ParsedPage| summary.is_some_and(|s| s.files.contains(&page.source.rel_path));
    site.pages
        .iter()
        .zip(links.backlinks.iter())
        .filter(|(page, backlinks)| {
            backlinks.is_empty() && page.meta.levels.is_empty() && page.meta.decision.is_none() && !in_summary(page)
        })
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

/// The target a link of `resolved` shows: for tests.
#[cfg(test)]
fn target_of(resolved: &Resolved) -> Option<(&str, Option<&str>)> {
    match resolved {
        Resolved::Page { output_path, fragment, .. } => Some((output_path, fragment.as_deref())),
        Resolved::File { output_path, .. } => Some((output_path, None)),
        Resolved::Unresolved => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::parse_config;
    use crate::decision::check_decisions;
    use crate::diag::Severity;
    use crate::page::parse_page;
    use crate::site::{Parts, assemble};
    use crate::source::source_from_text;
    use std::collections::BTreeSet;

    fn site(files: &[(&str, &str)]) -> Site {
        let config = parse_config("[playbook]\nlevels = [{ id = \"impact\", name = \"Impact\" }]\ncontexts = [{ id = \"platform\", name = \"Platform\" }]\n").unwrap();
        let pages = files
            .iter()
            .map(|(rel, text)| Arc::new(parse_page(source_from_text("content", rel, *text), &config).unwrap().0))
            .collect();
        assemble(Parts { pages, assets: vec![], unparsed: BTreeSet::new() }, &config, None).0
    }

    #[test]
    fn an_index_updated_in_place_equals_a_new_one_and_names_what_changed() {
        let config = parse_config("[playbook]\nlevels = [{ id = \"impact\", name = \"Impact\" }]\n").unwrap();
        let parse =
            |rel: &str, text: &str| Arc::new(parse_page(source_from_text("content", rel, text), &config).unwrap().0);
        let parts = |pages: Vec<Arc<ParsedPage>>| Parts { pages, assets: vec![], unparsed: BTreeSet::new() };
        let then = vec![
            parse("a.md", "# Alpha"),
            parse("b.md", "---\ntitle: Beta\nslug: bee\n---\n"),
            parse("c.md", "# Gamma"),
            parse("index.md", "# Home"),
        ];
        let (before, _) = assemble(parts(then.clone()), &config, None);
        let index = LinkIndex::new(&before, "/");
        // b goes and d takes its slug and title; c is retitled; e comes.
        let now = vec![
            then[0].clone(),
            parse("c.md", "# Gamma again"),
            parse("d.md", "---\ntitle: Beta\nslug: bee\n---\n"),
            parse("e.md", "# Epsilon"),
            then[3].clone(),
        ];
        let (after, _) = assemble(parts(now), &config, Some(&before));
        let map = after.since_last.as_deref().expect("few pages moved");
        let (updated, changes) = index.updated(&before.pages, before.home.as_ref(), &after, map, "/").unwrap();
        let fresh = LinkIndex::new(&after, "/");
        assert_eq!(updated, fresh);
        let exact = fresh.changes_since(&index).unwrap();
        assert!(exact.is_subset(&changes), "every lookup that answers differently is named");
        assert!(!exact.is_empty());
    }

    /// Links the site and returns the resolutions of page `from`.
    fn linked(site: &Site, severity: LinkSeverity) -> (Links, Vec<Diagnostic>) {
        let (decisions, _) = check_decisions(site);
        let index = LinkIndex::new(site, "/");
        link_site(
            &LinkFrom { site, decisions: &decisions, index: &index, previous_index: None, index_changes: None },
            severity,
            None,
        )
    }

    fn resolutions_of<'a>(site: &Site, links: &'a Links, from: &str) -> &'a [Resolved] {
        let i = site.pages.iter().position(|p| p.slug.as_str() == from).expect("page exists");
        &links.pages[i]
    }

    #[test]
    fn folding_treats_case_spaces_hyphens_underscores_alike() {
        assert_eq!(index::fold("Impact_in Product--management"), "impact-in-product-management");
    }

    #[test]
    fn wiki_targets_resolve_by_slug_file_name_and_title() {
        let s = site(&[
            (
                "a.md",
                "# A\n\n[[guides/culture-problems]] [[Culture Problems]] [[culture_problems]] [[WHY CULTURE BITES]] \
                 [[impact_in_product_management]] [[levels/impact]] [[contexts/platform]] [[guides/]]",
            ),
            ("guides/index.md", "# Guides"),
            ("guides/Culture Problems.md", "---\ntitle: Why culture bites\n---\n## Signs\n"),
            ("impact_in_product_management.md", "# Impact"),
        ]);
        let (links, problems) = linked(&s, LinkSeverity::Strict);
        assert!(problems.is_empty(), "{problems:?}");
        let targets: Vec<_> = resolutions_of(&s, &links, "a").iter().map(|r| target_of(r).unwrap().0).collect();
        assert_eq!(
            targets,
            [
                "guides/culture-problems/index.html",
                "guides/culture-problems/index.html",
                "guides/culture-problems/index.html",
                "guides/culture-problems/index.html",
                "impact-in-product-management/index.html",
                "levels/impact/index.html",
                "contexts/platform/index.html",
                "guides/index.html",
            ]
        );
    }

    #[test]
    fn headings_by_id_or_text_and_missing_ones_suggest() {
        let s = site(&[
            ("a.md", "# A\n\n## Why it happens\n\n[self](#why-it-happens)"),
            ("b.md", "# B\n\n[[a#why-it-happens]] [[a#Why it happens]] [[a#why-it-hapens]]"),
        ]);
        let (links, problems) = linked(&s, LinkSeverity::Lenient);
        let b: Vec<_> = resolutions_of(&s, &links, "b").iter().map(target_of).collect();
        assert_eq!(
            b,
            [Some(("a/index.html", Some("why-it-happens"))), Some(("a/index.html", Some("why-it-happens"))), None]
        );
        assert_eq!(target_of(&resolutions_of(&s, &links, "a")[0]), Some(("a/index.html", Some("why-it-happens"))));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].help.as_deref(), Some("did you mean `#why-it-happens`?"));
    }

    #[test]
    fn markdown_paths_are_relative_to_the_linking_file() {
        let s = site(&[
            ("guides/a.md", "# A\n\n[b](b.md) [top](../top.md) [no](top.md)"),
            ("guides/b.md", "# B"),
            ("top.md", "# Top"),
        ]);
        let (links, problems) = linked(&s, LinkSeverity::Lenient);
        let a: Vec<_> = resolutions_of(&s, &links, "guides/a").iter().map(|r| target_of(r).map(|t| t.0)).collect();
        assert_eq!(a, [Some("guides/b/index.html"), Some("top/index.html"), None]);
        assert_eq!(problems[0].message, "broken link: no page `top.md`");
    }

    #[test]
    fn ambiguous_and_missing_targets() {
        let s = site(&[("a/x.md", "# One"), ("b/x.md", "# Two"), ("c.md", "# C\n\n[[x]] [[a/xx]]")]);
        let (_, problems) = linked(&s, LinkSeverity::Lenient);
        let codes: Vec<_> = problems.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::AmbiguousLink, Code::BrokenLink]);
        assert_eq!(problems[0].notes[0], "candidates: `a/x`, `b/x`");
        assert_eq!(problems[1].help.as_deref(), Some("did you mean `a/x`?"));
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
        let (links, problems) = linked(&s, LinkSeverity::Lenient);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].severity, Severity::Warning);
        assert!(problems[0].notes[0].starts_with("also linked from content/b.md:3:5"), "{:?}", problems[0].notes);
        assert_eq!(
            *links.backlinks[2],
            [Backlink::Prose(Some(0)), Backlink::Prose(Some(1)), Backlink::Answer { page: 0, question: 0, answer: 0 }]
        );
        let (_, strict) = linked(&s, LinkSeverity::Strict);
        assert_eq!(strict[0].severity, Severity::Error);
    }

    #[test]
    fn section_anchors_exist_only_where_the_section_is_drawn() {
        let s = site(&[("a.md", "# A\n\n[[b#pb-backlinks]] [[b#pb-sources]] [[a#pb-backlinks]]"), ("b.md", "# B\n")]);
        let (links, problems) = linked(&s, LinkSeverity::Lenient);
        let a: Vec<_> = resolutions_of(&s, &links, "a").iter().map(target_of).collect();
        assert_eq!(a, [Some(("b/index.html", Some("pb-backlinks"))), None, None], "b is linked from a; a from none");
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn orphans_have_no_backlinks_and_no_level() {
        let s = site(&[("a.md", "# A\n[[b]]"), ("b.md", "# B"), ("c.md", "---\nlevels: [impact]\n---\n")]);
        let (links, _) = linked(&s, LinkSeverity::Lenient);
        let orphans = orphan_pages(&s, &links, None);
        assert_eq!(orphans.len(), 1);
        assert!(orphans[0].message.contains("`a`"));
    }
}
