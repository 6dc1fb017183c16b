//! Counting a page's short words at the speed of the text: every word of
//! every page passes through here while pages are parsed (6.6 million at
//! 10,000 gen_corpus pages), so a word costs a multiply, a probe and an
//! add. Each thread keeps one table of the short words it has seen
//! ([`pack`](super::words::pack)ed into integers), each with its folded
//! word and term worked out once, and counts one page at a time in it: a
//! page stamps the entries it touches and lists them, so starting the next
//! page clears nothing.

use std::cell::RefCell;

use super::words::{Resolved, Resolver, Stemming, WordId};

/// One word as written, as this thread has seen it: 32 bytes, two to a
/// cache line, found without a second lookup.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The packed word; 0 for a free place (no word packs to 0).
    key: u128,
    /// The page whose counts `counts` are.
    page: u32,
    counts: [u32; 3],
}

/// A thread's words, for one stemming: open addressing over entries, with
/// each word's folded word and term beside it.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    entries: Vec<Entry>,
    /// What each entry's word resolves to, once worked out.
    resolved: Vec<Resolved>,
    used: usize,
    /// The last page stamp handed out.
    page: u32,
}

/// What a page counted: the places it touched, under its stamp.
#[derive(Debug, Default)]
pub(crate) struct PageTally {
    page: u32,
    touched: Vec<u32>,
}

const FREE: Entry = Entry { key: 0, page: 0, counts: [0; 3] };

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
        if next_stamp(&mut self.page) {
            self.entries.iter_mut().for_each(|e| e.page = 0);
        }
        PageTally { page: self.page, touched: Vec::with_capacity(256) }
    }

    /// Counts one occurrence of the packed word `key` in `field` of `page`.
    #[inline]
    pub(crate) fn count(&mut self, page: &mut PageTally, key: u128, field: usize) {
        if (self.used + 1) * 2 > self.entries.len() {
            self.grow(page);
        }
        let mask = self.entries.len() - 1;
        let mut i = hash(key) & mask;
        loop {
            let entry = &mut self.entries[i];
            if entry.key == key {
                break;
            }
            if entry.key == 0 {
                *entry = Entry { key, page: 0, counts: [0; 3] };
                self.resolved[i] = UNRESOLVED;
                self.used += 1;
                break;
            }
            i = (i + 1) & mask;
        }
        let entry = &mut self.entries[i];
        if entry.page != page.page {
            entry.page = page.page;
            entry.counts = [0; 3];
            page.touched.push(i as u32);
        }
        entry.counts[field] += 1;
    }

    /// Each word `page` counted: its folded word and term, and its counts.
    /// The words are resolved with `stemming` the first time this thread
    /// sees them.
    pub(crate) fn finish(&mut self, page: PageTally, stemming: Stemming, mut each: impl FnMut(Resolved, [u32; 3])) {
        let mut resolver = None;
        for at in page.touched {
            let at = at as usize;
            let entry = self.entries[at];
            debug_assert_eq!(entry.page, page.page, "one page counts on a thread at a time");
            if self.resolved[at] == UNRESOLVED {
                self.resolved[at] = resolver.get_or_insert_with(|| Resolver::new(stemming)).packed(entry.key);
            }
            each(self.resolved[at], entry.counts);
        }
    }

    /// Twice the room; the places `page` touched move with their entries.
    #[cold]
    fn grow(&mut self, page: &mut PageTally) {
        let touched: Vec<u128> = page.touched.iter().map(|&at| self.entries[at as usize].key).collect();
        let size = (self.entries.len() * 2).max(1024);
        let old = std::mem::replace(&mut self.entries, vec![FREE; size]);
        let old_resolved = std::mem::replace(&mut self.resolved, vec![UNRESOLVED; size]);
        let mask = size - 1;
        let place = |entries: &[Entry], key: u128| {
            let mut i = hash(key) & mask;
            while entries[i].key != 0 && entries[i].key != key {
                i = (i + 1) & mask;
            }
            i
        };
        for (entry, resolved) in old.into_iter().zip(old_resolved).filter(|(e, _)| e.key != 0) {
            let i = place(&self.entries, entry.key);
            self.entries[i] = entry;
            self.resolved[i] = resolved;
        }
        page.touched = touched.into_iter().map(|key| place(&self.entries, key) as u32).collect();
    }
}

/// Where each term is in the list of the page being finished, by term id:
/// a thread's table, stamped per page like [`Tally`]'s, so that the words
/// of a page that give one term are merged without sorting.
#[derive(Debug, Default)]
pub(crate) struct TermPlaces {
    /// Per term id: the page stamp, and the place in that page's list.
    places: Vec<(u32, u32)>,
    page: u32,
}

impl TermPlaces {
    /// Calls `work` with this thread's table.
    pub(crate) fn with<R>(work: impl FnOnce(&mut TermPlaces) -> R) -> R {
        thread_local! {
            static PLACES: RefCell<TermPlaces> = RefCell::default();
        }
        PLACES.with(|places| work(&mut places.borrow_mut()))
    }

    /// Starts a page; returns its stamp.
    pub(crate) fn start(&mut self) -> u32 {
        if next_stamp(&mut self.page) {
            self.places.iter_mut().for_each(|p| p.0 = 0);
        }
        self.page
    }

    /// Where `term` is in the list of `page`, or `None` if it is new, and
    /// then it is at `next`.
    pub(crate) fn place(&mut self, page: u32, term: WordId, next: usize) -> Option<usize> {
        let at = term as usize;
        if at >= self.places.len() {
            self.places.resize((at + 1).next_power_of_two(), (0, 0));
        }
        let (stamp, place) = &mut self.places[at];
        if *stamp == page {
            return Some(*place as usize);
        }
        (*stamp, *place) = (page, next as u32);
        None
    }
}

/// Not yet worked out: no real word resolves to this.
const UNRESOLVED: Resolved = Some((u32::MAX, u32::MAX));

/// Moves a table's page stamp on (0 is never one: it marks a place no
/// page has touched). Returns whether the stamps wrapped: the caller then
/// forgets every place's stamp rather than mistake an old one for the new.
fn next_stamp(stamp: &mut u32) -> bool {
    *stamp = stamp.wrapping_add(1);
    let wrapped = *stamp == 0;
    *stamp = (*stamp).max(1);
    wrapped
}

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

    #[test]
    fn tally_stamps_wrap_without_mistaking_a_page() {
        let mut tally = Tally::default();
        assert_eq!(counts("a", &mut tally)[0].1, [0, 0, 1]);
        tally.page = u32::MAX;
        let page = tally.start();
        assert_eq!(page.page, 1);
        // The entry `a` was stamped 1 by the first page: its counts are not
        // this page's.
        assert!(tally.entries.iter().all(|e| e.page == 0));
    }

    #[test]
    fn term_places_are_per_page() {
        let mut places = TermPlaces::default();
        let page = places.start();
        assert_eq!(places.place(page, 7, 0), None);
        assert_eq!(places.place(page, 3000, 1), None);
        assert_eq!(places.place(page, 7, 2), Some(0));
        let next = places.start();
        assert_eq!(places.place(next, 7, 0), None);
        // A stamp that wraps forgets every place rather than reuse one.
        places.page = u32::MAX;
        let wrapped = places.start();
        assert_eq!(wrapped, 1);
        assert_eq!(places.place(wrapped, 3000, 0), None);
    }
}
