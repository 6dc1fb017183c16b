//! Where each diagnostic question is defined. Question ids are unique across
//! the playbook: an answer names a question by id alone.

use std::sync::Arc;

use crate::diag::{Code, Diagnostic};
use crate::hashing::{FastMap, hash_of};
use crate::model::QuestionId;
use crate::page::{Input, ParsedPage};

/// Where a diagnostic question is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct QuestionRef {
    /// The id of the page that holds it.
    pub(crate) page: usize,
    /// Index into that page's questions.
    pub(crate) index: usize,
}

/// A hash of what indexing questions, and the question graph built on
/// them, read of a page: its questions and its decision start.
pub(crate) fn questions_hash(page: &ParsedPage) -> u64 {
    page.input_hash(Input::Questions, |p| hash_of(&(&p.meta.questions, &p.meta.decision)))
}

/// Indexes every question by id; a second definition of an id is a
/// problem, as are questions on the home page.
pub(super) fn index_questions(
    pages: &[Arc<ParsedPage>],
    home: Option<&Arc<ParsedPage>>,
) -> (FastMap<QuestionId, QuestionRef>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut index: FastMap<QuestionId, QuestionRef> = FastMap::default();
    for (page_id, page) in pages.iter().enumerate() {
        for (question_index, question) in page.meta.questions.iter().enumerate() {
            match index.get(&question.id) {
                Some(first) if first.page != page_id => problems.push(
                    Diagnostic::error(
                        Code::DuplicateQuestion,
                        format!("question id `{}` is already used", question.id),
                    )
                    .at_field(page, question.place)
                    .with_note(format!("first defined in {}", pages[first.page].source.display_path))
                    .with_help("question ids are unique across the playbook; rename one of them"),
                ),
                Some(_) => {}
                None => {
                    index.insert(question.id.clone(), QuestionRef { page: page_id, index: question_index });
                }
            }
        }
    }
    if let Some(home) = home.filter(|h| !h.meta.questions.is_empty()) {
        problems.push(
            Diagnostic::error(Code::InvalidQuestion, "the home page cannot hold diagnostic questions")
                .at_field(home, home.meta.questions[0].place)
                .with_help("move them to a page of their own"),
        );
    }
    (index, problems)
}
