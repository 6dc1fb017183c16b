//! The one engine behind `build`, `check` and `serve`.
//!
//! An [`Engine`] holds a playbook's inputs (each page's text and parse, the
//! copied files, the theme, `book.toml`), the analysis of the whole site, and
//! the fingerprint of every output it last rendered. [`Engine::update`]
//! takes the paths that changed, re-reads and re-parses exactly those, and
//! analyses the site again; [`Engine::render`] renders the outputs whose
//! fingerprint changed and hands each to a sink as soon as it is rendered.
//! A build is `load` then `render` into the output writer; `serve` is
//! `update` then `render` into its in-memory snapshot, after every edit.
//! Nothing here is specific to either: incremental work belongs to the
//! pipeline, not to the server (issue 10).
//!
//! Only `load` and `update` touch the disk, through `source.rs`, the theme
//! loader and `layout.rs` (and `render`, which reads each page's text again
//! as it renders it); the stages they run are pure. When each page last
//! changed comes from one `git log` (`history.rs`), run when everything is
//! read (at load, and when `book.toml` changes), never per edit.
//! `ARCHITECTURE.md` walks an edit through all of this.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::analysis::{self, Analysis, AnalysisInput, Baseline, Delta, Mode, analyze, name_missing_config};
use crate::boundary::is_site_path;
use crate::config::CONFIG_FILE;
use crate::diag::{self, Diagnostic};
use crate::hashing::hash_of;
use crate::history::{self, PageDates};
use crate::layout::{Layout, empty_content, load_layout};
use crate::mdbook::summary::SUMMARY;
use crate::model::Slug;
use crate::page::{ParsedPage, parse_page};
use crate::render::theme::{Theme, read_overrides};
use crate::render::{self, CardCache, Fingerprint, OutputFile, Planned, RenderEnv, Rendering, Unit};
use crate::slug::{is_page_file, slug_from_path, without_page_ext};
use crate::source::{Asset, SourceFile, file_stamp, read_all, read_page};

/// What parsing one content page gave.
#[derive(Debug, Clone)]
struct PageEntry {
    /// The file's size and modification time, to skip re-reading it when a
    /// folder is walked again.
    stamp: u64,
    /// The hash of the text read, to skip re-parsing an unchanged save.
    text_hash: Option<u64>,
    /// The page, or its slug (so references to it are not reported again).
    parsed: Result<Arc<ParsedPage>, Slug>,
    /// Its own diagnostics: errors that stopped it, or warnings.
    diagnostics: Vec<Diagnostic>,
    /// The files its `{{#include}}`s read, from the playbook folder: an
    /// edit to one is an edit to the page.
    includes: Vec<String>,
}

/// How long each stage of the last load or update took, for `--timings`.
/// Stages that run in parallel report wall time; `render_work` and
/// `write_work` add up the time of every thread, since pages are written
/// while others render.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Walking `content/` and reading pages (and the theme).
    pub read: Duration,
    /// Parsing pages (frontmatter, Markdown outline).
    pub parse: Duration,
    /// Ordering and grouping the site, the question graph.
    pub assemble: Duration,
    /// Resolving every link, backlinks, anchors.
    pub link: Duration,
    /// Planning the outputs, rendering and writing the changed ones.
    pub render: Duration,
    /// Time spent rendering, summed over threads.
    pub render_work: Duration,
    /// Time spent writing (or storing) files, summed over threads.
    pub write_work: Duration,
    /// What git said of when pages last changed, and how long the load
    /// waited for it once the pages were read (empty: not asked this time).
    pub dates: String,
}

impl std::fmt::Display for Timings {
    /// `read 90 ms, parse 250 ms, ...`: what `--timings` prints.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        write!(
            f,
            "read {:.1} ms, parse {:.1} ms, assemble {:.1} ms, link {:.1} ms, render and write {:.1} ms \
             (threads: render {:.1} ms, write {:.1} ms)",
            ms(self.read),
            ms(self.parse),
            ms(self.assemble),
            ms(self.link),
            ms(self.render),
            ms(self.render_work),
            ms(self.write_work)
        )?;
        if !self.dates.is_empty() {
            write!(f, "; dates: {}", self.dates)?;
        }
        Ok(())
    }
}

/// What a render pass did.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Output paths rendered (new or changed), sorted.
    pub changed: Vec<String>,
    /// How many of the book's pages (content pages and the home page, as
    /// [`Engine::page_count`] counts them) were rendered.
    pub pages: usize,
    /// Output paths that no longer exist, sorted.
    pub removed: Vec<String>,
    /// Problems rendering (a theme template that fails on some page).
    pub problems: Vec<Diagnostic>,
}

/// The state of one playbook, kept up to date by [`Engine::update`].
pub struct Engine {
    layout: Layout,
    config_problems: Vec<Diagnostic>,
    mode: Mode,
    live_reload: bool,
    /// Pages as lists show them, kept between renders when serving.
    cards: CardCache,
    pages: BTreeMap<String, PageEntry>,
    assets: Vec<Asset>,
    walk_problems: Vec<Diagnostic>,
    theme: Result<Arc<Theme>, Vec<Diagnostic>>,
    theme_warnings: Vec<Diagnostic>,
    /// When each page last changed, from git.
    dates: Arc<PageDates>,
    analysis: Arc<Analysis>,
    diagnostics: Vec<Diagnostic>,
    outputs: Outputs,
    /// What the outputs were last rendered from.
    rendered_from: Option<Baseline>,
    /// What the last update and render replaced, freed by
    /// [`Engine::release_replaced`] (or at the next update) rather than
    /// while an edit is on its way to the browser: freeing the link memos of
    /// 10,000 pages takes longer than rendering the pages an edit changed.
    replaced: Vec<Box<dyn std::any::Any + Send + Sync>>,
    /// When serving: outputs due but left for [`Engine::render_deferred`],
    /// by their place in the plan.
    deferred: Vec<usize>,
    timings: Timings,
}

impl Engine {
    /// Reads and analyses the whole playbook at `layout`. `live_reload`
    /// makes every HTML page load `serve`'s reload script. No page's text is
    /// kept: a page is read again when it is rendered, so neither a build nor
    /// a server holds every page's text.
    pub fn load(layout: Layout, mode: Mode, live_reload: bool) -> anyhow::Result<Engine> {
        let mut engine = Engine {
            layout,
            config_problems: Vec::new(),
            mode,
            live_reload,
            cards: CardCache::new(live_reload),
            pages: BTreeMap::new(),
            assets: Vec::new(),
            walk_problems: Vec::new(),
            theme: Err(Vec::new()),
            theme_warnings: Vec::new(),
            dates: Arc::default(),
            analysis: Arc::new(empty_analysis()),
            diagnostics: Vec::new(),
            outputs: Outputs::default(),
            rendered_from: None,
            replaced: Vec::new(),
            deferred: Vec::new(),
            timings: Timings::default(),
        };
        engine.reload_all()?;
        Ok(engine)
    }

    /// Drops what only a later [`Engine::update`] would reuse (each page's
    /// followed links and anchors): a one-shot build renders with less
    /// memory. Updates after it still work, from scratch.
    pub fn forget_history(&mut self) {
        if let Some(analysis) = Arc::get_mut(&mut self.analysis) {
            analysis.forget_history();
        }
    }

    /// The layout in force.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Every problem of the current state, sorted by file and line.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// How many content pages the handbook has (the home page included).
    pub fn page_count(&self) -> usize {
        let site = &self.analysis.site;
        site.pages.len() + usize::from(site.home.is_some())
    }

    /// How long the stages of the last load or update took.
    pub fn timings(&self) -> &Timings {
        &self.timings
    }

    /// Takes in paths that changed on disk (as a watcher reports them) and
    /// brings the analysis up to date. Returns whether anything that matters
    /// changed.
    pub fn update(&mut self, paths: &[PathBuf]) -> anyhow::Result<bool> {
        self.release_replaced();
        let changes = classify(paths, &self.layout);
        let including = self.pages_including(paths);
        if changes.is_empty() && including.is_empty() {
            return Ok(false);
        }
        if changes.config {
            return self.reload_config();
        }
        let started = Instant::now();
        let mut parse_time = Duration::ZERO;
        if changes.theme {
            self.read_theme()?;
        }
        if changes.rescan {
            parse_time += self.rescan_content();
        } else {
            for rel in &changes.pages {
                let parse_started = Instant::now();
                self.reread_page(rel);
                parse_time += parse_started.elapsed();
            }
        }
        for rel in including.difference(&changes.pages) {
            let parse_started = Instant::now();
            self.reread_page(rel);
            parse_time += parse_started.elapsed();
        }
        self.timings =
            Timings { read: started.elapsed().saturating_sub(parse_time), parse: parse_time, ..Timings::default() };
        self.reanalyze();
        Ok(true)
    }

    /// The folders of every file a page includes: a server watches them.
    pub fn included_folders(&self) -> BTreeSet<PathBuf> {
        let files = self.pages.values().flat_map(|entry| &entry.includes);
        files.filter_map(|file| self.layout.root.join(file).parent().map(Path::to_path_buf)).collect()
    }

    /// The pages whose `{{#include}}`s read one of `paths`.
    fn pages_including(&self, paths: &[PathBuf]) -> BTreeSet<String> {
        let changed: BTreeSet<String> =
            paths.iter().filter_map(|p| p.strip_prefix(&self.layout.root).ok()).map(relative).collect();
        (self.pages.iter())
            .filter(|(_, entry)| entry.includes.iter().any(|file| changed.contains(file)))
            .map(|(rel, _)| rel.clone())
            .collect()
    }

    /// Frees the analysis and baseline the last update and render replaced.
    /// `serve` calls it once the edit is published.
    pub fn release_replaced(&mut self) {
        self.replaced.clear();
    }

    /// Renders every output whose fingerprint changed since the last render
    /// (all of them the first time), handing each file to `sink` as soon as
    /// it is rendered, in parallel. Nothing is rendered while the content
    /// has errors: the last good outputs stand.
    pub fn render(&mut self, sink: impl Fn(OutputFile) -> anyhow::Result<()> + Sync) -> anyhow::Result<Rendered> {
        let started = Instant::now();
        let mut rendered = Rendered::default();
        let Ok(theme) = self.theme.clone() else { return Ok(rendered) };
        if self.has_errors() {
            return Ok(rendered);
        }
        let env = RenderEnv::new(&theme, &self.layout.config, self.live_reload, &self.cards);
        self.cards.start(env.hash(), self.analysis.site.pages.len());
        // The list of outputs depends on which pages and files there are, the
        // configuration and the theme: reused while those stand.
        let plan_key = hash_of(&(self.analysis.site.keys().claims, self.analysis.search.layout_key(), env.hash()));
        let (plan, previous, delta) = if plan_key == self.outputs.key {
            let delta = match &self.rendered_from {
                Some(before) => analysis::delta(before, &self.analysis),
                None => Delta::Everything,
            };
            (self.outputs.plan.clone(), Cow::Borrowed(&self.outputs.fingerprints[..]), delta)
        } else {
            let plan = Arc::new(render::plan(&self.analysis, &env));
            let before: HashMap<&str, &Fingerprint> = (self.outputs.plan.iter().zip(&self.outputs.fingerprints))
                .filter_map(|(planned, fingerprint)| Some((planned.path.as_str(), fingerprint.as_ref()?)))
                .collect();
            let previous = plan.iter().map(|planned| before.get(planned.path.as_str()).map(|&f| f.clone())).collect();
            // Pages came or went under the same theme and book.toml: the
            // outputs that stand are those the delta leaves alone.
            let delta = match &self.rendered_from {
                Some(before) if self.outputs.env == env.hash() => analysis::delta(before, &self.analysis),
                _ => Delta::Everything,
            };
            (plan, Cow::Owned(previous), delta)
        };
        let paths: Vec<&str> = plan.iter().map(|planned| planned.path.as_str()).collect();
        let (render_nanos, write_nanos) = (AtomicU64::new(0), AtomicU64::new(0));
        // Outputs the edit cannot have changed keep their fingerprint; the
        // others are rendered one task each, so a few large list pages
        // spread over the threads.
        let mut due: Vec<usize> = (0..plan.len())
            .filter(|&i| previous[i].as_ref().is_none_or(|p| render::affected(plan[i].unit, &p.shows, &delta)))
            .collect();
        // A server publishes an edit before it renders the whole book to
        // print (`print.html` shows every page's text), and only when idle.
        let deferred: Vec<usize> = if self.live_reload {
            let (later, now): (Vec<usize>, Vec<usize>) = due.iter().partition(|&&i| plan[i].unit.is_deferred());
            due = now;
            later
        } else {
            Vec::new()
        };
        let render_one = |i: usize| {
            let previous = previous[i].as_ref().map(|p| p.hash);
            let rendering = Instant::now();
            let (fingerprint, outcome) = render::render(plan[i].unit, &self.analysis, &env, &paths, previous);
            render_nanos.fetch_add(nanos(rendering), Ordering::Relaxed);
            match outcome {
                Rendering::Unchanged => Ok(UnitOutcome { fingerprint, problem: None, written: Vec::new() }),
                Rendering::Failed(problem) => {
                    Ok(UnitOutcome { fingerprint, problem: Some(problem), written: Vec::new() })
                }
                Rendering::Rendered(files) => {
                    let writing = Instant::now();
                    let written: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
                    let sunk = files.into_iter().try_for_each(&sink);
                    write_nanos.fetch_add(nanos(writing), Ordering::Relaxed);
                    sunk.map(|()| UnitOutcome { fingerprint, problem: None, written })
                }
            }
        };
        // In a build, pages that list the whole site (the contents, the
        // matrix, a level) are rendered one after another, beside the rest:
        // each builds a view of every page it lists, and two at once would
        // double that peak. A server renders few outputs per edit, most of
        // them lists when a summary changes: side by side, for latency.
        let one_at_a_time = |unit: Unit| !self.live_reload && unit.lists_pages();
        let (lists, rest): (Vec<usize>, Vec<usize>) = due.iter().partition(|&&i| one_at_a_time(plan[i].unit));
        let (listed, others): (Vec<anyhow::Result<UnitOutcome>>, Vec<anyhow::Result<UnitOutcome>>) = rayon::join(
            || lists.iter().map(|&i| render_one(i)).collect(),
            || rest.par_iter().with_max_len(1).map(|&i| render_one(i)).collect(),
        );
        let outcomes: Vec<(usize, anyhow::Result<UnitOutcome>)> =
            lists.into_iter().zip(listed).chain(rest.into_iter().zip(others)).collect();
        self.timings.render_work = Duration::from_nanos(render_nanos.into_inner());
        self.timings.write_work = Duration::from_nanos(write_nanos.into_inner());
        let mut fingerprints: Vec<Option<Fingerprint>> = previous.into_owned();
        if let Delta::Pages { renumbered: Some(map), .. } = &delta {
            // The outputs that stand recorded what they show in the ids of
            // the last render; the next delta speaks today's.
            for fingerprint in fingerprints.iter_mut().flatten() {
                fingerprint.renumber(map);
            }
        }
        for &i in &deferred {
            // Due until rendered: whatever the next delta says.
            fingerprints[i] = None;
        }
        for (i, outcome) in outcomes {
            let UnitOutcome { fingerprint, problem, written } = outcome?;
            rendered.problems.extend(problem);
            let home = self.analysis.site.home.is_some();
            if !written.is_empty() && (matches!(plan[i].unit, Unit::Page(_)) || (home && plan[i].unit == Unit::Home)) {
                rendered.pages += 1;
            }
            rendered.changed.extend(written);
            fingerprints[i] = fingerprint;
        }
        rendered.changed.sort();
        if !rendered.problems.is_empty() {
            diag::sort(&mut rendered.problems);
            rendered.changed.clear();
            return Ok(rendered);
        }
        if !Arc::ptr_eq(&plan, &self.outputs.plan) {
            let now: HashSet<&str> = plan.iter().flat_map(Planned::files).collect();
            rendered.removed = (self.outputs.plan.iter().flat_map(Planned::files))
                .filter(|path| !now.contains(path))
                .map(str::to_string)
                .collect();
            rendered.removed.sort();
        }
        self.outputs = Outputs { key: plan_key, env: env.hash(), plan, fingerprints };
        self.deferred = deferred;
        let before = self.rendered_from.replace(Baseline::of(&self.analysis));
        self.replaced.push(Box::new(before));
        self.timings.render = started.elapsed();
        Ok(rendered)
    }

    /// Whether the last render left outputs for [`Engine::render_deferred`].
    pub fn has_deferred(&self) -> bool {
        !self.deferred.is_empty()
    }

    /// Renders the outputs the last render of a server left for later (the
    /// book to print), from the same analysis, handing each to `sink`.
    pub fn render_deferred(&mut self, sink: impl Fn(OutputFile) -> anyhow::Result<()>) -> anyhow::Result<Rendered> {
        let mut rendered = Rendered::default();
        let deferred = std::mem::take(&mut self.deferred);
        let Ok(theme) = self.theme.clone() else { return Ok(rendered) };
        if deferred.is_empty() || self.has_errors() {
            return Ok(rendered);
        }
        let env = RenderEnv::new(&theme, &self.layout.config, self.live_reload, &self.cards);
        let plan = self.outputs.plan.clone();
        let paths: Vec<&str> = plan.iter().map(|planned| planned.path.as_str()).collect();
        for i in deferred {
            let (fingerprint, outcome) = render::render(plan[i].unit, &self.analysis, &env, &paths, None);
            match outcome {
                Rendering::Rendered(files) => {
                    for file in files {
                        rendered.changed.push(file.path.clone());
                        sink(file)?;
                    }
                }
                Rendering::Failed(problem) => rendered.problems.push(problem),
                Rendering::Unchanged => {}
            }
            self.outputs.fingerprints[i] = fingerprint;
        }
        Ok(rendered)
    }

    /// Reads everything again: at the start, and when `book.toml` changed.
    /// Git dates the pages meanwhile, in a process of its own.
    fn reload_all(&mut self) -> anyhow::Result<()> {
        let started = Instant::now();
        let dating = history::start(&self.layout.content_dir);
        self.pages.clear();
        self.read_theme()?;
        let parse_time = self.rescan_content();
        let waiting = Instant::now();
        let (dates, outcome) = dating.finish();
        let waited = waiting.elapsed();
        self.dates = Arc::new(dates);
        self.timings = Timings {
            read: started.elapsed().saturating_sub(parse_time + waited),
            parse: parse_time,
            dates: format!("{outcome}, waited {:.1} ms", waited.as_secs_f64() * 1000.0),
            ..Timings::default()
        };
        self.reanalyze();
        Ok(())
    }

    /// `book.toml` changed: everything may have (levels, folders, theme).
    fn reload_config(&mut self) -> anyhow::Result<bool> {
        let dest = self.layout.dest.clone();
        match load_layout(&self.layout.root, dest.as_deref())? {
            Ok(mut layout) => {
                // What the command set stands: drafts, and serve's own root.
                layout.config.build.drafts = self.layout.config.build.drafts;
                if self.live_reload {
                    layout.config.build.site_url = self.layout.config.build.site_url.clone();
                }
                self.layout = layout;
                self.config_problems.clear();
                self.reload_all()?;
            }
            Err(problems) => {
                self.config_problems = problems;
                self.collect_diagnostics();
            }
        }
        Ok(true)
    }

    fn read_theme(&mut self) -> anyhow::Result<()> {
        let (files, problems) =
            read_overrides(self.layout.boundary(), &self.layout.root, &self.layout.config.build.theme)?;
        self.theme_warnings = problems;
        self.theme = Theme::compile(files).map(Arc::new);
        Ok(())
    }

    /// Walks `content/` again: pages whose file changed (by size and time)
    /// are read and parsed again, new ones added, gone ones dropped. Each
    /// page is parsed as soon as it is read. Returns the time spent parsing
    /// (the wall time, split in proportion to the threads' time).
    fn rescan_content(&mut self) -> Duration {
        let layout = &self.layout;
        let sources = read_all(layout.boundary(), &layout.content_dir, &layout.content_prefix(), |rel, stamp| {
            self.pages.get(rel).is_none_or(|entry| entry.stamp != stamp)
        });
        self.assets = sources.assets;
        self.walk_problems = sources.diagnostics;
        let (boundary, prefix, config) = (layout.boundary(), layout.content_prefix(), &layout.config);
        let reading_started = Instant::now();
        let (read_nanos, parse_nanos) = (AtomicU64::new(0), AtomicU64::new(0));
        let fresh: Vec<(String, PageEntry)> = sources
            .pages
            .into_par_iter()
            .map(|file| {
                let reading = Instant::now();
                let read = file.read(boundary, &prefix);
                read_nanos.fetch_add(nanos(reading), Ordering::Relaxed);
                let parsing = Instant::now();
                let entry = match read {
                    Ok(source) => parse_entry(source, file.stamp, config),
                    Err(problem) => failed_entry(&file.rel_path, file.stamp, problem),
                };
                parse_nanos.fetch_add(nanos(parsing), Ordering::Relaxed);
                (file.rel_path, entry)
            })
            .collect();
        let (read_work, parse_work) = (read_nanos.into_inner() as f64, parse_nanos.into_inner() as f64);
        let share = if read_work + parse_work > 0.0 { parse_work / (read_work + parse_work) } else { 0.0 };
        let parse_time = reading_started.elapsed().mul_f64(share);
        let present: BTreeSet<String> = sources.listed.into_iter().collect();
        self.pages.retain(|rel, _| present.contains(rel));
        self.pages.extend(fresh);
        parse_time
    }

    /// Reads one page again (it changed, appeared or went away).
    fn reread_page(&mut self, rel: &str) {
        let path = self.layout.content_dir.join(rel);
        if path.symlink_metadata().is_err() {
            self.pages.remove(rel);
            return;
        }
        let stamp = file_stamp(&path);
        let entry = match read_page(self.layout.boundary(), &path, rel, &self.layout.content_prefix()) {
            Ok(source) => {
                match self.pages.get_mut(rel) {
                    // A save that changed nothing (editors touch files).
                    Some(entry) if entry.text_hash == Some(source.hash) => {
                        entry.stamp = stamp;
                        return;
                    }
                    _ => parse_entry(source, stamp, &self.layout.config),
                }
            }
            Err(problem) => failed_entry(rel, stamp, problem),
        };
        self.pages.insert(rel.to_string(), entry);
    }

    fn reanalyze(&mut self) {
        let mut pages = Vec::with_capacity(self.pages.len());
        let mut unparsed = BTreeSet::new();
        let drafts = self.layout.config.build.drafts;
        let summary = self.layout.config.summary.as_ref();
        // With a SUMMARY.md, as in mdBook, a page is published if it lists
        // it; the home page always is.
        let unlisted = |page: &ParsedPage| {
            summary.is_some_and(|s| !s.files.contains(&page.source.rel_path) && !page.slug.is_home())
        };
        for entry in self.pages.values() {
            match &entry.parsed {
                Ok(page) if (page.meta.draft && !drafts) || unlisted(page) => {
                    // Not published: links to it are text, as to a page
                    // that failed to parse, and not reported, by any name
                    // a wiki link finds it by.
                    unparsed.insert(page.slug.clone());
                    let stem = page.source.rel_path.rsplit('/').next().unwrap_or_default();
                    let names = [without_page_ext(stem), page.title.as_str()]
                        .into_iter()
                        .chain(page.meta.aliases.iter().map(String::as_str));
                    unparsed.extend(names.map(|name| Slug::new_unchecked(crate::link::fold(name))));
                }
                Ok(page) => pages.push(page.clone()),
                Err(slug) => {
                    unparsed.insert(slug.clone());
                }
            }
        }
        let input = AnalysisInput {
            pages,
            unparsed,
            assets: self.assets.clone(),
            dates: self.dates.clone(),
            config: &self.layout.config,
        };
        let (analysis, timings) = analyze(input, self.mode, Some(&self.analysis));
        let before = std::mem::replace(&mut self.analysis, Arc::new(analysis));
        self.replaced.push(Box::new(before));
        (self.timings.assemble, self.timings.link) = timings;
        self.collect_diagnostics();
    }

    fn collect_diagnostics(&mut self) {
        let mut all: Vec<Diagnostic> = self.config_problems.clone();
        if all.is_empty() {
            all.extend(self.walk_problems.iter().cloned());
            all.extend(self.pages.values().flat_map(|e| e.diagnostics.iter().cloned()));
            if self.pages.is_empty() && self.walk_problems.is_empty() {
                all.push(empty_content(&self.layout));
            }
            all.extend(self.theme_warnings.iter().cloned());
            all.extend(foreign_keys(&self.layout.config.build.foreign_keys));
            if let Err(problems) = &self.theme {
                all.extend(problems.iter().cloned());
            }
            all.extend(self.analysis.diagnostics.iter().cloned());
            if !self.layout.has_config_file {
                name_missing_config(&mut all);
            }
        }
        if self.mode == Mode::Check {
            // Like a broken link: a warning while writing, an error to check.
            for d in &mut all {
                if matches!(d.code, crate::diag::Code::IncludeFailed | crate::diag::Code::MissingChapter) {
                    d.severity = crate::diag::Severity::Error;
                }
            }
        }
        diag::sort(&mut all);
        self.diagnostics = all;
    }
}

fn nanos(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

fn parse_entry(mut source: SourceFile, stamp: u64, config: &crate::config::Config) -> PageEntry {
    let text_hash = Some(source.hash);
    let slug = slug_from_path(&source.rel_path);
    let mut diagnostics = std::mem::take(&mut source.problems);
    let includes = source.written.as_ref().map(|w| w.includes.clone()).unwrap_or_default();
    let parsed = match parse_page(source, config) {
        Ok((page, warnings)) => {
            diagnostics.extend(warnings);
            Ok(Arc::new(page))
        }
        Err(problems) => {
            diagnostics.extend(problems);
            Err(slug)
        }
    };
    PageEntry { stamp, text_hash, parsed, diagnostics, includes }
}

fn failed_entry(rel: &str, stamp: u64, problem: Diagnostic) -> PageEntry {
    PageEntry { stamp, text_hash: None, parsed: Err(slug_from_path(rel)), diagnostics: vec![problem], includes: vec![] }
}

fn empty_analysis() -> Analysis {
    let config = crate::config::Config::default();
    analyze(
        AnalysisInput {
            pages: Vec::new(),
            unparsed: BTreeSet::new(),
            assets: Vec::new(),
            dates: Arc::default(),
            config: &config,
        },
        Mode::Build,
        None,
    )
    .0
}

/// What a batch of changed paths means for the engine.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Changes {
    /// `book.toml` changed: everything is read again.
    config: bool,
    /// A file of the active theme changed.
    theme: bool,
    /// Pages (paths inside `content/`) edited, added or deleted.
    pages: BTreeSet<String>,
    /// Something else in `content/` changed (a file copied as it is, a
    /// folder): the content folder is walked again to find out what.
    rescan: bool,
}

impl Changes {
    fn is_empty(&self) -> bool {
        !self.config && !self.theme && self.pages.is_empty() && !self.rescan
    }
}

/// Sorts changed paths into what the engine must redo. Files that are not
/// part of the site (hidden, editor temp files) and anything outside the
/// watched parts are ignored.
fn classify(paths: &[PathBuf], layout: &Layout) -> Changes {
    let theme_dir = layout.root.join("themes").join(&layout.config.build.theme);
    let mut changes = Changes::default();
    for path in paths {
        // Only the part below the playbook folder is judged: the playbook
        // itself may well live under a hidden folder.
        let Ok(inside) = path.strip_prefix(&layout.root) else { continue };
        let inside = relative(inside);
        if !inside.is_empty() && !is_site_path(&inside) {
            continue;
        }
        // SUMMARY.md is read with book.toml: the book's order and its pages.
        if path == &layout.root.join(CONFIG_FILE) || path == &layout.content_dir.join(SUMMARY) {
            changes.config = true;
        } else if path.starts_with(&theme_dir) {
            changes.theme = true;
        } else if let Ok(rel) = path.strip_prefix(&layout.content_dir) {
            let rel = relative(rel);
            if rel.is_empty() || !is_page_file(&rel) || path.is_dir() {
                changes.rescan = true;
            } else {
                changes.pages.insert(rel);
            }
        }
    }
    changes
}

fn relative(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The outputs of the last render, in path order, with the fingerprint
/// each was rendered from (`None`: not rendered yet, or it failed).
#[derive(Debug, Default)]
struct Outputs {
    /// The key the list was made with.
    key: u64,
    /// The hash of the render environment (theme, book.toml) it was
    /// rendered with.
    env: u64,
    plan: Arc<Vec<Planned>>,
    fingerprints: Vec<Option<Fingerprint>>,
}

/// The one warning for the keys of `book.toml` that are mdBook's and mean
/// nothing to playbook.
fn foreign_keys(keys: &[String]) -> Option<Diagnostic> {
    (!keys.is_empty()).then(|| {
        let listed = keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        Diagnostic::warning(
            crate::diag::Code::ForeignConfigKeys,
            format!("book.toml has mdBook keys playbook does not read: {listed}"),
        )
        .in_file(CONFIG_FILE)
        .with_help("they are left alone; playbook reads title, description, authors, language, src, build-dir and [output.html] site-url, edit-url-template and redirect")
    })
}

/// What became of one output in [`Engine::render`].
struct UnitOutcome {
    /// Its fingerprint, unless it failed.
    fingerprint: Option<Fingerprint>,
    /// Why it failed.
    problem: Option<Diagnostic>,
    /// The files rendered and handed to the sink.
    written: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout::for_tests("/b".into(), "/b/content".into(), "/b/book".into(), "mine")
    }

    fn classify_paths(paths: &[&str]) -> Changes {
        classify(&paths.iter().map(PathBuf::from).collect::<Vec<_>>(), &layout())
    }

    #[test]
    fn pages_config_theme_and_assets() {
        let c = classify_paths(&[
            "/b/content/a.md",
            "/b/content/guides/b.MD",
            "/b/book.toml",
            "/b/themes/mine/static/style.css",
        ]);
        assert!(c.config && c.theme && !c.rescan);
        assert_eq!(c.pages.iter().map(String::as_str).collect::<Vec<_>>(), ["a.md", "guides/b.MD"]);
        assert!(classify_paths(&["/b/content/img/a.png"]).rescan);
    }

    #[test]
    fn editor_files_other_themes_and_other_folders_are_ignored() {
        let c = classify_paths(&[
            "/b/content/.a.md.swp",
            "/b/content/a.md~",
            "/b/content/#a.md#",
            "/b/content/4913",
            "/b/content/.git/config",
            "/b/book/index.html",
            "/b/themes/other/x.html",
            "/b/.git/index",
        ]);
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn a_playbook_inside_a_hidden_folder_still_sees_its_edits() {
        let layout = Layout::for_tests(
            "/tmp/.tmpAb12/book".into(),
            "/tmp/.tmpAb12/book/content".into(),
            "/tmp/.tmpAb12/book/book".into(),
            "default",
        );
        let c = classify(&[PathBuf::from("/tmp/.tmpAb12/book/content/a.md")], &layout);
        assert_eq!(c.pages.len(), 1);
    }
}
