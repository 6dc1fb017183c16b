//! A page for each folder of pages that has none of its own: the folder's
//! pages, in reading order. Quartz, Hugo and Zola make one, and their
//! authors link to a folder (`[features](./features)`, `[[features]]`)
//! expecting it.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::paths;
use crate::hashing::FastMap;
use crate::model::Slug;
use crate::page::ParsedPage;
use crate::source::Asset;

/// A folder's generated page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Folder {
    /// Its slug, the folder's path as pages' slugs write it: `guide/setup`.
    pub(crate) slug: String,
    /// Its title: the folder's name as written.
    pub(crate) title: String,
    /// The ids of the pages inside it, at any depth, in reading order.
    pub(crate) pages: Vec<usize>,
}

impl Folder {
    /// Its output file.
    pub(crate) fn output_path(&self) -> String {
        format!("{}/index.html", self.slug)
    }
}

/// The folders of `pages` whose slug no page has, that lead to no output of
/// the generator's own, and whose page no copied file stands in for.
pub(super) fn folder_pages(
    pages: &[Arc<ParsedPage>],
    reading: &[usize],
    by_slug: &FastMap<Slug, usize>,
    assets: &[Asset],
) -> Vec<Folder> {
    let reserved = [paths::LEVELS, paths::CONTEXTS, "matrix", "contents", "search", paths::ASSET_DIR];
    let mut folders: BTreeMap<String, Folder> = BTreeMap::new();
    for &id in reading {
        let page = &pages[id];
        let slug = page.slug.as_str();
        let written: Vec<&str> = page.source.rel_path.split('/').collect();
        let segments: Vec<&str> = slug.split('/').collect();
        // A folder's own page (`guide/index.md`) has one segment fewer.
        let depth = segments.len().saturating_sub(1).min(written.len().saturating_sub(1));
        for n in 1..=depth {
            let folder = segments[..n].join("/");
            if reserved.contains(&segments[0]) || by_slug.contains_key(&Slug::new_unchecked(folder.clone())) {
                continue;
            }
            let entry = folders.entry(folder.clone()).or_insert_with(|| Folder {
                slug: folder,
                title: written[n - 1].to_string(),
                pages: Vec::new(),
            });
            entry.pages.push(id);
        }
    }
    let copied: std::collections::HashSet<&str> = assets.iter().map(|a| a.rel_path.as_str()).collect();
    folders.into_values().filter(|f| !copied.contains(f.output_path().as_str())).collect()
}
