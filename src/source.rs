//! Reading `content/`: the only place that reads pages from disk.
//!
//! The files are listed by [`boundary::walk`] (sorted by name, so nothing
//! downstream depends on directory order; hidden and editor files skipped;
//! links that leave the playbook refused). Every `*.md` file becomes a
//! [`SourceFile`]; every other file is an [`Asset`] copied beside its page.
//! Unreadable files, files that are not UTF-8 and oversized pages become
//! diagnostics naming the file, never panics.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use std::ops::Range;
use std::sync::Arc;

use crate::boundary::{self, Boundary};
use crate::diag::{Code, Diagnostic};
use crate::mdbook::include::{self, Origin, ProblemKind};
use crate::mdbook::summary::SUMMARY;
use crate::slug::is_page_file;

/// The largest page playbook reads. A handbook page is a few kilobytes; a
/// multi-megabyte page is almost certainly a mistake (a pasted log, a binary
/// renamed `.md`), and bounding it bounds the work every later stage does.
pub(crate) const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// One Markdown page as read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceFile {
    /// The path inside `content/`, with `/` separators: `problems/strategy.md`.
    pub(crate) rel_path: String,
    /// The path as diagnostics print it, relative to the playbook folder:
    /// `content/problems/strategy.md`.
    pub(crate) display_path: String,
    /// The text, without a leading byte-order mark.
    pub(crate) text: String,
    /// `hash_of(&text)`, worked out once when the text is read.
    pub(crate) hash: u64,
    /// Where its text can be read again (the file's real path, inside the
    /// playbook), so the parsed page need not keep it; `None` keeps it.
    pub(crate) reread_from: Option<PathBuf>,
    /// The text as written, when `{{#include}}` made `text` differ from
    /// it.
    pub(crate) written: Option<Arc<Written>>,
    /// What running its directives found (files that could not be
    /// included, directives playbook does not run).
    pub(crate) problems: Vec<Diagnostic>,
}

/// A page's text as written, for a page whose directives changed it: what
/// diagnostics point into, and what it depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Written {
    /// The text on disk.
    pub(crate) text: String,
    /// Where each part of the expanded text comes from.
    pub(crate) origin: Origin,
    /// The files it includes, from the playbook folder.
    pub(crate) includes: Vec<String>,
}

/// A parsed page's source: its names, and its text kept or left on disk.
#[derive(Debug, Clone)]
pub(crate) struct PageSource {
    /// The path inside `content/`, with `/` separators.
    pub(crate) rel_path: String,
    /// The path as diagnostics print it (`content/problems/strategy.md`).
    pub(crate) display_path: String,
    text: PageText,
    /// The text as written, if directives changed it.
    pub(crate) written: Option<Arc<Written>>,
}

/// Where a parsed page's text is.
#[derive(Debug, Clone)]
enum PageText {
    /// In memory: text that did not come from a file (tests build pages
    /// from strings).
    Kept(String),
    /// On disk, read again when a page is rendered or a problem is pointed
    /// at: neither a build nor a server holds every page's text at once.
    OnDisk { real_path: PathBuf, hash: u64 },
}

impl SourceFile {
    /// The source a parsed page keeps: without its text if it can be read
    /// again.
    pub(crate) fn into_page_source(self) -> PageSource {
        let text = match self.reread_from {
            Some(real_path) => PageText::OnDisk { hash: self.hash, real_path },
            None => PageText::Kept(self.text),
        };
        PageSource { rel_path: self.rel_path, display_path: self.display_path, text, written: self.written }
    }

    /// Points `diagnostic` at `span` of the text, in the file as written.
    pub(crate) fn pin(&self, diagnostic: Diagnostic, span: Range<usize>) -> Diagnostic {
        pin(diagnostic, &self.display_path, &self.text, self.written.as_deref(), span)
    }
}

/// Points `diagnostic` at `span` of the page text `text`: a place in the
/// file as written, when directives changed the text.
fn pin(diagnostic: Diagnostic, file: &str, text: &str, written: Option<&Written>, span: Range<usize>) -> Diagnostic {
    match written {
        None => diagnostic.at(file, text, span),
        Some(written) => {
            let start = written.origin.written_offset(span.start);
            let end = written.origin.written_offset(span.end).max(start);
            diagnostic.at(file, &written.text, start..end)
        }
    }
}

impl PageSource {
    /// Points `diagnostic` at `span` of `text` (what [`PageSource::text`]
    /// gave), in the file as written.
    pub(crate) fn pin(&self, diagnostic: Diagnostic, text: &str, span: Range<usize>) -> Diagnostic {
        pin(diagnostic, &self.display_path, text, self.written.as_deref(), span)
    }

    /// The page's text, exactly as it was parsed. Reading it again fails if
    /// the file changed since, so nothing is rendered that was not checked.
    pub(crate) fn text(&self) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        match &self.text {
            PageText::Kept(text) => Ok(std::borrow::Cow::Borrowed(text)),
            PageText::OnDisk { real_path, hash } => {
                let changed = || {
                    Diagnostic::error(
                        Code::ChangedDuringBuild,
                        format!("`{}` changed while playbook was building it", self.display_path),
                    )
                    .in_file(&self.display_path)
                    .with_help("build again once nothing writes to the playbook folder")
                };
                let bytes = read_capped(real_path).map_err(|_| changed())?;
                let mut text = String::from_utf8(bytes).map_err(|_| changed())?;
                strip_bom(&mut text);
                if crate::hashing::hash_of(&text) != *hash {
                    return Err(changed());
                }
                Ok(std::borrow::Cow::Owned(text))
            }
        }
    }
}

/// A non-Markdown file (an image, a PDF) copied to the same relative path in
/// the output.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Asset {
    /// The path inside `content/`, with `/` separators.
    pub(crate) rel_path: String,
    /// The path as diagnostics print it (`content/img/a.png`).
    pub(crate) display_path: String,
    /// Where to copy it from.
    pub(crate) abs_path: PathBuf,
    /// Its size and modification time, hashed: changes when the file does,
    /// so an edited image is copied (and reloaded) again.
    pub(crate) stamp: u64,
}

/// A page found in `content/`, to be read.
#[derive(Debug)]
pub(crate) struct PageFile {
    /// Its path inside `content/`.
    pub(crate) rel_path: String,
    /// Where it is on disk.
    pub(crate) abs_path: PathBuf,
    /// Its size and modification time, hashed.
    pub(crate) stamp: u64,
}

impl PageFile {
    /// Reads it (see [`read_page`]).
    pub(crate) fn read(&self, boundary: Boundary<'_>, display_prefix: &str) -> Result<SourceFile, Diagnostic> {
        read_page(boundary, &self.abs_path, &self.rel_path, display_prefix)
    }
}

/// What walking `content/` found.
#[derive(Debug, Default)]
pub(crate) struct Sources {
    /// Every page's path, sorted.
    pub(crate) listed: Vec<String>,
    /// The pages to read (see [`read_all`]), sorted by path. They are read
    /// by whoever parses them, so no stage holds every page's text at once.
    pub(crate) pages: Vec<PageFile>,
    /// The other files, sorted by path.
    pub(crate) assets: Vec<Asset>,
    /// Links that leave the playbook, names that are not UTF-8, folders
    /// that cannot be read.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Builds a [`SourceFile`] from text read or written elsewhere, without a
/// byte-order mark.
pub(crate) fn source_from_text(content_prefix: &str, rel_path: &str, text: impl Into<String>) -> SourceFile {
    let mut text = text.into();
    strip_bom(&mut text);
    SourceFile {
        rel_path: rel_path.to_string(),
        display_path: join_display(content_prefix, rel_path),
        hash: crate::hashing::hash_of(&text),
        text,
        reread_from: None,
        written: None,
        problems: Vec::new(),
    }
}

fn strip_bom(text: &mut String) {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
}

/// Reads at most one byte past [`MAX_PAGE_BYTES`]: a file that grows while
/// it is read, or reports no size (a pipe, /proc), is still bounded.
fn read_capped(real_path: &Path) -> std::io::Result<Vec<u8>> {
    let mut file = std::fs::File::open(real_path)?;
    let size = file.metadata()?.len().min(MAX_PAGE_BYTES as u64 + 1);
    let mut bytes = Vec::with_capacity(size as usize);
    std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, MAX_PAGE_BYTES as u64 + 1), &mut bytes)?;
    Ok(bytes)
}

fn join_display(prefix: &str, rel_path: &str) -> String {
    if prefix.is_empty() { rel_path.to_string() } else { format!("{prefix}/{rel_path}") }
}

/// Lists every page and asset under `content_dir`, and picks the pages to
/// read: those for which `wanted(rel_path, stamp)` holds (all of them on a
/// first read; those whose file changed when the engine walks the folder
/// again).
/// `display_prefix` is how the folder is named in diagnostics (`content`).
pub(crate) fn read_all(
    boundary: Boundary<'_>,
    content_dir: &Path,
    display_prefix: &str,
    wanted: impl Fn(&str, u64) -> bool + Sync,
) -> Sources {
    let walked = boundary::walk(boundary, content_dir, display_prefix);
    let mut sources = Sources { diagnostics: walked.problems, ..Sources::default() };
    let mut page_files = Vec::new();
    for file in walked.files {
        // An mdBook's table of contents, read with book.toml: no page.
        if file.rel_path == SUMMARY {
            continue;
        }
        if is_page_file(&file.rel_path) {
            sources.listed.push(file.rel_path.clone());
            page_files.push(file);
        } else {
            sources.assets.push(Asset {
                display_path: join_display(display_prefix, &file.rel_path),
                stamp: file_stamp(&file.abs_path),
                rel_path: file.rel_path,
                abs_path: file.abs_path,
            });
        }
    }
    sources.pages = page_files
        .into_par_iter()
        .filter_map(|file| {
            let stamp = file_stamp(&file.abs_path);
            wanted(&file.rel_path, stamp).then_some(PageFile {
                rel_path: file.rel_path,
                abs_path: file.abs_path,
                stamp,
            })
        })
        .collect();
    sources
}

/// Runs `source`'s `{{#...}}` directives, reading what they include
/// through `boundary`. A page they change keeps its text in memory: it is
/// no longer what its file says.
fn with_directives_run(mut source: SourceFile, boundary: Boundary<'_>) -> SourceFile {
    let mut files = Included(boundary);
    let expanded = include::expand(&source.text, &source.display_path, &mut files, MAX_PAGE_BYTES);
    let written = Written { text: std::mem::take(&mut source.text), origin: expanded.origin, includes: expanded.files };
    source.problems = (expanded.problems.into_iter())
        .map(|problem| {
            let diagnostic = match problem.kind {
                ProblemKind::Failed => Diagnostic::warning(Code::IncludeFailed, problem.message),
                ProblemKind::Unsupported => Diagnostic::warning(Code::UnknownDirective, problem.message),
            };
            diagnostic.at(&source.display_path, &written.text, problem.span).with_help(problem.help)
        })
        .collect();
    if expanded.text == written.text {
        source.text = written.text;
        return source;
    }
    source.hash = crate::hashing::hash_of(&expanded.text);
    source.text = expanded.text;
    source.reread_from = None;
    source.written = Some(Arc::new(written));
    source
}

/// Files a directive includes, read as pages are: inside the playbook,
/// capped, UTF-8.
struct Included<'a>(Boundary<'a>);

impl include::Files for Included<'_> {
    fn read(&mut self, path: &str) -> Result<String, String> {
        let real = self.0.confine(&self.0.root().join(path)).map_err(|escape| escape.describe())?;
        if real.is_dir() {
            return Err("it is a folder, not a file".to_string());
        }
        let bytes = read_capped(&real).map_err(|e| crate::boundary::Escape::Unresolvable(e).describe())?;
        if bytes.len() > MAX_PAGE_BYTES {
            return Err(format!("it is larger than {} KiB", MAX_PAGE_BYTES / 1024));
        }
        let mut text = String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
        strip_bom(&mut text);
        Ok(text)
    }
}

/// A hash of a file's size and modification time (0 if unreadable).
pub(crate) fn file_stamp(path: &Path) -> u64 {
    match std::fs::metadata(path) {
        Ok(meta) => crate::hashing::hash_of(&(meta.len(), meta.modified().ok())),
        Err(_) => 0,
    }
}

/// Reads one page from disk, through the boundary: size cap, UTF-8 check,
/// BOM removal.
pub(crate) fn read_page(
    boundary: Boundary<'_>,
    abs_path: &Path,
    rel_path: &str,
    display_prefix: &str,
) -> Result<SourceFile, Diagnostic> {
    let display = join_display(display_prefix, rel_path);
    let unreadable = |e: std::io::Error| {
        Diagnostic::error(Code::Unreadable, format!("cannot read `{display}`: {e}"))
            .in_file(&display)
            .with_help("check the file's permissions, or move it out of the content folder")
    };
    let too_large = |size: &str| {
        Diagnostic::error(
            Code::TooLarge,
            format!("`{display}` is {size}; a page may be at most {} KiB", MAX_PAGE_BYTES / 1024),
        )
        .in_file(&display)
        .with_help("split it into several pages, or give it another extension if it is not a page")
    };
    let real = boundary.confine(abs_path).map_err(|escape| boundary::escape_diagnostic(&display, &escape))?;
    let size = std::fs::metadata(&real).map_err(unreadable)?.len();
    if size > MAX_PAGE_BYTES as u64 {
        return Err(too_large(&format!("{} KiB", size / 1024)));
    }
    let bytes = read_capped(&real).map_err(unreadable)?;
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(too_large(&format!("over {} KiB", MAX_PAGE_BYTES / 1024)));
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let source = SourceFile { reread_from: Some(real), ..source_from_text(display_prefix, rel_path, text) };
            Ok(if include::has_directives(&source.text) { with_directives_run(source, boundary) } else { source })
        }
        Err(error) => {
            let valid = error.utf8_error().valid_up_to();
            let byte = error.as_bytes()[valid];
            let lossy = String::from_utf8_lossy(error.as_bytes());
            Err(Diagnostic::error(Code::NotUtf8, format!("`{display}` is not UTF-8 text: invalid byte 0x{byte:02x}"))
                .at(&display, &lossy, valid..valid + 1)
                .with_help("save the file as UTF-8 (most editors have \"Save with encoding\")"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_removed() {
        let page = source_from_text("content", "a.md", "\u{feff}# Hi");
        assert_eq!(page.text, "# Hi");
        assert_eq!(page.display_path, "content/a.md");
    }

    /// A page `a.md` with `text` in a fresh playbook folder, read and
    /// turned into what a parsed page keeps.
    fn page_on_disk(text: &str) -> (tempfile::TempDir, PathBuf, PageSource) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::write(root.join("a.md"), text).unwrap();
        let source = read_page(Boundary::new(&root), &root.join("a.md"), "a.md", "content").unwrap();
        (dir, root, source.into_page_source())
    }

    #[test]
    fn a_page_read_from_disk_is_read_again_exactly_as_it_was() {
        let (_dir, _, page) = page_on_disk("\u{feff}# Hi\n");
        assert!(matches!(page.text, PageText::OnDisk { .. }), "a build does not keep the text");
        assert_eq!(page.text().unwrap(), "# Hi\n");
    }

    #[test]
    fn a_page_that_changed_since_it_was_parsed_is_an_error_not_other_text() {
        let (_dir, root, page) = page_on_disk("# Checked\n");
        std::fs::write(root.join("a.md"), "# Not checked\n").unwrap();
        let problem = page.text().unwrap_err();
        assert_eq!(problem.code, Code::ChangedDuringBuild);
        assert!(problem.message.contains("content/a.md"), "{}", problem.message);
        std::fs::remove_file(root.join("a.md")).unwrap();
        assert_eq!(page.text().unwrap_err().code, Code::ChangedDuringBuild);
    }
}
