//! The search index as a browser reads it (issue 13): the `.js` files a
//! build writes, parsed back, and the ranking facts they hold. What
//! `search.js` does with them is checked in Chromium (`tests/browser.rs`).

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;

use crate::harness::BookTest;

/// The argument list of a `playbookSearch.<call>(...)` file, as JSON.
fn call_args(script: &str, call: &str) -> Vec<Value> {
    let prefix = format!("playbookSearch.{call}(");
    let body = script.strip_prefix(&prefix).and_then(|s| s.strip_suffix(");\n")).unwrap_or_else(|| {
        panic!("not a {call} file: {}", &script[..script.len().min(80)]);
    });
    serde_json::from_str(&format!("[{body}]")).expect("the arguments are JSON")
}

/// A built book's index, read back from its files.
struct Index {
    meta: Value,
    /// Each term with its (document, impact) postings.
    terms: BTreeMap<String, Vec<(u32, u8)>>,
    /// Each document's url.
    urls: Vec<String>,
}

impl Index {
    fn read(test: &BookTest) -> Index {
        let meta = call_args(&test.output("search/meta.js"), "meta").remove(0);
        let mut terms = BTreeMap::new();
        for shard in meta["shards"].as_array().unwrap() {
            let (first, name) = (shard[0].as_str().unwrap(), shard[2].as_str().unwrap());
            let file = format!("search/shard/{name}.js");
            let args = call_args(&test.output(&file), "shard");
            assert_eq!(args[0], first, "{file} names its first term");
            for row in args[1].as_array().unwrap() {
                let (term, df) = (row[0].as_str().unwrap(), row[1].as_u64().unwrap() as usize);
                let postings = decode(&BASE64.decode(row[2].as_str().unwrap()).unwrap(), df);
                terms.insert(term.to_string(), postings);
            }
        }
        let mut urls = Vec::new();
        let chunks = meta["docs"].as_u64().unwrap().div_ceil(meta["chunk"].as_u64().unwrap());
        for k in 0..chunks {
            let args = call_args(&test.output(&format!("search/docs/{k}.js")), "docs");
            for row in args[1].as_array().unwrap() {
                urls.push(row[0].as_str().unwrap().to_string());
            }
        }
        assert_eq!(urls.len() as u64, meta["docs"].as_u64().unwrap());
        Index { meta, terms, urls }
    }

    /// The impact of `term` in the document at `url`, if it has the term.
    fn impact(&self, term: &str, url: &str) -> Option<u8> {
        let doc = self.urls.iter().position(|u| u == url).unwrap_or_else(|| panic!("no document {url}"));
        self.terms.get(term)?.iter().find(|(d, _)| *d as usize == doc).map(|(_, i)| *i)
    }
}

/// Postings as `search.js` decodes them.
fn decode(bytes: &[u8], df: usize) -> Vec<(u32, u8)> {
    let impacts = &bytes[bytes.len() - df..];
    let mut docs = Vec::new();
    if bytes[0] == 1 {
        for (i, byte) in bytes[1..bytes.len() - df].iter().enumerate() {
            docs.extend((0..8).filter(|bit| byte >> bit & 1 == 1).map(|bit| (i * 8 + bit) as u32));
        }
    } else {
        let (mut at, mut last) = (1, 0u32);
        while docs.len() < df {
            let (mut gap, mut shift) = (0u32, 0);
            loop {
                let byte = bytes[at];
                at += 1;
                gap |= u32::from(byte & 0x7f) << shift;
                shift += 7;
                if byte & 0x80 == 0 {
                    break;
                }
            }
            last += gap;
            docs.push(last);
        }
    }
    assert_eq!(docs.len(), df, "as many documents as the term's frequency");
    docs.into_iter().zip(impacts.iter().copied()).collect()
}

#[test]
fn issue_13_a_title_match_outweighs_a_body_match() {
    let test = BookTest::new("search/ranking");
    test.build_ok();
    let index = Index::read(&test);
    let title = index.impact("prioriti", "setting-priorities/index.html").expect("the title has the word");
    let body = index.impact("prioriti", "weekly-review/index.html").expect("the body has the word");
    assert!(title > body, "title {title} against body {body}");
    // A heading counts between the two: "Evidence" is a heading and body
    // word of one page, and only a body word of none other here.
    let heading = index.impact("evid", "roadmap-reviews/index.html").unwrap();
    assert!(heading > body && heading < title, "{heading}");
}

#[test]
fn issue_13_stemmed_forms_are_one_term_and_accents_fold() {
    let test = BookTest::new("search/ranking");
    test.build_ok();
    let index = Index::read(&test);
    // "priorities" (a title) and "priorities" in a body are one term, as
    // "priority" would be; no word is kept unstemmed.
    assert_eq!(index.terms["prioriti"].len(), 2);
    assert!(!index.terms.contains_key("priorities"));
    // "Café" and "naïve" are indexed without their accents.
    assert!(index.impact("cafe", "cafe-culture/index.html").is_some());
    assert!(index.impact("naiv", "cafe-culture/index.html").is_some());
    assert!(index.terms.keys().all(|t| t.is_ascii()), "{:?}", index.terms.keys().collect::<Vec<_>>());
}

#[test]
fn issue_13_every_file_the_index_names_exists_and_pages_are_documents() {
    let test = BookTest::new("search/ranking");
    test.build_ok();
    let index = Index::read(&test);
    // Content pages, the home page, each level and context are found.
    for url in ["weekly-review/index.html", "index.html", "levels/impact/index.html", "contexts/platform/index.html"] {
        assert!(index.urls.iter().any(|u| u == url), "{url} in {:?}", index.urls);
        let text = test.output(&format!("search/text/{}.js", url.strip_suffix("/index.html").unwrap_or(url)));
        let args = call_args(&text, "text");
        assert_eq!(args[0], url.to_string());
    }
    // The level of a page is a filter: its bitmap has the page's bit.
    let facet = call_args(&test.output("search/facet/level-execution.js"), "facet");
    let bits = BASE64.decode(facet[1].as_str().unwrap()).unwrap();
    let doc = index.urls.iter().position(|u| u == "weekly-review/index.html").unwrap();
    assert_eq!(bits[doc / 8] >> (doc % 8) & 1, 1);
    let other = index.urls.iter().position(|u| u == "cafe-culture/index.html").unwrap();
    assert_eq!(bits[other / 8] >> (other % 8) & 1, 0);
    for (c, _) in index.meta["words"].as_array().unwrap().iter().map(|w| (w[0].as_str().unwrap(), ())) {
        call_args(&test.output(&format!("search/words/{c}.js")), "words");
    }
}

#[test]
fn issue_13_an_edit_changes_the_files_of_its_words_only() {
    let test = BookTest::new("search/ranking");
    test.build_ok();
    let before = test.snapshot_output();
    let page = test.root.join("content/weekly-review.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("was learned.", "was learned, zebra.")).unwrap();
    test.build_ok();
    let after = test.snapshot_output();
    let changed: Vec<&str> = (after.iter())
        .filter(|(path, bytes)| before.iter().find(|(p, _)| p == path).is_none_or(|(_, b)| b != bytes))
        .map(|(path, _)| path.as_str())
        .filter(|path| path.starts_with("search/"))
        .collect();
    // The new word's shard and word list, the page's text, and meta.js,
    // which names their versions; no other shard.
    assert!(changed.contains(&"search/text/weekly-review.js"), "{changed:?}");
    assert!(changed.iter().any(|p| p.starts_with("search/shard/")), "{changed:?}");
    assert!(changed.contains(&"search/meta.js"), "{changed:?}");
    let shards = changed.iter().filter(|p| p.starts_with("search/shard/")).count();
    assert!(shards <= 2, "{changed:?}");
    let index = Index::read(&test);
    assert!(index.impact("zebra", "weekly-review/index.html").is_some());
}

#[test]
fn issue_13_search_can_be_turned_off() {
    let test = BookTest::new("search/ranking");
    let config = std::fs::read_to_string(test.root.join("book.toml")).unwrap();
    test.write("book.toml", format!("{config}\n[build]\nsearch = false\n"));
    test.build_ok();
    assert!(!test.root.join("book/search").exists(), "no index, no results page");
    let home = test.output("index.html");
    assert!(!home.contains("pb-search") && !home.contains("search.js"), "no search box");
    // On again: the same book has it.
    test.write("book.toml", config);
    test.build_ok();
    let home = test.output("index.html");
    assert!(home.contains("id=\"pb-search-slot\"") && home.contains("assets/search.js"), "the box is placed");
}

#[test]
fn issue_13_the_longest_words_name_files_a_filesystem_takes() {
    // Found by a hostile review: a shard is named after its first term,
    // seven bytes for each character outside a-z and 0-9, so one 40-letter
    // word of a rare first letter made a name longer than the 255 bytes
    // Linux and macOS allow, and the whole build failed.
    let test = BookTest::new("search/ranking");
    let underscores = format!("{}a", "_".repeat(39));
    let omegas = "\u{3c9}".repeat(40);
    let body = format!("---\ntitle: Long words\n---\nThe words {underscores} and {omegas}, and `{omegas}z`.\n");
    test.write("content/long-words.md", body);
    test.build_ok();
    let index = Index::read(&test);
    for shard in index.meta["shards"].as_array().unwrap() {
        let name = shard[2].as_str().unwrap();
        assert!(name.len() + ".js".len() <= 255, "{name}");
        let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-';
        assert!(name.bytes().all(allowed), "{name}");
    }
    assert!(index.impact(&underscores, "long-words/index.html").is_some());
    assert!(index.impact(&omegas, "long-words/index.html").is_some());
}

#[test]
fn issue_13_nothing_else_writes_into_the_search_folder() {
    // Found by a hostile review: `content/search.md` was silently lost
    // behind the results page, and a copied `content/search/text/x.js`
    // replaced a page's text, with no word from the build.
    let test = BookTest::new("search/ranking");
    test.write("content/search.md", "---\ntitle: Our search policy\n---\nText.\n");
    test.write("content/search/text/weekly-review.js", "alert('not the index');\n");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for path in ["search/index.html", "search/text/weekly-review.js"] {
        assert!(run.stderr.contains(&format!("`{path}` would be written twice")), "{path}: {}", run.stderr);
    }
    assert!(run.stderr.contains("it is already written for search"), "{}", run.stderr);
    // With search off, the folder is the book's to use.
    let config = std::fs::read_to_string(test.root.join("book.toml")).unwrap();
    test.write("book.toml", format!("{config}\n[build]\nsearch = false\n"));
    test.build_ok();
    assert!(test.output("search/index.html").contains("Our search policy"));
}

#[test]
fn issue_13_a_page_of_the_longest_name_has_its_text_file() {
    // A review found that a folder of 254 letters holding `index.md` (a
    // name its file system takes) failed the build at the page's text,
    // `search/text/<254 letters>.js`.
    let test = BookTest::new("search/ranking");
    let folder = "a".repeat(254);
    test.write(&format!("content/{folder}/index.md"), "---\ntitle: Long folder\n---\nDeep text.\n");
    test.build_ok();
    let slug = "a".repeat(200);
    let args = call_args(&test.output(&format!("search/text/{slug}.js")), "text");
    assert_eq!(args[0], format!("{slug}/index.html"));
}

#[test]
fn issue_13_a_file_named_search_is_refused_with_its_reason() {
    // A file called `search` (no extension), copied as is, would have to
    // be the index's folder: the build said only "Is a directory".
    let test = BookTest::new("search/ranking");
    test.write("content/search", "not a folder");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("`search` would be written twice"), "{}", run.stderr);
}
