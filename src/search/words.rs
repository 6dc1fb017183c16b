//! Words as search sees them, on both sides of the index: split by
//! Unicode's word boundaries (UAX #29), case and accent folded, and
//! stemmed when the book's language has a stemmer the browser runs too.
//! `assets/search.js` does the same to a query: `Intl.Segmenter`, NFKD
//! without marks, `toLowerCase`, and `search-stem.js`, whose parity with
//! `rust-stemmers` a browser test checks word by word.
//!
//! Words are interned: a page keeps ids, not strings, and each distinct
//! word is folded and stemmed once per process however many pages use it.

use std::cell::RefCell;
use std::sync::{Mutex, OnceLock};

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

use crate::hashing::FastMap;

/// Folded words longer than this many characters are not indexed: no one
/// types them, and they would only bloat the index.
pub(crate) const MAX_WORD_CHARS: usize = 40;

/// The id of an interned word.
pub(crate) type WordId = u32;

/// How the terms of a book are made from its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Stemming {
    /// Snowball's English (Porter2) stemmer, for books in English.
    English,
    /// Words are terms as they are: the browser has no stemmer for the
    /// book's language, and a query must be made into terms the same way.
    None,
}

impl Stemming {
    /// The stemming for a book whose `language` is this BCP 47 tag.
    pub(crate) fn for_language(language: &str) -> Stemming {
        let primary = language.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("en") { Stemming::English } else { Stemming::None }
    }

    /// What `search.js` calls it in `meta.js`.
    pub(crate) fn name(self) -> Option<&'static str> {
        match self {
            Stemming::English => Some("english"),
            Stemming::None => None,
        }
    }

    /// The term a folded word gives.
    pub(crate) fn term(self, word: WordId) -> WordId {
        match self {
            Stemming::English => vocabulary().english_stem(word),
            Stemming::None => word,
        }
    }
}

/// Calls `each` with every folded word of `text`, in order.
#[cfg(test)]
pub(crate) fn for_each_word(text: &str, mut each: impl FnMut(&str)) {
    let mut folded = String::new();
    for_each_segment(text, |segment| {
        if let Some(word) = fold(segment, &mut folded) {
            each(word);
        }
    });
}

/// Calls `each` with every word of `text` as written, before folding, the
/// slow way: the reference [`for_each_packed_segment`] is tested against.
#[cfg(test)]
pub(crate) fn for_each_segment<'a>(text: &'a str, mut each: impl FnMut(&'a str)) {
    // Whitespace always ends a word: splitting on it first changes nothing.
    text.split_ascii_whitespace().flat_map(UnicodeSegmentation::unicode_words).for_each(&mut each);
}

/// A word as written, folded into `buffer`; `None` if folding leaves
/// nothing or too much to index.
pub(crate) fn fold<'b>(segment: &str, buffer: &'b mut String) -> Option<&'b str> {
    fold_into(segment, buffer);
    let word = buffer.trim_matches('\'');
    let long = if word.is_ascii() { word.len() > MAX_WORD_CHARS } else { word.chars().count() > MAX_WORD_CHARS };
    (!word.is_empty() && !long).then_some(word)
}

/// A word of `text` as written, as search counts it: packed into an
/// integer ([`pack`]) when it is short, as most are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Segment<'a> {
    /// A word of at most 16 bytes.
    Packed(u128),
    /// A longer one.
    Long(&'a str),
}

/// Calls `each` with every word of `text` as written (UAX #29's words,
/// before folding), packed when short. ASCII text is packed straight from
/// its bytes.
pub(crate) fn for_each_packed_segment<'a>(text: &'a str, mut each: impl FnMut(Segment<'a>)) {
    // A page's text is mostly ASCII with the odd curly quote or accent:
    // the whole words before one go the fast way, then the chunk holding
    // it (up to whitespace, which always ends a word) the general way.
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = if rest.is_ascii() {
            rest.len()
        } else {
            let first = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
            rest[..first].rfind(|c: char| c.is_ascii_whitespace()).map_or(0, |space| space + 1)
        };
        packed_ascii(&rest[..ascii], &mut each);
        rest = &rest[ascii..];
        let chunk = rest.find(|c: char| c.is_ascii_whitespace()).unwrap_or(rest.len());
        for word in rest[..chunk].unicode_words() {
            each(pack(word).map_or(Segment::Long(word), Segment::Packed));
        }
        rest = &rest[chunk..];
    }
}

/// [`for_each_packed_segment`] of ASCII text: each word packed straight
/// from its bytes.
fn packed_ascii<'a>(text: &'a str, each: &mut impl FnMut(Segment<'a>)) {
    let bytes = text.as_bytes();
    super::ascii::word_spans(bytes, |start, end| {
        let len = end - start;
        each(if len > 16 {
            Segment::Long(&text[start..end])
        } else if let Some(window) = bytes.get(start..start + 16) {
            // One load of the 16 bytes from the word's start, masked to
            // its length: the same integer `pack` makes.
            let all = u128::from_le_bytes(window.try_into().expect("16 bytes"));
            Segment::Packed(if len == 16 { all } else { all & ((1u128 << (8 * len)) - 1) })
        } else {
            Segment::Packed(pack(&text[start..end]).expect("at most 16 bytes"))
        })
    });
}

/// Case and accent folding: typographic apostrophes become `'`, then NFKD
/// without combining marks, then lower case, with `ß` as `ss` (as
/// "STRASSE" writes "Straße").
fn fold_into(word: &str, out: &mut String) {
    out.clear();
    if word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'\'' || b == b'.') {
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    let unmarked: String = word
        .chars()
        .map(|c| if matches!(c, '\u{2018}' | '\u{2019}' | '\u{02BC}') { '\'' } else { c })
        .nfkd()
        .filter(|&c| !is_combining_mark(c))
        .collect();
    out.push_str(&unmarked.to_lowercase().replace('ß', "ss"));
}

/// A word as written, of at most 16 bytes, as an integer: its bytes, then
/// zeros (no word has a NUL byte, so no two words pack alike). Hashing and
/// comparing it takes a few instructions, not a loop.
pub(crate) fn pack(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    (bytes.len() <= 16).then(|| {
        let mut packed = [0u8; 16];
        packed[..bytes.len()].copy_from_slice(bytes);
        u128::from_le_bytes(packed)
    })
}

/// What a word as written gives: the id of its folded form and its term,
/// or `None` if folding leaves nothing to index.
pub(crate) type Resolved = Option<(WordId, WordId)>;

/// Makes words as written into folded words and terms.
pub(crate) struct Resolver {
    stemming: Stemming,
    buffer: String,
}

impl Resolver {
    /// A resolver that stems with `stemming`.
    pub(crate) fn new(stemming: Stemming) -> Resolver {
        Resolver { stemming, buffer: String::new() }
    }

    /// A word [`pack`] packed.
    pub(crate) fn packed(&mut self, key: u128) -> Resolved {
        let bytes = key.to_le_bytes();
        let len = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        self.written(std::str::from_utf8(&bytes[..len]).expect("packed from a str"))
    }

    /// Any word as written.
    pub(crate) fn written(&mut self, segment: &str) -> Resolved {
        let word = fold(segment, &mut self.buffer)?;
        let surface = intern(word);
        Some((surface, self.stemming.term(surface)))
    }
}

/// The id of a folded word.
pub(crate) fn intern(word: &str) -> WordId {
    thread_local! {
        static SEEN: RefCell<FastMap<Box<str>, WordId>> = RefCell::new(FastMap::default());
    }
    SEEN.with(|seen| {
        if let Some(&id) = seen.borrow().get(word) {
            return id;
        }
        let id = vocabulary().intern(word);
        seen.borrow_mut().insert(word.into(), id);
        id
    })
}

/// Calls `read` with the words' texts, under one lock.
pub(crate) fn with_words<R>(read: impl FnOnce(&Texts<'_>) -> R) -> R {
    let table = vocabulary().table.lock().unwrap_or_else(|e| e.into_inner());
    read(&Texts(&table))
}

/// The text of each interned word.
pub(crate) struct Texts<'a>(&'a Table);

impl<'a> Texts<'a> {
    /// The text of `id`.
    pub(crate) fn of(&self, id: WordId) -> &'a str {
        &self.0.words[id as usize]
    }
}

/// Every word any page of this process used, folded, with its stem.
struct Vocabulary {
    table: Mutex<Table>,
}

#[derive(Default)]
pub(crate) struct Table {
    ids: FastMap<Box<str>, WordId>,
    words: Vec<Box<str>>,
    /// The English stem of each word, once asked (`WordId::MAX`: not yet).
    stems: Vec<WordId>,
}

fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(|| Vocabulary { table: Mutex::new(Table::default()) })
}

impl Vocabulary {
    fn intern(&self, word: &str) -> WordId {
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        table.intern(word)
    }

    fn english_stem(&self, word: WordId) -> WordId {
        thread_local! {
            static STEMMER: Stemmer = Stemmer::create(Algorithm::English);
            static STEMS: RefCell<FastMap<WordId, WordId>> = RefCell::new(FastMap::default());
        }
        if let Some(stem) = STEMS.with(|s| s.borrow().get(&word).copied()) {
            return stem;
        }
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        let mut stem = table.stems[word as usize];
        if stem == WordId::MAX {
            let text = table.words[word as usize].clone();
            let stemmed = STEMMER.with(|stemmer| stemmer.stem(&text).into_owned());
            stem = table.intern(&stemmed);
            table.stems[word as usize] = stem;
        }
        drop(table);
        STEMS.with(|s| s.borrow_mut().insert(word, stem));
        stem
    }
}

impl Table {
    fn intern(&mut self, word: &str) -> WordId {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = WordId::try_from(self.words.len()).expect("fewer than 4 billion distinct words");
        self.ids.insert(word.into(), id);
        self.words.push(word.into());
        self.stems.push(WordId::MAX);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(text, |w| out.push(w.to_string()));
        out
    }

    fn stem(word: &str) -> String {
        let id = Stemming::English.term(intern(word));
        with_words(|w| w.of(id).to_string())
    }

    #[test]
    fn words_are_split_by_unicode_rules_and_folded() {
        assert_eq!(
            words("Naïve CAFÉ, the team’s v2.1 plan—don't!"),
            ["naive", "cafe", "the", "team's", "v2.1", "plan", "don't"]
        );
        assert_eq!(words("Straße ﬁle 中文"), ["strasse", "file", "中", "文"]);
        assert_eq!(words("STRASSE Größe GRÖẞE"), ["strasse", "grosse", "grosse"]);
        assert_eq!(words(&"x".repeat(MAX_WORD_CHARS + 1)), Vec::<String>::new());
        assert_eq!(words("'quoted' -- ..."), ["quoted"]);
    }

    #[test]
    fn stems_join_the_forms_of_a_word() {
        assert_eq!(stem("priorities"), stem("priority"));
        assert_eq!(stem("running"), "run");
        assert!(stem("priorities").starts_with(&stem("prioritize")), "prefix match in search.js relies on this");
        assert_eq!(Stemming::None.term(intern("running")), intern("running"));
    }

    #[test]
    fn the_language_picks_the_stemmer() {
        assert_eq!(Stemming::for_language("en"), Stemming::English);
        assert_eq!(Stemming::for_language("en-GB"), Stemming::English);
        assert_eq!(Stemming::for_language("de"), Stemming::None);
    }

    proptest::proptest! {
        /// The ASCII shortcut folds as the general path would.
        #[test]
        fn ascii_folding_matches_the_general_path(word in "[A-Za-z0-9_'.]{1,12}") {
            let mut fast = String::new();
            fold_into(&word, &mut fast);
            let general: String = word.nfkd().filter(|&c| !is_combining_mark(c)).collect::<String>().to_lowercase();
            proptest::prop_assert_eq!(fast, general);
        }

        /// Packing straight from the bytes packs as `pack` does.
        #[test]
        fn packed_segments_are_the_packed_words(text in "[a-zA-Z0-9_'. ]{0,60}|\\PC{0,30}|[a-zé’ .]{0,200}") {
            let mut fast = Vec::new();
            for_each_packed_segment(&text, |s| fast.push(s));
            let mut general = Vec::new();
            for_each_segment(&text, |w| general.push(pack(w).map_or(Segment::Long(w), Segment::Packed)));
            proptest::prop_assert_eq!(fast, general);
        }

        /// Folding is idempotent, and never yields upper case or marks.
        #[test]
        fn folded_words_are_stable(text in "\\PC{0,40}") {
            for_each_word(&text, |w| {
                let mut again = String::new();
                fold_into(w, &mut again);
                assert_eq!(again.trim_matches('\''), w);
                assert!(!w.chars().any(is_combining_mark));
            });
        }
    }
}
