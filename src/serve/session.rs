//! A serve session: the parsed pages cached by path, the last good site in
//! memory, and the rebuild that follows an edit.
//!
//! A change to one page's body (its frontmatter and title unchanged) takes
//! the fast path: that page is parsed again, its anchors and links updated,
//! and only the pages whose output depends on it are rendered again: itself,
//! pages whose backlinks change, and pages that link to it (a heading they
//! name may have come or gone). Any other change (frontmatter, added, deleted
//! or renamed files, assets, the theme, book.toml) assembles the site again
//! from the cache, reading only the files that changed. A build with errors
//! is never published: the last good site stays, and the errors are shown.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use rayon::prelude::*;

use super::watch::ChangeSet;
use crate::config::Config;
use crate::diag::{self, Diagnostic};
use crate::link::{Backlink, LinkSeverity, page_links};
use crate::model::Slug;
use crate::page::ParsedPage;
use crate::pipeline::{self, Analysis, Layout, Mode, ParsedSet, analyze, collect_parsed, parse_one};
use crate::render::theme::{Theme, read_overrides};
use crate::render::{Contents, OutputFile, render_pages, render_site};
use crate::source::{Asset, SourceFile, read_all, read_page};

type ParseResult = Result<(ParsedPage, Vec<Diagnostic>), (Slug, Vec<Diagnostic>)>;

/// The files of the last good build: exactly what `build` would publish.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    /// Site-relative path -> bytes, for the files the build makes.
    pub files: HashMap<String, Bytes>,
    /// Site-relative path -> the file in `content/` it is a copy of. Read
    /// when requested, through the playbook's boundary.
    pub assets: HashMap<String, PathBuf>,
}

impl Snapshot {
    fn from_files(files: Vec<OutputFile>) -> Self {
        let mut snapshot = Snapshot::default();
        for file in files {
            match file.contents {
                Contents::Bytes(bytes) => {
                    snapshot.files.insert(file.path, Bytes::from(bytes));
                }
                Contents::CopyOf(source) => {
                    snapshot.assets.insert(file.path, source);
                }
            }
        }
        snapshot
    }
}

/// What a rebuild did.
#[derive(Debug)]
pub enum Outcome {
    /// A new site to serve. `changed` lists the output paths that changed,
    /// or is `None` when everything may have.
    Published {
        /// The new files.
        snapshot: Arc<Snapshot>,
        /// What changed.
        changed: Option<Vec<String>>,
        /// Warnings worth printing.
        warnings: Vec<Diagnostic>,
        /// How many pages were rendered.
        rendered: usize,
    },
    /// The content has errors; the last good site stays.
    Failed(Vec<Diagnostic>),
    /// Nothing that matters changed (an editor touched a file).
    Unchanged,
}

/// The state of `playbook serve` between edits.
pub struct Session {
    layout: Layout,
    parsed: BTreeMap<String, ParseResult>,
    assets: Vec<Asset>,
    read_problems: Vec<Diagnostic>,
    theme: Option<Theme>,
    theme_problems: Vec<Diagnostic>,
    analysis: Option<Analysis>,
    snapshot: Arc<Snapshot>,
    /// Parses replaced by the last rescan, for the fast path.
    last_parsed: BTreeMap<String, ParseResult>,
}

impl Session {
    /// Reads and builds everything.
    pub fn start(layout: Layout) -> anyhow::Result<(Session, Outcome)> {
        let mut session = Session {
            layout,
            parsed: BTreeMap::new(),
            assets: Vec::new(),
            read_problems: Vec::new(),
            theme: None,
            theme_problems: Vec::new(),
            analysis: None,
            snapshot: Arc::new(Snapshot::default()),
            last_parsed: BTreeMap::new(),
        };
        session.rescan();
        session.load_theme()?;
        let outcome = session.rebuild_all();
        session.last_parsed.clear();
        Ok((session, outcome))
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.layout.config
    }

    /// The layout in force.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Applies a batch of changes.
    pub fn apply(&mut self, changes: &ChangeSet) -> anyhow::Result<Outcome> {
        if changes.config {
            match pipeline::load_layout(&self.layout.root, None)? {
                Ok(mut layout) => {
                    layout.config.build.site_url = "/".into();
                    self.layout = layout;
                }
                Err(problems) => return Ok(Outcome::Failed(problems)),
            }
            self.parsed.clear();
            self.rescan();
            self.load_theme()?;
            return Ok(self.rebuild_all());
        }
        if changes.theme {
            self.load_theme()?;
        }
        let (pages, assets_changed, previous) = if changes.rescan {
            let (pages, assets_changed) = self.rescan();
            (pages, assets_changed, BTreeMap::new())
        } else {
            let mut previous = BTreeMap::new();
            let mut pages = Vec::new();
            for rel in &changes.pages {
                let old = self.reread(rel);
                if !same_result_text(old.as_ref(), self.parsed.get(rel)) {
                    pages.push(rel.clone());
                    previous.insert(rel.clone(), old);
                }
            }
            (pages, false, previous)
        };
        if pages.is_empty() && !assets_changed && !changes.theme {
            return Ok(Outcome::Unchanged);
        }
        if let ([rel], false, false) = (pages.as_slice(), assets_changed, changes.theme) {
            let old = match previous.get(rel) {
                Some(old) => old.clone(),
                None => self.last_parsed.remove(rel),
            };
            if let Some(outcome) = self.try_fast_path(rel, old) {
                return Ok(outcome);
            }
        }
        Ok(self.rebuild_all())
    }

    /// Walks `content/` again; pages whose text is unchanged keep their
    /// parse. Returns the pages that changed (edited, added or removed) and
    /// whether the assets did; the previous parses of edited pages are kept
    /// in `last_parsed` for the fast path.
    fn rescan(&mut self) -> (Vec<String>, bool) {
        let sources = read_all(self.layout.boundary(), &self.layout.content_dir, &self.layout.content_prefix());
        let mut old = std::mem::take(&mut self.parsed);
        let mut kept = BTreeMap::new();
        let mut to_parse = Vec::new();
        let mut changed = Vec::new();
        self.last_parsed.clear();
        for source in sources.pages {
            match old.remove(&source.rel_path) {
                Some(result) if same_text(&result, &source) => {
                    kept.insert(source.rel_path.clone(), result);
                }
                previous => {
                    changed.push(source.rel_path.clone());
                    if let Some(previous) = previous {
                        self.last_parsed.insert(source.rel_path.clone(), previous);
                    }
                    to_parse.push(source);
                }
            }
        }
        changed.extend(old.into_keys());
        let config = &self.layout.config;
        let fresh: Vec<(String, ParseResult)> =
            to_parse.into_par_iter().map(|s| (s.rel_path.clone(), parse_one(s, config))).collect();
        kept.extend(fresh);
        self.parsed = kept;
        let assets_changed = self.assets != sources.assets;
        self.assets = sources.assets;
        self.read_problems = sources.diagnostics;
        (changed, assets_changed)
    }

    /// Reads and parses one page again; returns its previous parse.
    fn reread(&mut self, rel: &str) -> Option<ParseResult> {
        let path = self.layout.content_dir.join(rel);
        if !path.is_file() {
            return self.parsed.remove(rel);
        }
        let result = match read_page(self.layout.boundary(), &path, rel, &self.layout.content_prefix()) {
            Ok(source) => parse_one(source, &self.layout.config),
            Err(problem) => Err((crate::slug::slug_from_path(rel), vec![problem])),
        };
        self.parsed.insert(rel.to_string(), result)
    }

    fn load_theme(&mut self) -> anyhow::Result<()> {
        let (files, problems) =
            read_overrides(self.layout.boundary(), &self.layout.root, &self.layout.config.build.theme)?;
        self.theme_problems = problems;
        match Theme::compile(files) {
            Ok(theme) => self.theme = Some(theme),
            Err(problems) => {
                self.theme = None;
                self.theme_problems.extend(problems);
            }
        }
        Ok(())
    }

    /// Re-assembles the whole site from the cache and renders it.
    fn rebuild_all(&mut self) -> Outcome {
        let results: Vec<ParseResult> = self.parsed.values().cloned().collect();
        let parsed: ParsedSet = collect_parsed(results);
        let analysis = analyze(parsed, self.assets.clone(), &self.layout, Mode::Build);
        let mut diagnostics = self.read_problems.clone();
        diagnostics.extend(self.theme_problems.iter().cloned());
        diagnostics.extend(analysis.diagnostics.iter().cloned());
        let Some(theme) = &self.theme else {
            return Outcome::Failed(errors_of(diagnostics));
        };
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Outcome::Failed(errors_of(diagnostics));
        }
        let (files, problems) = render_site(&analysis.render_input(theme, &self.layout.config));
        diagnostics.extend(problems);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Outcome::Failed(errors_of(diagnostics));
        }
        let rendered = analysis.site.pages.len();
        self.analysis = Some(analysis);
        self.snapshot = Arc::new(Snapshot::from_files(files));
        diag::sort(&mut diagnostics);
        Outcome::Published { snapshot: self.snapshot.clone(), changed: None, warnings: diagnostics, rendered }
    }

    /// The fast path for an edit to one page's body. `None` when the edit
    /// is not of that kind (or the last build failed), so the caller
    /// rebuilds everything.
    fn try_fast_path(&mut self, rel: &str, previous: Option<ParseResult>) -> Option<Outcome> {
        let Some(Ok((old, _))) = previous else { return None };
        let Some(Ok((new, warnings))) = self.parsed.get(rel) else { return None };
        let analysis = self.analysis.as_mut()?;
        let theme = self.theme.as_ref()?;
        let same_frontmatter = old.source.text[..old.body_start] == new.source.text[..new.body_start];
        if !same_frontmatter || old.title != new.title || old.slug != new.slug || new.slug.is_home() {
            return None;
        }
        // The last published site must be this cache's: a failed build in
        // between means the cache is ahead of it.
        let index = *analysis.site.by_slug.get(&new.slug)?;
        if analysis.site.pages[index].source.text != old.source.text {
            return None;
        }
        let old_links = page_links(&analysis.links, &analysis.site.pages[index], Some(index), LinkSeverity::Lenient);
        let headings_changed = analysis.site.pages[index].outline.headings != new.outline.headings;
        analysis.site.pages[index] = new.clone();
        analysis.links.set_anchors(&analysis.site.pages[index]);
        let new_links = page_links(&analysis.links, &analysis.site.pages[index], Some(index), LinkSeverity::Lenient);
        let mut dirty = vec![index];
        dirty.extend(analysis.graph.relink(index, &old_links.targets, &new_links.targets));
        if headings_changed {
            dirty.extend(analysis.graph.backlinks[index].iter().filter_map(|b| match b {
                Backlink::Prose(Some(from)) => Some(*from),
                _ => None,
            }));
        }
        dirty.sort_unstable();
        dirty.dedup();
        let mut diagnostics: Vec<Diagnostic> = warnings.clone();
        diagnostics.extend(new_links.ambiguous);
        diagnostics.extend(new_links.broken.into_iter().map(|(_, d)| d));
        if diagnostics.iter().any(Diagnostic::is_error) {
            // Undo nothing: the cache holds the new text, and the next
            // rebuild starts from it. Serve the last good site meanwhile.
            self.analysis = None;
            return Some(Outcome::Failed(errors_of(diagnostics)));
        }
        let (files, problems) = render_pages(&analysis.render_input(theme, &self.layout.config), &dirty);
        if problems.iter().any(Diagnostic::is_error) {
            self.analysis = None;
            return Some(Outcome::Failed(problems));
        }
        let mut snapshot = Snapshot::clone(&self.snapshot);
        let changed: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
        for file in files {
            if let Contents::Bytes(bytes) = file.contents {
                snapshot.files.insert(file.path, Bytes::from(bytes));
            }
        }
        self.snapshot = Arc::new(snapshot);
        Some(Outcome::Published {
            snapshot: self.snapshot.clone(),
            changed: Some(changed),
            warnings: diagnostics,
            rendered: dirty.len(),
        })
    }
}

fn text_of(result: &ParseResult) -> Option<&str> {
    result.as_ref().ok().map(|(page, _)| page.source.text.as_str())
}

/// Whether a re-read found the same text as before (an editor touched the
/// file without changing it).
fn same_result_text(old: Option<&ParseResult>, new: Option<&ParseResult>) -> bool {
    match (old, new) {
        (Some(old), Some(new)) => text_of(old).is_some() && text_of(old) == text_of(new),
        _ => false,
    }
}

fn same_text(result: &ParseResult, source: &SourceFile) -> bool {
    match result {
        Ok((page, _)) => page.source.text == source.text,
        Err(_) => false,
    }
}

fn errors_of(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.retain(Diagnostic::is_error);
    diag::sort(&mut diagnostics);
    diagnostics
}
