//! Counting a page's short words at the speed of the text: every word of
//! every page passes through here while pages are parsed (6.6 million at
//! 10,000 gen_corpus pages), so a word costs a multiply, a probe and an
//! add. Each thread keeps one table of the short words it has seen
//! ([`pack`](super::words::pack)ed into integers), each with its folded
//! word and term worked out once, and counts one page at a time in it: a
//! page stamps the entries it touches and lists them, so starting the next
//! page clears nothing.

use std::cell::RefCell;

use super::words::{Resolved, Resolver, Stemming};

/// One word as written, as this thread has seen it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: u128,
    resolved: Resolved,
    /// The page whose counts `counts` are.
    page: u32,
    counts: [u32; 3],
}

/// A thread's words, for one stemming.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Entries in the order first seen; their places never change.
    entries: Vec<Entry>,
    /// Open addressing over `entries`: a place, or `EMPTY`.
    slots: Vec<u32>,
    /// The last page stamp handed out.
    page: u32,
}

const EMPTY: u32 = u32::MAX;

/// What a page counted: the entries it touched, under its stamp.
#[derive(Debug, Default)]
pub(crate) struct PageTally {
    page: u32,
    touched: Vec<u32>,
}

impl Tally {
    /// Calls `work` with this thread's table for `stemming`.
    pub(crate) fn with<R>(stemming: Stemming, work: impl FnOnce(&mut Tally) -> R) -> R {
        thread_local! {
            static TALLIES: RefCell<[Tally; 2]> = RefCell::default();
        }
        TALLIES.with(|tallies| work(&mut tallies.borrow_mut()[stemming as usize]))
    }

    /// Starts counting a page.
    pub(crate) fn start(&mut self) -> PageTally {
        self.page = self.page.wrapping_add(1);
        PageTally { page: self.page, touched: Vec::with_capacity(256) }
    }

    /// Counts one occurrence of the packed word `key` in `field` of `page`.
    pub(crate) fn count(&mut self, page: &mut PageTally, key: u128, field: usize) {
        let at = self.place_of(key);
        let entry = &mut self.entries[at as usize];
        if entry.page != page.page {
            entry.page = page.page;
            entry.counts = [0; 3];
            page.touched.push(at);
        }
        entry.counts[field] += 1;
    }

    /// Each word `page` counted: its folded word and term, and its counts.
    /// The words are resolved with `stemming` the first time this thread
    /// sees them.
    pub(crate) fn finish(&mut self, page: PageTally, stemming: Stemming, mut each: impl FnMut(Resolved, [u32; 3])) {
        let unresolved: Vec<u32> =
            page.touched.iter().copied().filter(|&at| self.entries[at as usize].resolved == UNRESOLVED).collect();
        if !unresolved.is_empty() {
            let mut resolver = Resolver::new(stemming);
            for at in unresolved {
                let entry = &mut self.entries[at as usize];
                entry.resolved = resolver.packed(entry.key);
            }
        }
        for at in page.touched {
            let entry = &self.entries[at as usize];
            debug_assert_eq!(entry.page, page.page, "one page counts on a thread at a time");
            each(entry.resolved, entry.counts);
        }
    }

    /// The place of `key`'s entry, made if new.
    fn place_of(&mut self, key: u128) -> u32 {
        if self.entries.len() * 2 >= self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = hash(key) & mask;
        loop {
            let at = self.slots[i];
            if at == EMPTY {
                let at = self.entries.len() as u32;
                self.entries.push(Entry { key, resolved: UNRESOLVED, page: 0, counts: [0; 3] });
                self.slots[i] = at;
                return at;
            }
            if self.entries[at as usize].key == key {
                return at;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        self.slots = vec![EMPTY; size];
        let mask = size - 1;
        for (at, entry) in self.entries.iter().enumerate() {
            let mut i = hash(entry.key) & mask;
            while self.slots[i] != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = at as u32;
        }
    }
}

/// Not yet worked out: no real word resolves to this.
const UNRESOLVED: Resolved = Some((u32::MAX, u32::MAX));

fn hash(key: u128) -> usize {
    let mixed = ((key as u64) ^ ((key >> 64) as u64).rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> 32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::words::{Segment, for_each_packed_segment};

    fn counts(text: &str, tally: &mut Tally) -> Vec<(Resolved, [u32; 3])> {
        let mut page = tally.start();
        for_each_packed_segment(text, |s| {
            if let Segment::Packed(key) = s {
                tally.count(&mut page, key, 2);
            }
        });
        let mut out = Vec::new();
        tally.finish(page, Stemming::None, |r, c| out.push((r, c)));
        out.sort();
        out
    }

    #[test]
    fn pages_count_apart_and_grow_the_table() {
        let mut tally = Tally::default();
        let first = counts("a b a c", &mut tally);
        assert_eq!(first.iter().map(|(_, c)| c[2]).collect::<Vec<_>>().iter().sum::<u32>(), 4);
        assert_eq!(first.len(), 3);
        // The next page starts from nothing, though it shares words.
        let second = counts("a", &mut tally);
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].1, [0, 0, 1]);
        // Thousands of distinct words grow the table without losing any.
        let many: String = (0..5000).map(|i| format!("w{i} ")).collect();
        assert_eq!(counts(&many, &mut tally).len(), 5000);
        assert_eq!(counts(&many, &mut tally).len(), 5000);
    }
}
