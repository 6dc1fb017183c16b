//! The content model as lists: each level's and context's pages, the
//! levels x contexts matrix, and each page's related pages.

use std::collections::BTreeSet;
use std::hash::Hash;
use std::sync::Arc;

use rayon::prelude::*;

use super::order::order_input;
use crate::config::{Config, Term};
use crate::diag::{Code, Diagnostic, nearest};
use crate::hashing::{FastMap, hash_of};
use crate::ids::IdMap;
use crate::meta::PageMeta;
use crate::model::{ContextId, LevelId, Slug};
use crate::page::{Input, ParsedPage};

/// A level or context with the pages that sit at it, in reading order.
#[derive(Debug, Clone)]
pub(crate) struct TermPages<I> {
    /// The level or context.
    pub(crate) term: Term<I>,
    /// Page ids, in reading order.
    pub(crate) pages: Vec<usize>,
}

/// A page worth reading after another, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Related {
    /// The page's id.
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

/// Every level's and context's pages, the matrix, and related pages.
#[derive(Debug, Clone, Default)]
pub(super) struct Terms {
    /// Every declared level with its pages, in declared order.
    pub(super) levels: Vec<TermPages<LevelId>>,
    /// Every declared context with its pages, in declared order.
    pub(super) contexts: Vec<TermPages<ContextId>>,
    /// `matrix[level][context]`: the pages at that level in that context.
    pub(super) matrix: Vec<Vec<Vec<usize>>>,
    /// For each page id, the pages worth reading next.
    pub(super) related: Vec<Vec<Related>>,
}

/// What this stage reads of a page.
pub(super) fn terms_input(page: &ParsedPage) -> impl Hash {
    (&page.meta.levels, &page.meta.contexts, page.meta.related.iter().map(|r| &r.slug).collect::<Vec<_>>())
}

/// What the lists are made from besides the pages: the reading order, the
/// pages by slug, and the slugs of pages that failed to parse.
pub(super) struct TermsFrom<'a> {
    pub(super) pages: &'a [Arc<ParsedPage>],
    pub(super) reading: &'a [usize],
    pub(super) position: &'a [usize],
    pub(super) by_slug: &'a FastMap<Slug, usize>,
    pub(super) unparsed: &'a BTreeSet<Slug>,
}

/// Lists the pages of every level and context, in reading order, fills the
/// matrix and finds each page's related pages.
pub(super) fn index_terms(from: &TermsFrom<'_>, config: &Config) -> (Terms, Vec<Diagnostic>) {
    let members = Membership::of(from.pages, config);
    let (levels, contexts, matrix) = list_members(from, config, &members);
    let finder = RelatedFinder { from, members: &members, levels: &levels, matrix: &matrix };
    let (related, problems): (Vec<_>, Vec<_>) = (0..from.pages.len())
        .into_par_iter()
        .map(|id| {
            let (mut related, problems) = finder.authors_choice(id);
            finder.add_sharing(id, &mut related);
            (related, problems)
        })
        .unzip();
    (Terms { levels, contexts, matrix, related }, problems.into_iter().flatten().collect())
}

/// The lists and related pages of the last assemble, under the same
/// levels and contexts.
pub(super) struct TermsBefore<'a> {
    /// Their ids then, mapped to now.
    pub(super) ids: &'a IdMap,
    /// The pages, by id, as they were.
    pub(super) pages: &'a [Arc<ParsedPage>],
    /// Each page's place in the reading order, as it was.
    pub(super) position: &'a [usize],
    pub(super) levels: &'a [TermPages<LevelId>],
    pub(super) matrix: &'a [Vec<Vec<usize>>],
    pub(super) related: &'a [Vec<Related>],
}

/// More pages than this were added, removed or changed their place,
/// levels, contexts or related pages at once: working out which related
/// lists they touch costs more than finding every page's related pages
/// again.
const FEW_CHANGED: usize = 64;

/// The same as [`index_terms`] when only a few pages were added or removed
/// since `before`, or changed their levels, contexts, `related:` or place in
/// the reading order. The lists are made again (that is cheap), but related
/// pages are found again only for the pages whose choice can have changed.
///
/// A page chooses among its neighbours in the lists it is on (within
/// `RELATED_WINDOW` places), by what they share and by their distance in
/// reading order. A changed page enters, leaves or moves within lists, and
/// a page that came, went or moved in the reading order changes the
/// distance between the pages on either side of where it was and where it
/// is now. So a choice can change only for the changed pages, for pages
/// whose own `related:` now finds other pages, and, in every list, for the
/// pages within a window of where a changed page was or now is. Ids are a
/// page's rank by source path, so they shift when pages come and go; the
/// last choices are carried over through a map from old ids to new.
pub(super) fn update_terms(
    from: &TermsFrom<'_>,
    config: &Config,
    before: &TermsBefore<'_>,
) -> (Terms, Vec<Diagnostic>) {
    let ids = before.ids;
    let terms_hash = |page: &ParsedPage| page.input_hash(Input::Terms, |p| hash_of(&terms_input(p)));
    let order_hash = |page: &ParsedPage| page.input_hash(Input::Order, |p| hash_of(&order_input(p, config)));
    let changed: Vec<usize> = (0..from.pages.len())
        .filter(|&id| match ids.old_of[id] {
            Some(old) => {
                let (now, then) = (&from.pages[id], &before.pages[old]);
                terms_hash(now) != terms_hash(then) || order_hash(now) != order_hash(then)
            }
            None => true,
        })
        .collect();
    let removed: Vec<usize> = (0..before.pages.len()).filter(|&old| ids.new_of[old].is_none()).collect();
    if changed.len() + removed.len() > FEW_CHANGED {
        return index_terms(from, config);
    }
    let members = Membership::of(from.pages, config);
    let (levels, contexts, matrix) = list_members(from, config, &members);
    let mut again = vec![false; from.pages.len()];
    let mut mark_near = |bucket: &[usize], position: &[usize], at: usize, to_new: &dyn Fn(usize) -> Option<usize>| {
        let at = bucket.partition_point(|&p| position[p] < at);
        let near = at.saturating_sub(RELATED_WINDOW)..(at + RELATED_WINDOW + 1).min(bucket.len());
        bucket[near].iter().filter_map(|&p| to_new(p)).for_each(|p| again[p] = true);
    };
    let old_buckets = || before.levels.iter().map(|l| &l.pages).chain(before.matrix.iter().flatten());
    let new_buckets = || levels.iter().map(|l| &l.pages).chain(matrix.iter().flatten());
    let was = changed.iter().filter_map(|&id| ids.old_of[id]).chain(removed.iter().copied());
    for old in was {
        for bucket in old_buckets() {
            mark_near(bucket, before.position, before.position[old], &|p| ids.new_of[p]);
        }
    }
    for &id in &changed {
        for bucket in new_buckets() {
            mark_near(bucket, from.position, from.position[id], &Some);
        }
    }
    changed.iter().for_each(|&id| again[id] = true);
    let finder = RelatedFinder { from, members: &members, levels: &levels, matrix: &matrix };
    let mut problems = Vec::new();
    let related = (0..from.pages.len())
        .map(|id| {
            let (mut related, found) = finder.authors_choice(id);
            problems.extend(found);
            let kept = (!again[id]).then(|| ids.old_of[id]).flatten().and_then(|old| {
                let carried: Option<Vec<Related>> = (before.related[old].iter())
                    .map(|r| Some(Related { page: ids.new_of[r.page]?, reason: r.reason.clone() }))
                    .collect();
                // The author's part first: it must still be what `related:`
                // finds, or the rest is chosen around other pages.
                let authored = |c: &Vec<Related>| c.iter().take_while(|r| r.reason == RelatedReason::Author).count();
                carried.filter(|c| authored(c) == related.len() && c[..related.len()] == related[..])
            });
            match kept {
                Some(carried) => carried,
                None => {
                    finder.add_sharing(id, &mut related);
                    related
                }
            }
        })
        .collect();
    (Terms { levels, contexts, matrix, related }, problems)
}

/// Every level's and context's pages and the matrix, in reading order.
#[allow(clippy::type_complexity)]
fn list_members(
    from: &TermsFrom<'_>,
    config: &Config,
    members: &Membership,
) -> (Vec<TermPages<LevelId>>, Vec<TermPages<ContextId>>, Vec<Vec<Vec<usize>>>) {
    let vocabulary = &config.playbook;
    let mut levels: Vec<TermPages<LevelId>> =
        vocabulary.levels.iter().map(|term| TermPages { term: term.clone(), pages: Vec::new() }).collect();
    let mut contexts: Vec<TermPages<ContextId>> =
        vocabulary.contexts.iter().map(|term| TermPages { term: term.clone(), pages: Vec::new() }).collect();
    let mut matrix = vec![vec![Vec::new(); contexts.len()]; levels.len()];
    for &id in from.reading {
        for level in members.levels_of(id) {
            levels[level].pages.push(id);
            for context in members.contexts_of(id) {
                matrix[level][context].push(id);
            }
        }
        for context in members.contexts_of(id) {
            contexts[context].pages.push(id);
        }
    }
    (levels, contexts, matrix)
}

/// Which levels and contexts each page has, as bits in one flat table:
/// finding related pages compares thousands of pairs, and this keeps them
/// in a few cache lines instead of behind every page's pointer.
struct Membership {
    levels: usize,
    words: usize,
    bits: Vec<u64>,
}

impl Membership {
    fn of(pages: &[Arc<ParsedPage>], config: &Config) -> Membership {
        let (levels, contexts) = (config.playbook.levels.len(), config.playbook.contexts.len());
        let words = (levels + contexts).div_ceil(64).max(1);
        let mut bits = vec![0u64; pages.len() * words];
        for (id, page) in pages.iter().enumerate() {
            let row = &mut bits[id * words..(id + 1) * words];
            let level_bits =
                page.meta.levels.iter().filter_map(|l| config.playbook.levels.iter().position(|t| &t.id == l));
            let context_bits = (page.meta.contexts.iter())
                .filter_map(|c| config.playbook.contexts.iter().position(|t| &t.id == c))
                .map(|c| levels + c);
            for bit in level_bits.chain(context_bits) {
                row[bit / 64] |= 1 << (bit % 64);
            }
        }
        Membership { levels, words, bits }
    }

    fn row(&self, id: usize) -> &[u64] {
        &self.bits[id * self.words..(id + 1) * self.words]
    }

    fn ones(&self, id: usize) -> impl Iterator<Item = usize> + '_ {
        self.row(id)
            .iter()
            .enumerate()
            .flat_map(|(word, &bits)| (0..64).filter(move |bit| bits & (1 << bit) != 0).map(move |bit| word * 64 + bit))
    }

    fn levels_of(&self, id: usize) -> impl Iterator<Item = usize> + '_ {
        self.ones(id).filter(|&bit| bit < self.levels)
    }

    fn contexts_of(&self, id: usize) -> impl Iterator<Item = usize> + '_ {
        self.ones(id).filter(|&bit| bit >= self.levels).map(|bit| bit - self.levels)
    }

    /// How many levels and contexts two pages share.
    fn shared(&self, a: usize, b: usize) -> u32 {
        self.row(a).iter().zip(self.row(b)).map(|(x, y)| (x & y).count_ones()).sum()
    }
}

/// What finding related pages looks at.
struct RelatedFinder<'a> {
    from: &'a TermsFrom<'a>,
    members: &'a Membership,
    levels: &'a [TermPages<LevelId>],
    matrix: &'a [Vec<Vec<usize>>],
}

impl RelatedFinder<'_> {
    /// The pages the author lists in `related:`, and the problems with them.
    fn authors_choice(&self, id: usize) -> (Vec<Related>, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let TermsFrom { pages, by_slug, unparsed, .. } = *self.from;
        let page = &pages[id];
        let mut related: Vec<Related> = Vec::new();
        for reference in &page.meta.related {
            match by_slug.get(&reference.slug) {
                Some(&target) if target != id && related.iter().all(|r| r.page != target) => {
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
                        .at_field(page, reference.place)
                        .with_help(help),
                    );
                }
            }
        }
        (related, problems)
    }

    /// Adds the pages sharing the most levels and contexts with page `id`,
    /// nearest in reading order first, after the author's choice.
    fn add_sharing(&self, id: usize, related: &mut Vec<Related>) {
        let TermsFrom { position, .. } = *self.from;
        // Candidates: neighbours in reading order in each list the page is
        // on (its levels, and each level's cell for each of its contexts).
        let here = position[id];
        let mut candidates: Vec<usize> = Vec::new();
        for level in self.members.levels_of(id) {
            let cells = self.members.contexts_of(id).map(|c| &self.matrix[level][c]);
            for bucket in cells.chain(std::iter::once(&self.levels[level].pages)) {
                let at = bucket.partition_point(|&p| position[p] < here);
                let window = &bucket[at.saturating_sub(RELATED_WINDOW)..(at + RELATED_WINDOW + 1).min(bucket.len())];
                candidates.extend(window.iter().filter(|&&p| p != id));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        // Most shared first, then nearest, then first in reading order.
        let mut scored: Vec<(u32, usize, usize, usize)> = candidates
            .into_iter()
            .filter(|c| related.iter().all(|r| r.page != *c))
            .map(|c| (self.members.shared(id, c), here.abs_diff(position[c]), position[c], c))
            .collect();
        scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        related.extend(
            scored.into_iter().take(RELATED_LIMIT).map(|(.., c)| Related { page: c, reason: RelatedReason::Shares }),
        );
        related.shrink_to_fit();
    }
}
