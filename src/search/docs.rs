//! The documents search finds: every content and decision page, the home
//! page, and each level's and context's page, with what a result shows of
//! them (address, title, levels, contexts) and their words. A document's
//! id is its place in the list, which is the order of the site's pages.

use std::sync::Arc;

use super::words::Stemming;
use super::{PageWords, WordCounter};
use crate::config::Config;
use crate::hashing::{FastMap, hash_of};
use crate::page::ParsedPage;
use crate::site::{Site, paths};

/// One searchable page of the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Document {
    /// Its output path from the site's root.
    pub(crate) url: String,
    /// Its title.
    pub(crate) title: String,
    /// Its levels and contexts, as indexes into `book.toml`'s lists.
    pub(crate) levels: Vec<u16>,
    /// See `levels`.
    pub(crate) contexts: Vec<u16>,
    /// Its words.
    pub(crate) words: Arc<PageWords>,
    /// A hash of what its text for quoting is made from.
    pub(crate) text_hash: u64,
}

/// Every searchable page of `site`: content pages by id, then the home
/// page, the levels and the contexts. A page parsed as it was for
/// `previous` (the documents of the last index, numbered by the same
/// levels and contexts) keeps its document: after an edit, one or two are
/// made again, not 10,000.
pub(crate) fn documents(site: &Site, config: &Config, previous: Option<&[Arc<Document>]>) -> Vec<Arc<Document>> {
    let (levels, contexts) = (&config.playbook.levels, &config.playbook.contexts);
    let places = |ids: &mut dyn Iterator<Item = Option<usize>>| -> Vec<u16> {
        let mut found: Vec<u16> = ids.flatten().map(|i| i as u16).collect();
        found.sort_unstable();
        found
    };
    let page_doc = |page: &ParsedPage, url: String| Document {
        url,
        title: page.title.clone(),
        levels: places(&mut page.meta.levels.iter().map(|l| levels.iter().position(|t| &t.id == l))),
        contexts: places(&mut page.meta.contexts.iter().map(|c| contexts.iter().position(|t| &t.id == c))),
        words: page.words.clone(),
        text_hash: page.content_hash,
    };
    // A parse's words are its own: the same `Arc` is the same parse.
    let same_parse = |doc: &Arc<Document>, page: &ParsedPage| Arc::ptr_eq(&doc.words, &page.words);
    let moved: FastMap<*const PageWords, &Arc<Document>> = match previous {
        Some(docs)
            if docs.len() != site.pages.len() + usize::from(site.home.is_some()) + levels.len() + contexts.len() =>
        {
            docs.iter().map(|d| (Arc::as_ptr(&d.words), d)).collect()
        }
        _ => FastMap::default(),
    };
    let reuse = |i: usize, page: &ParsedPage| -> Option<Arc<Document>> {
        let at_place = previous.and_then(|docs| docs.get(i)).filter(|d| same_parse(d, page));
        at_place.or_else(|| moved.get(&Arc::as_ptr(&page.words)).copied()).cloned()
    };
    let mut docs: Vec<Arc<Document>> = (site.pages.iter().enumerate())
        .map(|(i, page)| reuse(i, page).unwrap_or_else(|| Arc::new(page_doc(page, page.slug.output_path()))))
        .collect();
    if let Some(home) = &site.home {
        let i = docs.len();
        docs.push(reuse(i, home).unwrap_or_else(|| Arc::new(page_doc(home, paths::HOME.into()))));
    }
    // A level's or context's page is found by its name and summary, and
    // filters as itself.
    let stemming = Stemming::for_language(&config.book.language);
    let term_doc = |url: String, name: &str, summary: &str, levels: Vec<u16>, contexts: Vec<u16>| {
        let mut words = WordCounter::new(stemming);
        words.add_page_fields(name, Some(summary), &[]);
        let text_hash = hash_of(&(name, summary));
        Arc::new(Document {
            url,
            title: name.to_string(),
            levels,
            contexts,
            words: Arc::new(words.finish()),
            text_hash,
        })
    };
    for (i, level) in levels.iter().enumerate() {
        let url = paths::term_page(paths::LEVELS, level.id.as_str());
        docs.push(term_doc(url, &level.name, &level.summary, vec![i as u16], vec![]));
    }
    for (i, context) in contexts.iter().enumerate() {
        let url = paths::term_page(paths::CONTEXTS, context.id.as_str());
        docs.push(term_doc(url, &context.name, &context.summary, vec![], vec![i as u16]));
    }
    docs
}
