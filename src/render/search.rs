//! The search results page and the files of the search index, each
//! rendered from what the analysis's [`crate::search::SearchIndex`] holds,
//! and the text file a searchable page writes beside itself.

use super::theme::Template;
use super::view::SearchView;
use super::{Fingerprint, OutputFile, Renderer, Rendering};
use crate::diag::Diagnostic;
use crate::search::{self, DocText, FileKind};
use crate::site::paths;

impl Renderer<'_> {
    pub(super) fn search_page(&self) -> Result<OutputFile, Diagnostic> {
        let view = SearchView { chrome: self.chrome(paths::SEARCH) };
        self.render_template(Template::Search, paths::SEARCH, paths::SEARCH, &view)
    }

    /// One file of the index. Its facts are hashes the index keeps (a
    /// shard's, a group's) or the few values it is made of.
    pub(super) fn search_file(&self, file: FileKind) -> (Option<Fingerprint>, Rendering) {
        let index = &*self.analysis.search;
        let config = self.env.config;
        let path = file.path(index, config);
        let bytes = |text: String| Ok(OutputFile::bytes(path.clone(), text));
        match file {
            FileKind::Meta => {
                let chars = index.first_chars();
                let keys: Vec<&str> = index.shards().map(|s| s.first.as_str()).collect();
                self.from((keys, &chars, index.docs().len()), |_| bytes(search::meta_script(index, config, &chars)))
            }
            FileKind::Shard(i) => {
                let shard = index.shard_at(i);
                self.from((&shard.first, shard.hash), |_| {
                    let (shard, terms) = index.shard_terms(i);
                    bytes(search::shard_script(&shard.first, &terms))
                })
            }
            FileKind::Docs(k) => {
                let docs = index.docs().iter().skip(k * search::DOCS_PER_FILE).take(search::DOCS_PER_FILE);
                let rows: Vec<_> = docs.map(|d| (&d.url, &d.title, &d.levels, &d.contexts)).collect();
                self.from(rows, |_| bytes(search::docs_script(index, k)))
            }
            FileKind::Level(i) | FileKind::Context(i) => {
                let has = |d: &search::Document| match file {
                    FileKind::Level(_) => d.levels.contains(&(i as u16)),
                    _ => d.contexts.contains(&(i as u16)),
                };
                let docs: Vec<usize> =
                    index.docs().iter().enumerate().filter(|(_, d)| has(d)).map(|(n, _)| n).collect();
                let name = path.trim_start_matches("search/facet/").trim_end_matches(".js").to_string();
                self.from((&docs, index.docs().len(), &name), |_| {
                    bytes(search::facet_script(&name, docs.iter().copied(), index.docs().len()))
                })
            }
            FileKind::Words(first) => self.from(index.words_hash(first), |_| bytes(search::words_script(index, first))),
        }
    }
}

/// The page at `path` and, beside it, its text for search.
pub(super) fn with_text(page: OutputFile, text: &DocText) -> Vec<OutputFile> {
    let text_file = OutputFile::bytes(search::text_path(&page.path), search::text_script(&page.path, text));
    vec![page, text_file]
}
