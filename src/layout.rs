//! Where a playbook's parts are on disk: [`load_layout`] reads `book.toml`
//! and resolves the content and output folders, refusing folders that leave
//! the playbook or would overwrite it. Everything after this works from a
//! [`Layout`].

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use anyhow::Context as _;

use crate::UsageError;
use crate::boundary::Boundary;
use crate::config::{CONFIG_FILE, Config, parse_config};
use crate::diag::{Code, Diagnostic};
use crate::mdbook::summary::{self, SUMMARY, Summary};
use crate::source::read_page;

/// Where a playbook's parts are on disk, with its configuration.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The playbook folder (holds `book.toml`).
    pub(crate) root: PathBuf,
    /// The parsed `book.toml`.
    pub(crate) config: Config,
    /// `content/`, resolved.
    pub(crate) content_dir: PathBuf,
    /// The output folder, resolved.
    pub(crate) output_dir: PathBuf,
    /// Whether the playbook has a `book.toml` (without one, the defaults).
    pub(crate) has_config_file: bool,
    /// The output folder given with `-d`, if one was: it stands when
    /// `book.toml` is read again.
    pub(crate) dest: Option<PathBuf>,
}

impl Layout {
    /// How diagnostics name the content folder (`content`).
    pub(crate) fn content_prefix(&self) -> String {
        display_relative(&self.content_dir, &self.root)
    }

    /// A layout for unit tests: no disk is looked at.
    #[cfg(test)]
    pub(crate) fn for_tests(root: PathBuf, content_dir: PathBuf, output_dir: PathBuf, theme: &str) -> Self {
        let mut config = Config::default();
        config.build.theme = theme.to_string();
        Layout { root, config, content_dir, output_dir, has_config_file: true, dest: None }
    }

    /// The boundary every read of this playbook goes through.
    pub(crate) fn boundary(&self) -> Boundary<'_> {
        Boundary::new(&self.root).excluding(&self.output_dir)
    }
}

/// Reads `book.toml` and resolves the folders. `dest` (from `-d`) overrides
/// the configured output folder and is taken relative to the current folder,
/// as a user typing it expects. Errors in `book.toml` are diagnostics; a
/// folder that is no playbook, or an output folder that would overwrite the
/// sources, is a [`UsageError`].
pub fn load_layout(root: &Path, dest: Option<&Path>) -> anyhow::Result<Result<Layout, Vec<Diagnostic>>> {
    if !root.is_dir() {
        return Err(UsageError(format!("`{}` is not a folder", root.display())).into());
    }
    let root = resolve(root)?;
    let config_path = root.join(CONFIG_FILE);
    let has_config_file = config_path.symlink_metadata().is_ok();
    let config = if has_config_file {
        // book.toml is read through the boundary too: a link to a file
        // outside would otherwise be echoed line by line in TOML errors.
        let bytes = match Boundary::new(&root).read(&config_path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::PermissionDenied => {
                return Ok(Err(vec![
                    Diagnostic::error(Code::SymlinkEscape, format!("`{CONFIG_FILE}` is a symlink that {error}"))
                        .in_file(CONFIG_FILE)
                        .with_help("replace the link with the file itself"),
                ]));
            }
            Err(error) => return Err(error).with_context(|| format!("failed to read `{}`", config_path.display())),
        };
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                let valid = error.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
                return Ok(Err(vec![
                    Diagnostic::error(Code::NotUtf8, format!("`{CONFIG_FILE}` is not UTF-8 text"))
                        .at(CONFIG_FILE, &lossy, valid..valid + 1)
                        .with_help("save it as UTF-8"),
                ]));
            }
        };
        match parse_config(&text) {
            Ok(config) => config,
            Err(problems) => return Ok(Err(problems)),
        }
    } else if root.join("content").is_dir() {
        Config::default()
    } else {
        return Err(UsageError(format!(
            "`{}` is not a playbook: it has neither `{CONFIG_FILE}` nor `content/`; run `playbook init` to start one",
            root.display()
        ))
        .into());
    };
    let mut config = config;
    // An mdBook keeps its pages in `src/`, by SUMMARY.md: read from there
    // when the playbook names no other folder and has no `content/`.
    if config.build.content_dir == std::path::Path::new("content")
        && !root.join("content").exists()
        && root.join("src").join(SUMMARY).is_file()
    {
        config.build.content_dir = PathBuf::from("src");
    }
    let content_dir = resolve(&root.join(&config.build.content_dir))?;
    if !content_dir.is_dir() {
        return Ok(Err(vec![config_problem(
            format!("the content folder `{}` does not exist", display_relative(&content_dir, &root)),
            "create it, or point `content-dir` in [build] at the folder that holds your pages",
        )]));
    }
    if !content_dir.starts_with(&root) {
        return Ok(Err(vec![
            config_problem(
                format!("`content-dir` leads to `{}`, outside the playbook folder", content_dir.display()),
                "keep the pages inside the playbook folder; playbook reads nothing outside it",
            )
            .with_code(Code::SymlinkEscape),
        ]));
    }
    if let Some(summary) = read_summary(&root, &content_dir) {
        match summary {
            Ok(summary) => {
                let written: HashSet<String> = config.build.redirects.iter().map(|r| r.from.clone()).collect();
                let kept = crate::mdbook::redirect::chapter_addresses(&summary).filter(|r| !written.contains(&r.from));
                config.build.redirects.extend(kept.collect::<Vec<_>>());
                config.summary = Some(summary);
            }
            Err(problems) => return Ok(Err(problems)),
        }
    }
    let output_dir = match dest {
        Some(dest) => resolve(dest)?,
        None => {
            let output_dir = resolve(&root.join(&config.build.output_dir))?;
            // book.toml may come from a stranger's pull request: it may not
            // send the output outside the playbook. `-d` may, since whoever
            // types it owns the machine.
            if !output_dir.starts_with(&root) {
                return Ok(Err(vec![config_problem(
                    format!("`output-dir` leads to `{}`, outside the playbook folder", output_dir.display()),
                    "keep it inside the playbook folder, or pass `-d <folder>` to write elsewhere",
                )]));
            }
            output_dir
        }
    };
    if let Some(reason) = unsafe_output(&output_dir, &root, &content_dir) {
        return Err(UsageError(format!(
            "refusing to write the handbook to `{}`: {reason}; {}",
            output_dir.display(),
            if dest.is_some() {
                "pass another folder to -d"
            } else {
                "set `output-dir` in [build] to a folder of its own, such as \"book\""
            }
        ))
        .into());
    }
    Ok(Ok(Layout { root, config, content_dir, output_dir, has_config_file, dest: dest.map(Path::to_path_buf) }))
}

/// Reads the content folder's `SUMMARY.md`, if it has one, through the
/// boundary as a page is read.
fn read_summary(root: &Path, content_dir: &Path) -> Option<Result<Summary, Vec<Diagnostic>>> {
    let path = content_dir.join(SUMMARY);
    path.symlink_metadata().ok()?;
    let prefix = display_relative(content_dir, root);
    let source = match read_page(Boundary::new(root), &path, SUMMARY, &prefix) {
        Ok(source) => source,
        Err(problem) => return Some(Err(vec![problem])),
    };
    Some(summary::parse(&source.text, &source.display_path).map_err(|problems| {
        (problems.into_iter())
            .map(|p| {
                Diagnostic::error(Code::SummaryInvalid, p.message)
                    .at(&source.display_path, &source.text, p.span)
                    .with_help(p.help)
            })
            .collect()
    }))
}

fn config_problem(message: String, help: &str) -> Diagnostic {
    Diagnostic::error(Code::ConfigInvalid, message).in_file(CONFIG_FILE).with_help(help)
}

/// Why writing to `output` would destroy sources, if it would.
fn unsafe_output(output: &Path, root: &Path, content: &Path) -> Option<&'static str> {
    if output.starts_with(content) {
        Some("it is the content folder or inside it")
    } else if content.starts_with(output) || root.starts_with(output) {
        Some("it holds the playbook's own files")
    } else {
        None
    }
}

/// An absolute, normalised form of `path`, with symlinks resolved as far as
/// the path exists, so containment checks cannot be fooled by `..` or links.
pub fn resolve(path: &Path) -> anyhow::Result<PathBuf> {
    let absolute = std::path::absolute(path).with_context(|| format!("failed to resolve `{}`", path.display()))?;
    let mut normal = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    let mut existing = normal.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or_else(|_| existing.to_path_buf());
    resolved.extend(rest.into_iter().rev());
    Ok(resolved)
}

fn display_relative(path: &Path, root: &Path) -> String {
    path.strip_prefix(root).map_or_else(|_| path.display().to_string(), |rel| rel.to_string_lossy().replace('\\', "/"))
}

/// A playbook with no pages builds a home page and nothing else: almost
/// always the wrong folder, so it is said (and fails `--strict`).
pub(crate) fn empty_content(layout: &Layout) -> Diagnostic {
    let folder = layout.content_prefix();
    Diagnostic::warning(Code::EmptyContent, format!("`{folder}` has no pages: no `*.md` file was found in it"))
        .in_file(&folder)
        .with_help("add a page such as `content/index.md`, or point `content-dir` in book.toml at your pages")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_inside_content_is_unsafe() {
        let root = Path::new("/b");
        let content = Path::new("/b/content");
        assert!(unsafe_output(Path::new("/b/content"), root, content).is_some());
        assert!(unsafe_output(Path::new("/b/content/out"), root, content).is_some());
        assert!(unsafe_output(Path::new("/b"), root, content).is_some());
        assert!(unsafe_output(Path::new("/"), root, content).is_some());
        assert!(unsafe_output(Path::new("/b/book"), root, content).is_none());
        assert!(unsafe_output(Path::new("/elsewhere"), root, content).is_none());
    }

    #[test]
    fn resolve_normalises_missing_tails() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        assert_eq!(resolve(&tmp.path().join("a/../b")).unwrap(), base.join("b"));
    }
}
