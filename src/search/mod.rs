//! Full-text search that works from disk (issue 13).
//!
//! Every document (content and decision pages, the home page, each level
//! and context page) is made into words once, when it is parsed
//! ([`WordCounter`], reading what `text.rs` picks out of the body). The
//! analysis keeps an inverted index of the whole book ([`SearchIndex`]),
//! patched with the words of the pages an edit changed rather than built
//! again. Render writes it as small `.js` files that register themselves
//! when loaded (`files.rs`), so `<script>` loads them from `file://` and
//! over HTTP alike, and a query loads only the shards of its words; each
//! page's text, to quote, is written beside the page as it is rendered.
//! `assets/search.js` is the other half: it makes words of a query as
//! `words.rs` does, ranks with BM25F from the impacts stored here, adds a
//! bonus for query words that stand close together, and shows passages.

mod docs;
mod files;
mod index;
mod tally;
mod text;
pub(crate) mod words;

use pulldown_cmark::{CowStr, Event};

use crate::hashing::FastMap;
use crate::meta::Question;

pub(crate) use files::{
    DOCS_PER_FILE, docs_script, facet_script, meta_script, shard_script, text_path, text_script, words_script,
};
pub(crate) use index::SearchIndex;
pub(crate) use text::{DocText, SectionText};
use text::{Piece, TextPicker, question_fields};

/// One file of the index (`files.rs` says what each holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FileKind {
    /// `search/meta.js`.
    Meta,
    /// Shard `i`, in key order.
    Shard(usize),
    /// Documents `k * DOCS_PER_FILE ..`.
    Docs(usize),
    /// The documents at level `i`.
    Level(usize),
    /// The documents in context `i`.
    Context(usize),
    /// Words starting with this character.
    Words(char),
}
/// Every file of `index` but the documents' texts, which their pages
/// write.
pub(crate) fn files(index: &SearchIndex) -> impl Iterator<Item = FileKind> + '_ {
    let docs = index.docs().len().div_ceil(DOCS_PER_FILE);
    let [levels, contexts] = index.facet_counts();
    (std::iter::once(FileKind::Meta))
        .chain((0..index.shard_count()).map(FileKind::Shard))
        .chain((0..docs).map(FileKind::Docs))
        .chain((0..levels).map(FileKind::Level))
        .chain((0..contexts).map(FileKind::Context))
        .chain(index.first_chars().into_iter().map(FileKind::Words))
}

use tally::{PageTally, Tally};
use words::{
    Resolved, Resolver, Segment, Stemming, Texts, WordId, for_each_packed_segment, for_each_segment, with_words,
};

/// The parts of a document that weigh differently in ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// The title.
    Title = 0,
    /// Headings, questions and the summary.
    Headings = 1,
    /// Everything else.
    Body = 2,
}

/// One section of a document as search quotes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// The anchor to link to (`""`: the top of the page).
    pub(crate) id: String,
    /// Its heading (`""` for the text before the first one).
    pub(crate) heading: String,
    /// Its plain text.
    pub(crate) text: String,
}

/// How often each term occurs in each field of one document, and the
/// fields' lengths in words: all the index needs of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct PageWords {
    /// Sorted by term.
    terms: Box<[TermCount]>,
    lengths: [u32; 3],
}

/// One term of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct TermCount {
    /// The term.
    pub(crate) term: WordId,
    /// The shortest word of the document that gave it (then the first in
    /// code point order): what "did you mean" shows.
    pub(crate) word: WordId,
    /// Occurrences in each [`Field`], at most 255.
    pub(crate) counts: [u8; 3],
}

impl PageWords {
    /// The document's terms, sorted by id.
    pub(crate) fn terms(&self) -> &[TermCount] {
        &self.terms
    }

    /// Each field's length in words.
    pub(crate) fn lengths(&self) -> [u32; 3] {
        self.lengths
    }
}

/// Counts a document's words, field by field, as they are handed in:
/// first as written (a page has a few hundred words but far fewer distinct
/// ones), then [`WordCounter::finish`] folds and stems each distinct one.
pub(crate) struct WordCounter<'a> {
    stemming: Stemming,
    /// Words of at most 16 bytes, counted in the thread's table (`tally.rs`).
    short: PageTally,
    /// Longer ones.
    written: FastMap<&'a str, [u32; 3]>,
    /// Text that is not a slice of the page (entities, smart quotes).
    owned: FastMap<Box<str>, [u32; 3]>,
    picker: TextPicker,
}

impl<'a> WordCounter<'a> {
    /// A counter that makes terms with `stemming`.
    pub(crate) fn new(stemming: Stemming) -> Self {
        let short = Tally::with(stemming, Tally::start);
        let (written, owned) = (FastMap::default(), FastMap::default());
        WordCounter { stemming, short, written, owned, picker: TextPicker::default() }
    }

    /// Counts the words of `text` in `field`.
    pub(crate) fn add(&mut self, field: Field, text: &'a str) {
        let field = field as usize;
        let (short, written) = (&mut self.short, &mut self.written);
        Tally::with(self.stemming, |tally| {
            for_each_packed_segment(text, |segment| match segment {
                Segment::Packed(key) => tally.count(short, key, field),
                Segment::Long(segment) => written.entry(segment).or_default()[field] += 1,
            })
        });
    }

    /// Counts the searchable words of the next event of a body
    /// ([`TextPicker`]): headings' in [`Field::Headings`], the rest in
    /// [`Field::Body`].
    pub(crate) fn body_event(&mut self, event: &Event<'a>) {
        let (field, text) = match self.picker.pick(event) {
            Some(Piece::Heading(text)) => (Field::Headings, text),
            Some(Piece::Body(text)) => (Field::Body, text),
            _ => return,
        };
        match text {
            CowStr::Borrowed(text) => self.add(field, text),
            other => {
                let field = field as usize;
                for_each_segment(other, |segment| match self.owned.get_mut(segment) {
                    Some(counts) => counts[field] += 1,
                    None => {
                        let mut counts = [0; 3];
                        counts[field] = 1;
                        self.owned.insert(segment.into(), counts);
                    }
                });
            }
        }
    }

    /// Counts a page's fields besides its body: title, summary, questions.
    pub(crate) fn add_page_fields(&mut self, title: &'a str, summary: Option<&'a str>, questions: &'a [Question]) {
        self.add(Field::Title, title);
        if let Some(summary) = summary {
            self.add(Field::Headings, summary);
        }
        for question in questions {
            for (field, text) in question_fields(question) {
                self.add(field, text);
            }
        }
    }

    /// Each distinct term with its counts per field.
    pub(crate) fn finish(self) -> PageWords {
        let mut lengths = [0u32; 3];
        let mut found: Vec<(WordId, WordId, [u32; 3])> = Vec::with_capacity(256);
        let mut take = |resolved: Resolved, counts: [u32; 3]| {
            if let Some((surface, term)) = resolved {
                found.push((term, surface, counts));
                for (length, count) in lengths.iter_mut().zip(counts) {
                    *length += count;
                }
            }
        };
        Tally::with(self.stemming, |tally| tally.finish(self.short, self.stemming, &mut take));
        let mut resolver = Resolver::new(self.stemming);
        let long = self.written.iter().map(|(s, c)| (*s, c)).chain(self.owned.iter().map(|(s, c)| (&**s, c)));
        for (segment, &counts) in long {
            take(resolver.written(segment), counts);
        }
        found.sort_unstable_by_key(|&(term, surface, _)| (term, surface));
        let mut terms: Vec<TermCount> = Vec::with_capacity(found.len());
        with_words(|words| {
            for (term, surface, counts) in found {
                match terms.last_mut() {
                    Some(last) if last.term == term => {
                        for (kept, &more) in last.counts.iter_mut().zip(&counts) {
                            *kept = kept.saturating_add(more.min(255) as u8);
                        }
                        if last.word != surface {
                            last.word = shorter_word(words, last.word, surface);
                        }
                    }
                    _ => terms.push(TermCount { term, word: surface, counts: counts.map(|c| c.min(255) as u8) }),
                }
            }
        });
        PageWords { terms: terms.into_boxed_slice(), lengths }
    }
}

/// Of two words, the shorter, then the first in code point order.
fn shorter_word(words: &Texts<'_>, a: WordId, b: WordId) -> WordId {
    let (x, y) = (words.of(a), words.of(b));
    if (x.chars().count(), x) <= (y.chars().count(), y) { a } else { b }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::words::intern;

    fn words_of(title: &str, body: &str) -> PageWords {
        let mut counter = WordCounter::new(Stemming::English);
        for event in pulldown_cmark::Parser::new_ext(body, crate::markdown::options()) {
            counter.body_event(&event);
        }
        counter.add_page_fields(title, None, &[]);
        counter.finish()
    }

    #[test]
    fn words_count_terms_per_field() {
        let words =
            words_of("Priorities", "## The priority\n\nSet priorities; the priority is clear. Prioritized work.");
        let term = Stemming::English.term(intern("priority"));
        let entry = words.terms().iter().find(|t| t.term == term).expect("indexed");
        assert_eq!(entry.counts, [1, 1, 2]);
        assert_eq!(with_words(|w| w.of(entry.word).to_string()), "priority");
        assert_eq!(words.lengths(), [1, 2, 8]);
    }

    #[test]
    fn text_the_parser_owns_is_counted_too() {
        // `&amp;` and smart quotes come out of the parser as owned text.
        let words = words_of("", "Tom &amp; Jerry &amp; Tom");
        let tom = Stemming::English.term(intern("tom"));
        assert_eq!(words.terms().iter().find(|t| t.term == tom).map(|t| t.counts), Some([0, 0, 2]));
    }
}
