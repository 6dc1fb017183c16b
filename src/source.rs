//! Reading `content/`: the only place that reads pages from disk.
//!
//! Walks the content folder with walkdir, sorted by name so nothing downstream
//! depends on directory order. Every `*.md` file becomes a [`SourceFile`];
//! every other file is an [`Asset`] copied beside its page. Hidden files and
//! editor temp files are skipped. Unreadable files, symlink loops, files that
//! are not UTF-8 and oversized pages become diagnostics naming the file,
//! never panics.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::{Code, Diagnostic};

/// The largest page playbook reads. A handbook page is a few kilobytes; a
/// multi-megabyte page is almost certainly a mistake (a pasted log, a binary
/// renamed `.md`), and bounding it bounds the work every later stage does.
pub const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// One Markdown page as read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path inside `content/`, with `/` separators: `problems/strategy.md`.
    pub rel_path: String,
    /// The path as diagnostics print it, relative to the playbook folder:
    /// `content/problems/strategy.md`.
    pub display_path: String,
    /// The text, without a leading byte-order mark.
    pub text: String,
}

/// A non-Markdown file (an image, a PDF) copied to the same relative path in
/// the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The path inside `content/`, with `/` separators.
    pub rel_path: String,
    /// The path as diagnostics print it (`content/img/a.png`).
    pub display_path: String,
    /// Where to copy it from.
    pub abs_path: PathBuf,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Sources {
    /// The pages, sorted by path.
    pub pages: Vec<SourceFile>,
    /// The other files, sorted by path.
    pub assets: Vec<Asset>,
    /// Files that could not be read.
    pub diagnostics: Vec<Diagnostic>,
}

/// Builds a [`SourceFile`] from text in memory, for tests and for `serve`.
pub fn source_from_text(content_prefix: &str, rel_path: &str, text: &str) -> SourceFile {
    SourceFile {
        rel_path: rel_path.to_string(),
        display_path: join_display(content_prefix, rel_path),
        text: text.strip_prefix('\u{feff}').unwrap_or(text).to_string(),
    }
}

fn join_display(prefix: &str, rel_path: &str) -> String {
    if prefix.is_empty() { rel_path.to_string() } else { format!("{prefix}/{rel_path}") }
}

/// Whether a file or folder name is one playbook never reads: hidden files,
/// and the temp and lock files editors leave beside what they edit.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name.eq_ignore_ascii_case("thumbs.db")
        || [".swp", ".swo", ".swx", ".tmp", ".crswap"].iter().any(|ext| name.ends_with(ext))
}

/// Whether a content file is a page (Markdown) rather than an asset.
pub fn is_page_path(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("md"))
}

/// Reads every page and lists every asset under `content_dir`.
/// `display_prefix` is how the folder is named in diagnostics (`content`).
pub fn read_all(content_dir: &Path, display_prefix: &str) -> Sources {
    let mut sources = Sources::default();
    let mut page_paths = Vec::new();
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_ignored_name(&entry.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                sources.diagnostics.push(walk_error(&error, content_dir, display_prefix));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(rel_path) = rel_path_of(entry.path(), content_dir) else {
            continue;
        };
        if is_page_path(entry.path()) {
            page_paths.push((rel_path, entry.into_path()));
        } else {
            sources.assets.push(Asset {
                display_path: join_display(display_prefix, &rel_path),
                rel_path,
                abs_path: entry.into_path(),
            });
        }
    }
    let results: Vec<Result<SourceFile, Diagnostic>> = page_paths
        .into_par_iter()
        .map(|(rel_path, abs_path)| read_page(&abs_path, &rel_path, display_prefix))
        .collect();
    for result in results {
        match result {
            Ok(page) => sources.pages.push(page),
            Err(diagnostic) => sources.diagnostics.push(diagnostic),
        }
    }
    sources
}

/// Reads one page from disk: size cap, UTF-8 check, BOM removal.
pub fn read_page(abs_path: &Path, rel_path: &str, display_prefix: &str) -> Result<SourceFile, Diagnostic> {
    let display = join_display(display_prefix, rel_path);
    let unreadable = |e: std::io::Error| {
        Diagnostic::error(Code::Unreadable, format!("cannot read `{display}`: {e}"))
            .in_file(&display)
            .with_help("check the file's permissions, or move it out of the content folder")
    };
    let size = fs::metadata(abs_path).map_err(unreadable)?.len();
    if size > MAX_PAGE_BYTES as u64 {
        return Err(Diagnostic::error(
            Code::TooLarge,
            format!("`{display}` is {} KiB; a page may be at most {} KiB", size / 1024, MAX_PAGE_BYTES / 1024),
        )
        .in_file(&display)
        .with_help("split it into several pages, or give it another extension if it is not a page"));
    }
    let bytes = fs::read(abs_path).map_err(unreadable)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(source_from_text(display_prefix, rel_path, &text)),
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

fn rel_path_of(path: &Path, base: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    Some(parts.join("/"))
}

fn walk_error(error: &walkdir::Error, content_dir: &Path, display_prefix: &str) -> Diagnostic {
    let display = error
        .path()
        .and_then(|p| rel_path_of(p, content_dir))
        .map_or_else(|| display_prefix.to_string(), |rel| join_display(display_prefix, &rel));
    if let Some(ancestor) = error.loop_ancestor() {
        let ancestor = rel_path_of(ancestor, content_dir).unwrap_or_default();
        return Diagnostic::error(
            Code::Unreadable,
            format!("`{display}` is a symlink loop back to `{display_prefix}/{ancestor}`"),
        )
        .in_file(&display)
        .with_help("remove the link, or point it at a folder outside its own ancestors");
    }
    let reason = error.io_error().map_or_else(|| error.to_string(), ToString::to_string);
    Diagnostic::error(Code::Unreadable, format!("cannot read `{display}`: {reason}"))
        .in_file(&display)
        .with_help("check the permissions, or remove the broken link")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_and_hidden_files_are_ignored() {
        for name in [".git", ".page.md.swp", "page.md~", "#page.md#", "4913", ".DS_Store", "x.tmp"] {
            assert!(is_ignored_name(name), "{name}");
        }
        for name in ["page.md", "image.png", "_index.md"] {
            assert!(!is_ignored_name(name), "{name}");
        }
    }

    #[test]
    fn bom_is_removed() {
        let page = source_from_text("content", "a.md", "\u{feff}# Hi");
        assert_eq!(page.text, "# Hi");
        assert_eq!(page.display_path, "content/a.md");
    }

    #[test]
    fn page_paths_are_markdown_any_case() {
        assert!(is_page_path(Path::new("a/b.md")));
        assert!(is_page_path(Path::new("a/B.MD")));
        assert!(!is_page_path(Path::new("a/b.png")));
    }
}
