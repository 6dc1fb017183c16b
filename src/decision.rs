//! The question graph behind decision pages, and its checks.
//!
//! Diagnostic questions and their answers form a graph: an answer leads to a
//! page (an outcome) or to another question. A decision page starts a walk
//! at one question. [`check_decisions`] makes sure every walk ends: every
//! `leads_to` names something that exists, no answer leads back into its own
//! path, every reachable question can be answered, and every question that
//! belongs to a chain is reachable from some decision page.
//!
//! A question whose answers lead only to pages, and that no answer leads to,
//! stands alone: it is a diagnostic on its page, not part of any walk, and is
//! not required to be reachable.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Code, Diagnostic, nearest};
use crate::hashing::FastMap;
use crate::model::{QuestionId, Slug, Target};
use crate::page::ParsedPage;
use crate::site::{QuestionRef, Site};

/// The walk of one decision page: its start and the questions it can reach,
/// in the order a depth-first walk first meets them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Walk {
    /// The first question.
    pub(crate) start: QuestionId,
    /// Every reachable question, start first.
    pub(crate) questions: Vec<QuestionId>,
}

/// The walks of every decision page, by page id.
#[derive(Debug, Clone, Default)]
pub(crate) struct Decisions {
    /// Page id -> its walk.
    pub(crate) walks: BTreeMap<usize, Walk>,
    /// Question -> the first decision page (by source path) whose walk asks
    /// it.
    pub(crate) walk_of: FastMap<QuestionId, usize>,
}

/// Checks the question graph and works out every decision page's walk.
pub(crate) fn check_decisions(site: &Site) -> (Decisions, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    check_targets(site, &mut problems);
    let mut walks = BTreeMap::new();
    let mut reached: BTreeSet<QuestionId> = BTreeSet::new();
    for (index, page) in site.pages.iter().enumerate() {
        let Some(decision) = &page.meta.decision else { continue };
        if !site.questions.contains_key(&decision.start) {
            if !site.unparsed.is_empty() {
                continue; // the start may be in the page that failed to parse
            }
            let help = match nearest(decision.start.as_str(), site.questions.keys().map(QuestionId::as_str)) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "name the id of a diagnostic question in some page's frontmatter".to_string(),
            };
            problems.push(
                Diagnostic::error(Code::UnknownStart, format!("decision start `{}` is no question", decision.start))
                    .at_field(page, decision.place)
                    .with_help(help),
            );
            continue;
        }
        let walk = walk_from(site, &decision.start, &mut problems);
        reached.extend(walk.questions.iter().cloned());
        walks.insert(index, walk);
    }
    // Reachability is judged on the whole graph only: with a page unparsed,
    // the walk that reaches a question may run through it.
    if !walks.is_empty() && site.unparsed.is_empty() {
        check_reachable(site, &reached, &mut problems);
    }
    let mut walk_of = FastMap::default();
    for (&page, walk) in &walks {
        for id in &walk.questions {
            walk_of.entry(id.clone()).or_insert(page);
        }
    }
    (Decisions { walks, walk_of }, problems)
}

fn question(site: &Site, at: QuestionRef) -> (&ParsedPage, &crate::meta::Question) {
    let page = &site.pages[at.page];
    (page, &page.meta.questions[at.index])
}

/// Every `leads_to` must name a page or a question.
fn check_targets(site: &Site, problems: &mut Vec<Diagnostic>) {
    for page in &site.pages {
        for q in &page.meta.questions {
            for answer in &q.answers {
                let exists = match &answer.target {
                    Target::Page(slug) => {
                        site.by_slug.contains_key(slug) || site.home.as_ref().is_some_and(|h| &h.slug == slug)
                    }
                    Target::Question(id) => site.questions.contains_key(id),
                };
                // A page that failed to parse may have held the question or be
                // the page: its own error comes first.
                let unparsed = match &answer.target {
                    Target::Page(slug) => site.unparsed.contains(slug),
                    Target::Question(_) => !site.unparsed.is_empty(),
                };
                if exists || unparsed {
                    continue;
                }
                // Only now: the nearest id costs an edit distance per page.
                let near = match &answer.target {
                    Target::Page(slug) => {
                        nearest(slug.as_str(), site.by_slug.keys().map(Slug::as_str)).map(str::to_string)
                    }
                    Target::Question(id) => {
                        nearest(id.as_str(), site.questions.keys().map(QuestionId::as_str)).map(|n| format!("?{n}"))
                    }
                };
                let what = match &answer.target {
                    Target::Page(slug) => format!("no page `{slug}`"),
                    Target::Question(id) => format!("no question `{id}`"),
                };
                let help = match near {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => "lead to a page slug, or to `\"?id\"` of another question".to_string(),
                };
                problems.push(
                    Diagnostic::error(Code::DanglingAnswer, format!("answer \"{}\" leads to {what}", answer.label))
                        .at_field(page, answer.place)
                        .with_help(help),
                );
            }
        }
    }
}

/// Walks depth-first from `start`, reporting cycles and dead ends. Iterative,
/// so a long chain of questions cannot overflow the stack.
fn walk_from(site: &Site, start: &QuestionId, problems: &mut Vec<Diagnostic>) -> Walk {
    let mut order = Vec::new();
    let mut done: BTreeSet<QuestionId> = BTreeSet::new();
    let mut on_path: Vec<QuestionId> = Vec::new();
    // (question, index of the next answer to follow)
    let mut stack: Vec<(QuestionId, usize)> = vec![(start.clone(), 0)];
    on_path.push(start.clone());
    order.push(start.clone());
    while let Some((id, next)) = stack.last().cloned() {
        let (page, q) = question(site, site.questions[&id]);
        if next == 0 && q.answers.is_empty() {
            problems.push(
                Diagnostic::error(
                    Code::DeadEnd,
                    format!("question `{id}` has no answers: a reader who reaches it is stuck"),
                )
                .at_field(page, q.place)
                .with_help("give it answers that lead to pages or to other questions"),
            );
        }
        let Some(answer) = q.answers.get(next) else {
            stack.pop();
            on_path.pop();
            done.insert(id);
            continue;
        };
        stack.last_mut().expect("non-empty").1 += 1;
        let Target::Question(target) = &answer.target else { continue };
        if !site.questions.contains_key(target) {
            continue; // reported by check_targets
        }
        if let Some(from) = on_path.iter().position(|q| q == target) {
            let cycle: Vec<&str> = on_path[from..].iter().map(QuestionId::as_str).chain([target.as_str()]).collect();
            problems.push(
                Diagnostic::error(
                    Code::QuestionCycle,
                    format!("answer \"{}\" leads back into its own path: {}", answer.label, cycle.join(" → ")),
                )
                .at_field(page, answer.place)
                .with_help("every path must end on a page; lead this answer to an outcome page instead"),
            );
            continue;
        }
        if done.contains(target) {
            continue;
        }
        order.push(target.clone());
        on_path.push(target.clone());
        stack.push((target.clone(), 0));
    }
    Walk { start: start.clone(), questions: order }
}

/// Questions in a chain (leading to or led to from another question) must be
/// reachable from some decision page.
fn check_reachable(site: &Site, reached: &BTreeSet<QuestionId>, problems: &mut Vec<Diagnostic>) {
    let mut chained: BTreeSet<&QuestionId> = BTreeSet::new();
    for page in &site.pages {
        for q in &page.meta.questions {
            for answer in &q.answers {
                if let Target::Question(target) = &answer.target {
                    chained.insert(&q.id);
                    chained.insert(target);
                }
            }
        }
    }
    let unreachable: BTreeSet<&QuestionId> =
        chained.into_iter().filter(|id| site.questions.contains_key(*id) && !reached.contains(*id)).collect();
    // Report the root of each unreachable chain, not every question below
    // it: those are unreachable only because their root is.
    let led_to: BTreeSet<&QuestionId> = unreachable
        .iter()
        .flat_map(|id| question(site, site.questions[*id]).1.answers.iter())
        .filter_map(|a| match &a.target {
            Target::Question(next) => Some(next),
            Target::Page(_) => None,
        })
        .collect();
    let mut roots: Vec<&QuestionId> = unreachable.iter().copied().filter(|id| !led_to.contains(id)).collect();
    if roots.is_empty() {
        // An unreachable loop has no root; one report is enough.
        roots.extend(unreachable.iter().next());
    }
    for id in roots {
        let (page, q) = question(site, site.questions[id]);
        problems.push(
            Diagnostic::error(Code::UnreachableQuestion, format!("question `{id}` is reachable from no decision page"))
                .at_field(page, q.place)
                .with_help(
                    "lead an answer on a walked question to it, or start a decision page here: `decision: { start: "
                        .to_string()
                        + id.as_str()
                        + " }`",
                ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::page::parse_page;
    use crate::site::{Parts, assemble};
    use crate::source::source_from_text;

    fn site(files: &[(&str, &str)]) -> Site {
        let config = Config::default();
        let pages = files
            .iter()
            .map(|(rel, text)| {
                std::sync::Arc::new(parse_page(source_from_text("content", rel, *text), &config).unwrap().0)
            })
            .collect();
        let (site, problems) = assemble(Parts { pages, assets: vec![], unparsed: BTreeSet::new() }, &config, None);
        assert!(problems.is_empty(), "{problems:?}");
        site
    }

    fn q(id: &str, answers: &[&str]) -> String {
        let answers: Vec<String> =
            answers.iter().enumerate().map(|(i, t)| format!("{{ label: a{i}, leads_to: \"{t}\" }}")).collect();
        format!("  - {{ id: {id}, ask: {id}?, answers: [{}] }}\n", answers.join(", "))
    }

    fn codes(problems: &[Diagnostic]) -> Vec<Code> {
        problems.iter().map(|d| d.code).collect()
    }

    #[test]
    fn walk_reaches_every_question_once_in_order() {
        let s = site(&[
            ("d.md", "---\ndecision: { start: a }\n---\n"),
            (
                "x.md",
                &format!(
                    "---\ndiagnostic_questions:\n{}{}{}---\n",
                    q("a", &["?b", "?c"]),
                    q("b", &["?c", "out"]),
                    q("c", &["out"])
                ),
            ),
            ("out.md", "# Out"),
        ]);
        let (decisions, problems) = check_decisions(&s);
        assert!(problems.is_empty(), "{problems:?}");
        let walk = decisions.walks.values().next().unwrap();
        let ids: Vec<_> = walk.questions.iter().map(QuestionId::as_str).collect();
        assert_eq!(ids, ["a", "b", "c"]);
    }

    #[test]
    fn cycles_are_reported_with_their_path() {
        let s = site(&[
            ("d.md", "---\ndecision: { start: a }\n---\n"),
            ("x.md", &format!("---\ndiagnostic_questions:\n{}{}---\n", q("a", &["?b"]), q("b", &["?a", "out"]))),
            ("out.md", "# Out"),
        ]);
        let (_, problems) = check_decisions(&s);
        assert_eq!(codes(&problems), [Code::QuestionCycle]);
        assert!(problems[0].message.ends_with("a → b → a"), "{}", problems[0].message);
        assert_eq!(problems[0].location.as_ref().unwrap().position.as_ref().unwrap().line, 4);
    }

    #[test]
    fn dangling_targets_suggest_the_nearest() {
        let s = site(&[
            ("d.md", "---\ndecision: { start: a }\n---\n"),
            ("x.md", &format!("---\ndiagnostic_questions:\n{}{}---\n", q("a", &["?bb", "outt"]), q("b", &["out"]))),
            ("out.md", "# Out"),
        ]);
        let (_, problems) = check_decisions(&s);
        assert_eq!(
            codes(&problems),
            [Code::DanglingAnswer, Code::DanglingAnswer],
            "b stands alone: nothing leads to it"
        );
        assert_eq!(problems[0].help.as_deref(), Some("did you mean `?b`?"));
        assert_eq!(problems[1].help.as_deref(), Some("did you mean `out`?"));
    }

    #[test]
    fn unknown_start_and_dead_ends() {
        let s = site(&[
            ("d.md", "---\ndecision: { start: nope }\n---\n"),
            ("e.md", "---\ndecision: { start: a }\n---\n"),
            (
                "x.md",
                "---\ndiagnostic_questions:\n  - { id: a, ask: A?, answers: [{ label: y, leads_to: \"?b\" }] }\n  - { id: b, ask: B? }\n---\n",
            ),
        ]);
        let (_, problems) = check_decisions(&s);
        assert_eq!(codes(&problems), [Code::UnknownStart, Code::DeadEnd]);
    }

    #[test]
    fn chained_questions_must_be_reachable_standalone_ones_need_not() {
        let s = site(&[
            ("d.md", "---\ndecision: { start: a }\n---\n"),
            (
                "x.md",
                &format!(
                    "---\ndiagnostic_questions:\n{}{}{}{}---\n",
                    q("a", &["out"]),
                    q("lone", &["out"]),
                    q("orphan", &["?tail"]),
                    q("tail", &["out"])
                ),
            ),
            ("out.md", "# Out"),
        ]);
        let (_, problems) = check_decisions(&s);
        let unreachable: Vec<_> = problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            unreachable,
            ["question `orphan` is reachable from no decision page"],
            "`tail` is only unreachable through `orphan`"
        );
    }

    #[test]
    fn without_decision_pages_nothing_must_be_reachable() {
        let s = site(&[("x.md", &format!("---\ndiagnostic_questions:\n{}{}---\n", q("a", &["?b"]), q("b", &["x"])))]);
        assert!(check_decisions(&s).1.is_empty());
    }
}
