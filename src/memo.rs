//! Reusing what a stage worked out when what it works from is unchanged.
//!
//! A stage of the analysis is a pure function of some inputs: a few fields of
//! every page, the configuration, another stage's result. Its [`Memo`] keeps
//! a hash of exactly those inputs (the key, which the stage defines next to
//! the code that reads them) and the problems it reported. The next analysis
//! computes the key again and, if it is the same, takes the previous result
//! instead of computing it: that is all there is to incremental updates, and
//! the differential test (tests/testsuite/differential.rs) checks that every
//! result so reused equals a fresh one.
//!
//! Problems hold line numbers. A stage's key covers the fields it reads, not
//! where in the file they are written, so a memo also remembers the text of
//! the pages its problems point into and is reused only if that text is
//! unchanged: a problem never points at a line that moved.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::page::ParsedPage;

/// The key of a stage's inputs and the problems it found.
#[derive(Debug, Clone, Default)]
pub(crate) struct Memo {
    key: u64,
    problems: Arc<Vec<Diagnostic>>,
    /// Files the problems point into, with the hash of each one's text.
    placed_in: Vec<(String, u64)>,
}

impl Memo {
    /// Records that a stage with inputs `key` found `problems`. `pages` are
    /// the pages whose text the problems may point into.
    pub(crate) fn new<'a>(
        key: u64,
        problems: Vec<Diagnostic>,
        pages: impl IntoIterator<Item = &'a Arc<ParsedPage>>,
    ) -> Memo {
        let placed_in = if problems.is_empty() {
            Vec::new()
        } else {
            let files: HashMap<&str, u64> =
                pages.into_iter().map(|p| (p.source.display_path.as_str(), p.content_hash)).collect();
            let mut placed: Vec<(String, u64)> = problems
                .iter()
                .filter_map(|d| d.location.as_ref())
                .filter(|l| l.position.is_some())
                .filter_map(|l| files.get(l.file.as_str()).map(|&hash| (l.file.clone(), hash)))
                .collect();
            placed.sort();
            placed.dedup();
            placed
        };
        Memo { key, problems: Arc::new(problems), placed_in }
    }

    /// Whether the stage, asked again with inputs `key` over `pages`, would
    /// find exactly what it found then.
    pub(crate) fn holds<'a>(&self, key: u64, pages: impl IntoIterator<Item = &'a Arc<ParsedPage>>) -> bool {
        if self.key != key {
            return false;
        }
        if self.placed_in.is_empty() {
            return true;
        }
        let files: HashMap<&str, u64> =
            pages.into_iter().map(|p| (p.source.display_path.as_str(), p.content_hash)).collect();
        self.placed_in.iter().all(|(file, hash)| files.get(file.as_str()) == Some(hash))
    }

    /// The key the stage was computed with.
    pub(crate) fn key(&self) -> u64 {
        self.key
    }

    /// The problems the stage found.
    pub(crate) fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }
}

/// Builds a stage's key from the parts of its inputs, in order.
pub(crate) struct KeyBuilder(foldhash::quality::FoldHasher<'static>);

impl KeyBuilder {
    /// A key that starts from `seed` (another stage's key, the configuration).
    pub(crate) fn new(seed: impl Hash) -> Self {
        let mut hasher = crate::hashing::hasher();
        seed.hash(&mut hasher);
        KeyBuilder(hasher)
    }

    /// Adds one input.
    pub(crate) fn add(&mut self, part: impl Hash) -> &mut Self {
        part.hash(&mut self.0);
        self
    }

    /// The key.
    pub(crate) fn finish(&self) -> u64 {
        self.0.finish()
    }
}
