//! The index as files a browser loads with `<script>`: each calls a
//! function of `window.playbookSearch` (defined by `assets/search.js`)
//! with its part of the index. `search.js` and this module follow one
//! contract, written out at the top of `assets/search.js`.

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::index::{K1, Postings, SearchIndex};
use super::lanes::{equal, maybe_below};
use super::words::with_words;
use super::{DocText, FileKind};
use crate::config::Config;

/// Documents per `search/docs/<k>.js`: a result loads the file of its
/// document, so they are small (about 3 KB).
pub(crate) const DOCS_PER_FILE: usize = 32;

/// Where the index's files go, under the site's root.
pub(crate) const SEARCH_DIR: &str = "search";

/// The longest file name [`shard_name`] makes, in bytes: well under the
/// 255 that Linux, macOS and Windows allow, with room for `.js`.
const MAX_NAME_BYTES: usize = 120;

/// The file names of a key: `a-z` and `0-9` stay, any other character is
/// `_` and its code point in six hex digits.
pub(crate) fn file_name(key: &str) -> String {
    let mut name = String::with_capacity(key.len());
    for c in key.chars() {
        push_name_char(&mut name, c);
    }
    name
}

fn push_name_char(name: &mut String, c: char) {
    if c.is_ascii_lowercase() || c.is_ascii_digit() {
        name.push(c);
    } else {
        let _ = write!(name, "_{:06x}", u32::from(c));
    }
}

/// Whether Windows refuses `name` whatever its extension (`con.js` too):
/// the names of its devices.
fn is_windows_device(name: &str) -> bool {
    let numbered = |prefix: &str| name.strip_prefix(prefix).is_some_and(|n| matches!(n.as_bytes(), [b'1'..=b'9']));
    matches!(name, "con" | "prn" | "aux" | "nul") || numbered("com") || numbered("lpt")
}

/// The name of the shard whose first term is `first`: its [`file_name`],
/// or, where that would be longer than [`MAX_NAME_BYTES`] (a term of 40
/// characters outside `a-z0-9` takes 280 bytes) or name a Windows device,
/// as much of it as fits with `-` and a hash of the whole term after it. No plain name has a
/// `-`, so the two kinds never meet. `meta.js` lists each shard's name.
pub(crate) fn shard_name(first: &str) -> String {
    let name = file_name(first);
    if name.len() <= MAX_NAME_BYTES && !is_windows_device(&name) {
        return name;
    }
    let hash = format!("-{:016x}", crate::hashing::hash_of(&first));
    let mut short = String::with_capacity(MAX_NAME_BYTES);
    for c in first.chars() {
        let before = short.len();
        push_name_char(&mut short, c);
        if short.len() + hash.len() > MAX_NAME_BYTES {
            short.truncate(before);
            break;
        }
    }
    short + &hash
}

impl FileKind {
    /// The file's path from the site's root.
    pub(crate) fn path(&self, index: &SearchIndex, config: &Config) -> String {
        match *self {
            FileKind::Meta => format!("{SEARCH_DIR}/meta.js"),
            FileKind::Shard(i) => format!("{SEARCH_DIR}/shard/{}.js", shard_name(&index.shard_at(i).first)),
            FileKind::Docs(k) => format!("{SEARCH_DIR}/docs/{k}.js"),
            FileKind::Level(i) => format!("{SEARCH_DIR}/facet/level-{}.js", config.playbook.levels[i].id.as_str()),
            FileKind::Context(i) => {
                format!("{SEARCH_DIR}/facet/context-{}.js", config.playbook.contexts[i].id.as_str())
            }
            FileKind::Words(c) => format!("{SEARCH_DIR}/words/{}.js", file_name(&c.to_string())),
        }
    }
}

/// Where the text of the document at `url` is: under `search/text/`, its
/// path with `/index.html` made `.js` (`a/b/index.html` is
/// `search/text/a/b.js`), so a page's text adds a file, not a folder. The
/// home page's is `index.html.js`: no slug has a `.`.
pub(crate) fn text_path(url: &str) -> String {
    format!("{SEARCH_DIR}/text/{}.js", url.strip_suffix("/index.html").unwrap_or(url))
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).expect("plain data serialises")
}

/// A file's version as the files that name it write it (`?v=` in its
/// URL): browsers and hosts that cached an old one load the new one.
pub(crate) fn version(hash: u64) -> String {
    format!("{:08x}", hash as u32)
}

/// `search/meta.js`: what a query needs before any shard. It lists every
/// other file with its version (`version_of`), and the levels and contexts
/// to filter by.
pub(crate) fn meta_script(index: &SearchIndex, config: &Config, version_of: impl Fn(FileKind) -> u64) -> String {
    let levels: Vec<_> = (config.playbook.levels.iter().enumerate())
        .map(|(i, l)| {
            let v = version(version_of(FileKind::Level(i)));
            serde_json::json!({"id": l.id.as_str(), "name": l.name, "glyph": l.mark.glyph, "v": v})
        })
        .collect();
    let contexts: Vec<_> = (config.playbook.contexts.iter().enumerate())
        .map(|(i, c)| serde_json::json!({"id": c.id.as_str(), "name": c.name, "v": version(version_of(FileKind::Context(i)))}))
        .collect();
    let shards: Vec<_> = (0..index.shard_count())
        .map(|i| {
            let first = index.shard_at(i).first.as_str();
            (first, version(version_of(FileKind::Shard(i))), shard_name(first))
        })
        .collect();
    // One version for every file of document rows: it changes with any
    // edit, but a reader loads only a few of them, and at 100,000 pages a
    // version each would make this file 30 kB longer.
    let chunks: Vec<u64> =
        (0..index.docs().len().div_ceil(DOCS_PER_FILE)).map(|k| version_of(FileKind::Docs(k))).collect();
    let words: Vec<_> = (index.first_chars().into_iter())
        .map(|c| (file_name(&c.to_string()), version(version_of(FileKind::Words(c)))))
        .collect();
    let meta = serde_json::json!({
        "format": 2,
        "stemmer": index.stemming().name(),
        "docs": index.docs().len(),
        "chunk": DOCS_PER_FILE,
        "k1": K1,
        "levels": levels,
        "contexts": contexts,
        "shards": shards,
        "docs_v": version(crate::hashing::hash_of(&chunks)),
        "words": words,
    });
    format!("playbookSearch.meta({});\n", json(&meta))
}

/// A shard: its terms, each with its document frequency and postings.
pub(crate) fn shard_script(key: &str, terms: &[(&str, &Postings)]) -> String {
    let rows: Vec<_> = terms.iter().map(|(term, p)| (term, p.docs.len(), BASE64.encode(encode(p)))).collect();
    format!("playbookSearch.shard({},{});\n", json(&key), json(&rows))
}

/// The bytes of a term's postings: a format byte, the documents as gaps
/// (LEB128) or as a bitmap, whichever is shorter, then one impact each.
pub(crate) fn encode(postings: &Postings) -> Vec<u8> {
    let mut gaps = vec![0u8];
    let mut last = 0;
    for &doc in &postings.docs {
        let mut gap = doc - last;
        last = doc;
        loop {
            let byte = (gap & 0x7f) as u8;
            gap >>= 7;
            if gap == 0 {
                gaps.push(byte);
                break;
            }
            gaps.push(byte | 0x80);
        }
    }
    let bitmap_len = postings.docs.last().map_or(0, |&d| d as usize / 8 + 1);
    let mut bytes = if bitmap_len < gaps.len() - 1 {
        let mut bitmap = vec![0u8; 1 + bitmap_len];
        bitmap[0] = 1;
        for &doc in &postings.docs {
            bitmap[1 + doc as usize / 8] |= 1 << (doc % 8);
        }
        bitmap
    } else {
        gaps
    };
    bytes.extend_from_slice(&postings.impacts);
    bytes
}

/// `search/docs/<k>.js`: url, title, levels, contexts and the version of
/// the text of a run of documents.
pub(crate) fn docs_script(index: &SearchIndex, chunk: usize) -> String {
    let rows: Vec<_> =
        index.chunk(chunk).iter().map(|d| (&d.url, &d.title, &d.levels, &d.contexts, version(d.text_hash))).collect();
    format!("playbookSearch.docs({chunk},{});\n", json(&rows))
}

/// `search/text/<page>.js`: a document's summary and sections, to quote:
/// `playbookSearch.text(url, summary, [[anchor, heading, text], ...])`.
pub(crate) fn text_script(url: &str, text: &DocText) -> String {
    let mut script = TextScript::new(url, text.summary.as_deref(), 256);
    for (n, section) in text.sections.iter().enumerate() {
        if n > 0 {
            script.section(&section.id, &section.heading);
        }
        script.text(&section.text);
    }
    script.finish()
}

/// A `search/text/<page>.js` written as the page's text comes, section by
/// section: the first section (the text before any heading) is open from
/// the start.
#[derive(Debug)]
pub(crate) struct TextScript {
    out: String,
}

impl TextScript {
    /// Starts the file of the document at `url`, with room for about
    /// `capacity` bytes of text.
    pub(crate) fn new(url: &str, summary: Option<&str>, capacity: usize) -> TextScript {
        let mut out = String::with_capacity(capacity + url.len() + 64);
        out.push_str("playbookSearch.text(");
        push_json_string(&mut out, url);
        out.push(',');
        match summary {
            Some(summary) => push_json_string(&mut out, summary),
            None => out.push_str("null"),
        }
        out.push_str(",[[\"\",\"\",\"");
        TextScript { out }
    }

    /// Ends the open section and opens the one under the heading `heading`
    /// at anchor `id`.
    pub(crate) fn section(&mut self, id: &str, heading: &str) {
        self.out.push_str("\"],[");
        push_json_string(&mut self.out, id);
        self.out.push(',');
        push_json_string(&mut self.out, heading);
        self.out.push_str(",\"");
    }

    /// Adds `text` to the open section.
    pub(crate) fn text(&mut self, text: &str) {
        push_escaped(&mut self.out, text);
    }

    /// Adds a space to the open section.
    pub(crate) fn space(&mut self) {
        self.out.push(' ');
    }

    /// Adds `text` to the open section, each run of ASCII whitespace in it
    /// as one space.
    pub(crate) fn words(&mut self, text: &str) {
        push_escaped_words(&mut self.out, text);
    }

    /// The file.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("\"]]);\n");
        self.out
    }
}

/// Writes `text` as a JSON string.
fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    push_escaped(out, text);
    out.push('"');
}

/// Writes `text` escaped for a JSON string.
fn push_escaped(out: &mut String, text: &str) {
    push_json_text::<false>(out, text);
}

/// Writes `text` escaped for a JSON string, each run of ASCII whitespace
/// in it as one space.
fn push_escaped_words(out: &mut String, text: &str) {
    push_json_text::<true>(out, text);
}

/// Writes `text` escaped for a JSON string, with runs of ASCII whitespace
/// as one space if `COLLAPSE`. Page text is long and seldom needs a
/// change, so it is scanned eight bytes at a time and copied in runs.
fn push_json_text<const COLLAPSE: bool>(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    // Whether the eight bytes from `i` need no change: no byte below
    // 0x20, `"` or `\\` (and, collapsing, no space before more
    // whitespace).
    let plain = |word: u64, i: usize| {
        let mut special = maybe_below(word, 0x20) | equal(word, b'"') | equal(word, b'\\');
        if COLLAPSE {
            let spaces = equal(word, b' ');
            let next_is_space = u64::from(bytes.get(i + 8).is_some_and(u8::is_ascii_whitespace)) << 63;
            special |= spaces & ((spaces >> 8) | next_is_space);
        }
        special == 0
    };
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8)
            && plain(u64::from_le_bytes(chunk.try_into().expect("8 bytes")), i)
        {
            i += 8;
            continue;
        }
        let b = bytes[i];
        if COLLAPSE && b.is_ascii_whitespace() {
            let end = i + bytes[i..].iter().take_while(|b| b.is_ascii_whitespace()).count();
            if b == b' ' && end == i + 1 {
                i += 1;
                continue;
            }
            out.push_str(&text[run..i]);
            out.push(' ');
            (i, run) = (end, end);
            continue;
        }
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&text[run..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(escape);
        }
        i += 1;
        run = i;
    }
    out.push_str(&text[run..]);
}

/// `search/facet/<level or context>.js`: the documents that have it, as a
/// bitmap.
pub(crate) fn facet_script(name: &str, docs: impl Iterator<Item = usize>, count: usize) -> String {
    let mut bitmap = vec![0u8; count.div_ceil(8)];
    for doc in docs {
        bitmap[doc / 8] |= 1 << (doc % 8);
    }
    format!("playbookSearch.facet({},{});\n", json(&name), json(&BASE64.encode(bitmap)))
}

/// `search/words/<c>.js`: the words of the terms that start with `c`,
/// each with how many documents have it, for "did you mean".
pub(crate) fn words_script(index: &SearchIndex, first: char) -> String {
    let mut rows: Vec<(String, usize)> = with_words(|words| {
        (index.terms())
            .filter(|(term, _)| term.starts_with(first))
            .map(|(_, p)| (words.of(p.word(words)).to_string(), p.docs.len()))
            .collect()
    });
    rows.sort();
    rows.dedup_by(|a, b| {
        let same = a.0 == b.0;
        if same {
            b.1 = b.1.max(a.1);
        }
        same
    });
    format!("playbookSearch.words({},{});\n", json(&file_name(&first.to_string())), json(&rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postings(docs: &[u32]) -> Postings {
        Postings::of(docs, 7)
    }

    #[test]
    fn file_names_keep_ascii_letters_and_digits_only() {
        assert_eq!(file_name("sta2"), "sta2");
        assert_eq!(file_name("中_é"), "_004e2d_00005f_0000e9");
        assert_eq!(shard_name("中_é"), file_name("中_é"));
        for device in ["con", "nul", "com1", "lpt9"] {
            assert!(shard_name(device).starts_with(&format!("{device}-")), "{device}");
        }
        assert_eq!(shard_name("com10"), "com10");
        assert_eq!(shard_name("console"), "console");
    }

    proptest::proptest! {
        /// Every shard name fits a file system, and two terms never share one.
        #[test]
        fn shard_names_are_short_and_distinct(a in "[a-z_\u{3c9}\u{4e2d}]{1,40}", b in "[a-z_\u{3c9}\u{4e2d}]{1,40}") {
            let (x, y) = (shard_name(&a), shard_name(&b));
            proptest::prop_assert!(x.len() <= MAX_NAME_BYTES && y.len() <= MAX_NAME_BYTES, "{} {}", x, y);
            proptest::prop_assert_eq!(x == y, a == b);
        }
    }

    proptest::proptest! {
        /// Strings are written as JSON writes them.
        #[test]
        fn json_strings_read_back(text in "\\PC{0,40}|[\"\\\\\u{0}-\u{1f}a-z]{0,40}") {
            let mut out = String::new();
            push_json_string(&mut out, &text);
            let back: String = serde_json::from_str(&out).expect("valid JSON");
            proptest::prop_assert_eq!(back, text);
        }

        /// Words are written as JSON writes them, a space between each two.
        #[test]
        fn json_words_read_back(text in "\\PC{0,40}|[\"\\\\\u{0}-\u{20}a-z]{0,80}|[ab \t\n]{0,80}") {
            let mut out = String::from('"');
            push_escaped_words(&mut out, text.trim_ascii());
            out.push('"');
            let back: String = serde_json::from_str(&out).expect("valid JSON");
            proptest::prop_assert_eq!(back, text.split_ascii_whitespace().collect::<Vec<_>>().join(" "));
        }
    }

    #[test]
    fn postings_take_the_shorter_encoding() {
        assert_eq!(encode(&postings(&[3, 200])), [0, 3, 197, 1, 7, 7]);
        let dense: Vec<u32> = (0..64).collect();
        let bytes = encode(&postings(&dense));
        assert_eq!(bytes[0], 1);
        assert_eq!(&bytes[1..9], &[0xff; 8]);
        assert_eq!(bytes.len(), 1 + 8 + 64);
        for p in [postings(&[3, 200]), postings(&dense), postings(&[0]), postings(&[1_000_000])] {
            assert_eq!(encode(&p).len(), p.encoded_len(), "{:?}", p.docs);
        }
    }
}
