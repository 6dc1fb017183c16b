//! What each output is made from, gathered from the analysed site.
//!
//! Every output file has a facts struct: the page it shows, the links it
//! resolved, the pages it lists or links to (as [`Card`]s), and so on. Its
//! renderer reads nothing else (besides the [`RenderEnv`](super::RenderEnv),
//! whose hash covers the theme and `book.toml`), and the engine hashes the
//! same struct into the output's fingerprint. So an output is rendered again
//! exactly when something it shows changed: incremental by construction,
//! with no list of dependencies kept by hand (issue 10).

use std::cell::RefCell;
use std::hash::{Hash, Hasher};

use crate::analysis::Analysis;
use crate::history::{CommitTime, last_updated};
use crate::link::Backlink;
use crate::markdown::Resolved;
use crate::meta::Question;
use crate::model::{QuestionId, Target};
use crate::page::ParsedPage;
use crate::site::{Entry, RelatedReason, Site};

/// A page as others show it (title, path, summary, levels, contexts), and
/// its id: hashed by exactly that, and recorded as shown (see [`shown_by`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Card<'a>(pub(crate) &'a ParsedPage, pub(crate) usize);

impl<'a> Card<'a> {
    /// Page `id`'s card.
    pub(crate) fn of(site: &'a Site, id: usize) -> Self {
        Card(&site.pages[id], id)
    }
}

impl Hash for Card<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        record_shown(self.1);
        self.0.card_hash.hash(state);
    }
}

/// A page as a bare link shows it (title and path), and its id: hashed by
/// exactly that, and recorded as shown.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Titled<'a>(pub(crate) &'a ParsedPage, pub(crate) usize);

impl Hash for Titled<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        record_shown(self.1);
        self.0.link_hash.hash(state);
    }
}

/// The id of a page whose questions an output shows (a step of a walk, an
/// answer that leads here): hashed as nothing (the facts hash the question
/// itself), recorded as shown, so that editing those questions re-renders
/// the output.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AskedOn(pub(crate) usize);

impl Hash for AskedOn {
    fn hash<H: Hasher>(&self, _: &mut H) {
        record_shown(self.0);
    }
}

thread_local! {
    /// The ids of the pages whose card, title or questions the fingerprint being
    /// computed on this thread has hashed so far.
    static SHOWN: RefCell<Option<Vec<u32>>> = const { RefCell::new(None) };
}

fn record_shown(id: usize) {
    SHOWN.with(|shown| {
        if let Some(ids) = shown.borrow_mut().as_mut() {
            ids.push(u32::try_from(id).unwrap_or(u32::MAX));
        }
    });
}

/// Runs `fingerprint` and returns its result with the ids (sorted) of
/// every page whose card or title it hashed: what the output shows of other
/// pages. Recorded while hashing, so the list cannot drift from what the
/// fingerprint covers; it is what lets an edit of one page's summary
/// re-render only the outputs that show that summary.
pub(crate) fn shown_by<T>(fingerprint: impl FnOnce() -> T) -> (T, Box<[u32]>) {
    SHOWN.with(|shown| *shown.borrow_mut() = Some(Vec::new()));
    let result = fingerprint();
    let mut ids = SHOWN.with(|shown| shown.borrow_mut().take()).unwrap_or_default();
    ids.sort_unstable();
    ids.dedup();
    (result, ids.into_boxed_slice())
}

/// A page as it shows itself: hashed by everything it was parsed from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Content<'a>(pub(crate) &'a ParsedPage);

impl Hash for Content<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.content_hash.hash(state);
    }
}

/// Everything a content page shows.
#[derive(Hash)]
pub(crate) struct PageFacts<'a> {
    /// The page itself.
    pub(crate) page: Content<'a>,
    /// Its links, resolved.
    pub(crate) links: LinksOf<'a>,
    /// The page before it in reading order (`None`: the home page).
    pub(crate) prev: Option<Card<'a>>,
    /// The page after it.
    pub(crate) next: Option<Card<'a>>,
    /// Pages worth reading next, and why.
    pub(crate) related: Vec<(Card<'a>, &'a RelatedReason)>,
    /// Pages whose prose links here (`None`: the home page).
    pub(crate) referred_by: Vec<Option<Card<'a>>>,
    /// Answers that lead here.
    pub(crate) led_here: Vec<LedHere<'a>>,
    /// Where each answer of each of its questions leads.
    pub(crate) answers: Vec<Vec<AnswerFact<'a>>>,
    /// The walk, on a decision page.
    pub(crate) walk: Option<WalkFacts<'a>>,
    /// When it last changed.
    pub(crate) last_updated: Option<CommitTime>,
}

/// An answer on some page that leads to this one.
#[derive(Hash)]
pub(crate) struct LedHere<'a> {
    /// The question.
    pub(crate) ask: &'a str,
    /// The answer.
    pub(crate) label: &'a str,
    /// The page to send the reader to: the decision page whose walk asks the
    /// question, or the page that holds it.
    pub(crate) place: Card<'a>,
    /// The anchor there.
    pub(crate) anchor: Anchor<'a>,
    /// The page that holds the question.
    pub(crate) asked_on: AskedOn,
}

/// Where on a page a question is.
#[derive(Hash)]
pub(crate) enum Anchor<'a> {
    /// Its step in a decision walk (`step-<id>`).
    Step(&'a QuestionId),
    /// Its block on the page that holds it (`q-<id>`).
    Question(&'a QuestionId),
}

impl std::fmt::Display for Anchor<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Anchor::Step(id) => f.write_str(&super::step_anchor(id.as_str())),
            Anchor::Question(id) => f.write_str(&super::question_anchor(id.as_str())),
        }
    }
}

/// A page's links as resolved, hashed by the key they were resolved with
/// rather than by every string in them.
#[derive(Clone, Copy)]
pub(crate) struct LinksOf<'a> {
    /// The links, in the order render meets them.
    pub(crate) resolved: &'a [Resolved],
    /// A hash of them (see `Links::of_page`).
    pub(crate) key: u64,
}

impl Hash for LinksOf<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

/// Where an answer leads.
#[derive(Hash)]
pub(crate) enum AnswerFact<'a> {
    /// An outcome page.
    Outcome(Card<'a>),
    /// Another question, on the page that holds it.
    Question {
        /// The question asked.
        ask: &'a str,
        /// Its page.
        holder: Card<'a>,
        /// Its id.
        id: &'a QuestionId,
    },
    /// Nothing (the question graph check reports it).
    Missing,
}

/// The walk of a decision page.
#[derive(Hash)]
pub(crate) struct WalkFacts<'a> {
    /// The first question.
    pub(crate) start: &'a QuestionId,
    /// Every reachable question, start first.
    pub(crate) steps: Vec<StepFacts<'a>>,
}

/// One question of a walk.
#[derive(Hash)]
pub(crate) struct StepFacts<'a> {
    /// Its id.
    pub(crate) id: &'a QuestionId,
    /// The question.
    pub(crate) ask: &'a str,
    /// Help for answering.
    pub(crate) help: Option<&'a str>,
    /// Each answer's label and where it leads.
    pub(crate) answers: Vec<(&'a str, WalkTarget<'a>)>,
    /// The page that holds the question.
    pub(crate) asked_on: AskedOn,
}

/// Where an answer of a walk leads.
#[derive(Hash)]
pub(crate) enum WalkTarget<'a> {
    /// The next question.
    Next(&'a QuestionId),
    /// An outcome page (`None`: missing, reported by the graph check).
    Outcome(Option<Card<'a>>),
}

/// A group of pages in a list: its title and pages (as cards, or as the
/// navigation shows them).
#[derive(Hash)]
pub(crate) struct SectionFacts<'a, P = Card<'a>> {
    /// The group's title.
    pub(crate) title: &'a str,
    /// The level it holds, as an index into `book.toml`'s levels.
    pub(crate) level: Option<usize>,
    /// Its pages, in reading order.
    pub(crate) pages: Vec<P>,
}

/// A page as the navigation shows it (title, path, contexts for the
/// sidebar's filter), and its id: hashed by exactly that, and recorded as
/// shown.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NavEntry<'a>(pub(crate) &'a ParsedPage, pub(crate) usize);

impl Hash for NavEntry<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        record_shown(self.1);
        self.0.nav_hash.hash(state);
    }
}

/// The home page.
#[derive(Hash)]
pub(crate) struct HomeFacts<'a> {
    /// `content/index.md`, if there is one.
    pub(crate) home: Option<Content<'a>>,
    /// Its links, resolved.
    pub(crate) links: LinksOf<'a>,
    /// The decision pages.
    pub(crate) decisions: Vec<Card<'a>>,
    /// How many pages sit at each level, and apply to each context.
    pub(crate) counts: (Vec<usize>, Vec<usize>),
    /// Every page grouped, when there are no levels to lead in by.
    pub(crate) sections: Vec<SectionFacts<'a>>,
    /// The first page in reading order.
    pub(crate) first: Option<Card<'a>>,
    /// The first decision page and the first question of its walk, which
    /// the home page asks inline.
    pub(crate) first_walk: Option<(Card<'a>, StepFacts<'a>)>,
    /// When `content/index.md` last changed.
    pub(crate) last_updated: Option<CommitTime>,
}

/// A level's or context's page.
#[derive(Hash)]
pub(crate) struct TermFacts<'a> {
    /// Its pages, in reading order.
    pub(crate) pages: Vec<Card<'a>>,
}

impl<'a> PageFacts<'a> {
    /// Gathers what page `index` of the site shows.
    pub(crate) fn gather(analysis: &'a Analysis, index: usize) -> Self {
        let site = &analysis.site;
        let page = &*site.pages[index];
        let card = |i: usize| Card::of(site, i);
        let backlinks = &analysis.links.backlinks[index];
        let mut referred_by = Vec::with_capacity(backlinks.len());
        let mut led_here = Vec::new();
        for backlink in backlinks.iter() {
            match *backlink {
                Backlink::Prose(from) => referred_by.push(from.map(card)),
                Backlink::Answer { page, question, answer } => {
                    let q = &site.pages[page].meta.questions[question];
                    // Into the decision walk that asks it, if one does: the
                    // reader lands on that step, with the path to it filled in.
                    let (place, anchor) = match analysis.decisions.walk_of.get(&q.id) {
                        Some(&decision) => (card(decision), Anchor::Step(&q.id)),
                        None => (card(page), Anchor::Question(&q.id)),
                    };
                    led_here.push(LedHere {
                        ask: &q.ask,
                        label: &q.answers[answer].label,
                        place,
                        anchor,
                        asked_on: AskedOn(page),
                    });
                }
            }
        }
        PageFacts {
            page: Content(page),
            links: analysis.links.of_page(index),
            prev: site.position[index].checked_sub(1).map(|place| card(site.reading[place])),
            next: site.reading.get(site.position[index] + 1).map(|&id| card(id)),
            related: site.related[index].iter().map(|r| (card(r.page), &r.reason)).collect(),
            referred_by,
            led_here,
            answers: page.meta.questions.iter().map(|q| answer_facts(analysis, q)).collect(),
            walk: analysis.decisions.walks.get(&index).map(|walk| WalkFacts {
                start: &walk.start,
                steps: walk.questions.iter().map(|id| step_facts(analysis, id)).collect(),
            }),
            last_updated: last_updated(page, &analysis.dates),
        }
    }
}

fn answer_facts<'a>(analysis: &'a Analysis, question: &'a Question) -> Vec<AnswerFact<'a>> {
    let site = &analysis.site;
    question
        .answers
        .iter()
        .map(|answer| match &answer.target {
            Target::Page(slug) => {
                site.by_slug.get(slug).map_or(AnswerFact::Missing, |&i| AnswerFact::Outcome(Card::of(site, i)))
            }
            Target::Question(id) => match site.questions.get(id) {
                Some(at) => {
                    let holder = &*site.pages[at.page];
                    AnswerFact::Question {
                        ask: &holder.meta.questions[at.index].ask,
                        holder: Card(holder, at.page),
                        id,
                    }
                }
                None => AnswerFact::Missing,
            },
        })
        .collect()
}

fn step_facts<'a>(analysis: &'a Analysis, id: &'a QuestionId) -> StepFacts<'a> {
    let site = &analysis.site;
    let at = site.questions[id];
    let q = &site.pages[at.page].meta.questions[at.index];
    let answers = q
        .answers
        .iter()
        .map(|a| {
            let target = match &a.target {
                Target::Question(next) => WalkTarget::Next(next),
                Target::Page(slug) => WalkTarget::Outcome(site.by_slug.get(slug).map(|&i| Card::of(site, i))),
            };
            (a.label.as_str(), target)
        })
        .collect();
    StepFacts { id, ask: &q.ask, help: q.help.as_deref(), answers, asked_on: AskedOn(at.page) }
}

/// The groups of the contents page.
pub(crate) fn sections(analysis: &Analysis) -> Vec<SectionFacts<'_>> {
    let site = &analysis.site;
    site.sections
        .iter()
        .map(|s| SectionFacts {
            title: &s.title,
            level: s.level,
            pages: s.pages().map(|i| Card::of(site, i)).collect(),
        })
        .collect()
}

/// The pages of generated folder page `i`, as one untitled group.
pub(crate) fn folder(analysis: &Analysis, i: usize) -> SectionFacts<'_> {
    let site = &analysis.site;
    let folder = &site.folders[i];
    SectionFacts {
        title: &folder.title,
        level: None,
        pages: folder.pages.iter().map(|&id| Card::of(site, id)).collect(),
    }
}

/// A line of the navigation: a page, or a draft chapter of SUMMARY.md.
#[derive(Debug, Clone, Copy, Hash)]
pub(crate) enum NavItem<'a> {
    /// A page, under SUMMARY.md's title for it if it gives one.
    Page { page: NavEntry<'a>, depth: u8, label: Option<&'a str> },
    /// A chapter without a page.
    Draft { title: &'a str, depth: u8 },
}

/// The groups of the navigation.
pub(crate) fn nav_sections(analysis: &Analysis) -> Vec<SectionFacts<'_, NavItem<'_>>> {
    let site = &analysis.site;
    site.sections
        .iter()
        .map(|s| SectionFacts {
            title: &s.title,
            level: s.level,
            pages: (s.entries.iter())
                .map(|entry| match entry {
                    Entry::Page { id, depth, label } => {
                        NavItem::Page { page: NavEntry(&site.pages[*id], *id), depth: *depth, label: label.as_deref() }
                    }
                    Entry::Draft { title, depth } => NavItem::Draft { title, depth: *depth },
                })
                .collect(),
        })
        .collect()
}

impl<'a> HomeFacts<'a> {
    /// Gathers what the home page shows.
    pub(crate) fn gather(analysis: &'a Analysis) -> Self {
        let site = &analysis.site;
        HomeFacts {
            home: site.home.as_deref().map(Content),
            links: analysis.links.of_home(),
            decisions: (site.reading.iter())
                .filter(|&&id| site.pages[id].meta.decision.is_some())
                .map(|&id| Card::of(site, id))
                .collect(),
            counts: (
                site.levels.iter().map(|t| t.pages.len()).collect(),
                site.contexts.iter().map(|t| t.pages.len()).collect(),
            ),
            sections: if site.levels.is_empty() { sections(analysis) } else { Vec::new() },
            first: site.reading.first().map(|&id| Card::of(site, id)),
            first_walk: (site.reading.iter()).find_map(|&id| {
                let walk = analysis.decisions.walks.get(&id)?;
                Some((Card::of(site, id), step_facts(analysis, &walk.start)))
            }),
            last_updated: site.home.as_deref().and_then(|home| last_updated(home, &analysis.dates)),
        }
    }
}

/// The pages of level or context `index` (`kind` picks which).
pub(crate) fn term_facts(analysis: &Analysis, kind: super::Kind, index: usize) -> TermFacts<'_> {
    let site = &analysis.site;
    let pages = match kind {
        super::Kind::Level => &site.levels[index].pages,
        super::Kind::Context => &site.contexts[index].pages,
    };
    TermFacts { pages: pages.iter().map(|&i| Card::of(site, i)).collect() }
}

/// The matrix: the pages of each level in each context, as titled links.
pub(crate) fn matrix_facts(analysis: &Analysis) -> Vec<Vec<Vec<Titled<'_>>>> {
    let site = &analysis.site;
    site.matrix
        .iter()
        .map(|row| row.iter().map(|cell| cell.iter().map(|&i| Titled(&site.pages[i], i)).collect()).collect())
        .collect()
}

/// What `print.html` shows: every page, in reading order, with its text and
/// links; or, past [`PRINT_MAX_PAGES`], only how many there are.
#[derive(Hash)]
pub(crate) enum PrintFacts<'a> {
    /// The home page's text (`content/index.md`), then the pages.
    Pages(Option<(Content<'a>, LinksOf<'a>)>, Vec<PrintPage<'a>>),
    /// Too many pages for one document.
    TooMany(usize),
}

/// One page in `print.html`.
#[derive(Hash)]
pub(crate) struct PrintPage<'a> {
    /// Its title, summary and levels.
    pub(crate) card: Card<'a>,
    /// Its text.
    pub(crate) page: Content<'a>,
    /// Its links, resolved.
    pub(crate) links: LinksOf<'a>,
}

/// Above this many pages, `print.html` does not hold the book: nobody
/// prints a document that long, and it would cost a build and `serve` the
/// size of the whole site again.
pub(crate) const PRINT_MAX_PAGES: usize = 1_000;

/// The pages of `print.html`.
pub(crate) fn print_facts(analysis: &Analysis) -> PrintFacts<'_> {
    let site = &analysis.site;
    if site.reading.len() > PRINT_MAX_PAGES {
        return PrintFacts::TooMany(site.reading.len());
    }
    let pages = (site.reading.iter())
        .map(|&id| PrintPage {
            card: Card::of(site, id),
            page: Content(&site.pages[id]),
            links: analysis.links.of_page(id),
        })
        .collect();
    let intro = site.home.as_deref().map(|home| (Content(home), analysis.links.of_home()));
    PrintFacts::Pages(intro, pages)
}
