//! The search results page and the files of the search index, each
//! rendered from what the analysis's [`crate::search::SearchIndex`] holds,
//! and the text file a searchable page writes beside itself.

use super::theme::Template;
use super::view::SearchView;
use super::{Fingerprint, OutputFile, Renderer, Rendering};
use crate::diag::Diagnostic;
use crate::hashing::hash_of;
use crate::search::{self, DocText, FileKind, SearchIndex};
use crate::site::paths;

impl Renderer<'_> {
    pub(super) fn search_page(&self) -> Result<OutputFile, Diagnostic> {
        let view = SearchView { chrome: self.chrome(paths::SEARCH) };
        self.render_template(Template::Search, paths::SEARCH, paths::SEARCH, &view)
    }

    /// One file of the index, rendered from the hash of what it holds
    /// ([`made_from`]).
    pub(super) fn search_file(&self, file: FileKind) -> (Option<Fingerprint>, Rendering) {
        let index = &*self.analysis.search;
        let config = self.env.config;
        let path = file.path(index, config);
        self.from(made_from(index, file), |_| {
            let script = match file {
                FileKind::Meta => search::meta_script(index, config, |f| made_from(index, f)),
                FileKind::Shard(i) => {
                    let (shard, terms) = index.shard_terms(i);
                    search::shard_script(&shard.first, &terms)
                }
                FileKind::Docs(k) => search::docs_script(index, k),
                FileKind::Level(_) | FileKind::Context(_) => {
                    let name = path.trim_start_matches("search/facet/").trim_end_matches(".js");
                    search::facet_script(name, facet(index, file), index.docs().len())
                }
                FileKind::Words(first) => search::words_script(index, first),
            };
            Ok(OutputFile::bytes(path.clone(), script))
        })
    }
}

/// A hash of what `file` is made from: its fingerprint, and the version
/// `meta.js` gives it. The one place that says what each file shows.
fn made_from(index: &SearchIndex, file: FileKind) -> u64 {
    match file {
        FileKind::Meta => {
            let others: Vec<u64> =
                (search::files(index)).filter(|&f| f != FileKind::Meta).map(|f| made_from(index, f)).collect();
            hash_of(&(others, index.docs().len(), index.stemming()))
        }
        FileKind::Shard(i) => {
            let shard = index.shard_at(i);
            hash_of(&(&shard.first, shard.hash))
        }
        FileKind::Docs(k) => index.file_hashes().chunks[k],
        FileKind::Level(i) => index.file_hashes().facets[0][i].0,
        FileKind::Context(i) => index.file_hashes().facets[1][i].0,
        FileKind::Words(first) => hash_of(&(first, index.words_hash(first))),
    }
}

/// The documents at a level or in a context, by id.
fn facet(index: &SearchIndex, file: FileKind) -> impl Iterator<Item = usize> + '_ {
    let hashes = index.file_hashes();
    let list = match file {
        FileKind::Level(i) => &hashes.facets[0][i].1,
        FileKind::Context(i) => &hashes.facets[1][i].1,
        _ => unreachable!("only facets have documents of their own"),
    };
    list.iter().copied()
}

/// A page and, beside it, its text for search if it has one.
pub(super) fn with_text(page: OutputFile, text: Option<OutputFile>) -> Vec<OutputFile> {
    std::iter::once(page).chain(text).collect()
}

/// The text file of a document written from its [`DocText`].
pub(super) fn text_file(url: &str, text: &DocText) -> OutputFile {
    OutputFile::bytes(search::text_path(url), search::text_script(url, text))
}
