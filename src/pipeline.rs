//! The build pipeline, stage by stage, with I/O at its two ends:
//!
//! ```text
//! book.toml ─config─▶ Config
//! content/  ─source::read_all─▶ SourceFile*               (reads)
//!           ─page::parse_page, parallel─▶ ParsedPage*     + diagnostics
//!           ─site::assemble─▶ Site                        + diagnostics
//!           ─render::render_site, parallel─▶ OutputFile*  + diagnostics
//!           ─output::write_atomic─▶ book/                 (writes)
//! ```
//!
//! [`compile`] runs everything but the write; [`build`] adds it, and only
//! when there are no errors, so a failed build leaves the old output alone.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use anyhow::Context as _;
use rayon::prelude::*;

use crate::UsageError;
use crate::boundary::Boundary;
use crate::config::{CONFIG_FILE, Config, parse_config};
use crate::decision::{Decisions, check_decisions};
use crate::diag::{self, Code, Diagnostic};
use crate::link::{LinkGraph, LinkIndex, LinkSeverity, check_links, orphan_pages};
use crate::model::Slug;
use crate::output::{lock_output, write_atomic};
use crate::page::{ParsedPage, parse_page};
use crate::render::theme::{Theme, read_overrides};
use crate::render::{OutputFile, RenderInput, render_site};
use crate::site::{Parts, Site, assemble};
use crate::slug::slug_from_path;
use crate::source::{Asset, SourceFile, read_all};

/// Where a playbook's parts are on disk, with its configuration.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The playbook folder (holds `book.toml`).
    pub root: PathBuf,
    /// The parsed `book.toml`.
    pub config: Config,
    /// `content/`, resolved.
    pub content_dir: PathBuf,
    /// The output folder, resolved.
    pub output_dir: PathBuf,
    /// Whether the playbook has a `book.toml` (without one, the defaults).
    pub has_config_file: bool,
}

impl Layout {
    /// How diagnostics name the content folder (`content`).
    pub fn content_prefix(&self) -> String {
        display_relative(&self.content_dir, &self.root)
    }

    /// The boundary every read of this playbook goes through.
    pub fn boundary(&self) -> Boundary<'_> {
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
    Ok(Ok(Layout { root, config, content_dir, output_dir, has_config_file }))
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

/// The result of compiling a playbook, before anything is written.
#[derive(Debug)]
pub struct Compiled {
    /// Every output file, sorted by path; empty when there are errors.
    pub files: Vec<OutputFile>,
    /// Every problem found, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// How many content pages the handbook has.
    pub page_count: usize,
}

impl Compiled {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Which command compiles, which decides how strict link checks are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `build`: broken links are warnings (errors with `--strict`).
    Build,
    /// `check`: broken links are errors and orphan pages are reported.
    Check,
}

/// The outcome of parsing a set of pages.
#[derive(Debug, Default)]
pub struct ParsedSet {
    /// Pages that parsed.
    pub pages: Vec<ParsedPage>,
    /// Slugs of pages that did not.
    pub unparsed: BTreeSet<Slug>,
    /// Their errors, and the warnings of those that parsed.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses one page, keeping the slug of a page that fails so references to
/// it are not reported again.
pub fn parse_one(
    source: SourceFile,
    config: &Config,
) -> Result<(ParsedPage, Vec<Diagnostic>), (Slug, Vec<Diagnostic>)> {
    let slug = slug_from_path(&source.rel_path);
    parse_page(source, config).map_err(|problems| (slug, problems))
}

/// Collects per-page parse results into a [`ParsedSet`].
pub fn collect_parsed<I>(results: I) -> ParsedSet
where
    I: IntoIterator<Item = Result<(ParsedPage, Vec<Diagnostic>), (Slug, Vec<Diagnostic>)>>,
{
    let mut set = ParsedSet::default();
    for result in results {
        match result {
            Ok((page, warnings)) => {
                set.pages.push(page);
                set.diagnostics.extend(warnings);
            }
            Err((slug, problems)) => {
                set.unparsed.insert(slug);
                set.diagnostics.extend(problems);
            }
        }
    }
    set
}

/// The site with everything that needs every page at once worked out.
pub struct Analysis {
    /// The assembled site.
    pub site: Site,
    /// The decision walks.
    pub decisions: Decisions,
    /// Where links lead.
    pub links: LinkIndex,
    /// What links where.
    pub graph: LinkGraph,
    /// What assembling, checking the question graph and links found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Assembles parsed pages into a site and checks it as a whole.
pub fn analyze(parsed: ParsedSet, assets: Vec<Asset>, layout: &Layout, mode: Mode) -> Analysis {
    let config = &layout.config;
    let ParsedSet { pages, unparsed, mut diagnostics } = parsed;
    let (site, problems) = assemble(Parts { pages, assets, unparsed }, config);
    diagnostics.extend(problems);
    let (decisions, problems) = check_decisions(&site);
    diagnostics.extend(problems);
    let links = LinkIndex::new(&site, &config.build.site_url);
    let severity = match mode {
        Mode::Build => LinkSeverity::Lenient,
        Mode::Check => LinkSeverity::Strict,
    };
    let (graph, problems) = check_links(&site, &links, severity);
    diagnostics.extend(problems);
    if mode == Mode::Check {
        diagnostics.extend(orphan_pages(&site, &graph));
    }
    if !layout.has_config_file {
        name_missing_config(&mut diagnostics);
    }
    Analysis { site, decisions, links, graph, diagnostics }
}

impl Analysis {
    /// What rendering reads from this analysis.
    pub fn render_input<'a>(&'a self, theme: &'a Theme, config: &'a Config) -> RenderInput<'a> {
        RenderInput {
            site: &self.site,
            links: &self.links,
            graph: &self.graph,
            decisions: &self.decisions,
            theme,
            config,
        }
    }
}

/// Runs every stage but the write.
pub fn compile(layout: &Layout, mode: Mode) -> anyhow::Result<Compiled> {
    let sources = read_all(layout.boundary(), &layout.content_dir, &layout.content_prefix());
    let empty = sources.pages.is_empty() && sources.diagnostics.is_empty();
    let parsed = collect_parsed(
        sources.pages.into_par_iter().map(|source| parse_one(source, &layout.config)).collect::<Vec<_>>(),
    );
    let analysis = analyze(parsed, sources.assets, layout, mode);
    let mut diagnostics = sources.diagnostics;
    if empty {
        diagnostics.push(empty_content(layout));
    }
    diagnostics.extend(analysis.diagnostics.iter().cloned());
    let (theme_files, problems) = read_overrides(layout.boundary(), &layout.root, &layout.config.build.theme)?;
    diagnostics.extend(problems);
    let page_count = analysis.site.pages.len() + usize::from(analysis.site.home.is_some());
    let mut files = Vec::new();
    if !diagnostics.iter().any(Diagnostic::is_error) {
        match Theme::compile(theme_files) {
            Ok(theme) => {
                let (rendered, problems) = render_site(&analysis.render_input(&theme, &layout.config));
                diagnostics.extend(problems);
                files = rendered;
            }
            Err(problems) => diagnostics.extend(problems),
        }
    }
    diag::sort(&mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        files.clear();
    }
    Ok(Compiled { files, diagnostics, page_count })
}

/// A playbook with no pages builds a home page and nothing else: almost
/// always the wrong folder, so it is said (and fails `--strict`).
fn empty_content(layout: &Layout) -> Diagnostic {
    let folder = layout.content_prefix();
    Diagnostic::warning(Code::EmptyContent, format!("`{folder}` has no pages: no `*.md` file was found in it"))
        .in_file(&folder)
        .with_help("add a page such as `content/index.md`, or point `content-dir` in book.toml at your pages")
}

/// Without `book.toml` no level or context is declared, so every page that
/// names one fails with its own "unknown level": six errors hid the one
/// cause. They become one error that names it (issue 9).
fn name_missing_config(diagnostics: &mut Vec<Diagnostic>) {
    let is_undeclared = |d: &Diagnostic| matches!(d.code, Code::UnknownLevel | Code::UnknownContext);
    let Some(first) = diagnostics.iter().find(|d| is_undeclared(d)) else { return };
    let first_place = first.location.as_ref().map(|l| format!("{}:{}:{}", l.file, l.line, l.column));
    let pages: BTreeSet<&str> = diagnostics
        .iter()
        .filter(|d| is_undeclared(d))
        .filter_map(|d| Some(d.location.as_ref()?.file.as_str()))
        .collect();
    let mut named = Diagnostic::error(
        Code::UnknownLevel,
        format!(
            "there is no `{CONFIG_FILE}`, so no levels or contexts are declared, yet {} page{} name{} them",
            pages.len(),
            if pages.len() == 1 { "" } else { "s" },
            if pages.len() == 1 { "s" } else { "" }
        ),
    )
    .in_file(CONFIG_FILE)
    .with_help("create book.toml with a [playbook] table declaring `levels` and `contexts` (the README shows one)");
    if let Some(place) = first_place {
        named = named.with_note(format!("the first is at {place}"));
    }
    diagnostics.retain(|d| !is_undeclared(d));
    diagnostics.push(named);
}

/// What `build` did.
#[derive(Debug)]
pub struct BuildReport {
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
    /// How many content pages were built.
    pub page_count: usize,
    /// How many files were written (0 when the build failed).
    pub files_written: usize,
    /// Where.
    pub output_dir: PathBuf,
}

/// Whether warnings fail a build (`--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// Warnings are printed; the build succeeds.
    WarningsAllowed,
    /// Warnings fail the build like errors, as CI wants.
    WarningsFail,
}

/// Compiles the playbook and, if it has no errors (nor warnings, when
/// strict), swaps the new output in. Builds of one output compile side by
/// side but write one at a time; `on_wait` runs if this one must wait.
pub fn build(layout: &Layout, strictness: Strictness, on_wait: impl FnOnce()) -> anyhow::Result<BuildReport> {
    let compiled = compile(layout, Mode::Build)?;
    let failed = compiled.has_errors() || (strictness == Strictness::WarningsFail && !compiled.diagnostics.is_empty());
    let files_written = if failed {
        0
    } else {
        let lock = lock_output(&layout.output_dir, on_wait)?;
        write_atomic(&lock, &layout.output_dir, &compiled.files, layout.boundary())?;
        compiled.files.len()
    };
    Ok(BuildReport {
        diagnostics: compiled.diagnostics,
        page_count: compiled.page_count,
        files_written,
        output_dir: layout.output_dir.clone(),
    })
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
