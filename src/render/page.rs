//! The view of a content page: its body, and what the content model adds
//! around it (levels, contexts, diagnostic questions, sources, related pages,
//! previous and next), built from the page's [`PageFacts`] alone.

use super::facts::{AnswerFact, Card, PageFacts};
use super::search::with_text;
use super::theme::Template;
use super::view::{
    AnswerBacklink, AnswerView, DateView, Link, PageLink, PageView, QuestionView, RelatedView, SourceView, TermLink,
    TocEntry,
};
use super::{OutputFile, Renderer, question_anchor};
use crate::citation::{Citation, format_timestamp};
use crate::diag::Diagnostic;
use crate::meta::PageMeta;
use crate::page::ParsedPage;
use crate::site::{RelatedReason, home_level, paths, shared_terms};
use crate::slug::relative_url;

impl Renderer<'_> {
    /// A content or decision page, and its text for search.
    pub(super) fn content_page(&self, facts: &PageFacts<'_>) -> Result<Vec<OutputFile>, Diagnostic> {
        let page = facts.page.0;
        let path = page.slug.output_path();
        let meta = &page.meta;
        let playbook = &self.env.config.playbook;
        let levels = self.level_links(&path, page);
        let contexts = playbook
            .contexts
            .iter()
            .filter(|t| meta.contexts.contains(&t.id))
            .map(|t| self.term_link(&path, paths::CONTEXTS, t))
            .collect();
        let toc = page
            .outline
            .headings
            .iter()
            .filter(|h| matches!(h.level, 2 | 3))
            .map(|h| TocEntry { level: h.level, id: h.id.clone(), text: h.text.clone() })
            .collect();
        let (body_html, text) = self.body_and_text(page, facts.links.resolved, &path)?;
        let related: Vec<RelatedView> = facts
            .related
            .iter()
            .map(|(card, reason)| RelatedView {
                link: self.link(&path, card.0, Vec::new()),
                reason: self.reason(reason, &page.meta, &card.0.meta),
            })
            .collect();
        let referred_by: Vec<PageLink> = facts.referred_by.iter().map(|from| self.card_or_home(&path, *from)).collect();
        let (read_next, also_linked_from) = read_next(&related, &referred_by);
        let view = PageView {
            chrome: self.chrome(&path),
            title: page.title.clone(),
            summary: page.summary.clone(),
            levels,
            contexts,
            tags: meta.tags.clone(),
            body_html,
            questions: self.questions(facts, &path),
            sources: meta.citations.iter().map(source_view).collect(),
            related,
            referred_by,
            read_next,
            also_linked_from,
            answers_lead_here: facts
                .led_here
                .iter()
                .map(|led| AnswerBacklink {
                    question: led.ask.to_string(),
                    answer: led.label.to_string(),
                    url: format!("{}#{}", relative_url(&path, &led.place.0.slug.output_path()), led.anchor),
                    page_title: led.place.0.title.clone(),
                })
                .collect(),
            breadcrumbs: self.breadcrumbs(facts, &path),
            toc,
            prev: Some(self.card_or_home(&path, facts.prev)),
            next: facts.next.map(|card| self.link(&path, card.0, Vec::new())),
            edit_url: self.edit_url(page),
            last_updated: facts.last_updated.map(DateView::of),
            published: page.meta.published.map(DateView::of),
            draft: page.meta.draft,
            extra: &page.extra,
        };
        let display = &page.source.display_path;
        let file = match &facts.walk {
            Some(walk) => {
                let view = self.decision_view(view, walk, &path);
                self.render_template(Template::Decision, &path, display, &view)?
            }
            None => self.render_template(Template::Page, &path, display, &view)?,
        };
        Ok(with_text(file, text))
    }

    /// Links to the levels `page` sits at, in `book.toml`'s order.
    pub(super) fn level_links(&self, from: &str, page: &ParsedPage) -> Vec<TermLink> {
        (self.env.config.playbook.levels.iter())
            .filter(|t| page.meta.levels.contains(&t.id))
            .map(|t| self.term_link(from, paths::LEVELS, t))
            .collect()
    }

    /// A link to a page, or to the home page for `None`.
    fn card_or_home(&self, from: &str, card: Option<Card<'_>>) -> PageLink {
        match card {
            Some(card) => self.link(from, card.0, Vec::new()),
            None => self.home_link(from),
        }
    }

    /// Home, then the level the page sits under in the navigation.
    fn breadcrumbs(&self, facts: &PageFacts<'_>, path: &str) -> Vec<Link> {
        let mut crumbs = vec![Link { title: self.env.config.book.title.clone(), url: relative_url(path, paths::HOME) }];
        let levels = &self.env.config.playbook.levels;
        if let Some(level) = home_level(facts.page.0, self.env.config).map(|i| &levels[i]) {
            crumbs.push(Link {
                title: level.name.clone(),
                url: relative_url(path, &paths::term_page(paths::LEVELS, level.id.as_str())),
            });
        }
        crumbs
    }

    fn questions(&self, facts: &PageFacts<'_>, path: &str) -> Vec<QuestionView> {
        facts
            .page
            .0
            .meta
            .questions
            .iter()
            .zip(&facts.answers)
            .map(|(q, answers)| QuestionView {
                anchor: question_anchor(q.id.as_str()),
                ask: q.ask.clone(),
                help: q.help.clone(),
                answers: q.answers.iter().zip(answers).filter_map(|(a, fact)| answer(&a.label, fact, path)).collect(),
            })
            .collect()
    }

    /// "Also at the Impact level, for Platform team".
    fn reason(&self, reason: &RelatedReason, page: &PageMeta, other: &PageMeta) -> String {
        if *reason == RelatedReason::Author {
            return "Suggested by the author".to_string();
        }
        let (levels, contexts) = shared_terms(page, other);
        let (levels, contexts): (Vec<_>, Vec<_>) = (levels.collect(), contexts.collect());
        let playbook = &self.env.config.playbook;
        let level_names: Vec<String> =
            playbook.levels.iter().filter(|t| levels.contains(&&t.id)).map(|t| t.name.clone()).collect();
        let context_names: Vec<String> =
            playbook.contexts.iter().filter(|t| contexts.contains(&&t.id)).map(|t| t.name.clone()).collect();
        let mut parts = Vec::new();
        if !level_names.is_empty() {
            let noun = if level_names.len() == 1 { "level" } else { "levels" };
            parts.push(format!("also at the {} {noun}", join_and(&level_names)));
        }
        if !context_names.is_empty() {
            parts.push(format!("also for {}", join_and(&context_names)));
        }
        let text = parts.join("; ");
        let mut chars = text.chars();
        chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
    }
}

/// How many pages "Read next" shows.
pub(crate) const READ_NEXT: usize = 5;

/// "Read next": the related pages, then the pages that link here, each page
/// once, at most [`READ_NEXT`]; and the other pages that link here.
fn read_next(related: &[RelatedView], referred_by: &[PageLink]) -> (Vec<RelatedView>, Vec<PageLink>) {
    let mut next: Vec<RelatedView> = related.iter().take(READ_NEXT).cloned().collect();
    let mut rest = Vec::new();
    for link in referred_by {
        if related.iter().any(|r| r.link.url == link.url) {
            continue;
        }
        if next.len() < READ_NEXT {
            next.push(RelatedView { link: link.clone(), reason: "Links here".to_string() });
        } else {
            rest.push(link.clone());
        }
    }
    (next, rest)
}

/// Where an answer leads, as a link. `None` for a target that does not
/// exist; the decision graph check reports those.
fn answer(label: &str, fact: &AnswerFact<'_>, from: &str) -> Option<AnswerView> {
    match fact {
        AnswerFact::Outcome(card) => Some(AnswerView {
            label: label.to_string(),
            url: relative_url(from, &card.0.slug.output_path()),
            destination: card.0.title.clone(),
            is_outcome: true,
        }),
        AnswerFact::Question { ask, holder, id } => {
            let target = holder.0.slug.output_path();
            let anchor = question_anchor(id.as_str());
            let url =
                if target == from { format!("#{anchor}") } else { format!("{}#{anchor}", relative_url(from, &target)) };
            Some(AnswerView { label: label.to_string(), url, destination: ask.to_string(), is_outcome: false })
        }
        AnswerFact::Missing => None,
    }
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn source_view(citation: &Citation) -> SourceView {
    match citation {
        Citation::Video { seconds, note, .. } => SourceView {
            label: match seconds {
                Some(s) => format!("Video at {}", format_timestamp(*s)),
                None => "Video".to_string(),
            },
            url: citation.url(),
            note: note.clone(),
        },
        Citation::Link { url, note } => {
            let host = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
            let host = host.split(['/', '?', '#']).next().unwrap_or(host);
            SourceView { label: host.to_string(), url: url.clone(), note: note.clone() }
        }
    }
}
