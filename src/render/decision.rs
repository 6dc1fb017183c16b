//! The view of a decision page: its walk, step by step (plain anchors, so it
//! works without JavaScript), the data its script walks one question at a
//! time, and the tree drawn as nested lists.

use std::collections::BTreeSet;

use super::Renderer;
use super::view::{
    DecisionView, PageView, StepAnswer, StepView, TreeNode, WalkAnswer, WalkData, WalkQuestion, WalkView,
};
use crate::decision::Walk;
use crate::model::{QuestionId, Target};
use crate::slug::relative_url;

/// How deep the drawn tree goes before it points at the step instead: a
/// long chain of questions must not make output (or template recursion)
/// grow without bound.
const TREE_DEPTH: usize = 32;

/// The anchor of a question's step on a decision page.
pub(super) fn step_anchor(id: &str) -> String {
    format!("step-{id}")
}

impl Renderer<'_> {
    pub(super) fn decision_view<'v>(&'v self, page: PageView<'v>, walk: &Walk, path: &str) -> DecisionView<'v> {
        let steps = walk.questions.iter().map(|id| self.step(id, path)).collect();
        let mut drawn = BTreeSet::new();
        let tree = self.tree_node(&walk.start, None, path, &mut drawn, 0);
        let data = WalkData {
            start: walk.start.as_str().to_string(),
            questions: walk
                .questions
                .iter()
                .map(|id| {
                    let q = self.question_of(id);
                    let answers = q
                        .answers
                        .iter()
                        .map(|a| match &a.target {
                            Target::Question(next) => WalkAnswer {
                                label: a.label.clone(),
                                next: Some(next.as_str().to_string()),
                                outcome: None,
                            },
                            Target::Page(_) => WalkAnswer {
                                label: a.label.clone(),
                                next: None,
                                outcome: self.outcome(&a.target, path),
                            },
                        })
                        .collect();
                    (id.as_str().to_string(), WalkQuestion { ask: q.ask.clone(), answers })
                })
                .collect(),
        };
        let json = serde_json::to_string(&data).expect("walk views always serialize");
        let walk =
            WalkView { start: step_anchor(walk.start.as_str()), steps, tree, data_json: json.replace('<', "\\u003c") };
        DecisionView { page, walk }
    }

    fn question_of(&self, id: &QuestionId) -> &crate::meta::Question {
        let at = self.site.questions[id];
        &self.site.pages[at.page].meta.questions[at.index]
    }

    fn outcome(&self, target: &Target, from: &str) -> Option<super::view::PageLink> {
        let Target::Page(slug) = target else { return None };
        self.site.by_slug.get(slug).map(|&i| self.link(from, i, Vec::new()))
    }

    fn step(&self, id: &QuestionId, path: &str) -> StepView {
        let q = self.question_of(id);
        let answers = q
            .answers
            .iter()
            .map(|a| match &a.target {
                Target::Question(next) => StepAnswer {
                    label: a.label.clone(),
                    url: format!("#{}", step_anchor(next.as_str())),
                    outcome: None,
                },
                Target::Page(_) => {
                    let outcome = self.outcome(&a.target, path);
                    let url = outcome.as_ref().map_or_else(|| relative_url(path, "index.html"), |o| o.url.clone());
                    StepAnswer { label: a.label.clone(), url, outcome }
                }
            })
            .collect();
        StepView { anchor: step_anchor(id.as_str()), ask: q.ask.clone(), help: q.help.clone(), answers }
    }

    /// Draws each question once; a question met again points at its step.
    fn tree_node(
        &self,
        id: &QuestionId,
        answer: Option<String>,
        path: &str,
        drawn: &mut BTreeSet<QuestionId>,
        depth: usize,
    ) -> TreeNode {
        let q = self.question_of(id);
        let url = format!("#{}", step_anchor(id.as_str()));
        if !drawn.insert(id.clone()) || depth >= TREE_DEPTH {
            return TreeNode { answer, kind: "again", text: q.ask.clone(), url, children: Vec::new() };
        }
        let children = q
            .answers
            .iter()
            .filter_map(|a| match &a.target {
                Target::Question(next) => Some(self.tree_node(next, Some(a.label.clone()), path, drawn, depth + 1)),
                Target::Page(_) => self.outcome(&a.target, path).map(|o| TreeNode {
                    answer: Some(a.label.clone()),
                    kind: "outcome",
                    text: o.title,
                    url: o.url,
                    children: Vec::new(),
                }),
            })
            .collect();
        TreeNode { answer, kind: "question", text: q.ask.clone(), url, children }
    }
}
