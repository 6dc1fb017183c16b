//! The inverted index of the whole book: for each term, the documents it
//! is in with their BM25F impact, and the shards the terms are cut into.
//!
//! Built once from every document's words, then patched: an edit that
//! keeps the documents and the fields' average lengths changes only the
//! postings of the terms its pages had or have, and lays out again only
//! the groups (terms sharing their first two characters) those are in. The
//! result is the same as building afresh; `differential.rs` holds that.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use super::PageWords;
use super::docs::{Document, documents};
use super::words::{Stemming, Texts, WordId, with_words};
use crate::config::Config;
use crate::hashing::{FastMap, hash_of};
use crate::site::Site;

/// BM25's saturation constant.
pub(crate) const K1: f64 = 1.2;
/// How much a word counts in the title, the headings and the body.
const WEIGHTS: [f32; 3] = [4.0, 2.0, 1.0];
/// How much a field's length discounts its words (BM25F's `b` per field).
const LENGTH_DISCOUNT: [f32; 3] = [0.3, 0.5, 0.75];
/// A shard holds about this many bytes of postings (before base64) unless
/// one term alone is larger.
const SHARD_BYTES: usize = 24 * 1024;
/// A patch that would touch more documents than one in this many is a
/// rebuild instead.
const PATCH_SHARE: usize = 8;

/// The documents of a term, in id order, with their impacts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Postings {
    /// Document ids, ascending.
    pub(crate) docs: Vec<u32>,
    /// For each, BM25F's saturated term frequency, scaled to 1..=255.
    pub(crate) impacts: Vec<u8>,
    /// The words that gave the term, each with how many documents use it.
    words: Vec<(WordId, u32)>,
    /// Its encoded size ([`Postings::encoded_len`]) and a hash of the
    /// documents and impacts, worked out by [`Postings::seal`].
    size: usize,
    hash: u64,
}

impl Postings {
    fn insert(&mut self, doc: u32, impact: u8, word: WordId) {
        match self.docs.binary_search(&doc) {
            Ok(at) => self.impacts[at] = impact,
            Err(at) => {
                self.docs.insert(at, doc);
                self.impacts.insert(at, impact);
            }
        }
        match self.words.iter_mut().find(|(w, _)| *w == word) {
            Some((_, n)) => *n += 1,
            None => self.words.push((word, 1)),
        }
    }

    fn remove(&mut self, doc: u32, word: WordId) {
        if let Ok(at) = self.docs.binary_search(&doc) {
            self.docs.remove(at);
            self.impacts.remove(at);
        }
        if let Some(at) = self.words.iter().position(|(w, _)| *w == word) {
            self.words[at].1 -= 1;
            if self.words[at].1 == 0 {
                self.words.swap_remove(at);
            }
        }
    }

    /// The word readers know the term by: the one most documents use, then
    /// the shorter, then the first in code point order.
    pub(crate) fn word(&self, words: &Texts<'_>) -> WordId {
        let key = |&(w, n): &(WordId, u32)| (std::cmp::Reverse(n), words.of(w).chars().count(), words.of(w));
        self.words.iter().min_by_key(|e| key(e)).map_or(0, |&(w, _)| w)
    }

    /// Postings of `docs`, each with `impact`.
    #[cfg(test)]
    pub(crate) fn of(docs: &[u32], impact: u8) -> Postings {
        let mut postings = Postings { docs: docs.to_vec(), impacts: vec![impact; docs.len()], ..Default::default() };
        postings.seal();
        postings
    }

    /// Works out the size and hash once the postings are complete.
    fn seal(&mut self) {
        self.size = self.encoded_len();
        self.hash = hash_of(&(&self.docs, &self.impacts));
    }

    /// How many bytes the postings take, encoded (`files.rs`).
    pub(crate) fn encoded_len(&self) -> usize {
        let gaps: usize = (self.docs.iter().scan(0u32, |last, &d| {
            let gap = d - *last;
            *last = d;
            Some(varint_len(gap))
        }))
        .sum();
        let bitmap = self.docs.last().map_or(0, |&d| d as usize / 8 + 1);
        1 + gaps.min(bitmap) + self.impacts.len()
    }
}

fn varint_len(n: u32) -> usize {
    (32 - n.max(1).leading_zeros() as usize).div_ceil(7)
}

/// The terms that share their first character, sorted, and the shards
/// they are cut into.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Group {
    terms: Vec<(Box<str>, WordId)>,
    shards: Vec<Shard>,
    /// A hash of each term's word and document frequency.
    words_hash: u64,
}

/// A run of a group's terms written as one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shard {
    /// Its first term, which names it: a term is in the last shard whose
    /// first term is not after it.
    pub(crate) first: String,
    terms: Range<usize>,
    /// A hash of what it holds.
    pub(crate) hash: u64,
}

/// The inverted index of a book.
#[derive(Debug, Clone)]
pub(crate) struct SearchIndex {
    stemming: Stemming,
    /// What the documents' levels and contexts were numbered by.
    terms_key: u64,
    docs: Vec<Arc<Document>>,
    /// Each field's average length over the documents, rounded to a
    /// quarter power of two so that one edit seldom moves it.
    norms: [f32; 3],
    terms: FastMap<WordId, Arc<Postings>>,
    groups: BTreeMap<String, Arc<Group>>,
    /// Every shard, by key: (group key, place in the group).
    shards: Vec<(String, usize)>,
    layout_key: u64,
    /// How many levels and contexts `book.toml` declares: one facet file each.
    facets: [usize; 2],
    /// What each file of document rows and each facet holds, hashed once
    /// for the render that asks first.
    hashes: std::sync::OnceLock<FileHashes>,
}

/// Hashes of what the files made from the document list hold.
#[derive(Debug, Clone)]
pub(crate) struct FileHashes {
    /// Per `search/docs/<k>.js`.
    pub(crate) chunks: Vec<u64>,
    /// Per level's facet, then per context's; and the documents of each.
    pub(crate) facets: [Vec<(u64, Vec<usize>)>; 2],
}

impl SearchIndex {
    /// The index of `site`'s documents, patched from `previous` when that
    /// is cheaper; empty if the book has no search.
    pub(crate) fn of_site(site: &Site, config: &Config, previous: Option<&SearchIndex>) -> SearchIndex {
        let stemming = Stemming::for_language(&config.book.language);
        let terms_key = hash_of(&(
            stemming,
            config.playbook.levels.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            config.playbook.contexts.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ));
        let previous = previous.filter(|p| p.terms_key == terms_key);
        let docs =
            if config.build.search { documents(site, config, previous.map(|p| &p.docs[..])) } else { Vec::new() };
        let mut index = SearchIndex::new(docs, stemming, terms_key, previous);
        index.facets = [config.playbook.levels.len(), config.playbook.contexts.len()];
        index
    }

    fn new(
        docs: Vec<Arc<Document>>,
        stemming: Stemming,
        terms_key: u64,
        previous: Option<&SearchIndex>,
    ) -> SearchIndex {
        let norms = norms(&docs);
        if let Some(previous) = previous.filter(|p| p.norms == norms && p.docs.len() == docs.len()) {
            let changed: Vec<usize> = (0..docs.len())
                .filter(|&i| {
                    let (old, new) = (&previous.docs[i].words, &docs[i].words);
                    !Arc::ptr_eq(old, new) && old != new
                })
                .collect();
            if changed.len() * PATCH_SHARE <= docs.len().max(PATCH_SHARE) {
                return previous.patched(docs, &changed);
            }
        }
        SearchIndex::built(docs, stemming, terms_key, norms)
    }

    fn built(docs: Vec<Arc<Document>>, stemming: Stemming, terms_key: u64, norms: [f32; 3]) -> SearchIndex {
        // Each term's documents are counted first, so that every list is
        // allocated once at its size; ids are dense, so a table indexed by
        // id finds a term's list without hashing.
        let mut slot_of: Vec<u32> = Vec::new();
        let mut lists: Vec<(WordId, Postings)> = Vec::new();
        let mut frequency: Vec<u32> = Vec::new();
        for doc in &docs {
            for t in doc.words.terms() {
                let at = t.term as usize;
                if at >= slot_of.len() {
                    slot_of.resize(at + 1, u32::MAX);
                }
                if slot_of[at] == u32::MAX {
                    slot_of[at] = lists.len() as u32;
                    lists.push((t.term, Postings::default()));
                    frequency.push(0);
                }
                frequency[slot_of[at] as usize] += 1;
            }
        }
        for ((_, postings), &n) in lists.iter_mut().zip(&frequency) {
            postings.docs.reserve_exact(n as usize);
            postings.impacts.reserve_exact(n as usize);
        }
        for (doc, d) in docs.iter().enumerate() {
            for (term, impact, word) in doc_impacts(&d.words, norms) {
                let postings = &mut lists[slot_of[term as usize] as usize].1;
                postings.docs.push(doc as u32);
                postings.impacts.push(impact);
                match postings.words.iter_mut().find(|(w, _)| *w == word) {
                    Some((_, n)) => *n += 1,
                    None => postings.words.push((word, 1)),
                }
            }
        }
        let terms: FastMap<WordId, Postings> = lists.into_iter().collect();
        let terms: FastMap<WordId, Arc<Postings>> = (terms.into_par_iter())
            .map(|(t, mut p)| {
                p.seal();
                (t, Arc::new(p))
            })
            .collect();
        let mut by_group: BTreeMap<String, Vec<(Box<str>, WordId)>> = BTreeMap::new();
        with_words(|words| {
            for &term in terms.keys() {
                let word = words.of(term);
                by_group.entry(group_key(word)).or_default().push((word.into(), term));
            }
        });
        let groups = (by_group.into_par_iter())
            .map(|(key, members)| {
                let group = laid_out(members, &terms);
                (key, Arc::new(group))
            })
            .collect();
        let mut index = SearchIndex {
            stemming,
            terms_key,
            docs,
            norms,
            terms,
            groups,
            shards: Vec::new(),
            layout_key: 0,
            facets: [0, 0],
            hashes: Default::default(),
        };
        index.list_shards();
        index
    }

    /// This index with the words of the documents `changed` replaced by
    /// those in `docs`.
    fn patched(&self, docs: Vec<Arc<Document>>, changed: &[usize]) -> SearchIndex {
        let mut terms = self.terms.clone();
        let mut touched: BTreeSet<WordId> = BTreeSet::new();
        for &doc in changed {
            for entry in self.docs[doc].words.terms() {
                if let Some(postings) = terms.get_mut(&entry.term) {
                    Arc::make_mut(postings).remove(doc as u32, entry.word);
                }
                touched.insert(entry.term);
            }
            for (term, impact, word) in doc_impacts(&docs[doc].words, self.norms) {
                Arc::make_mut(terms.entry(term).or_default()).insert(doc as u32, impact, word);
                touched.insert(term);
            }
        }
        terms.retain(|_, postings| !postings.docs.is_empty());
        for term in &touched {
            if let Some(postings) = terms.get_mut(term) {
                Arc::make_mut(postings).seal();
            }
        }
        let mut regroup: BTreeMap<String, Vec<(Box<str>, WordId)>> = BTreeMap::new();
        with_words(|words| {
            for &term in &touched {
                regroup.entry(group_key(words.of(term))).or_default();
            }
        });
        let mut groups = self.groups.clone();
        for (key, members) in &mut regroup {
            let kept = groups.get(key).map_or(&[][..], |g| &g.terms[..]);
            members.extend(kept.iter().filter(|(_, t)| terms.contains_key(t) && !touched.contains(t)).cloned());
            with_words(|words| {
                for &term in &touched {
                    if terms.contains_key(&term) && group_key(words.of(term)) == *key {
                        members.push((words.of(term).into(), term));
                    }
                }
            });
            if members.is_empty() {
                groups.remove(key);
            } else {
                groups.insert(key.clone(), Arc::new(laid_out(std::mem::take(members), &terms)));
            }
        }
        let mut index = SearchIndex {
            facets: self.facets,
            hashes: Default::default(),
            stemming: self.stemming,
            terms_key: self.terms_key,
            docs,
            norms: self.norms,
            terms,
            groups,
            shards: Vec::new(),
            layout_key: 0,
        };
        index.list_shards();
        index
    }

    fn list_shards(&mut self) {
        self.shards = (self.groups.iter())
            .flat_map(|(key, group)| (0..group.shards.len()).map(move |i| (key.clone(), i)))
            .collect();
        let groups = &self.groups;
        self.shards.sort_by(|a, b| groups[&a.0].shards[a.1].first.cmp(&groups[&b.0].shards[b.1].first));
        let keys: Vec<&str> = self.shards().map(|s| s.first.as_str()).collect();
        self.layout_key = hash_of(&(keys, self.first_chars()));
    }

    fn shard(&self, (group, i): &(String, usize)) -> &Shard {
        &self.groups[group].shards[*i]
    }

    /// How the book's words are made into terms.
    pub(crate) fn stemming(&self) -> Stemming {
        self.stemming
    }

    /// The documents, by id.
    pub(crate) fn docs(&self) -> &[Arc<Document>] {
        &self.docs
    }

    /// The shards, sorted by key.
    pub(crate) fn shards(&self) -> impl Iterator<Item = &Shard> {
        self.shards.iter().map(|s| self.shard(s))
    }

    /// How many shards there are.
    pub(crate) fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// Shard `i` of [`SearchIndex::shards`].
    pub(crate) fn shard_at(&self, i: usize) -> &Shard {
        self.shard(&self.shards[i])
    }

    /// A hash of which files the index is written as: the shards' keys and
    /// the words' first characters (the other files follow the documents).
    pub(crate) fn layout_key(&self) -> u64 {
        self.layout_key
    }

    /// The documents of `search/docs/<chunk>.js`.
    pub(crate) fn chunk(&self, chunk: usize) -> &[Arc<Document>] {
        let start = (chunk * super::DOCS_PER_FILE).min(self.docs.len());
        &self.docs[start..(start + super::DOCS_PER_FILE).min(self.docs.len())]
    }

    /// Hashes of what the files made from the document list hold.
    pub(crate) fn file_hashes(&self) -> &FileHashes {
        self.hashes.get_or_init(|| {
            let chunks = (0..self.docs.len().div_ceil(super::DOCS_PER_FILE))
                .map(|k| {
                    let rows: Vec<_> = (self.chunk(k).iter())
                        .map(|d| (&d.url, &d.title, &d.levels, &d.contexts, d.text_hash))
                        .collect();
                    hash_of(&(k, rows))
                })
                .collect();
            let mut members: [Vec<Vec<usize>>; 2] =
                [vec![Vec::new(); self.facets[0]], vec![Vec::new(); self.facets[1]]];
            for (id, doc) in self.docs.iter().enumerate() {
                for (kind, places) in [&doc.levels, &doc.contexts].into_iter().enumerate() {
                    for &i in places {
                        if let Some(list) = members[kind].get_mut(usize::from(i)) {
                            list.push(id);
                        }
                    }
                }
            }
            let n = self.docs.len();
            let facets = members.map(|lists| lists.into_iter().map(|docs| (hash_of(&(&docs, n)), docs)).collect());
            FileHashes { chunks, facets }
        })
    }

    /// How many levels and contexts there are facets for.
    pub(crate) fn facet_counts(&self) -> [usize; 2] {
        self.facets
    }

    /// A hash of what the words file of `first` holds.
    pub(crate) fn words_hash(&self, first: char) -> u64 {
        let from = first.to_string();
        let hashes: Vec<u64> =
            self.groups.range(from..).take_while(|(k, _)| k.starts_with(first)).map(|(_, g)| g.words_hash).collect();
        hash_of(&hashes)
    }

    /// Shard `i` of [`SearchIndex::shards`], with its terms and postings.
    pub(crate) fn shard_terms(&self, i: usize) -> (&Shard, Vec<(&str, &Postings)>) {
        let (group, at) = &self.shards[i];
        let group = &self.groups[group];
        let shard = &group.shards[*at];
        let terms = group.terms[shard.terms.clone()].iter().map(|(text, id)| (&**text, &*self.terms[id])).collect();
        (shard, terms)
    }

    /// The first characters of the terms, sorted.
    pub(crate) fn first_chars(&self) -> Vec<char> {
        let mut chars: Vec<char> = self.groups.keys().filter_map(|k| k.chars().next()).collect();
        chars.dedup();
        chars
    }

    /// Every term, sorted, with its postings.
    pub(crate) fn terms(&self) -> impl Iterator<Item = (&str, &Postings)> {
        self.groups.values().flat_map(|g| g.terms.iter().map(|(text, id)| (&**text, &*self.terms[id])))
    }
}

/// Each term of a document with its impact and the word that gave it.
fn doc_impacts(words: &PageWords, norms: [f32; 3]) -> Vec<(WordId, u8, WordId)> {
    // Lengths are rounded to an eighth power of two: a small edit keeps a
    // page's impacts, so only the terms it added or removed change.
    let lengths = words.lengths().map(|n| if n == 0 { 0.0 } else { quantized(f64::from(n), 8.0) });
    let discount: [f32; 3] =
        std::array::from_fn(|f| 1.0 - LENGTH_DISCOUNT[f] + LENGTH_DISCOUNT[f] * lengths[f] / norms[f]);
    (words.terms().iter())
        .map(|t| {
            let tf: f32 = (0..3).map(|f| WEIGHTS[f] * f32::from(t.counts[f]) / discount[f]).sum();
            let saturated = tf / (K1 as f32 + tf);
            (t.term, ((saturated * 255.0).round() as u8).max(1), t.word)
        })
        .collect()
}

/// Each field's average length, rounded to a quarter power of two.
fn norms(docs: &[Arc<Document>]) -> [f32; 3] {
    std::array::from_fn(|f| {
        let total: f64 = docs.iter().map(|d| f64::from(d.words.lengths()[f])).sum();
        let mean = total / docs.len().max(1) as f64;
        if mean <= 1.0 { 1.0 } else { quantized(mean, 4.0) }
    })
}

/// `n` rounded to the nearest power of two with exponent a multiple of
/// `1 / steps`.
fn quantized(n: f64, steps: f64) -> f32 {
    2f64.powf((n.log2() * steps).round() / steps) as f32
}

/// The group a term is in: its first character.
fn group_key(term: &str) -> String {
    term.chars().take(1).collect()
}

/// Packs a group's terms, in order, into shards of about [`SHARD_BYTES`].
/// Only the group's own terms decide where it is cut, so patching a group
/// leaves the others' shards alone.
fn laid_out(mut terms: Vec<(Box<str>, WordId)>, postings: &FastMap<WordId, Arc<Postings>>) -> Group {
    terms.sort_unstable();
    let mut shards = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, (_, id)) in terms.iter().enumerate() {
        let term_size = postings[id].size + 8;
        if i > start && size + term_size > SHARD_BYTES {
            shards.push(shard(&terms, start..i, postings));
            start = i;
            size = 0;
        }
        size += term_size;
    }
    if start < terms.len() {
        shards.push(shard(&terms, start..terms.len(), postings));
    }
    let words_hash = with_words(|words| {
        let listed: Vec<(&str, usize)> =
            terms.iter().map(|(_, id)| (words.of(postings[id].word(words)), postings[id].docs.len())).collect();
        hash_of(&listed)
    });
    Group { terms, shards, words_hash }
}

fn shard(terms: &[(Box<str>, WordId)], range: Range<usize>, postings: &FastMap<WordId, Arc<Postings>>) -> Shard {
    let held: Vec<(&str, u64)> = terms[range.clone()].iter().map(|(t, id)| (&**t, postings[id].hash)).collect();
    Shard { first: terms[range.start].0.to_string(), terms: range, hash: hash_of(&held) }
}
