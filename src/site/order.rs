//! The reading order (the sidebar's, and previous/next) and the navigation
//! groups it falls into.

use std::hash::Hash;
use std::sync::Arc;

use super::Section;
use crate::config::Config;
use crate::page::ParsedPage;

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

/// Orders the pages (by id) and groups them.
pub(super) fn reading_order(pages: &[Arc<ParsedPage>], config: &Config) -> Order {
    let mut reading: Vec<usize> = (0..pages.len()).collect();
    reading.sort_by_cached_key(|&id| reading_order_key(&pages[id], config));
    let mut position = vec![0; pages.len()];
    for (place, &id) in reading.iter().enumerate() {
        position[id] = place;
    }
    let sections = group_sections(pages, &reading, config);
    Order { reading, position, sections }
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
            sections.push((group, Section { title, level, pages: Vec::new() }));
        }
        sections.last_mut().expect("pushed above").1.pages.push(id);
    }
    sections.into_iter().map(|(_, s)| s).collect()
}

fn humanize(folder: &str) -> String {
    let words = folder.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
