//! Where a link can lead: every page, generated page and copied file of the
//! site by slug, file and folded name, and [`LinkIndex::reach`], which
//! follows one link as far as the page or file it names. Whether its
//! `#fragment` exists is judged later, once every page's anchors are known.
//!
//! How a wiki target (`[[target]]`, `[[target#heading]]`) finds its page, in
//! order:
//! 1. the exact slug of a page, or of a generated page (`levels/impact`,
//!    `contexts/platform`, `levels`, `contexts`, `matrix`, `contents`);
//! 2. otherwise a *folded* match: lowercase, with spaces, hyphens and
//!    underscores counted as the same character, against each page's slug,
//!    file name (without `.md`), title and aliases; `index` is the home
//!    page. One page matching is a link; several are an ambiguous link.
//!
//! `[text](path.md#heading)` is a path relative to the linking page's file,
//! `[x](img/a.png)` a file beside it, `/guide/` a path from the site's base.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::nearest;
use crate::hashing::FastMap;
use crate::ids::IdMap;
use crate::markdown::{LinkKind, LinkRef};
use crate::page::ParsedPage;
use crate::site::{Site, paths};
use crate::slug::{is_page_file, join_relative, percent_decode, slug_from_path, without_page_ext};

/// Which page a link target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PageRef {
    /// `Site::pages[i]`.
    Content(usize),
    /// `content/index.md`, the home page's introduction.
    Home,
    /// A page playbook generates (a level, the matrix, the contents).
    Generated,
}

/// A page a link can point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Its site-relative output file.
    pub(crate) output_path: Arc<str>,
    /// Its title, which an unlabelled wiki link shows.
    pub(crate) title: Arc<str>,
    /// Which page it is.
    pub(crate) page: PageRef,
}

/// Every link target of the site, by slug, file and folded name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkIndex {
    /// Folded slugs of pages that failed to parse: links to them are not
    /// reported again.
    unparsed: HashSet<String>,
    // Keys and slugs are shared strings, so a serve edit's copy of the
    // index (`updated`) allocates tables, not every name again.
    by_slug: FastMap<Arc<str>, Entry>,
    by_file: FastMap<Arc<str>, Arc<str>>,
    /// Sorted slugs by folded name.
    folded: FastMap<Arc<str>, Arc<[Arc<str>]>>,
    /// Paths of the files copied from `content/`.
    assets: HashSet<String>,
    /// The path the site is published under (`/`, `/playbook/`): a
    /// root-absolute link must start with it.
    base_path: String,
    /// A key of which pages there are, by slug: what "did you mean" reads.
    slugs_key: u64,
}

/// The tables of the index a link is looked up in.
#[derive(Clone, Copy, Hash)]
enum Table {
    Slug,
    File,
    Folded,
    Asset,
    /// Copied files by name (lower case), for Obsidian's `![[pic.png]]`.
    AssetName,
    Unparsed,
}

/// The lookups one page's links made in the index, as hashes of table and
/// key: when the index changes, a page whose lookups all give what they
/// gave before follows its links to the same places.
#[derive(Debug, Default)]
pub(crate) struct Lookups(Vec<u64>);

impl Lookups {
    fn note(&mut self, table: Table, key: &str) {
        self.0.push(crate::hashing::hash_of(&(table, key)));
    }

    /// The lookups, sorted and without repeats.
    pub(crate) fn into_keys(mut self) -> Arc<[u64]> {
        self.0.sort_unstable();
        self.0.dedup();
        self.0.into()
    }
}

/// How far a link reaches before its fragment is judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reach {
    /// A page, by slug, with the fragment asked for (decoded, unchecked).
    Page {
        /// The page's slug (a key of the index).
        slug: String,
        /// `#fragment`, if the link has one.
        fragment: Option<String>,
    },
    /// A file copied from `content/` (or one of the theme's).
    File {
        /// Its site-relative output path.
        output_path: String,
        /// `?query` or `#fragment`, kept as written.
        suffix: String,
    },
    /// No page has that name.
    MissingPage {
        /// The name looked up, without `.md`.
        name: String,
    },
    /// No file at that path.
    MissingFile {
        /// The path looked for, inside `content/` (or the site).
        path: String,
    },
    /// A root-absolute link that does not start with the site's base path.
    OutsideBase {
        /// The base path.
        base: String,
    },
    /// Several pages fold to the wiki name.
    Ambiguous {
        /// Their slugs.
        candidates: Vec<String>,
    },
    /// A page that exists but failed to parse: its own error says why, so
    /// the link is not reported again.
    Unparsed,
}

/// Folds a name for wiki matching: lowercase; spaces, `-` and `_` the same.
pub(crate) fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.trim().chars() {
        if matches!(ch, ' ' | '-' | '_') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.extend(ch.to_lowercase());
        }
    }
    out.trim_matches('-').to_string()
}

impl LinkIndex {
    /// Indexes every page of `site`, every generated page and every copied
    /// file. `site_url` is the configured `site-url`, whose path is where
    /// root-absolute links start.
    pub(crate) fn new(site: &Site, site_url: &str) -> Self {
        let mut index = LinkIndex {
            unparsed: site.unparsed.iter().map(|s| fold(s.as_str())).collect(),
            by_slug: FastMap::default(),
            by_file: FastMap::default(),
            folded: FastMap::default(),
            assets: site.assets.iter().map(|a| a.rel_path.clone()).collect(),
            base_path: base_path(site_url),
            slugs_key: site.keys().claims,
        };
        // Folding names is most of the work: done per page in parallel,
        // then filed in order.
        let content: Vec<(&ParsedPage, PageRef)> = (site.pages.iter().enumerate())
            .map(|(i, p)| (&**p, PageRef::Content(i)))
            .chain(site.home.iter().map(|h| (&**h, PageRef::Home)))
            .collect();
        let folded: Vec<Vec<String>> = content.par_iter().map(|&(page, _)| folds_of(page)).collect();
        index.by_slug.reserve(content.len());
        index.by_file.reserve(content.len());
        let mut noted = Lookups::default();
        // Slugs by folded name are gathered first and sorted once: filing
        // them one by one would copy a name's list for every page under it.
        let mut slugs_by_name: FastMap<Arc<str>, Vec<Arc<str>>> = FastMap::default();
        for ((page, page_ref), folds) in content.into_iter().zip(folded) {
            let slug = index.file(page, page_ref, &mut noted);
            for name in folds {
                slugs_by_name.entry(name.into()).or_default().push(slug.clone());
            }
        }
        index.folded = slugs_by_name
            .into_iter()
            .map(|(name, mut slugs)| {
                slugs.sort_unstable();
                slugs.dedup();
                (name, slugs.into())
            })
            .collect();
        for (slug, output_path, title) in generated_pages(site) {
            let entry = Entry { output_path: output_path.into(), title: title.into(), page: PageRef::Generated };
            index.by_slug.insert(slug.into(), entry);
        }
        index
    }

    /// This index after a few pages came, went, moved or were retitled,
    /// with the keys of the lookups whose answer changed (see
    /// [`LinkIndex::changes_since`]): the pages of the last site
    /// (`before_pages`, `before_home`, which this index was built from)
    /// that changed are taken out, the new ones put in, and ids renumbered
    /// through `map`. `None` when the generated pages or the base path
    /// changed: build a new index then.
    pub(crate) fn updated(
        &self,
        before_pages: &[Arc<ParsedPage>],
        before_home: Option<&Arc<ParsedPage>>,
        site: &Site,
        map: &IdMap,
        site_url: &str,
    ) -> Option<(LinkIndex, HashSet<u64>)> {
        let generated = generated_pages(site);
        let generated_then = self.by_slug.values().filter(|e| e.page == PageRef::Generated).count();
        let same_generated = generated.len() == generated_then
            && generated.iter().all(|(slug, output_path, title)| {
                self.by_slug.get(slug.as_str()).is_some_and(|e| {
                    e.page == PageRef::Generated && *e.output_path == **output_path && *e.title == **title
                })
            });
        if base_path(site_url) != self.base_path || !same_generated {
            return None;
        }
        let mut index = self.clone();
        let mut changed = Lookups::default();
        let differs = |a: &ParsedPage, b: &ParsedPage| {
            a.slug != b.slug
                || a.source.rel_path != b.source.rel_path
                || a.title != b.title
                || a.meta.aliases != b.meta.aliases
        };
        for (old, page) in before_pages.iter().enumerate() {
            if map.new_of[old].is_none_or(|id| differs(page, &site.pages[id])) {
                index.forget(page, &mut changed);
            }
        }
        let home_changed = match (before_home, &site.home) {
            (Some(a), Some(b)) => differs(a, b),
            (None, None) => false,
            _ => true,
        };
        if let (true, Some(home)) = (home_changed, before_home) {
            index.forget(home, &mut changed);
        }
        if !map.is_identity() {
            for entry in index.by_slug.values_mut() {
                if let PageRef::Content(old) = entry.page {
                    entry.page = PageRef::Content(map.new_of[old]?);
                }
            }
        }
        for (id, page) in site.pages.iter().enumerate() {
            if map.old_of[id].is_none_or(|old| differs(&before_pages[old], page)) {
                index.learn(page, PageRef::Content(id), folds_of(page), &mut changed);
            }
        }
        if let (true, Some(home)) = (home_changed, &site.home) {
            index.learn(home, PageRef::Home, folds_of(home), &mut changed);
        }
        index.unparsed = site.unparsed.iter().map(|s| fold(s.as_str())).collect();
        for name in index.unparsed.symmetric_difference(&self.unparsed) {
            changed.note(Table::Unparsed, name);
        }
        index.assets = site.assets.iter().map(|a| a.rel_path.clone()).collect();
        for path in index.assets.symmetric_difference(&self.assets) {
            note_asset(&mut changed, path);
        }
        index.slugs_key = site.keys().claims;
        Some((index, changed.0.into_iter().collect()))
    }

    /// Files a page under its slug and file, noting each; returns the slug.
    fn file(&mut self, page: &ParsedPage, page_ref: PageRef, changed: &mut Lookups) -> Arc<str> {
        let slug: Arc<str> = page.slug.as_str().into();
        changed.note(Table::Slug, &slug);
        changed.note(Table::File, &page.source.rel_path);
        self.by_file.insert(page.source.rel_path.as_str().into(), slug.clone());
        let entry =
            Entry { output_path: page.slug.output_path().into(), title: page.title.as_str().into(), page: page_ref };
        self.by_slug.insert(slug.clone(), entry);
        slug
    }

    /// Files a page under its slug, file and folded names, noting each: a
    /// page an edit brought in.
    fn learn(&mut self, page: &ParsedPage, page_ref: PageRef, folds: Vec<String>, changed: &mut Lookups) {
        let slug = self.file(page, page_ref, changed);
        for name in folds {
            changed.note(Table::Folded, &name);
            let slugs = self.folded.entry(name.into()).or_insert_with(|| Arc::new([]));
            if let Err(at) = slugs.binary_search(&slug) {
                let mut more = slugs.to_vec();
                more.insert(at, slug.clone());
                *slugs = more.into();
            }
        }
    }

    /// Takes out what [`LinkIndex::learn`] filed for a page, noting each.
    fn forget(&mut self, page: &ParsedPage, changed: &mut Lookups) {
        let slug = page.slug.as_str();
        changed.note(Table::Slug, slug);
        changed.note(Table::File, &page.source.rel_path);
        self.by_slug.remove(slug);
        self.by_file.remove(page.source.rel_path.as_str());
        for name in folds_of(page) {
            changed.note(Table::Folded, &name);
            if let Some(slugs) = self.folded.get_mut(name.as_str()) {
                let rest: Vec<Arc<str>> = slugs.iter().filter(|s| ***s != *slug).cloned().collect();
                if rest.is_empty() {
                    self.folded.remove(name.as_str());
                } else {
                    *slugs = rest.into();
                }
            }
        }
    }

    /// The slug of the page built from content file `path`, if there is
    /// one, for what no page's links depend on (redirects).
    pub(crate) fn slug_of_file(&self, path: &str) -> Option<&str> {
        self.by_file.get(path).map(|slug| &**slug)
    }

    /// The page at `slug`, if there is one.
    pub(crate) fn entry(&self, slug: &str) -> Option<&Entry> {
        self.by_slug.get(slug)
    }

    /// Follows a link written in `from` to the page or file it names,
    /// noting in `looked` every lookup it makes.
    pub(crate) fn reach(&self, from: &ParsedPage, link: &LinkRef, looked: &mut Lookups) -> Reach {
        let reach = match link.kind {
            LinkKind::Wiki { .. } | LinkKind::Embed if names_a_file(&link.target) => {
                self.reach_attachment(from, &link.target, looked)
            }
            LinkKind::Embed => self.reach_page(from, LinkKind::Wiki { labelled: false }, &link.target, looked),
            LinkKind::Wiki { .. } | LinkKind::Markdown => self.reach_page(from, link.kind, &link.target, looked),
            LinkKind::Local => self.reach_local(from, &link.target, looked),
            LinkKind::Absolute => self.reach_absolute(&link.target, looked),
        };
        match reach {
            Reach::MissingPage { .. } if self.is_unparsed(from, link, looked) => Reach::Unparsed,
            other => other,
        }
    }

    /// The keys of every lookup whose answer differs between `before` and
    /// this index, or `None` if the site's base path changed (every
    /// root-absolute link then reads differently).
    pub(crate) fn changes_since(&self, before: &LinkIndex) -> Option<HashSet<u64>> {
        if self.base_path != before.base_path {
            return None;
        }
        let mut changed = Lookups::default();
        let same = |x: &Entry, y: &Entry| x.output_path == y.output_path && x.title == y.title;
        for (a, b) in [(&self.by_slug, &before.by_slug), (&before.by_slug, &self.by_slug)] {
            for (slug, entry) in a {
                if b.get(slug).is_none_or(|other| !same(entry, other)) {
                    changed.note(Table::Slug, slug);
                }
            }
        }
        for (a, b) in [(&self.by_file, &before.by_file), (&before.by_file, &self.by_file)] {
            for (file, slug) in a {
                if b.get(file) != Some(slug) {
                    changed.note(Table::File, file);
                }
            }
        }
        for (a, b) in [(&self.folded, &before.folded), (&before.folded, &self.folded)] {
            for (name, slugs) in a {
                if b.get(name) != Some(slugs) {
                    changed.note(Table::Folded, name);
                }
            }
        }
        for path in self.assets.symmetric_difference(&before.assets) {
            note_asset(&mut changed, path);
        }
        for name in self.unparsed.symmetric_difference(&before.unparsed) {
            changed.note(Table::Unparsed, name);
        }
        Some(changed.0.into_iter().collect())
    }

    /// The key under which [`LinkIndex::changes_since`] names a change of
    /// the page at `slug` (its presence, output path or title).
    pub(crate) fn entry_key(slug: &str) -> u64 {
        crate::hashing::hash_of(&(Table::Slug, slug))
    }

    /// A key of which pages there are: what a broken link's "did you mean"
    /// reads besides the link.
    pub(crate) fn slugs_key(&self) -> u64 {
        self.slugs_key
    }

    fn has_slug(&self, slug: &str, looked: &mut Lookups) -> bool {
        looked.note(Table::Slug, slug);
        self.by_slug.contains_key(slug)
    }

    fn has_asset(&self, path: &str, looked: &mut Lookups) -> bool {
        looked.note(Table::Asset, path);
        self.assets.contains(path)
    }

    fn file_slug(&self, path: &str, looked: &mut Lookups) -> Option<&Arc<str>> {
        looked.note(Table::File, path);
        self.by_file.get(path)
    }

    fn reach_page(&self, from: &ParsedPage, kind: LinkKind, target: &str, looked: &mut Lookups) -> Reach {
        let (path, fragment) = match target.split_once('#') {
            Some((path, fragment)) => (path.trim(), Some(fragment.trim())),
            None => (target.trim(), None),
        };
        // A Markdown link is a URL: `a%20b.md` names `a b.md`. A wiki link
        // is a name, taken as written.
        let (path, fragment) = match kind {
            LinkKind::Markdown => (decode(path), fragment.map(decode)),
            _ => (Cow::Borrowed(path), fragment.map(Cow::Borrowed)),
        };
        let fragment = fragment.filter(|f| !f.is_empty()).map(Cow::into_owned);
        if path.is_empty() {
            return Reach::Page { slug: from.slug.as_str().to_string(), fragment };
        }
        let slug = match kind {
            // `[[advanced/]]`, as Quartz writes a folder's page.
            LinkKind::Wiki { .. } => match self.find_wiki(path.strip_suffix('/').unwrap_or(&path), looked) {
                Ok(slug) => slug,
                Err(reach) => return reach,
            },
            _ => match self.find_file(from.source_dir(), &path, looked) {
                Some(slug) => slug,
                None => return Reach::MissingPage { name: without_page_ext(&path).to_string() },
            },
        };
        Reach::Page { slug, fragment }
    }

    /// A file named as Obsidian names one (`![[pic.png]]`,
    /// `[[files/plan.pdf]]`): the path from the page's folder, then from
    /// the content folder, then any file of that name or path ending,
    /// letters' case aside; of several, the one with the shortest path.
    fn reach_attachment(&self, from: &ParsedPage, target: &str, looked: &mut Lookups) -> Reach {
        let (name, suffix) = split_suffix(target);
        let name = name.trim().trim_start_matches("./");
        if let Some(joined) = join_relative(from.source_dir(), name)
            && self.has_asset(&joined, looked)
        {
            return Reach::File { output_path: joined, suffix: suffix.to_string() };
        }
        if self.has_asset(name, looked) {
            return Reach::File { output_path: name.to_string(), suffix: suffix.to_string() };
        }
        let file_name = name.rsplit('/').next().unwrap_or(name).to_lowercase();
        looked.note(Table::AssetName, &file_name);
        let wanted = name.to_lowercase();
        let ending = format!("/{wanted}");
        let found = (self.assets.iter())
            .filter(|path| {
                let lower = path.to_lowercase();
                lower == wanted || lower.ends_with(&ending)
            })
            .min_by_key(|path| (path.matches('/').count(), path.len(), path.as_str()));
        match found {
            Some(path) => Reach::File { output_path: path.clone(), suffix: suffix.to_string() },
            None => Reach::MissingFile { path: name.to_string() },
        }
    }

    /// A relative path to a file beside the page: `img/a.png`.
    fn reach_local(&self, from: &ParsedPage, target: &str, looked: &mut Lookups) -> Reach {
        let (path, suffix) = split_suffix(target);
        let path = decode(path);
        let Some(joined) = join_relative(from.source_dir(), &path) else {
            return Reach::MissingFile { path: path.into_owned() };
        };
        if self.has_asset(&joined, looked) {
            return Reach::File { output_path: joined, suffix: suffix.to_string() };
        }
        // `../other/` written as a path to a page's folder.
        let folder = joined.trim_end_matches('/').trim_end_matches("index.html").trim_end_matches('/');
        if self.has_slug(folder, looked) {
            return Reach::Page { slug: folder.to_string(), fragment: fragment_of(suffix) };
        }
        Reach::MissingFile { path: joined }
    }

    /// A root-absolute path, read from the site's base path: `/guide/`,
    /// `/img/a.png`, `/guide.md`.
    fn reach_absolute(&self, target: &str, looked: &mut Lookups) -> Reach {
        let (path, suffix) = split_suffix(target);
        let path = decode(path);
        let Some(inside) = path.strip_prefix(self.base_path.as_str()) else {
            return Reach::OutsideBase { base: self.base_path.clone() };
        };
        if is_page_file(inside) {
            return match self.file_slug(inside, looked) {
                Some(slug) => Reach::Page { slug: slug.to_string(), fragment: fragment_of(suffix) },
                None => Reach::MissingPage { name: without_page_ext(inside).to_string() },
            };
        }
        if self.has_asset(inside, looked) || inside.starts_with(&format!("{}/", paths::ASSET_DIR)) {
            return Reach::File { output_path: inside.to_string(), suffix: suffix.to_string() };
        }
        let folder = inside.trim_end_matches("index.html").trim_end_matches('/');
        if self.has_slug(folder, looked) {
            return Reach::Page { slug: folder.to_string(), fragment: fragment_of(suffix) };
        }
        let looks_like_a_file = inside.rsplit('/').next().is_some_and(|name| name.contains('.'));
        if looks_like_a_file {
            Reach::MissingFile { path: inside.to_string() }
        } else {
            Reach::MissingPage { name: folder.to_string() }
        }
    }

    fn find_wiki(&self, name: &str, looked: &mut Lookups) -> Result<String, Reach> {
        let name = without_page_ext(name);
        if self.has_slug(name, looked) {
            return Ok(name.to_string());
        }
        let folded = fold(name);
        looked.note(Table::Folded, &folded);
        match self.folded.get(folded.as_str()).map(|slugs| &slugs[..]) {
            Some([slug]) => Ok(slug.to_string()),
            Some(slugs) => Err(Reach::Ambiguous { candidates: slugs.iter().map(|s| s.to_string()).collect() }),
            None => Err(Reach::MissingPage { name: name.to_string() }),
        }
    }

    fn find_file(&self, source_dir: &str, path: &str, looked: &mut Lookups) -> Option<String> {
        self.file_slug(&join_relative(source_dir, path)?, looked).map(|slug| slug.to_string())
    }

    /// Whether a link points at a page that exists but failed to parse.
    fn is_unparsed(&self, from: &ParsedPage, link: &LinkRef, looked: &mut Lookups) -> bool {
        let path = link.target.split('#').next().unwrap_or(&link.target).trim();
        let slug = match link.kind {
            LinkKind::Wiki { .. } | LinkKind::Embed => without_page_ext(path).to_string(),
            LinkKind::Markdown => match join_relative(from.source_dir(), &decode(path)) {
                Some(joined) => slug_from_path(&joined).as_str().to_string(),
                None => return false,
            },
            LinkKind::Absolute if is_page_file(path) => match decode(path).strip_prefix(self.base_path.as_str()) {
                Some(inside) => slug_from_path(inside).as_str().to_string(),
                None => return false,
            },
            LinkKind::Local | LinkKind::Absolute => return false,
        };
        let folded = fold(&slug);
        looked.note(Table::Unparsed, &folded);
        self.unparsed.contains(&folded)
    }

    /// The slug closest to a name no page has, for "did you mean", as a
    /// link writes it. Costs a comparison with every slug, so it runs only
    /// for reported links.
    pub(crate) fn nearest_slug(&self, name: &str) -> Option<String> {
        let folded = fold(name);
        let slugs = self.by_slug.keys().map(|slug| written_slug(slug));
        nearest(&folded, slugs).map(str::to_string)
    }
}

/// The folded names a page is found by: its slug, its file name, its title
/// and its aliases. A folder's page (`guide/index.md`, `README.md`) is not
/// found by `index` or `readme`: its folder names it, and `index` is the
/// home page's, as in Obsidian and Quartz.
fn folds_of(page: &ParsedPage) -> Vec<String> {
    let stem = without_page_ext(page.source.rel_path.rsplit('/').next().unwrap_or_default());
    let home = page.slug.as_str().is_empty();
    let folder_page = !home && matches!(stem.to_ascii_lowercase().as_str(), "index" | "_index" | "readme");
    let mut names = vec![fold(page.slug.as_str()), fold(&page.title)];
    if home {
        names.push(fold("index"));
    } else if !folder_page {
        names.push(fold(stem));
    }
    names.extend(page.meta.aliases.iter().map(|alias| fold(alias)));
    names.sort_unstable();
    names.dedup();
    names
}

/// Notes that the copied file at `path` came or went: by path, and by name
/// for the embeds that find files by name.
fn note_asset(changed: &mut Lookups, path: &str) {
    changed.note(Table::Asset, path);
    changed.note(Table::AssetName, &path.rsplit('/').next().unwrap_or(path).to_lowercase());
}

/// Whether a wiki target names a file that is not a page (`pic.png`,
/// `files/plan.pdf#page=2`): its name has an extension, and not `.md`.
fn names_a_file(target: &str) -> bool {
    let name = target.split(['#', '|']).next().unwrap_or(target).trim();
    let last = name.rsplit('/').next().unwrap_or(name);
    last.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (1..=5).contains(&ext.len())
            && ext.chars().all(|c| c.is_ascii_alphanumeric())
            && !is_page_file(last)
    })
}

/// How a link writes the page at `slug`: the home page is `index`.
pub(crate) fn written_slug(slug: &str) -> &str {
    if slug.is_empty() { "index" } else { slug }
}

/// Every alias that is another page's name too (its slug, file name,
/// title or alias), or that two pages share: (the page, which alias, and
/// the slugs of the others).
pub(crate) fn alias_collisions<'p>(site: &'p Site, index: &LinkIndex) -> Vec<(&'p ParsedPage, usize, Vec<String>)> {
    let mut found = Vec::new();
    for page in site.all_pages() {
        for (n, alias) in page.meta.aliases.iter().enumerate() {
            let Some(slugs) = index.folded.get(fold(alias).as_str()) else { continue };
            let others: Vec<String> =
                slugs.iter().filter(|s| ***s != *page.slug.as_str()).map(|s| written_slug(s).to_string()).collect();
            if !others.is_empty() {
                found.push((&**page, n, others));
            }
        }
    }
    found
}

/// The generated pages a link may name: slug, output path, title.
fn generated_pages(site: &Site) -> Vec<(String, String, String)> {
    let mut pages = Vec::new();
    let levels: Vec<(&str, &str)> = site.levels.iter().map(|t| (t.term.id.as_str(), t.term.name.as_str())).collect();
    let contexts: Vec<(&str, &str)> =
        site.contexts.iter().map(|t| (t.term.id.as_str(), t.term.name.as_str())).collect();
    for (folder, terms, title) in [(paths::LEVELS, &levels, "Levels"), (paths::CONTEXTS, &contexts, "Contexts")] {
        if terms.is_empty() {
            continue;
        }
        pages.push((folder.to_string(), format!("{folder}/index.html"), title.to_string()));
        for (id, name) in terms.iter() {
            pages.push((format!("{folder}/{id}"), paths::term_page(folder, id), name.to_string()));
        }
    }
    if !site.levels.is_empty() && !site.contexts.is_empty() {
        pages.push(("matrix".into(), paths::MATRIX.into(), "Levels × contexts".into()));
    }
    pages.push(("contents".into(), paths::CONTENTS.into(), "Contents".into()));
    pages.extend(site.folders.iter().map(|f| (f.slug.clone(), f.output_path(), f.title.clone())));
    pages
}

/// A URL path or fragment with `%XX` escapes decoded; as written if they
/// are malformed.
fn decode(text: &str) -> Cow<'_, str> {
    if !text.contains('%') {
        return Cow::Borrowed(text);
    }
    percent_decode(text).map_or(Cow::Borrowed(text), Cow::Owned)
}

/// The path part of a URL-like target, and its `?query` or `#fragment`.
fn split_suffix(target: &str) -> (&str, &str) {
    match target.find(['#', '?']) {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    }
}

/// The decoded `#fragment` of a suffix, if it has a non-empty one.
fn fragment_of(suffix: &str) -> Option<String> {
    let fragment = suffix.split_once('#')?.1;
    (!fragment.is_empty()).then(|| decode(fragment).into_owned())
}

/// The path of `site-url`: `/` for `https://example.org`, `/playbook/` for
/// `https://example.org/playbook/` or `/playbook/`.
fn base_path(site_url: &str) -> String {
    let path = match site_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => site_url,
    };
    if path.ends_with('/') { path.to_string() } else { format!("{path}/") }
}
