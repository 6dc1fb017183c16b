//! What templates see: typed, serializable views, one per template. A field
//! a template misspells is a render error, never silently empty, and every
//! string here is escaped by Tera unless its name ends in `_html`.

use serde::Serialize;

use crate::history::CommitTime;
use crate::model::ContextId;

/// Facts about the handbook every page shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BookView {
    /// `[book] title`.
    pub(crate) title: String,
    /// `[book] description`.
    pub(crate) description: Option<String>,
    /// `[book] language`, for `<html lang>`.
    pub(crate) language: String,
    /// `[book] authors`, for the footer.
    pub(crate) authors: Vec<String>,
    /// `[book] footer`: a line of text for the footer.
    pub(crate) footer: Option<String>,
    /// `site-url` when it is absolute, for canonical links.
    pub(crate) site_url: Option<String>,
    /// `[build] favicon`, site-relative.
    pub(crate) favicon: Option<String>,
    /// Whether there is a matrix page (levels and contexts both declared).
    pub(crate) has_matrix: bool,
    /// Whether there are level pages.
    pub(crate) has_levels: bool,
    /// Whether there are context pages.
    pub(crate) has_contexts: bool,
    /// Whether the handbook has search (`[build] search`).
    pub(crate) has_search: bool,
}

/// What every page template needs to place itself in the site.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Chrome<'a> {
    /// The handbook.
    pub(crate) book: &'a BookView,
    /// The prefix leading from this page to the site root (`../../`).
    pub(crate) root: String,
    /// This page's site-relative output path, for highlighting it in the
    /// navigation.
    pub(crate) path: String,
    /// The page's absolute URL, when `site-url` is absolute.
    pub(crate) canonical: Option<String>,
}

/// A link to a page, with what a list of pages shows about it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageLink {
    /// The page title.
    pub(crate) title: String,
    /// Relative URL from the page that shows the link.
    pub(crate) url: String,
    /// The page summary.
    pub(crate) summary: Option<String>,
    /// Short labels shown beside it (the contexts of a page on a level page).
    pub(crate) facets: Vec<String>,
}

/// A link to a level or context page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermLink {
    /// The id, for CSS hooks.
    pub(crate) id: String,
    /// The name.
    pub(crate) name: String,
    /// Relative URL of its page.
    pub(crate) url: String,
    /// A level's glyph; `None` for a context.
    pub(crate) glyph: Option<String>,
}

/// A level or context as a card: name, summary, how many pages.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermCard {
    /// The link to its page.
    pub(crate) link: TermLink,
    /// Its summary from `book.toml`.
    pub(crate) summary: String,
    /// How many pages sit at it.
    pub(crate) count: usize,
}

/// A heading in the on-page table of contents.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TocEntry {
    /// 2 or 3.
    pub(crate) level: u8,
    /// The anchor id.
    pub(crate) id: String,
    /// The heading text.
    pub(crate) text: String,
}

/// A diagnostic question on the page that defines it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QuestionView {
    /// The anchor id (`q-<id>`).
    pub(crate) anchor: String,
    /// The question.
    pub(crate) ask: String,
    /// Help for answering.
    pub(crate) help: Option<String>,
    /// Its answers.
    pub(crate) answers: Vec<AnswerView>,
}

/// One answer and where it leads.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AnswerView {
    /// What the reader picks.
    pub(crate) label: String,
    /// Relative URL of the page or question it leads to.
    pub(crate) url: String,
    /// The title of the page it leads to, or the next question.
    pub(crate) destination: String,
    /// Whether it leads to an outcome page rather than another question.
    pub(crate) is_outcome: bool,
}

/// A source as a link.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SourceView {
    /// "Video at 1:07:40", or the site's host name.
    pub(crate) label: String,
    /// The address.
    pub(crate) url: String,
    /// What the source says.
    pub(crate) note: Option<String>,
}

/// A related page and why.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RelatedView {
    /// The page.
    pub(crate) link: PageLink,
    /// Why it is related, in words.
    pub(crate) reason: String,
}

/// An answer on another page that leads to this one.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AnswerBacklink {
    /// The question, linking to it on its page.
    pub(crate) question: String,
    /// The answer that leads here.
    pub(crate) answer: String,
    /// The URL of the question (page and anchor).
    pub(crate) url: String,
    /// The title of the page holding the question.
    pub(crate) page_title: String,
}

/// A link and its text: a step of the breadcrumb trail, a page in a
/// matrix cell.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Link {
    /// What it says.
    pub(crate) title: String,
    /// Where it leads.
    pub(crate) url: String,
}

/// `page.html`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageView<'a> {
    /// Site placement.
    pub(crate) chrome: Chrome<'a>,
    /// The title.
    pub(crate) title: String,
    /// The summary, shown under the title.
    pub(crate) summary: Option<String>,
    /// The levels the page sits at.
    pub(crate) levels: Vec<TermLink>,
    /// The contexts it applies to.
    pub(crate) contexts: Vec<TermLink>,
    /// Its tags.
    pub(crate) tags: Vec<String>,
    /// The rendered body. HTML: authors may write raw HTML in Markdown.
    pub(crate) body_html: String,
    /// Its diagnostic questions.
    pub(crate) questions: Vec<QuestionView>,
    /// Its sources.
    pub(crate) sources: Vec<SourceView>,
    /// Related pages.
    pub(crate) related: Vec<RelatedView>,
    /// Pages whose prose links here.
    pub(crate) referred_by: Vec<PageLink>,
    /// Answers on other pages that lead here: how a reader gets here.
    pub(crate) answers_lead_here: Vec<AnswerBacklink>,
    /// What to read next: the related pages, then pages that link here,
    /// each once, at most [`READ_NEXT`](super::page::READ_NEXT).
    pub(crate) read_next: Vec<RelatedView>,
    /// The other pages that link here, beyond `read_next`.
    pub(crate) also_linked_from: Vec<PageLink>,
    /// Where the page sits: home, its level.
    pub(crate) breadcrumbs: Vec<Link>,
    /// The on-page table of contents.
    pub(crate) toc: Vec<TocEntry>,
    /// The page before this one in reading order.
    pub(crate) prev: Option<PageLink>,
    /// The page after this one in reading order.
    pub(crate) next: Option<PageLink>,
    /// Where to edit the page's source (`[build] edit-url-template`).
    pub(crate) edit_url: Option<String>,
    /// When the page last changed (its `lastmod`, else its last commit),
    /// if known.
    pub(crate) last_updated: Option<DateView>,
    /// When it was first published (its `date`), if it says.
    pub(crate) published: Option<DateView>,
    /// Whether it is a draft (only `serve` and `build --drafts` show it).
    pub(crate) draft: bool,
    /// Frontmatter keys playbook does not read, kept under the lenient
    /// policy: `{{ extra.<key> }}`.
    pub(crate) extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
}

/// A group of pages in a list.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SectionView {
    /// The group's title; empty for top-level pages.
    pub(crate) title: String,
    /// How many pages it has.
    pub(crate) count: usize,
    /// Its pages, each rendered with `card.html`, one per line. HTML.
    pub(crate) cards_html: String,
}

/// `card.html`: one page as a list shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CardView {
    /// Which list: `home`, `contents`, `level`, `context` or `matrix`.
    pub(crate) list: &'static str,
    /// The page; `facets` are its contexts on a level's page and its
    /// levels on a context's.
    pub(crate) page: PageLink,
    /// The page's levels, with their glyphs (none on a level's page or in
    /// the matrix).
    pub(crate) levels: Vec<TermLink>,
}

/// `home.html`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HomeView<'a> {
    /// Site placement.
    pub(crate) chrome: Chrome<'a>,
    /// The title.
    pub(crate) title: String,
    /// The body of `content/index.md`, rendered. HTML.
    pub(crate) intro_html: Option<String>,
    /// The levels, in order.
    pub(crate) levels: Vec<TermCard>,
    /// The contexts, in order.
    pub(crate) contexts: Vec<TermCard>,
    /// Every page, grouped by folder: shown when the playbook declares no
    /// levels, so a plain book's home still leads into it.
    pub(crate) sections: Vec<SectionView>,
    /// Decision pages, the natural place to start.
    pub(crate) decisions: Vec<PageLink>,
    /// The matrix page, if there are levels and contexts.
    pub(crate) matrix_url: Option<String>,
    /// The full list of pages.
    pub(crate) contents_url: String,
    /// The first page in reading order.
    pub(crate) next: Option<PageLink>,
    /// The first question of the first decision walk, asked inline.
    pub(crate) walk: Option<HomeWalk>,
    /// Where to edit `content/index.md` (`[build] edit-url-template`).
    pub(crate) edit_url: Option<String>,
    /// When `content/index.md` last changed, if known.
    pub(crate) last_updated: Option<DateView>,
}

/// A calendar date, written twice: for `<time datetime>` and for readers.
/// Fixed when the page is built (never "3 days ago"), so output stays
/// deterministic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct DateView {
    /// ISO 8601: `2026-12-06`.
    pub(crate) iso: String,
    /// `6 December 2026`.
    pub(crate) human: String,
}

impl DateView {
    /// The UTC date of `time`.
    pub(crate) fn of(time: CommitTime) -> Self {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let (year, month, day) = time.utc_date();
        DateView {
            iso: format!("{year:04}-{month:02}-{day:02}"),
            human: format!("{day} {} {year}", MONTHS[usize::from(month.clamp(1, 12) - 1)]),
        }
    }
}

/// The first question of a decision walk on the home page: each answer
/// opens the decision page with that answer taken.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HomeWalk {
    /// The decision page.
    pub(crate) page: PageLink,
    /// The question.
    pub(crate) ask: String,
    /// Help for answering.
    pub(crate) help: Option<String>,
    /// Each answer, linking to the walk at the next step (`#walk=<i>`).
    pub(crate) answers: Vec<Link>,
}

/// `contents.html`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ContentsView<'a> {
    /// Site placement.
    pub(crate) chrome: Chrome<'a>,
    /// Every page, grouped.
    pub(crate) sections: Vec<SectionView>,
}

/// `folder.html`: the pages of a folder that has no page of its own.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FolderView<'a> {
    /// Site placement.
    pub(crate) chrome: Chrome<'a>,
    /// The folder's name.
    pub(crate) title: &'a str,
    /// Its pages, as one group.
    pub(crate) sections: Vec<SectionView>,
}

/// `term.html`: the page of one level or context.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermView<'a> {
    /// Site placement.
    pub(crate) chrome: Chrome<'a>,
    /// Home, then the list of all terms of this kind.
    pub(crate) breadcrumbs: Vec<Link>,
    /// "Level" or "Context".
    pub(crate) kind: &'static str,
    /// The term's id, for the `lv-<id>` colour class.
    pub(crate) id: String,
    /// The term's name.
    pub(crate) name: String,
    /// A level's glyph; `None` for a context.
    pub(crate) glyph: Option<String>,
    /// Its summary.
    pub(crate) summary: String,
    /// How many pages sit here.
    pub(crate) count: usize,
    /// Its pages, each rendered with `card.html` (with their facets of the
    /// other kind), one per line. HTML.
    pub(crate) cards_html: String,
    /// Every term of the same kind, for moving between them.
    pub(crate) siblings: Vec<TermLink>,
    /// The page listing every term of this kind.
    pub(crate) index_url: String,
}

/// `terms.html`: every level, or every context.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermsView<'a> {
    /// Site placement.
    pub(crate) chrome: Chrome<'a>,
    /// "Levels" or "Contexts".
    pub(crate) title: &'static str,
    /// What the kind means.
    pub(crate) intro: &'static str,
    /// The terms.
    pub(crate) terms: Vec<TermCard>,
}

/// One cell of the matrix.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MatrixCell {
    /// The context of the column, for narrow screens where cells stack.
    pub(crate) context: String,
    /// The id of the cell's list of pages below the table.
    pub(crate) anchor: String,
    /// How many pages sit at this level in this context.
    pub(crate) count: usize,
    /// How dark the cell is shaded, 0 (empty) to 4 (the fullest cell).
    pub(crate) shade: usize,
    /// Those pages, each rendered with `card.html`, one per line. HTML.
    pub(crate) cards_html: String,
}

/// One row of the matrix: a level.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MatrixRow {
    /// The level.
    pub(crate) level: TermLink,
    /// One cell per context.
    pub(crate) cells: Vec<MatrixCell>,
}

/// `matrix.html`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MatrixView<'a> {
    /// Site placement.
    pub(crate) chrome: Chrome<'a>,
    /// The column heads.
    pub(crate) contexts: Vec<TermLink>,
    /// The rows.
    pub(crate) rows: Vec<MatrixRow>,
}

/// `404.html`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NotFoundView<'a> {
    /// Site placement; `root` is the absolute `site-url`, because this page
    /// is served at whatever URL was missing.
    pub(crate) chrome: Chrome<'a>,
}

/// The search results page: search.js fills it in.
#[derive(Serialize)]
pub(crate) struct SearchView<'a> {
    /// Site placement.
    pub(crate) chrome: Chrome<'a>,
}

/// One entry of the shared navigation file.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NavPage<'a> {
    /// The title.
    pub(crate) title: &'a str,
    /// Site-relative output path; `None` for a draft chapter, shown but
    /// not linked.
    pub(crate) path: Option<String>,
    /// Context ids, for the sidebar's context filter.
    pub(crate) contexts: &'a [ContextId],
    /// How deep it is nested under the chapters above it (SUMMARY.md).
    #[serde(skip_serializing_if = "is_zero")]
    pub(crate) depth: u8,
}

fn is_zero(depth: &u8) -> bool {
    *depth == 0
}

/// The shared navigation file's data.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NavData<'a> {
    /// The groups of the sidebar.
    pub(crate) sections: Vec<NavSection<'a>>,
    /// The contexts a reader can filter by.
    pub(crate) contexts: Vec<NavContext<'a>>,
}

/// The level of a group of the navigation.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NavLevel<'a> {
    /// Its id, for the `lv-<id>` colour class.
    pub(crate) id: &'a str,
    /// Its glyph.
    pub(crate) glyph: &'a str,
    /// Site-relative path of its page.
    pub(crate) path: String,
}

/// A context in the sidebar's filter.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NavContext<'a> {
    /// The id pages list.
    pub(crate) id: &'a str,
    /// The name readers see.
    pub(crate) name: &'a str,
}

/// A group of the shared navigation file.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NavSection<'a> {
    /// The group title.
    pub(crate) title: &'a str,
    /// The level the group holds: its id, glyph and page, so the heading
    /// links there.
    pub(crate) level: Option<NavLevel<'a>>,
    /// Its pages.
    pub(crate) pages: Vec<NavPage<'a>>,
}

/// `decision.html`: a content page with a walk through its questions.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DecisionView<'a> {
    /// Everything a content page shows.
    #[serde(flatten)]
    pub(crate) page: PageView<'a>,
    /// The walk.
    pub(crate) walk: WalkView,
}

/// The questions of a decision page, as steps, and the tree they form.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WalkView {
    /// The anchor of the first step.
    pub(crate) start: String,
    /// One step per reachable question, start first.
    pub(crate) steps: Vec<StepView>,
    /// The whole tree, from the start question.
    pub(crate) tree: TreeNode,
    /// The walk as JSON for the page's script, with `<` escaped so it cannot
    /// close its `<script>` element. HTML-safe by construction.
    pub(crate) data_json: String,
}

/// One question of a walk.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StepView {
    /// The anchor id (`step-<id>`).
    pub(crate) anchor: String,
    /// The question.
    pub(crate) ask: String,
    /// Help for answering.
    pub(crate) help: Option<String>,
    /// The answers.
    pub(crate) answers: Vec<StepAnswer>,
}

/// An answer in a walk: to the next step's anchor, or to an outcome page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StepAnswer {
    /// What the reader picks.
    pub(crate) label: String,
    /// `#step-<id>` or the outcome page's URL.
    pub(crate) url: String,
    /// The outcome, when the answer ends the walk.
    pub(crate) outcome: Option<PageLink>,
}

/// A node of the drawn tree.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TreeNode {
    /// The answer that leads here (none for the root).
    pub(crate) answer: Option<String>,
    /// What the node is.
    pub(crate) kind: NodeKind,
    /// The question or the outcome's title.
    pub(crate) text: String,
    /// Its step anchor or page URL.
    pub(crate) url: String,
    /// What its answers lead to.
    pub(crate) children: Vec<TreeNode>,
}

/// What a node of the drawn tree is; templates see `question`, `outcome`
/// or `again`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum NodeKind {
    /// A question, with its answers below it.
    Question,
    /// An outcome page.
    Outcome,
    /// A question drawn elsewhere in the tree.
    Again,
}

/// The walk as the page's script reads it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WalkData {
    /// The first question's id.
    pub(crate) start: String,
    /// Every reachable question by id.
    pub(crate) questions: std::collections::BTreeMap<String, WalkQuestion>,
}

/// A question in [`WalkData`].
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WalkQuestion {
    /// The question.
    pub(crate) ask: String,
    /// Its answers.
    pub(crate) answers: Vec<WalkAnswer>,
}

/// An answer in [`WalkData`]: `next` or `outcome`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WalkAnswer {
    /// What the reader picks.
    pub(crate) label: String,
    /// The next question's id.
    pub(crate) next: Option<String>,
    /// The outcome page.
    pub(crate) outcome: Option<OutcomeView>,
}

/// Where a walk ends, as its outcome card shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct OutcomeView {
    /// The page: title, URL, summary.
    #[serde(flatten)]
    pub(crate) link: PageLink,
    /// Its levels, with their glyphs.
    pub(crate) levels: Vec<TermLink>,
    /// The first steps the page gives (its `## First steps` section).
    pub(crate) first_steps: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_12_dates_read_the_same_for_machines_and_people() {
        let date = DateView::of(CommitTime(1_796_599_800));
        assert_eq!((date.iso.as_str(), date.human.as_str()), ("2026-12-06", "6 December 2026"));
        let date = DateView::of(CommitTime(0));
        assert_eq!((date.iso.as_str(), date.human.as_str()), ("1970-01-01", "1 January 1970"));
    }
}

/// `print.html`: the whole handbook as one document.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PrintView<'a> {
    /// Site placement.
    pub(crate) chrome: Chrome<'a>,
    /// The home page's text, first. HTML.
    pub(crate) intro_html: Option<String>,
    /// Every page, in reading order.
    pub(crate) pages: Vec<PrintPageView>,
    /// Set instead of `pages` when the book has more pages than one document
    /// holds: how many it has, and the most it may have.
    pub(crate) too_many: Option<(usize, usize)>,
}

/// One page in `print.html`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PrintPageView {
    /// The id of its section.
    pub(crate) anchor: String,
    /// Its title.
    pub(crate) title: String,
    /// Its summary.
    pub(crate) summary: Option<String>,
    /// Its levels.
    pub(crate) levels: Vec<TermLink>,
    /// Its body. HTML.
    pub(crate) body_html: String,
}
