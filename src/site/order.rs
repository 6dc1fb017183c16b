//! The reading order (the sidebar's, and previous/next) and the navigation
//! groups it falls into.

use std::hash::Hash;
use std::sync::Arc;

use std::collections::{BTreeSet, HashMap};

use super::{Entry, Section};
use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::mdbook::summary::{Chapter, Summary};
use crate::model::Slug;
use crate::page::ParsedPage;
use crate::slug::slug_from_path;

/// The pages in reading order, and their groups.
#[derive(Debug, Clone, Default)]
pub(super) struct Order {
    /// Page ids in reading order.
    pub(super) reading: Vec<usize>,
    /// Each page's place in `reading`, by id.
    pub(super) position: Vec<usize>,
    /// The navigation groups.
    pub(super) sections: Vec<Section>,
}

/// What the reading order reads of a page: its group, whether it is a
/// folder's index, its `order`, its path, and its title (a section's title,
/// for a folder's index page).
pub(super) fn order_input(page: &ParsedPage, config: &Config) -> impl Hash {
    (reading_order_key(page, config), &page.title)
}

/// Orders the pages (by id) and groups them: as `SUMMARY.md` lists them,
/// if the book has one, else by level and folder. `unparsed` are the pages
/// that exist but are not published (drafts, pages that failed).
pub(super) fn reading_order(
    pages: &[Arc<ParsedPage>],
    config: &Config,
    unparsed: &BTreeSet<Slug>,
) -> (Order, Vec<Diagnostic>) {
    let (mut sections, mut reading, problems) = match &config.summary {
        Some(summary) => summary_sections(pages, summary, unparsed),
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    // Every page SUMMARY.md does not place (all of them, without one).
    let mut placed = vec![false; pages.len()];
    for &id in &reading {
        placed[id] = true;
    }
    let mut rest: Vec<usize> = (0..pages.len()).filter(|&id| !placed[id]).collect();
    rest.sort_by_cached_key(|&id| reading_order_key(&pages[id], config));
    sections.extend(group_sections(pages, &rest, config));
    reading.extend(rest);
    let mut position = vec![0; pages.len()];
    for (place, &id) in reading.iter().enumerate() {
        position[id] = place;
    }
    (Order { reading, position, sections }, problems)
}

/// The groups `SUMMARY.md` makes, the pages they place in reading order,
/// and a warning for each chapter whose file does not exist. The home page
/// is listed above every group already; a chapter listed twice keeps its
/// first place.
fn summary_sections(
    pages: &[Arc<ParsedPage>],
    summary: &Summary,
    unparsed: &BTreeSet<Slug>,
) -> (Vec<Section>, Vec<usize>, Vec<Diagnostic>) {
    let by_file: HashMap<&str, usize> =
        pages.iter().enumerate().map(|(id, page)| (page.source.rel_path.as_str(), id)).collect();
    let mut placed = vec![false; pages.len()];
    let (mut sections, mut reading, mut problems) = (Vec::new(), Vec::new(), Vec::new());
    for part in &summary.parts {
        let mut entries = Vec::new();
        for chapter in &part.chapters {
            let depth = chapter.depth;
            let Some(file) = &chapter.file else {
                entries.push(Entry::Draft { title: chapter.title.clone(), depth });
                continue;
            };
            match by_file.get(file.as_str()) {
                Some(&id) if !placed[id] => {
                    placed[id] = true;
                    reading.push(id);
                    entries.push(Entry::Page { id, depth, label: Some(chapter.title.clone()) });
                }
                Some(_) => {}
                None => {
                    let slug = slug_from_path(file);
                    if slug.is_home() {
                        continue;
                    }
                    if !unparsed.contains(&slug) {
                        problems.push(missing_chapter(summary, chapter, file));
                    }
                    entries.push(Entry::Draft { title: chapter.title.clone(), depth });
                }
            }
        }
        if !entries.is_empty() {
            sections.push(Section { title: part.title.clone().unwrap_or_default(), level: None, entries });
        }
    }
    (sections, reading, problems)
}

fn missing_chapter(summary: &Summary, chapter: &Chapter, file: &str) -> Diagnostic {
    Diagnostic::warning(Code::MissingChapter, format!("SUMMARY.md lists `{file}`, which does not exist"))
        .at(&summary.display_path, &summary.text, chapter.span.clone())
        .with_help("create the file, or make the chapter a draft, shown but not linked: `[Title]()`")
}

/// The navigation group a page belongs to. Decision pages come first, as
/// the way into the handbook; then each level, in declared order, holds the
/// pages whose first level it is; pages without a level follow, by folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Group<'a> {
    Decisions,
    Level(usize),
    Folder(&'a str),
}

fn group_of<'a>(page: &'a ParsedPage, config: &Config) -> Group<'a> {
    if page.meta.decision.is_some() {
        return Group::Decisions;
    }
    match home_level(page, config) {
        Some(level) => Group::Level(level),
        None => Group::Folder(top_folder(&page.source.rel_path)),
    }
}

/// The level a page is filed under: the first one it lists, as an index
/// into `book.toml`'s levels. The navigation and the breadcrumb both read it.
pub(crate) fn home_level(page: &ParsedPage, config: &Config) -> Option<usize> {
    let first = page.meta.levels.first()?;
    config.playbook.levels.iter().position(|l| l.id == *first)
}

/// Group first, then a folder's index page, then `order` (pages without one
/// last), then the path: stable whatever the walk order.
fn reading_order_key<'a>(page: &'a ParsedPage, config: &Config) -> (Group<'a>, bool, i64, &'a str) {
    let group = group_of(page, config);
    let is_index = matches!(&group, Group::Folder(folder) if page.slug.as_str() == *folder);
    (group, !is_index, page.order.unwrap_or(i64::MAX), &page.source.rel_path)
}

fn top_folder(rel_path: &str) -> &str {
    rel_path.split_once('/').map_or("", |(top, _)| top)
}

fn group_sections(pages: &[Arc<ParsedPage>], reading: &[usize], config: &Config) -> Vec<Section> {
    let mut sections: Vec<(Group, Section)> = Vec::new();
    for &id in reading {
        let page = &pages[id];
        let group = group_of(page, config);
        if sections.last().is_none_or(|(g, _)| *g != group) {
            let title = match &group {
                Group::Decisions => "Start here".to_string(),
                Group::Level(level) => config.playbook.levels[*level].name.clone(),
                Group::Folder("") => {
                    if config.playbook.levels.is_empty() {
                        String::new()
                    } else {
                        "More".to_string()
                    }
                }
                Group::Folder(folder) if page.slug.as_str() == *folder => page.title.clone(),
                Group::Folder(folder) => humanize(folder),
            };
            let level = match group {
                Group::Level(level) => Some(level),
                _ => None,
            };
            sections.push((group, Section { title, level, entries: Vec::new() }));
        }
        sections.last_mut().expect("pushed above").1.entries.push(Entry::Page { id, depth: 0, label: None });
    }
    sections.into_iter().map(|(_, s)| s).collect()
}

fn humanize(folder: &str) -> String {
    let words = folder.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
