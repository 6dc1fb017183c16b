//! What links to each page: prose whose links reach it, and answers that
//! lead to it, in the order readers meet them.
//!
//! The list is made of two parts, each reused while what it follows from
//! stands: prose backlinks follow from every page's followed links and the
//! reading order, answer backlinks from every page's questions, the pages'
//! slugs and the reading order. An edit that changes one page's links re-files only that
//! page's prose backlinks; an edit of an answer re-files that page's answer
//! backlinks and leaves prose alone. At
//! 10,000 pages working out both from scratch takes about 17 ms, which was
//! most of what an edited answer cost.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::index::{LinkIndex, PageRef, Reach};
use crate::ids::IdMap;
use crate::model::Target;
use crate::page::ParsedPage;
use crate::site::{Site, questions_hash};

/// Where a page is linked from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Backlink {
    /// Prose on page N (`None`: the home page) links here.
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

impl Backlink {
    /// The same backlink in the ids `map` gives pages now; `None` if the
    /// page it comes from is gone.
    pub(crate) fn renumbered(&self, map: &IdMap) -> Option<Backlink> {
        Some(match *self {
            Backlink::Prose(None) => Backlink::Prose(None),
            Backlink::Prose(Some(old)) => Backlink::Prose(Some(map.new_of[old]?)),
            Backlink::Answer { page, question, answer } => {
                Backlink::Answer { page: map.new_of[page]?, question, answer }
            }
        })
    }
}

/// One page's backlinks.
pub(crate) type Listing = Arc<[Backlink]>;

/// Every page's backlinks (by id), with the parts they were made from.
#[derive(Debug, Clone, Default)]
pub(crate) struct Backlinks {
    /// Prose first (the home page's, then in reading order), then answers,
    /// in the reading order of their pages.
    pub(crate) all: Arc<Vec<Listing>>,
    prose: Arc<Vec<Listing>>,
    answers: Arc<Vec<Listing>>,
    /// The key of the reading order both parts are sorted in.
    order_key: u64,
    /// The key of the claims (which pages, and their slugs) `answers` was
    /// filed under, and each page's questions then (see
    /// `site::questions_hash`).
    claims_key: u64,
    questions: Arc<Vec<u64>>,
}

/// The pages whose links are followed (ids, the home page as `None`), each
/// with its followed links.
pub(super) struct Followed<'a> {
    /// The pages, the home page last.
    pub(super) sources: &'a [(Option<usize>, &'a ParsedPage)],
    /// Each one's followed links.
    pub(super) reaches: Vec<&'a Arc<Vec<Reach>>>,
}

/// Works out every page's backlinks, reusing what `previous` holds: its
/// answer part if the claims stand, its prose part if `previous_reaches` is
/// given (the same pages, followed against the same link index). A part is
/// sorted again if the reading order changed, and only the pages whose
/// questions (or links) changed are filed again.
pub(super) fn backlinks(
    site: &Site,
    index: &LinkIndex,
    followed: &Followed<'_>,
    previous: Option<&Backlinks>,
    previous_reaches: Option<&[&Arc<Vec<Reach>>]>,
) -> Backlinks {
    let keys = site.keys();
    let (order_key, claims_key) = (keys.order, keys.claims);
    let questions: Arc<Vec<u64>> = Arc::new(site.pages.iter().map(|p| questions_hash(p)).collect());
    let prose = match (previous, previous_reaches) {
        (Some(before), Some(before_reaches)) => {
            let base = if before.order_key == order_key { before.prose.clone() } else { resorted(site, &before.prose) };
            let changed: Vec<usize> =
                (0..followed.reaches.len()).filter(|&n| followed.reaches[n] != before_reaches[n]).collect();
            if changed.is_empty() {
                base
            } else {
                Arc::new(refile(site, index, followed, before_reaches, &base, &changed))
            }
        }
        _ => Arc::new(prose_of(site, index, followed)),
    };
    let answers = match previous {
        Some(before) if before.claims_key == claims_key && before.questions.len() == questions.len() => {
            let base =
                if before.order_key == order_key { before.answers.clone() } else { resorted(site, &before.answers) };
            let changed: Vec<usize> =
                (0..questions.len()).filter(|&id| questions[id] != before.questions[id]).collect();
            if changed.is_empty() { base } else { Arc::new(refile_answers(site, &base, &changed)) }
        }
        _ => Arc::new(answers_of(site)),
    };
    let all = match previous {
        Some(before)
            if Arc::ptr_eq(&before.prose, &prose)
                && Arc::ptr_eq(&before.answers, &answers)
                && before.all.len() == prose.len() =>
        {
            before.all.clone()
        }
        _ => Arc::new(
            prose
                .iter()
                .zip(answers.iter())
                .enumerate()
                .map(|(id, (prose_of_id, answers_of_id))| match previous {
                    Some(before)
                        if before.all.len() == prose.len()
                            && Arc::ptr_eq(&before.prose[id], prose_of_id)
                            && Arc::ptr_eq(&before.answers[id], answers_of_id) =>
                    {
                        before.all[id].clone()
                    }
                    _ if answers_of_id.is_empty() => prose_of_id.clone(),
                    _ if prose_of_id.is_empty() => answers_of_id.clone(),
                    _ => prose_of_id.iter().chain(answers_of_id.iter()).cloned().collect(),
                })
                .collect(),
        ),
    };
    Backlinks { all, prose, answers, order_key, claims_key, questions }
}

/// The backlinks of the last linking and the links each page followed then,
/// carried over to today's ids after pages came or went (`map`), so that
/// [`backlinks`] files again only what changed: the pages added, and the
/// pages whose links or answers name an added page's slug (which may be a
/// removed page's). Backlinks from removed pages are dropped on the way.
/// `None` if the home page came or went.
pub(super) fn carry_over(
    site: &Site,
    followed: &Followed<'_>,
    before: &Backlinks,
    before_reaches: &[&Arc<Vec<Reach>>],
    before_order: &[usize],
    map: &IdMap,
) -> Option<(Backlinks, Vec<Arc<Vec<Reach>>>)> {
    let home_then = before_reaches.len().checked_sub(map.new_of.len())?;
    if home_then != usize::from(site.home.is_some()) || before.prose.len() != map.new_of.len() {
        return None;
    }
    // Renumbered, and sorted in today's reading order unless the pages that
    // stayed kept their order (pages only came or went).
    let kept_order = (before_order.iter().filter_map(|&old| map.new_of[old])).map(|id| site.position[id]).is_sorted();
    let carry = |lists: &[Listing]| -> Arc<Vec<Listing>> {
        let mut now: Vec<Listing> = vec![Listing::from([]); site.pages.len()];
        let carried: Vec<(usize, Listing)> = (lists.par_iter().enumerate())
            .filter(|(_, list)| !list.is_empty())
            .filter_map(|(old, list)| {
                let list: Vec<Backlink> = list.iter().filter_map(|b| b.renumbered(map)).collect();
                Some((map.new_of[old]?, if kept_order { list.into() } else { sorted(site, list) }))
            })
            .collect();
        for (id, list) in carried {
            now[id] = list;
        }
        Arc::new(now)
    };
    let added: HashSet<&str> =
        (0..site.pages.len()).filter(|&id| map.old_of[id].is_none()).map(|id| site.pages[id].slug.as_str()).collect();
    let names_added = |reaches: &[Reach]| {
        reaches.iter().any(|r| matches!(r, Reach::Page { slug, .. } if added.contains(slug.as_str())))
    };
    let reaches = (followed.sources.iter().zip(&followed.reaches))
        .map(|(&(from, _), now)| {
            let then = match from {
                Some(id) => map.old_of[id].map(|old| before_reaches[old]),
                None => before_reaches.last().copied(),
            };
            match then {
                Some(then) if !names_added(now) => then.clone(),
                _ => Arc::new(Vec::new()),
            }
        })
        .collect();
    let answers_name_added = |page: &ParsedPage| {
        let targets = page.meta.questions.iter().flat_map(|q| &q.answers);
        targets.into_iter().any(|a| matches!(&a.target, Target::Page(slug) if added.contains(slug.as_str())))
    };
    let questions = (0..site.pages.len())
        .map(|id| match map.old_of[id] {
            Some(old) if !answers_name_added(&site.pages[id]) => before.questions[old],
            // Differs from the page's hash: its answers are filed again.
            _ => questions_hash(&site.pages[id]) ^ 1,
        })
        .collect();
    let carried = Backlinks {
        // Made again from the two parts.
        all: Arc::default(),
        prose: carry(&before.prose),
        answers: carry(&before.answers),
        order_key: site.keys().order,
        claims_key: site.keys().claims,
        questions: Arc::new(questions),
    };
    Some((carried, reaches))
}

/// The content pages that the links of page `from` reach (not itself).
fn targets<'r>(index: &'r LinkIndex, from: Option<usize>, reaches: &'r [Reach]) -> impl Iterator<Item = usize> + 'r {
    reaches.iter().filter_map(move |reach| match reach {
        Reach::Page { slug, .. } => match index.entry(slug).map(|e| e.page) {
            Some(PageRef::Content(target)) if Some(target) != from => Some(target),
            _ => None,
        },
        _ => None,
    })
}

/// `lists` sorted again, after the reading order changed (what links where
/// did not).
fn resorted(site: &Site, lists: &[Listing]) -> Arc<Vec<Listing>> {
    Arc::new(lists.iter().map(|list| if list.len() < 2 { list.clone() } else { sorted(site, list.to_vec()) }).collect())
}

/// In reading order, the home page first, as readers meet them.
fn sorted(site: &Site, mut list: Vec<Backlink>) -> Listing {
    let place = |page: Option<usize>| page.map_or(0, |id| site.position[id] + 1);
    list.sort_unstable_by_key(|b| match *b {
        Backlink::Prose(from) => (0, place(from), 0, 0),
        Backlink::Answer { page, question, answer } => (1, place(Some(page)), question, answer),
    });
    list.dedup();
    list.into()
}

fn prose_of(site: &Site, index: &LinkIndex, followed: &Followed<'_>) -> Vec<Listing> {
    let mut lists: Vec<Vec<Backlink>> = vec![Vec::new(); site.pages.len()];
    for (&(from, _), reaches) in followed.sources.iter().zip(&followed.reaches) {
        for target in targets(index, from, reaches) {
            lists[target].push(Backlink::Prose(from));
        }
    }
    lists.into_iter().map(|list| sorted(site, list)).collect()
}

/// `before` with the prose backlinks of the pages `changed` (indexes into
/// `followed`) filed again: taken off the pages they reached, put on the
/// pages they reach now.
fn refile(
    site: &Site,
    index: &LinkIndex,
    followed: &Followed<'_>,
    before_reaches: &[&Arc<Vec<Reach>>],
    before: &[Listing],
    changed: &[usize],
) -> Vec<Listing> {
    let mut lists = before.to_vec();
    let from = |n: usize| followed.sources[n].0;
    let moved: HashSet<Option<usize>> = changed.iter().map(|&n| from(n)).collect();
    let mut touched = BTreeSet::new();
    for &n in changed {
        touched.extend(targets(index, from(n), before_reaches[n]));
        touched.extend(targets(index, from(n), followed.reaches[n]));
    }
    for target in touched {
        let mut list: Vec<Backlink> = lists[target]
            .iter()
            .filter(|b| !matches!(b, Backlink::Prose(from) if moved.contains(from)))
            .cloned()
            .collect();
        for &n in changed {
            if targets(index, from(n), followed.reaches[n]).any(|t| t == target) {
                list.push(Backlink::Prose(from(n)));
            }
        }
        lists[target] = sorted(site, list);
    }
    lists
}

/// The answers of page `page_id` that lead to a page, with that page.
fn answers_from(site: &Site, page_id: usize) -> impl Iterator<Item = (usize, Backlink)> + '_ {
    site.pages[page_id].meta.questions.iter().enumerate().flat_map(move |(q, question)| {
        question.answers.iter().enumerate().filter_map(move |(a, answer)| match &answer.target {
            Target::Page(slug) => site
                .by_slug
                .get(slug)
                .map(|&target| (target, Backlink::Answer { page: page_id, question: q, answer: a })),
            Target::Question(_) => None,
        })
    })
}

fn answers_of(site: &Site) -> Vec<Listing> {
    let mut lists: Vec<Vec<Backlink>> = vec![Vec::new(); site.pages.len()];
    for page_id in 0..site.pages.len() {
        for (target, backlink) in answers_from(site, page_id) {
            lists[target].push(backlink);
        }
    }
    lists.into_iter().map(|list| sorted(site, list)).collect()
}

/// `before` with the answer backlinks of the pages `changed` (ids, sorted)
/// filed again.
fn refile_answers(site: &Site, before: &[Listing], changed: &[usize]) -> Vec<Listing> {
    let is_changed = |b: &Backlink| matches!(b, Backlink::Answer { page, .. } if changed.binary_search(page).is_ok());
    let mut touched: BTreeSet<usize> =
        before.iter().enumerate().filter(|(_, list)| list.iter().any(is_changed)).map(|(target, _)| target).collect();
    let mut added: Vec<(usize, Backlink)> = changed.iter().flat_map(|&id| answers_from(site, id)).collect();
    touched.extend(added.iter().map(|(target, _)| *target));
    added.sort_unstable();
    let mut lists = before.to_vec();
    for target in touched {
        let mut list: Vec<Backlink> = lists[target].iter().filter(|b| !is_changed(b)).cloned().collect();
        let from = added.partition_point(|(t, _)| *t < target);
        list.extend(added[from..].iter().take_while(|(t, _)| *t == target).map(|(_, b)| b.clone()));
        lists[target] = sorted(site, list);
    }
    lists
}
