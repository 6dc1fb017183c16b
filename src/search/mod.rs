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

mod ascii;
mod docs;
mod files;
mod index;
mod lanes;
mod tally;
mod text;
pub(crate) mod words;

use pulldown_cmark::Event;

use crate::hashing::FastMap;
use crate::meta::Question;

pub(crate) use files::{
    DOCS_PER_FILE, SEARCH_DIR, docs_script, facet_script, meta_script, shard_script, text_path, text_script,
    words_script,
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

use tally::{PageTally, Tally, TermPlaces};
use words::{Resolved, Resolver, Segment, Stemming, Texts, WordId, for_each_packed_segment, with_words};

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
    /// In the order the page first has them.
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
    /// The document's terms, in the order the page first has them.
    pub(crate) fn terms(&self) -> &[TermCount] {
        &self.terms
    }

    /// Each field's length in words.
    pub(crate) fn lengths(&self) -> [u32; 3] {
        self.lengths
    }
}

/// Counts a document's words, field by field: first as written (a page
/// has a few hundred words but far fewer distinct ones), then
/// [`WordCounter::finish`] folds and stems each distinct one. A body's
/// text is gathered as its events come and split into words in one pass
/// at the end: its events are short (a few dozen bytes each), and words
/// are found fastest in long runs of text.
pub(crate) struct WordCounter {
    stemming: Stemming,
    /// Words of at most 16 bytes, counted in the thread's table (`tally.rs`).
    short: PageTally,
    /// Longer ones.
    long: FastMap<Box<str>, [u32; 3]>,
    picker: TextPicker,
    /// The body's text and its headings', each piece of text after the
    /// last, a space where a block, line or heading ends.
    body: String,
    headings: String,
}

impl WordCounter {
    /// A counter that makes terms with `stemming`.
    pub(crate) fn new(stemming: Stemming) -> Self {
        WordCounter::for_body(stemming, 0)
    }

    /// A counter for a body of about `size` bytes: its text is gathered
    /// without growing the buffer.
    pub(crate) fn for_body(stemming: Stemming, size: usize) -> Self {
        let short = Tally::with(stemming, Tally::start);
        let (picker, body, headings) = (TextPicker::default(), String::with_capacity(size), String::with_capacity(256));
        WordCounter { stemming, short, long: FastMap::default(), picker, body, headings }
    }

    /// Counts the words of `text` in `field`.
    pub(crate) fn add(&mut self, field: Field, text: &str) {
        let field = field as usize;
        let (short, long) = (&mut self.short, &mut self.long);
        Tally::with(self.stemming, |tally| {
            for_each_packed_segment(text, |segment| match segment {
                Segment::Packed(key) => tally.count(short, key, field),
                Segment::Long(segment) => match long.get_mut(segment) {
                    Some(counts) => counts[field] += 1,
                    None => {
                        let mut counts = [0; 3];
                        counts[field] = 1;
                        long.insert(segment.into(), counts);
                    }
                },
            })
        });
    }

    /// Takes the next event of a body: the searchable text
    /// ([`TextPicker`]) of headings counts in [`Field::Headings`], the rest
    /// in [`Field::Body`].
    pub(crate) fn body_event(&mut self, event: &Event<'_>) {
        match self.picker.pick(event) {
            Some(Piece::Heading(text)) => self.headings.push_str(text),
            Some(Piece::Body(text)) => self.body.push_str(text),
            Some(Piece::SectionEnd) => self.headings.push(' '),
            Some(Piece::Gap) if !self.body.ends_with(' ') => self.body.push(' '),
            Some(Piece::Gap) | None => {}
        }
    }

    /// Counts a page's fields besides its body: title, summary, questions.
    pub(crate) fn add_page_fields(&mut self, title: &str, summary: Option<&str>, questions: &[Question]) {
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
    pub(crate) fn finish(mut self) -> PageWords {
        let (body, headings) = (std::mem::take(&mut self.body), std::mem::take(&mut self.headings));
        self.add(Field::Body, &body);
        self.add(Field::Headings, &headings);
        let mut lengths = [0u32; 3];
        let mut terms: Vec<TermCount> = Vec::with_capacity(256);
        // Terms that more than one word of the page gave, with the other
        // words: which word to keep is settled under one lock, at the end,
        // and whatever the order they came in.
        let mut rivals: Vec<(usize, WordId)> = Vec::new();
        TermPlaces::with(|places| {
            let page = places.start();
            let mut take = |resolved: Resolved, counts: [u32; 3]| {
                let Some((word, term)) = resolved else { return };
                for (length, count) in lengths.iter_mut().zip(counts) {
                    *length += count;
                }
                let counts = counts.map(|n| n.min(255) as u8);
                match places.place(page, term, terms.len()) {
                    Some(at) => {
                        for (kept, more) in terms[at].counts.iter_mut().zip(counts) {
                            *kept = kept.saturating_add(more);
                        }
                        rivals.push((at, word));
                    }
                    None => terms.push(TermCount { term, word, counts }),
                }
            };
            Tally::with(self.stemming, |tally| tally.finish(self.short, self.stemming, &mut take));
            let mut resolver = Resolver::new(self.stemming);
            for (segment, &counts) in &self.long {
                take(resolver.written(segment), counts);
            }
        });
        if !rivals.is_empty() {
            with_words(|words| {
                for (at, word) in rivals {
                    terms[at].word = shorter_word(words, terms[at].word, word);
                }
            });
        }
        PageWords { terms: terms.into_boxed_slice(), lengths }
    }
}

/// Of two words, the shorter, then the first in code point order.
fn shorter_word(words: &Texts<'_>, a: WordId, b: WordId) -> WordId {
    let (x, y) = (words.of(a), words.of(b));
    let chars = |w: &str| if w.is_ascii() { w.len() } else { w.chars().count() };
    if (chars(x), x) <= (chars(y), y) { a } else { b }
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
