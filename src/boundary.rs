//! The playbook folder as the boundary of everything playbook reads, and
//! the one rule that decides which files are part of the site.
//!
//! CI builds pull requests from strangers, so a file in the playbook may be a
//! symlink to `/proc/self/environ` or `~/.ssh`. [`Boundary::confine`] resolves
//! a path as the operating system will and refuses anything that ends up
//! outside the playbook folder, in a hidden part of it (`.git/config`), or in
//! the output folder. [`walk`] is the only way content and theme folders are
//! listed: it skips hidden and editor files, refuses links that leave, and
//! reports names that are not UTF-8. `build`, `check` and `serve` all list
//! files with [`walk`], judge paths with [`is_site_path`] and read through a
//! [`Boundary`], so they agree on what the site is (issue 9).

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Code, Diagnostic};

/// The folders that bound what playbook reads: everything must really be
/// inside `root`, and nothing inside `output` (our own output) is read back.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Boundary<'a> {
    root: &'a Path,
    output: Option<&'a Path>,
}

/// Why a path was refused.
#[derive(Debug)]
pub(crate) enum Escape {
    /// It resolves outside the playbook folder.
    Outside(PathBuf),
    /// It resolves to a hidden file or folder of the playbook (`.git/...`).
    Hidden(String),
    /// It resolves into the output folder.
    Output,
    /// It cannot be resolved (a dangling link, no permission).
    Unresolvable(io::Error),
}

impl Escape {
    /// The error for a read that was refused, for callers that treat it as
    /// an I/O failure.
    pub(crate) fn into_io(self) -> io::Error {
        match self {
            Escape::Unresolvable(error) => error,
            other => io::Error::new(io::ErrorKind::PermissionDenied, other.describe()),
        }
    }

    /// Where the path leads, in words.
    pub(crate) fn describe(&self) -> String {
        match self {
            Escape::Outside(target) => format!("leads to `{}`, outside the playbook folder", target.display()),
            Escape::Hidden(rel) => format!("leads to `{rel}`, a hidden file of the playbook"),
            Escape::Output => "leads into the output folder".to_string(),
            Escape::Unresolvable(error) => match error.kind() {
                io::ErrorKind::NotFound => "there is no such file".to_string(),
                io::ErrorKind::PermissionDenied => "it cannot be read: permission denied".to_string(),
                _ => format!("it cannot be read: {error}"),
            },
        }
    }
}

impl<'a> Boundary<'a> {
    /// A boundary at `root` (canonical).
    pub(crate) fn new(root: &'a Path) -> Self {
        Boundary { root, output: None }
    }

    /// The same boundary, with the output folder (resolved) excluded.
    pub(crate) fn excluding(self, output: &'a Path) -> Self {
        Boundary { output: Some(output), ..self }
    }

    /// Where `path` really is, following every symlink, if that is a
    /// readable place of the playbook.
    pub(crate) fn confine(&self, path: &Path) -> Result<PathBuf, Escape> {
        let real = path.canonicalize().map_err(Escape::Unresolvable)?;
        let Ok(inside) = real.strip_prefix(self.root) else {
            return Err(Escape::Outside(real));
        };
        if self.output.is_some_and(|output| real.starts_with(output)) {
            return Err(Escape::Output);
        }
        if inside.components().any(|c| c.as_os_str().to_str().is_none_or(is_ignored_name)) {
            return Err(Escape::Hidden(inside.to_string_lossy().into_owned()));
        }
        Ok(real)
    }

    /// The playbook folder.
    pub(crate) fn root(&self) -> &Path {
        self.root
    }

    /// Reads a file of the playbook; a path that escapes is refused, never
    /// read.
    pub(crate) fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        fs::read(self.confine(path).map_err(Escape::into_io)?)
    }

    /// Opens a file of the playbook for reading, likewise.
    pub(crate) fn open(&self, path: &Path) -> io::Result<File> {
        File::open(self.confine(path).map_err(Escape::into_io)?)
    }
}

/// Whether a file or folder name is one playbook never reads: hidden files,
/// and the temp and lock files editors leave beside what they edit.
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name.eq_ignore_ascii_case("thumbs.db")
        || [".swp", ".swo", ".swx", ".tmp", ".crswap"].iter().any(|ext| name.ends_with(ext))
}

/// Whether a path relative to a walked folder (`/`-separated) names a file
/// that is part of the site: no part of it hidden or an editor's file.
pub(crate) fn is_site_path(rel: &str) -> bool {
    !rel.is_empty() && rel.split('/').all(|part| !part.is_empty() && !is_ignored_name(part))
}

/// A file found by [`walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoundFile {
    /// Its path inside the walked folder, `/`-separated.
    pub(crate) rel_path: String,
    /// Its path on disk (through any links, which were checked).
    pub(crate) abs_path: PathBuf,
}

/// What [`walk`] found.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    /// The files of the site, sorted by path.
    pub(crate) files: Vec<FoundFile>,
    /// Links that escape, names that are not UTF-8, unreadable folders.
    pub(crate) problems: Vec<Diagnostic>,
}

/// Lists the files of `dir` that are part of the site. `display_prefix` is
/// how diagnostics name `dir` (`content`, `themes/mine`).
pub(crate) fn walk(boundary: Boundary<'_>, dir: &Path, display_prefix: &str) -> Walked {
    let mut refused = Vec::new();
    let mut walked = Walked::default();
    let walker = WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter().filter_entry(|entry| {
        if entry.depth() == 0 {
            return true;
        }
        let display = display_path(display_prefix, entry.path(), dir);
        let Some(name) = entry.file_name().to_str() else {
            refused.push(
                Diagnostic::error(Code::NotUtf8Name, format!("the name of `{display}` is not UTF-8"))
                    .in_file(&display)
                    .with_help("rename it with UTF-8 characters: output paths and links are UTF-8"),
            );
            return false;
        };
        if is_ignored_name(name) {
            return false;
        }
        if entry.path_is_symlink()
            && let Err(escape) = boundary.confine(entry.path())
        {
            refused.push(escape_diagnostic(&display, &escape));
            return false;
        }
        true
    });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let rel_path = relative(entry.path(), dir);
                walked.files.push(FoundFile { rel_path, abs_path: entry.into_path() });
            }
            Ok(_) => {}
            Err(error) => walked.problems.push(walk_error(&error, dir, display_prefix)),
        }
    }
    walked.problems.extend(refused);
    walked
}

/// The diagnostic for a path that escapes the playbook.
pub(crate) fn escape_diagnostic(display: &str, escape: &Escape) -> Diagnostic {
    let (message, help) = match escape {
        Escape::Unresolvable(error) => (
            format!("`{display}` is a link that cannot be followed: {error}"),
            "point the link at an existing file inside the playbook, or remove it",
        ),
        other => (
            format!("`{display}` is a symlink that {}", other.describe()),
            "copy what it should show into the playbook, or remove the link; playbook reads nothing outside \
             its folder, so a pull request cannot publish the build machine's files",
        ),
    };
    Diagnostic::error(Code::SymlinkEscape, message).in_file(display).with_help(help)
}

fn relative(path: &Path, base: &Path) -> String {
    let canonical_base = || base.canonicalize().ok();
    let rel = match path.strip_prefix(base) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => canonical_base().and_then(|b| path.strip_prefix(b).ok().map(Path::to_path_buf)).unwrap_or_default(),
    };
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn display_path(prefix: &str, path: &Path, base: &Path) -> String {
    let rel = relative(path, base);
    match (prefix.is_empty(), rel.is_empty()) {
        (true, _) => rel,
        (false, true) => prefix.to_string(),
        (false, false) => format!("{prefix}/{rel}"),
    }
}

fn walk_error(error: &walkdir::Error, dir: &Path, display_prefix: &str) -> Diagnostic {
    let display = error.path().map_or_else(|| display_prefix.to_string(), |p| display_path(display_prefix, p, dir));
    if let Some(ancestor) = error.loop_ancestor() {
        return Diagnostic::error(
            Code::Unreadable,
            format!("`{display}` is a symlink loop back to `{}`", display_path(display_prefix, ancestor, dir)),
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
    fn site_paths_have_no_hidden_part() {
        assert!(is_site_path("img/a.png") && is_site_path("a.md"));
        for bad in [".git/config", "notes/.env", ".obsidian/workspace.json", "a//b", "", "a/b~"] {
            assert!(!is_site_path(bad), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn confine_follows_links_and_refuses_escapes() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        let root = base.join("book");
        let out = root.join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::create_dir_all(&out).unwrap();
        fs::write(root.join("content/a.md"), "a").unwrap();
        fs::write(root.join(".git/config"), "x").unwrap();
        fs::write(base.join("secret"), "s").unwrap();
        fs::write(out.join("index.html"), "o").unwrap();
        let boundary = Boundary::new(&root).excluding(&out);
        for (link, target) in
            [("in", "a.md"), ("out", "../../secret"), ("hidden", "../.git/config"), ("own", "../site/index.html")]
        {
            symlink(target, root.join("content").join(link)).unwrap();
        }
        assert_eq!(boundary.confine(&root.join("content/in")).unwrap(), root.join("content/a.md"));
        assert!(matches!(boundary.confine(&root.join("content/out")), Err(Escape::Outside(_))));
        assert!(matches!(boundary.confine(&root.join("content/hidden")), Err(Escape::Hidden(_))));
        assert!(matches!(boundary.confine(&root.join("content/own")), Err(Escape::Output)));
        assert!(boundary.read(&root.join("content/out")).is_err());
        let walked = walk(boundary, &root.join("content"), "content");
        let names: Vec<_> = walked.files.iter().map(|f| f.rel_path.as_str()).collect();
        assert_eq!(names, ["a.md", "in"]);
        assert_eq!(walked.problems.len(), 3, "{:?}", walked.problems);
        assert!(walked.problems.iter().all(|d| d.code == Code::SymlinkEscape));
    }
}
