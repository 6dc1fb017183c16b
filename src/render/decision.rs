//! The view of a decision page: its walk, step by step (plain anchors, so it
//! works without JavaScript), the data its script walks one question at a
//! time, and the tree drawn as nested lists; built from [`WalkFacts`].

use std::collections::{BTreeMap, BTreeSet};

use super::facts::{StepFacts, WalkFacts, WalkTarget};
use super::view::{
    DecisionView, NodeKind, OutcomeView, PageLink, PageView, StepAnswer, StepView, TocEntry, TreeNode, WalkAnswer,
    WalkData, WalkQuestion, WalkView,
};
use super::{Renderer, step_anchor};
use crate::model::QuestionId;
use crate::page::ParsedPage;
use crate::slug::relative_url;

/// How deep the drawn tree goes before it points at the step instead: a
/// long chain of questions must not make output (or template recursion)
/// grow without bound.
const TREE_DEPTH: usize = 32;

impl Renderer<'_> {
    pub(super) fn decision_view<'v>(
        &'v self,
        mut page: PageView<'v>,
        walk: &WalkFacts<'_>,
        path: &str,
    ) -> DecisionView<'v> {
        // "On this page" leads to the walk first and to the tree last.
        page.toc.insert(0, TocEntry { level: 2, id: "pb-walk".into(), text: "Walk through it".into() });
        page.toc.push(TocEntry { level: 2, id: "pb-tree-title".into(), text: "The whole tree".into() });
        let steps_by_id: BTreeMap<&QuestionId, &StepFacts<'_>> = walk.steps.iter().map(|s| (s.id, s)).collect();
        let steps = walk.steps.iter().map(|step| self.step(step, path)).collect();
        let mut drawn = BTreeSet::new();
        let tree = self.tree_node(&steps_by_id, walk.start, None, path, &mut drawn, 0);
        let data = WalkData {
            start: walk.start.as_str().to_string(),
            questions: walk
                .steps
                .iter()
                .map(|step| {
                    let answers = step
                        .answers
                        .iter()
                        .map(|(label, target)| match target {
                            WalkTarget::Next(next) => WalkAnswer {
                                label: label.to_string(),
                                next: Some(next.as_str().to_string()),
                                outcome: None,
                            },
                            WalkTarget::Outcome(card) => WalkAnswer {
                                label: label.to_string(),
                                next: None,
                                outcome: card.map(|c| self.outcome(path, c.0)),
                            },
                        })
                        .collect();
                    (step.id.as_str().to_string(), WalkQuestion { ask: step.ask.to_string(), answers })
                })
                .collect(),
        };
        let json = serde_json::to_string(&data).expect("walk views always serialize");
        let walk =
            WalkView { start: step_anchor(walk.start.as_str()), steps, tree, data_json: json.replace('<', "\\u003c") };
        DecisionView { page, walk }
    }

    /// An outcome page as the walk's outcome card shows it.
    fn outcome(&self, path: &str, page: &ParsedPage) -> OutcomeView {
        OutcomeView {
            link: self.link(path, page, Vec::new()),
            levels: self.level_links(path, page),
            first_steps: page.outline.first_steps.clone(),
        }
    }

    fn step(&self, step: &StepFacts<'_>, path: &str) -> StepView {
        let answers = step
            .answers
            .iter()
            .map(|(label, target)| match target {
                WalkTarget::Next(next) => StepAnswer {
                    label: label.to_string(),
                    url: format!("#{}", step_anchor(next.as_str())),
                    outcome: None,
                },
                WalkTarget::Outcome(card) => {
                    let outcome: Option<PageLink> = card.map(|c| self.link(path, c.0, Vec::new()));
                    let url = outcome.as_ref().map_or_else(|| relative_url(path, "index.html"), |o| o.url.clone());
                    StepAnswer { label: label.to_string(), url, outcome }
                }
            })
            .collect();
        StepView {
            anchor: step_anchor(step.id.as_str()),
            ask: step.ask.to_string(),
            help: step.help.map(str::to_string),
            answers,
        }
    }

    /// Draws each question once; a question met again points at its step.
    fn tree_node(
        &self,
        steps: &BTreeMap<&QuestionId, &StepFacts<'_>>,
        id: &QuestionId,
        answer: Option<String>,
        path: &str,
        drawn: &mut BTreeSet<QuestionId>,
        depth: usize,
    ) -> TreeNode {
        let step = steps[id];
        let url = format!("#{}", step_anchor(id.as_str()));
        if !drawn.insert(id.clone()) || depth >= TREE_DEPTH {
            return TreeNode { answer, kind: NodeKind::Again, text: step.ask.to_string(), url, children: Vec::new() };
        }
        let children = step
            .answers
            .iter()
            .filter_map(|(label, target)| match target {
                WalkTarget::Next(next) if steps.contains_key(next) => {
                    Some(self.tree_node(steps, next, Some(label.to_string()), path, drawn, depth + 1))
                }
                WalkTarget::Next(_) => None,
                WalkTarget::Outcome(card) => card.map(|c| {
                    let link = self.link(path, c.0, Vec::new());
                    TreeNode {
                        answer: Some(label.to_string()),
                        kind: NodeKind::Outcome,
                        text: link.title,
                        url: link.url,
                        children: Vec::new(),
                    }
                }),
            })
            .collect();
        TreeNode { answer, kind: NodeKind::Question, text: step.ask.to_string(), url, children }
    }
}
