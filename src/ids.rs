//! Pages across two analyses. A page's id is its rank by source path, so
//! adding or deleting a page shifts the ids of the pages after it; a stage
//! that carries results over from the last analysis maps them through an
//! [`IdMap`].

use std::cmp::Ordering;
use std::sync::Arc;

use crate::page::ParsedPage;

/// More pages than this came or went at once: stages work everything out
/// again rather than map what they had.
pub(crate) const FEW_MOVED: usize = 64;

/// Which page of the last analysis each page is, and the other way round,
/// matched by source path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IdMap {
    /// For each page id now, its id then (`None`: added since).
    pub(crate) old_of: Vec<Option<usize>>,
    /// For each page id then, its id now (`None`: removed since).
    pub(crate) new_of: Vec<Option<usize>>,
}

impl IdMap {
    /// The map between `before` and `now` (both sorted by source path), or
    /// `None` if more than `at_most` pages came or went.
    pub(crate) fn between(before: &[Arc<ParsedPage>], now: &[Arc<ParsedPage>], at_most: usize) -> Option<IdMap> {
        let (mut old_of, mut new_of) = (vec![None; now.len()], vec![None; before.len()]);
        let (mut i, mut j, mut unmatched) = (0, 0, 0);
        while i < before.len() || j < now.len() {
            let order = match (before.get(i), now.get(j)) {
                (Some(a), Some(b)) => a.source.rel_path.cmp(&b.source.rel_path),
                (Some(_), None) => Ordering::Less,
                _ => Ordering::Greater,
            };
            match order {
                Ordering::Equal => {
                    (old_of[j], new_of[i]) = (Some(i), Some(j));
                    (i, j) = (i + 1, j + 1);
                }
                Ordering::Less => (i, unmatched) = (i + 1, unmatched + 1),
                Ordering::Greater => (j, unmatched) = (j + 1, unmatched + 1),
            }
            if unmatched > at_most {
                return None;
            }
        }
        Some(IdMap { old_of, new_of })
    }

    /// Whether no page came or went: ids are the same.
    pub(crate) fn is_identity(&self) -> bool {
        self.old_of.len() == self.new_of.len() && self.old_of.iter().enumerate().all(|(i, o)| *o == Some(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::page::parse_page;
    use crate::source::source_from_text;

    fn pages(names: &[&str]) -> Vec<Arc<ParsedPage>> {
        let config = Config::default();
        names.iter().map(|n| Arc::new(parse_page(source_from_text("content", n, ""), &config).unwrap().0)).collect()
    }

    #[test]
    fn pages_are_matched_by_path_across_additions_and_removals() {
        let map =
            IdMap::between(&pages(&["a.md", "b.md", "d.md"]), &pages(&["a.md", "c.md", "d.md", "e.md"]), 8).unwrap();
        assert_eq!(map.old_of, [Some(0), None, Some(2), None]);
        assert_eq!(map.new_of, [Some(0), None, Some(2)]);
        assert!(!map.is_identity());
        assert!(IdMap::between(&pages(&["a.md"]), &pages(&["b.md", "c.md"]), 2).is_none());
        assert!(IdMap::between(&pages(&["a.md", "b.md"]), &pages(&["a.md", "b.md"]), 0).unwrap().is_identity());
    }
}
