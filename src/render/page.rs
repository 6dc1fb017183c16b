//! The view of a content page: its body, and what the content model adds
//! around it (levels, contexts, diagnostic questions, sources, related pages,
//! previous and next).

use super::view::{
    AnswerBacklink, AnswerView, Crumb, PageLink, PageView, QuestionView, RelatedView, SourceView, TocEntry,
};
use super::{OutputFile, Renderer};
use crate::citation::{Citation, format_timestamp};
use crate::diag::Diagnostic;
use crate::link::Backlink;
use crate::model::Target;
use crate::site::{RelatedReason, paths};
use crate::slug::relative_url;

impl Renderer<'_> {
    pub(super) fn content_page(&self, index: usize) -> Result<OutputFile, Diagnostic> {
        let page = &self.site.pages[index];
        let path = page.slug.output_path();
        let meta = &page.meta;
        let levels = self
            .config
            .playbook
            .levels
            .iter()
            .filter(|t| meta.levels.iter().any(|l| l.as_str() == t.id))
            .map(|t| self.term_link(&path, paths::LEVELS, t))
            .collect();
        let contexts = self
            .config
            .playbook
            .contexts
            .iter()
            .filter(|t| meta.contexts.iter().any(|c| c.as_str() == t.id))
            .map(|t| self.term_link(&path, paths::CONTEXTS, t))
            .collect();
        let toc = page
            .outline
            .headings
            .iter()
            .filter(|h| matches!(h.level, 2 | 3))
            .map(|h| TocEntry { level: h.level, id: h.id.clone(), text: h.text.clone() })
            .collect();
        let view = PageView {
            chrome: self.chrome(&path),
            title: page.title.clone(),
            summary: page.summary.clone(),
            levels,
            contexts,
            tags: meta.tags.clone(),
            body_html: self.body_html(page, &path),
            questions: self.questions(index, &path),
            sources: meta.citations.iter().map(source_view).collect(),
            related: self.related(index, &path),
            referred_by: self.referred_by(index, &path),
            answers_lead_here: self.answers_lead_here(index, &path),
            breadcrumbs: self.breadcrumbs(index, &path),
            toc,
            prev: Some(match index.checked_sub(1) {
                Some(prev) => self.link(&path, prev, Vec::new()),
                None => self.home_link(&path),
            }),
            next: (index + 1 < self.site.pages.len()).then(|| self.link(&path, index + 1, Vec::new())),
        };
        match self.decisions.walks.get(&index) {
            Some(walk) => {
                let view = self.decision_view(view, walk, &path);
                self.render_template("decision.html", &path, &page.source.display_path, &view)
            }
            None => self.render_template("page.html", &path, &page.source.display_path, &view),
        }
    }

    /// Home, then the level the page sits under in the navigation.
    fn breadcrumbs(&self, index: usize, path: &str) -> Vec<Crumb> {
        let mut crumbs = vec![Crumb { title: self.book.title.clone(), url: relative_url(path, "index.html") }];
        let first_level = self
            .config
            .playbook
            .levels
            .iter()
            .find(|l| self.site.pages[index].meta.levels.iter().any(|id| id.as_str() == l.id));
        if let Some(level) = first_level {
            crumbs.push(Crumb {
                title: level.name.clone(),
                url: relative_url(path, &paths::term_page(paths::LEVELS, &level.id)),
            });
        }
        crumbs
    }

    fn referred_by(&self, index: usize, path: &str) -> Vec<PageLink> {
        self.graph.backlinks[index]
            .iter()
            .filter_map(|b| match b {
                Backlink::Prose(Some(from)) => Some(self.link(path, *from, Vec::new())),
                Backlink::Prose(None) => Some(self.home_link(path)),
                Backlink::Answer { .. } => None,
            })
            .collect()
    }

    fn answers_lead_here(&self, index: usize, path: &str) -> Vec<AnswerBacklink> {
        self.graph.backlinks[index]
            .iter()
            .filter_map(|b| match *b {
                Backlink::Answer { page, question, answer } => {
                    let holder = &self.site.pages[page];
                    let q = &holder.meta.questions[question];
                    // Into the decision walk that asks it, if one does: the reader
                    // lands on that step, with the path to it filled in.
                    let (url, page_title) = match self.decisions.walk_of.get(&q.id) {
                        Some(&decision) => {
                            let decision = &self.site.pages[decision];
                            let target = relative_url(path, &decision.slug.output_path());
                            (
                                format!("{target}#{}", super::decision::step_anchor(q.id.as_str())),
                                decision.title.clone(),
                            )
                        }
                        None => (
                            format!(
                                "{}#{}",
                                relative_url(path, &holder.slug.output_path()),
                                question_anchor(q.id.as_str())
                            ),
                            holder.title.clone(),
                        ),
                    };
                    Some(AnswerBacklink {
                        question: q.ask.clone(),
                        answer: q.answers[answer].label.clone(),
                        url,
                        page_title,
                    })
                }
                Backlink::Prose(_) => None,
            })
            .collect()
    }

    pub(super) fn home_link(&self, from: &str) -> PageLink {
        PageLink {
            title: self.book.title.clone(),
            url: relative_url(from, "index.html"),
            summary: None,
            facets: vec![],
        }
    }

    fn questions(&self, index: usize, path: &str) -> Vec<QuestionView> {
        self.site.pages[index]
            .meta
            .questions
            .iter()
            .map(|q| QuestionView {
                anchor: question_anchor(q.id.as_str()),
                ask: q.ask.clone(),
                help: q.help.clone(),
                answers: q.answers.iter().filter_map(|a| self.answer(&a.label, &a.target, path)).collect(),
            })
            .collect()
    }

    /// Where an answer leads, as a link. `None` for a target that does not
    /// exist; the decision graph check reports those.
    fn answer(&self, label: &str, target: &Target, from: &str) -> Option<AnswerView> {
        match target {
            Target::Page(slug) => {
                let page = &self.site.pages[*self.site.by_slug.get(slug)?];
                Some(AnswerView {
                    label: label.to_string(),
                    url: relative_url(from, &page.slug.output_path()),
                    destination: page.title.clone(),
                    is_outcome: true,
                })
            }
            Target::Question(id) => {
                let at = self.site.questions.get(id)?;
                let page = &self.site.pages[at.page];
                let question = &page.meta.questions[at.index];
                let target = page.slug.output_path();
                let anchor = question_anchor(id.as_str());
                let url = if target == from {
                    format!("#{anchor}")
                } else {
                    format!("{}#{anchor}", relative_url(from, &target))
                };
                Some(AnswerView { label: label.to_string(), url, destination: question.ask.clone(), is_outcome: false })
            }
        }
    }

    fn related(&self, index: usize, path: &str) -> Vec<RelatedView> {
        self.site.related[index]
            .iter()
            .map(|related| RelatedView {
                link: self.link(path, related.page, Vec::new()),
                reason: self.reason(&related.reason),
            })
            .collect()
    }

    /// "Also at the Impact level, for Platform team".
    fn reason(&self, reason: &RelatedReason) -> String {
        let RelatedReason::Shares { levels, contexts } = reason else {
            return "Suggested by the author".to_string();
        };
        let name_of = |terms: &[crate::config::Term], id: &str| {
            terms.iter().find(|t| t.id == id).map_or_else(|| id.to_string(), |t| t.name.clone())
        };
        let level_names: Vec<String> =
            levels.iter().map(|l| name_of(&self.config.playbook.levels, l.as_str())).collect();
        let context_names: Vec<String> =
            contexts.iter().map(|c| name_of(&self.config.playbook.contexts, c.as_str())).collect();
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

/// The anchor of a question on the page that defines it.
pub(super) fn question_anchor(id: &str) -> String {
    format!("q-{id}")
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
