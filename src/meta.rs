//! The playbook fields of a page's frontmatter, checked against `book.toml`:
//! levels, contexts, diagnostic questions, sources, related pages and the
//! decision start. Pure, per page: [`check_meta`] turns the raw
//! [`Frontmatter`] into a typed [`PageMeta`] and reports every problem at
//! the file, line and column of the offending value, with the nearest valid
//! id suggested. Checks that need other pages (a `related` slug that names
//! no page, a question id used twice across the playbook) belong to
//! `site.rs`.

use std::collections::HashSet;
use std::ops::Range;

use crate::citation::{Citation, is_video_id, is_web_url, parse_timestamp};
use crate::config::{Config, Term};
use crate::diag::{Code, Diagnostic, nearest};
use crate::frontmatter::{Frontmatter, Locator, RawQuestion, RawSource, RawTime};
use crate::history::CommitTime;
use crate::model::{ContextId, LevelId, QuestionId, Slug, Target};
use crate::slug::parse_slug;
use crate::yamlpos::{Step, YamlPath, at, key};

/// The typed playbook fields of a page.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageMeta {
    /// Levels, in the order `book.toml` declares them.
    pub(crate) levels: Vec<LevelId>,
    /// Contexts, in the order `book.toml` declares them.
    pub(crate) contexts: Vec<ContextId>,
    /// Free-form tags.
    pub(crate) tags: Vec<String>,
    /// Diagnostic questions, as written.
    pub(crate) questions: Vec<Question>,
    /// Where the ideas come from.
    pub(crate) citations: Vec<Citation>,
    /// Pages the author suggests reading next.
    pub(crate) related: Vec<Reference>,
    /// Set on decision pages.
    pub(crate) decision: Option<DecisionStart>,
    /// The video body timestamps link to: `videoId`, else the first video
    /// source.
    pub(crate) video_id: Option<String>,
    /// Other names wiki links find the page by.
    pub(crate) aliases: Vec<String>,
    /// Published only when the build is asked for drafts.
    pub(crate) draft: bool,
    /// `date`: when the page was first published.
    pub(crate) published: Option<CommitTime>,
    /// `lastmod`: when it last changed, as its author says.
    pub(crate) updated: Option<CommitTime>,
}

/// A diagnostic question.
#[derive(Debug, Clone, Hash)]
pub(crate) struct Question {
    /// Unique across the playbook.
    pub(crate) id: QuestionId,
    /// The question.
    pub(crate) ask: String,
    /// Help for answering it.
    pub(crate) help: Option<String>,
    /// Its answers.
    pub(crate) answers: Vec<Answer>,
    /// Where its id is written, for diagnostics from later stages.
    pub(crate) place: Field,
}

/// An answer to a diagnostic question.
#[derive(Debug, Clone, Hash)]
pub(crate) struct Answer {
    /// What the reader picks.
    pub(crate) label: String,
    /// Where it leads.
    pub(crate) target: Target,
    /// Where its `leads_to` is written.
    pub(crate) place: Field,
}

/// A slug written in the frontmatter, with where.
#[derive(Debug, Clone, Hash)]
pub(crate) struct Reference {
    /// The slug.
    pub(crate) slug: Slug,
    /// Where it is written.
    pub(crate) place: Field,
}

/// `decision: { start: id }`.
#[derive(Debug, Clone, Hash)]
pub(crate) struct DecisionStart {
    /// The first question of the walk.
    pub(crate) start: QuestionId,
    /// Where the id is written.
    pub(crate) place: Field,
}

/// Which frontmatter value a typed field came from, so later stages can
/// point at it. A few bytes per value; the path is spelled out only when a
/// diagnostic needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    /// `decision.start`.
    DecisionStart,
    /// The `id` of the `question`th diagnostic question.
    QuestionId {
        /// Index in `diagnostic_questions`.
        question: usize,
    },
    /// The `leads_to` of an answer.
    AnswerTarget {
        /// Index in `diagnostic_questions`.
        question: usize,
        /// Index in that question's `answers`.
        answer: usize,
    },
    /// An item of `related`.
    Related {
        /// Index in `related`.
        index: usize,
    },
    /// An item of `aliases`.
    Alias {
        /// Index in `aliases`.
        index: usize,
    },
}

impl Field {
    /// The path to the value in the frontmatter.
    pub(crate) fn path(self) -> YamlPath {
        const QUESTIONS: &str = "diagnostic_questions";
        match self {
            Field::DecisionStart => vec![key("decision"), key("start")],
            Field::QuestionId { question } => vec![key(QUESTIONS), at(question), key("id")],
            Field::AnswerTarget { question, answer } => {
                vec![key(QUESTIONS), at(question), key("answers"), at(answer), key("leads_to")]
            }
            Field::Related { index } => vec![key("related"), at(index)],
            Field::Alias { index } => vec![key("aliases"), at(index)],
        }
    }
}

/// What [`check_meta`] needs to locate and judge values.
pub(crate) struct MetaContext<'a> {
    /// The whole page text.
    pub(crate) text: &'a str,
    /// The frontmatter's range in `text`.
    pub(crate) yaml: Range<usize>,
    /// The file, as diagnostics print it.
    pub(crate) file: &'a str,
    /// The configuration, for the level and context vocabularies.
    pub(crate) config: &'a Config,
}

/// Reports problems at the place of a value, found only when there is a
/// problem to report: most pages have none, and finding places means
/// parsing the frontmatter a second time.
struct Reporter<'a> {
    ctx: &'a MetaContext<'a>,
    locator: Locator<'a>,
    problems: Vec<Diagnostic>,
}

impl Reporter<'_> {
    fn report(&mut self, diagnostic: Diagnostic, place: &[Step]) {
        let span = self.locator.value(place);
        self.problems.push(diagnostic.at(self.ctx.file, self.ctx.text, span));
    }
}

/// Checks and types the playbook fields of one page's frontmatter.
pub(crate) fn check_meta(front: &Frontmatter, ctx: &MetaContext<'_>) -> (PageMeta, Vec<Diagnostic>) {
    let mut reporter = Reporter { ctx, locator: Locator::new(ctx.text, ctx.yaml.clone()), problems: Vec::new() };
    let r = &mut reporter;
    let levels = check_terms(&front.levels, ("levels", "level", Code::UnknownLevel), &ctx.config.playbook.levels, r);
    let contexts =
        check_terms(&front.contexts, ("contexts", "context", Code::UnknownContext), &ctx.config.playbook.contexts, r);
    let questions = check_questions(&front.diagnostic_questions, r);
    let citations = check_sources(&front.sources, r);
    let related = check_related(&front.related, r);
    let decision = front.decision.as_ref().and_then(|d| {
        let place = Field::DecisionStart;
        match parse_question_id(&d.start) {
            Ok(start) => Some(DecisionStart { start, place }),
            Err(reason) => {
                let message = format!("invalid decision start `{}`: {reason}", d.start);
                r.report(Diagnostic::error(Code::InvalidQuestion, message), &place.path());
                None
            }
        }
    });
    let video_id = match &front.video_id {
        Some(id) if !is_video_id(id) => {
            r.report(
                Diagnostic::error(Code::InvalidSource, format!("`{id}` is not a YouTube video id"))
                    .with_help("a video id is the 11 characters after `watch?v=` in the video's address"),
                &[key("videoId")],
            );
            None
        }
        Some(id) => Some(id.clone()),
        None => citations.iter().find_map(|c| match c {
            Citation::Video { id, .. } => Some(id.clone()),
            Citation::Link { .. } => None,
        }),
    };
    let published = front.date.as_deref().and_then(|d| check_date(d, "date", r));
    let updated = front.lastmod.as_deref().and_then(|d| check_date(d, "lastmod", r));
    let meta = PageMeta {
        levels,
        contexts,
        tags: front.tags.clone(),
        questions,
        citations,
        related,
        decision,
        video_id,
        aliases: front.aliases.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect(),
        draft: front.draft,
        published,
        updated,
    };
    (meta, reporter.problems)
}

/// A `date` or `lastmod` as written (`2026-03-01`, or with a time after it,
/// `2026-03-01T09:30:00Z`), as the day it names.
fn check_date(written: &str, field: &'static str, r: &mut Reporter<'_>) -> Option<CommitTime> {
    match parse_date(written) {
        Some(day) => Some(day),
        None => {
            r.report(
                Diagnostic::error(Code::InvalidDate, format!("`{field}: {written}` is not a date"))
                    .with_help(format!("write the day as year, month and day: `{field}: 2026-03-01`")),
                &[key(field)],
            );
            None
        }
    }
}

/// The day `YYYY-MM-DD` (and anything from a `T` or a space on) names.
pub(crate) fn parse_date(written: &str) -> Option<CommitTime> {
    let day = written.trim().split(['T', ' ']).next()?;
    let mut parts = day.split('-');
    let (year, month, date) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 || month.len() != 2 || date.len() != 2 {
        return None;
    }
    let (year, month, date): (i64, u8, u8) = (year.parse().ok()?, month.parse().ok()?, date.parse().ok()?);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days_in_month).contains(&date).then(|| CommitTime::from_date(year, month, date))
}

/// Checks ids against a vocabulary; returns them in the order the page
/// wrote them (its first level is where the navigation files it), without
/// repeats. `what` is the key, the word for one, and the code.
fn check_terms<T>(
    written: &[String],
    what: (&'static str, &str, Code),
    vocabulary: &[Term<T>],
    r: &mut Reporter<'_>,
) -> Vec<T>
where
    T: AsRef<str> + Clone,
{
    let (field, word, code) = what;
    for (index, id) in written.iter().enumerate() {
        if vocabulary.iter().any(|t| t.id.as_ref() == id) {
            continue;
        }
        let known = vocabulary.iter().map(|t| t.id.as_ref());
        let help = match nearest(id, known.clone()) {
            Some(near) => format!("did you mean `{near}`?"),
            None if vocabulary.is_empty() => format!("declare {word}s under [playbook] in book.toml"),
            None => format!(
                "the {word}s in book.toml are {}",
                known.map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ),
        };
        r.report(Diagnostic::error(code, format!("unknown {word} `{id}`")).with_help(help), &[key(field), at(index)]);
    }
    let mut ids: Vec<T> = Vec::new();
    for id in written {
        if let Some(term) = vocabulary.iter().find(|t| t.id.as_ref() == id)
            && !ids.iter().any(|known| known.as_ref() == id)
        {
            ids.push(term.id.clone());
        }
    }
    ids
}

/// A question id: lowercase letters, digits, `-` and `_`.
fn parse_question_id(id: &str) -> Result<QuestionId, String> {
    if id.is_empty() {
        return Err("it is empty".into());
    }
    match id.chars().find(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')) {
        Some(bad) => Err(format!("a question id may hold lowercase letters, digits, `-` and `_`, not `{bad}`")),
        None => Ok(QuestionId::from(id.to_string())),
    }
}

/// `?id` is a question; anything else is a page slug.
pub(crate) fn parse_target(leads_to: &str) -> Result<Target, String> {
    match leads_to.strip_prefix('?') {
        Some(id) => parse_question_id(id).map(Target::Question),
        None => parse_slug(leads_to).map(Target::Page),
    }
}

fn check_questions(raw: &[RawQuestion], r: &mut Reporter<'_>) -> Vec<Question> {
    let mut seen = HashSet::new();
    let mut questions = Vec::with_capacity(raw.len());
    for (q_index, q) in raw.iter().enumerate() {
        let place = Field::QuestionId { question: q_index };
        let id = match parse_question_id(&q.id) {
            Ok(id) => id,
            Err(reason) => {
                let message = format!("invalid question id `{}`: {reason}", q.id);
                r.report(Diagnostic::error(Code::InvalidQuestion, message), &place.path());
                continue;
            }
        };
        if !seen.insert(id.clone()) {
            r.report(
                Diagnostic::error(Code::DuplicateQuestion, format!("question id `{id}` is used twice in this page"))
                    .with_help("give every diagnostic question its own id"),
                &place.path(),
            );
        }
        let mut answers = Vec::with_capacity(q.answers.len());
        for (a_index, answer) in q.answers.iter().enumerate() {
            let answer_place = Field::AnswerTarget { question: q_index, answer: a_index };
            match parse_target(&answer.leads_to) {
                Ok(target) => answers.push(Answer { label: answer.label.clone(), target, place: answer_place }),
                Err(reason) => r.report(
                    Diagnostic::error(
                        Code::InvalidQuestion,
                        format!("invalid `leads_to: {}`: {reason}", answer.leads_to),
                    )
                    .with_help("write a page slug (`strategy-problems`) or `\"?question-id\"` for another question"),
                    &answer_place.path(),
                ),
            }
        }
        questions.push(Question { id, ask: q.ask.clone(), help: q.help.clone(), answers, place });
    }
    questions
}

fn check_sources(raw: &[RawSource], r: &mut Reporter<'_>) -> Vec<Citation> {
    const KEY: &str = "sources";
    let mut citations = Vec::new();
    for (index, source) in raw.iter().enumerate() {
        let field = if source.video.is_some() { "video" } else { "url" };
        let place = [key(KEY), at(index), key(field)];
        let note = source.note.clone();
        let invalid = |message: String, help: &str| Diagnostic::error(Code::InvalidSource, message).with_help(help);
        match (&source.video, &source.url) {
            (Some(video), None) => {
                if !is_video_id(video) {
                    let help = "a video id is the 11 characters after `watch?v=` in the video's address";
                    r.report(invalid(format!("`{video}` is not a YouTube video id"), help), &place);
                    continue;
                }
                let seconds = match &source.at {
                    None => None,
                    Some(RawTime::Seconds(s)) => u32::try_from(*s).ok(),
                    Some(RawTime::Text(text)) => match parse_timestamp(text) {
                        Ok(s) => Some(s),
                        Err(reason) => {
                            r.report(
                                Diagnostic::error(Code::InvalidTimestamp, format!("malformed timestamp: {reason}"))
                                    .with_help(
                                        "write `at: \"01:07:40\"` (hours:minutes:seconds), `\"07:40\"` or `at: 4060`",
                                    ),
                                &[key(KEY), at(index), key("at")],
                            );
                            continue;
                        }
                    },
                };
                citations.push(Citation::Video { id: video.clone(), seconds, note });
            }
            (None, Some(url)) if is_web_url(url) => {
                if source.at.is_some() {
                    r.report(
                        invalid("`at` needs a `video`, not a `url`".into(), "remove `at`, or cite the video"),
                        &place,
                    );
                    continue;
                }
                citations.push(Citation::Link { url: url.clone(), note });
            }
            (None, Some(url)) => r.report(
                invalid(
                    format!("`{url}` is not an http(s) address"),
                    "a source URL must start with https:// or http://",
                ),
                &place,
            ),
            (Some(_), Some(_)) => {
                r.report(invalid("a source has both `video` and `url`".into(), "split it into two sources"), &place)
            }
            (None, None) => r.report(
                invalid(
                    "a source needs a `video` or a `url`".into(),
                    "write `{ video: YP_QghPLG-8, at: \"01:07:40\" }` or `{ url: https://... }`",
                ),
                &[key(KEY), at(index)],
            ),
        }
    }
    citations
}

fn check_related(raw: &[String], r: &mut Reporter<'_>) -> Vec<Reference> {
    let mut related = Vec::new();
    for (index, written) in raw.iter().enumerate() {
        let place = Field::Related { index };
        match parse_slug(written) {
            Ok(slug) => related.push(Reference { slug, place }),
            Err(reason) => r.report(
                Diagnostic::error(Code::InvalidSlug, format!("invalid related slug `{written}`: {reason}")),
                &place.path(),
            ),
        }
    }
    related
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_14_dates_are_days() {
        assert_eq!(parse_date("2026-03-01").map(|t| t.utc_date()), Some((2026, 3, 1)));
        assert_eq!(parse_date("2026-03-01T09:30:00Z").map(|t| t.utc_date()), Some((2026, 3, 1)));
        assert_eq!(parse_date("2024-02-29").map(|t| t.utc_date()), Some((2024, 2, 29)));
        for wrong in ["2023-02-29", "03/01/2026", "2026-3-1", "2026-13-01", "2026-01-32", "", "yesterday"] {
            assert_eq!(parse_date(wrong), None, "{wrong}");
        }
    }
    use crate::config::parse_config;
    use crate::frontmatter::{parse, split};

    const CONFIG: &str = r#"
[playbook]
levels = [{ id = "impact", name = "Impact" }, { id = "execution", name = "Execution" }, { id = "optics", name = "Optics" }]
contexts = [{ id = "platform", name = "Platform team" }, { id = "early-stage", name = "Early-stage team" }]
"#;

    fn check(text: &str) -> (PageMeta, Vec<Diagnostic>) {
        let config = parse_config(CONFIG).unwrap();
        let yaml = split(text, "content/a.md").unwrap().yaml.unwrap();
        let (front, _) = parse(text, yaml.clone(), "content/a.md", crate::config::FrontmatterPolicy::Strict).unwrap();
        check_meta(&front, &MetaContext { text, yaml, file: "content/a.md", config: &config })
    }

    fn position(d: &Diagnostic) -> (u32, u32) {
        let l = d.location.as_ref().unwrap().position.as_ref().unwrap();
        (l.line, l.column)
    }

    #[test]
    fn issue_12_levels_keep_the_order_the_page_wrote() {
        let (meta, problems) = check("---\nlevels: [optics, impact, optics]\ncontexts: [early-stage]\n---\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(meta.levels, [LevelId::from("optics".to_string()), LevelId::from("impact".to_string())]);
        assert_eq!(meta.contexts, [ContextId::from("early-stage".to_string())]);
    }

    #[test]
    fn unknown_level_is_located_and_suggested() {
        let (_, problems) = check("---\ntitle: T\nlevels: [impact, executon]\n---\n");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, Code::UnknownLevel);
        assert_eq!(position(&problems[0]), (3, 18));
        assert_eq!(problems[0].help.as_deref(), Some("did you mean `execution`?"));
    }

    #[test]
    fn unknown_context_in_block_list() {
        let (_, problems) = check("---\ncontexts:\n  - platform\n  - platfrom\n---\n");
        assert_eq!(problems[0].code, Code::UnknownContext);
        assert_eq!(position(&problems[0]), (4, 5));
        assert_eq!(problems[0].help.as_deref(), Some("did you mean `platform`?"));
    }

    #[test]
    fn questions_and_targets() {
        let (meta, problems) = check(
            "---\ndiagnostic_questions:\n  - id: q1\n    ask: Why?\n    answers:\n      - { label: A, leads_to: strategy-problems }\n      - { label: B, leads_to: \"?q2\" }\n---\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let q = &meta.questions[0];
        assert_eq!(q.answers[0].target, Target::Page(crate::slug::parse_slug("strategy-problems").unwrap()));
        assert_eq!(q.answers[1].target, Target::Question(QuestionId::from("q2".to_string())));
    }

    #[test]
    fn duplicate_question_ids_in_a_page() {
        let (_, problems) = check(
            "---\ndiagnostic_questions:\n  - { id: q1, ask: A, answers: [{ label: x, leads_to: a }] }\n  - { id: q1, ask: B, answers: [{ label: y, leads_to: b }] }\n---\n",
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, Code::DuplicateQuestion);
        assert_eq!(position(&problems[0]).0, 4);
    }

    #[test]
    fn malformed_timestamp_is_located() {
        let (_, problems) = check("---\nsources:\n  - { video: YP_QghPLG-8, at: \"01:67:40\" }\n---\n");
        assert_eq!(problems[0].code, Code::InvalidTimestamp);
        assert_eq!(position(&problems[0]), (3, 31), "at the quoted value");
    }

    #[test]
    fn sources_become_citations() {
        let (meta, problems) = check(
            "---\nsources:\n  - { video: YP_QghPLG-8, at: \"01:07:40\", note: n }\n  - { url: \"https://example.org\" }\n---\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(meta.citations[0].url(), "https://www.youtube.com/watch?v=YP_QghPLG-8&t=4060");
        assert_eq!(meta.video_id.as_deref(), Some("YP_QghPLG-8"));
        assert_eq!(meta.citations[1].url(), "https://example.org");
    }

    #[test]
    fn unsafe_or_incomplete_sources_are_errors() {
        for source in [
            "{ url: \"javascript:alert(1)\" }",
            "{ video: \"bad id\" }",
            "{ note: nothing }",
            "{ video: YP_QghPLG-8, url: \"https://x.org\" }",
        ] {
            let (_, problems) = check(&format!("---\nsources:\n  - {source}\n---\n"));
            assert_eq!(problems.len(), 1, "{source}");
            assert_eq!(problems[0].code, Code::InvalidSource, "{source}");
        }
    }

    #[test]
    fn bad_leads_to_and_bad_ids() {
        // A question without answers is fine here: it is a dead end only on a
        // decision walk, which decision.rs checks.
        let (_, problems) = check(
            "---\ndiagnostic_questions:\n  - { id: q1, ask: A, answers: [{ label: x, leads_to: \"../up\" }] }\n  - { id: Q2, ask: B }\n---\n",
        );
        let codes: Vec<_> = problems.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::InvalidQuestion, Code::InvalidQuestion]);
    }
}
