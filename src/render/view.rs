//! What templates see: typed, serializable views, one per template. A field
//! a template misspells is a render error, never silently empty, and every
//! string here is escaped by Tera unless its name ends in `_html`.

use serde::Serialize;

/// Facts about the handbook every page shows.
#[derive(Debug, Clone, Serialize)]
pub struct BookView {
    /// `[book] title`.
    pub title: String,
    /// `[book] description`.
    pub description: Option<String>,
    /// `[book] language`, for `<html lang>`.
    pub language: String,
}

/// What every page template needs to place itself in the site.
#[derive(Debug, Clone, Serialize)]
pub struct Chrome<'a> {
    /// The handbook.
    pub book: &'a BookView,
    /// The prefix leading from this page to the site root (`../../`).
    pub root: String,
    /// This page's site-relative output path, for highlighting it in the
    /// navigation.
    pub path: String,
}

/// A link to a page, with what a list of pages shows about it.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// The page title.
    pub title: String,
    /// Relative URL from the page that shows the link.
    pub url: String,
    /// The page summary.
    pub summary: Option<String>,
    /// Short labels shown beside it (the contexts of a page on a level page).
    pub facets: Vec<String>,
}

/// A link to a level or context page.
#[derive(Debug, Clone, Serialize)]
pub struct TermLink {
    /// The id, for CSS hooks.
    pub id: String,
    /// The name.
    pub name: String,
    /// Relative URL of its page.
    pub url: String,
}

/// A level or context as a card: name, summary, how many pages.
#[derive(Debug, Clone, Serialize)]
pub struct TermCard {
    /// The link to its page.
    pub link: TermLink,
    /// Its summary from `book.toml`.
    pub summary: String,
    /// How many pages sit at it.
    pub count: usize,
}

/// A heading in the on-page table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// The anchor id.
    pub id: String,
    /// The heading text.
    pub text: String,
}

/// A diagnostic question on the page that defines it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    /// The anchor id (`q-<id>`).
    pub anchor: String,
    /// The question.
    pub ask: String,
    /// Help for answering.
    pub help: Option<String>,
    /// Its answers.
    pub answers: Vec<AnswerView>,
}

/// One answer and where it leads.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerView {
    /// What the reader picks.
    pub label: String,
    /// Relative URL of the page or question it leads to.
    pub url: String,
    /// The title of the page it leads to, or the next question.
    pub destination: String,
    /// Whether it leads to an outcome page rather than another question.
    pub is_outcome: bool,
}

/// A source as a link.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// "Video at 1:07:40", or the site's host name.
    pub label: String,
    /// The address.
    pub url: String,
    /// What the source says.
    pub note: Option<String>,
}

/// A related page and why.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedView {
    /// The page.
    pub link: PageLink,
    /// Why it is related, in words.
    pub reason: String,
}

/// An answer on another page that leads to this one.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerBacklink {
    /// The question, linking to it on its page.
    pub question: String,
    /// The answer that leads here.
    pub answer: String,
    /// The URL of the question (page and anchor).
    pub url: String,
    /// The title of the page holding the question.
    pub page_title: String,
}

/// One step of the breadcrumb trail.
#[derive(Debug, Clone, Serialize)]
pub struct Crumb {
    /// What it says.
    pub title: String,
    /// Where it leads.
    pub url: String,
}

/// `page.html`.
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    /// Site placement.
    pub chrome: Chrome<'a>,
    /// The title.
    pub title: String,
    /// The summary, shown under the title.
    pub summary: Option<String>,
    /// The levels the page sits at.
    pub levels: Vec<TermLink>,
    /// The contexts it applies to.
    pub contexts: Vec<TermLink>,
    /// Its tags.
    pub tags: Vec<String>,
    /// The rendered body. HTML: authors may write raw HTML in Markdown.
    pub body_html: String,
    /// Its diagnostic questions.
    pub questions: Vec<QuestionView>,
    /// Its sources.
    pub sources: Vec<SourceView>,
    /// Related pages.
    pub related: Vec<RelatedView>,
    /// Pages whose prose links here.
    pub referred_by: Vec<PageLink>,
    /// Answers on other pages that lead here: how a reader gets here.
    pub answers_lead_here: Vec<AnswerBacklink>,
    /// Where the page sits: home, its level.
    pub breadcrumbs: Vec<Crumb>,
    /// The on-page table of contents.
    pub toc: Vec<TocEntry>,
    /// The page before this one in reading order.
    pub prev: Option<PageLink>,
    /// The page after this one in reading order.
    pub next: Option<PageLink>,
}

/// A group of pages in a list.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// The group's title; empty for top-level pages.
    pub title: String,
    /// Its pages.
    pub pages: Vec<PageLink>,
}

/// `home.html`.
#[derive(Debug, Clone, Serialize)]
pub struct HomeView<'a> {
    /// Site placement.
    pub chrome: Chrome<'a>,
    /// The title.
    pub title: String,
    /// The body of `content/index.md`, rendered. HTML.
    pub intro_html: Option<String>,
    /// The levels, in order.
    pub levels: Vec<TermCard>,
    /// The contexts, in order.
    pub contexts: Vec<TermCard>,
    /// Every page, grouped by folder: shown when the playbook declares no
    /// levels, so a plain book's home still leads into it.
    pub sections: Vec<SectionView>,
    /// Decision pages, the natural place to start.
    pub decisions: Vec<PageLink>,
    /// The matrix page, if there are levels and contexts.
    pub matrix_url: Option<String>,
    /// The full list of pages.
    pub contents_url: String,
    /// The first page in reading order.
    pub next: Option<PageLink>,
}

/// `contents.html`.
#[derive(Debug, Clone, Serialize)]
pub struct ContentsView<'a> {
    /// Site placement.
    pub chrome: Chrome<'a>,
    /// Every page, grouped.
    pub sections: Vec<SectionView>,
}

/// `term.html`: the page of one level or context.
#[derive(Debug, Clone, Serialize)]
pub struct TermView<'a> {
    /// Site placement.
    pub chrome: Chrome<'a>,
    /// Home, then the list of all terms of this kind.
    pub breadcrumbs: Vec<Crumb>,
    /// "Level" or "Context".
    pub kind: &'static str,
    /// The term's name.
    pub name: String,
    /// Its summary.
    pub summary: String,
    /// Its pages, with their facets of the other kind.
    pub pages: Vec<PageLink>,
    /// Every term of the same kind, for moving between them.
    pub siblings: Vec<TermLink>,
    /// The page listing every term of this kind.
    pub index_url: String,
}

/// `terms.html`: every level, or every context.
#[derive(Debug, Clone, Serialize)]
pub struct TermsView<'a> {
    /// Site placement.
    pub chrome: Chrome<'a>,
    /// "Levels" or "Contexts".
    pub title: &'static str,
    /// What the kind means.
    pub intro: &'static str,
    /// The terms.
    pub terms: Vec<TermCard>,
}

/// One cell of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixCell {
    /// The context of the column, for narrow screens where cells stack.
    pub context: String,
    /// The pages at this level in this context.
    pub pages: Vec<PageLink>,
}

/// One row of the matrix: a level.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    /// The level.
    pub level: TermLink,
    /// One cell per context.
    pub cells: Vec<MatrixCell>,
}

/// `matrix.html`.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixView<'a> {
    /// Site placement.
    pub chrome: Chrome<'a>,
    /// The column heads.
    pub contexts: Vec<TermLink>,
    /// The rows.
    pub rows: Vec<MatrixRow>,
}

/// `404.html`.
#[derive(Debug, Clone, Serialize)]
pub struct NotFoundView<'a> {
    /// Site placement; `root` is the absolute `site-url`, because this page
    /// is served at whatever URL was missing.
    pub chrome: Chrome<'a>,
}

/// One entry of the shared navigation file.
#[derive(Debug, Clone, Serialize)]
pub struct NavPage {
    /// The title.
    pub title: String,
    /// Site-relative output path.
    pub path: String,
    /// Context ids, for the sidebar's context filter.
    pub contexts: Vec<String>,
}

/// The shared navigation file's data.
#[derive(Debug, Clone, Serialize)]
pub struct NavData {
    /// The groups of the sidebar.
    pub sections: Vec<NavSection>,
    /// The contexts a reader can filter by.
    pub contexts: Vec<NavContext>,
}

/// A context in the sidebar's filter.
#[derive(Debug, Clone, Serialize)]
pub struct NavContext {
    /// The id pages list.
    pub id: String,
    /// The name readers see.
    pub name: String,
}

/// A group of the shared navigation file.
#[derive(Debug, Clone, Serialize)]
pub struct NavSection {
    /// The group title.
    pub title: String,
    /// Its pages.
    pub pages: Vec<NavPage>,
}

/// `decision.html`: a content page with a walk through its questions.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionView<'a> {
    /// Everything a content page shows.
    #[serde(flatten)]
    pub page: PageView<'a>,
    /// The walk.
    pub walk: WalkView,
}

/// The questions of a decision page, as steps, and the tree they form.
#[derive(Debug, Clone, Serialize)]
pub struct WalkView {
    /// The anchor of the first step.
    pub start: String,
    /// One step per reachable question, start first.
    pub steps: Vec<StepView>,
    /// The whole tree, from the start question.
    pub tree: TreeNode,
    /// The walk as JSON for the page's script, with `<` escaped so it cannot
    /// close its `<script>` element. HTML-safe by construction.
    pub data_json: String,
}

/// One question of a walk.
#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    /// The anchor id (`step-<id>`).
    pub anchor: String,
    /// The question.
    pub ask: String,
    /// Help for answering.
    pub help: Option<String>,
    /// The answers.
    pub answers: Vec<StepAnswer>,
}

/// An answer in a walk: to the next step's anchor, or to an outcome page.
#[derive(Debug, Clone, Serialize)]
pub struct StepAnswer {
    /// What the reader picks.
    pub label: String,
    /// `#step-<id>` or the outcome page's URL.
    pub url: String,
    /// The outcome, when the answer ends the walk.
    pub outcome: Option<PageLink>,
}

/// A node of the drawn tree.
#[derive(Debug, Clone, Serialize)]
pub struct TreeNode {
    /// The answer that leads here (none for the root).
    pub answer: Option<String>,
    /// `question`, `outcome`, or `again` (a question drawn elsewhere).
    pub kind: &'static str,
    /// The question or the outcome's title.
    pub text: String,
    /// Its step anchor or page URL.
    pub url: String,
    /// What its answers lead to.
    pub children: Vec<TreeNode>,
}

/// The walk as the page's script reads it.
#[derive(Debug, Clone, Serialize)]
pub struct WalkData {
    /// The first question's id.
    pub start: String,
    /// Every reachable question by id.
    pub questions: std::collections::BTreeMap<String, WalkQuestion>,
}

/// A question in [`WalkData`].
#[derive(Debug, Clone, Serialize)]
pub struct WalkQuestion {
    /// The question.
    pub ask: String,
    /// Its answers.
    pub answers: Vec<WalkAnswer>,
}

/// An answer in [`WalkData`]: `next` or `outcome`.
#[derive(Debug, Clone, Serialize)]
pub struct WalkAnswer {
    /// What the reader picks.
    pub label: String,
    /// The next question's id.
    pub next: Option<String>,
    /// The outcome page.
    pub outcome: Option<PageLink>,
}
