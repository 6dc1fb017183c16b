//! The whole handbook before rendering: every page in reading order, looked up
//! by slug, grouped for navigation, with output-path clashes found.
//!
//! [`assemble`] is pure. It decides the reading order (the order of the
//! sidebar and of previous/next), and it is the one place that knows every
//! output path, so it refuses two sources that would write the same file.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic};
use crate::model::Slug;
use crate::page::ParsedPage;
use crate::source::Asset;

/// Output paths the generator itself writes; no page or asset may take them.
pub mod paths {
    /// The page shown for missing URLs.
    pub const NOT_FOUND: &str = "404.html";
    /// The shared navigation, loaded by every page.
    pub const NAV_SCRIPT: &str = "nav.js";
    /// The full table of contents, for readers without JavaScript.
    pub const CONTENTS: &str = "contents/index.html";
    /// The folder of the theme's static files.
    pub const ASSET_DIR: &str = "assets";
}

/// A group of pages in the navigation: the pages of one top-level folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The folder's index page title, or its humanized name; empty for pages
    /// at the top of `content/`.
    pub title: String,
    /// Indexes into [`Site::pages`], in reading order.
    pub pages: Vec<usize>,
}

/// Every page of the handbook, in order, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    /// Every page except the home page's intro, in reading order.
    pub pages: Vec<ParsedPage>,
    /// `content/index.md`, whose body introduces the home page.
    pub home: Option<ParsedPage>,
    /// Page index by slug.
    pub by_slug: BTreeMap<Slug, usize>,
    /// The navigation groups, in order.
    pub sections: Vec<Section>,
    /// Files copied as they are.
    pub assets: Vec<Asset>,
}

/// Orders the pages, groups them and checks that no two outputs collide.
pub fn assemble(pages: Vec<ParsedPage>, assets: Vec<Asset>) -> (Site, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut claims: BTreeMap<String, String> = BTreeMap::new();
    for reserved in [paths::NOT_FOUND, paths::NAV_SCRIPT, paths::CONTENTS] {
        claims.insert(reserved.to_string(), "playbook itself".to_string());
    }

    let mut home = None;
    let mut kept = Vec::with_capacity(pages.len());
    for page in pages {
        if page.slug.is_home() && home.is_none() {
            claims.insert(page.slug.output_path(), page.source.display_path.clone());
            home = Some(page);
            continue;
        }
        match claim(
            &mut claims,
            page.slug.output_path(),
            &page.source.display_path,
        ) {
            Ok(()) => kept.push(page),
            Err(d) => problems.push(d),
        }
    }
    let mut kept_assets = Vec::with_capacity(assets.len());
    for asset in assets {
        match claim(&mut claims, asset.rel_path.clone(), &asset.display_path) {
            Ok(()) => kept_assets.push(asset),
            Err(d) => problems.push(d),
        }
    }
    problems.extend(file_folder_clashes(&claims));

    kept.sort_by_cached_key(reading_order_key);
    let by_slug = kept
        .iter()
        .enumerate()
        .map(|(i, p)| (p.slug.clone(), i))
        .collect();
    let sections = group_sections(&kept);
    (
        Site {
            pages: kept,
            home,
            by_slug,
            sections,
            assets: kept_assets,
        },
        problems,
    )
}

fn claim(
    claims: &mut BTreeMap<String, String>,
    path: String,
    owner: &str,
) -> Result<(), Diagnostic> {
    let clash = if path.starts_with(&format!("{}/", paths::ASSET_DIR)) {
        Some("the theme's static files".to_string())
    } else {
        claims.get(&path).cloned()
    };
    match clash {
        None => {
            claims.insert(path, owner.to_string());
            Ok(())
        }
        Some(first) => Err(Diagnostic::error(
            Code::DuplicateOutputPath,
            format!("`{path}` would be written twice"),
        )
        .in_file(owner)
        .with_note(format!("it is already written for {first}"))
        .with_help("give one of them another `slug:` in its frontmatter, or rename the file")),
    }
}

/// A file at `a/b` and a page at `a/b/c` cannot both exist: `a/b` would have
/// to be a file and a folder.
fn file_folder_clashes(claims: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (path, owner) in claims {
        let mut prefix = path.as_str();
        while let Some((parent, _)) = prefix.rsplit_once('/') {
            if let Some(file_owner) = claims.get(parent) {
                problems.push(
                    Diagnostic::error(
                        Code::DuplicateOutputPath,
                        format!("`{parent}` would be both a file and a folder"),
                    )
                    .in_file(owner)
                    .with_note(format!("the file is written for {file_owner}"))
                    .with_help("rename one of them"),
                );
            }
            prefix = parent;
        }
    }
    problems
}

/// Top-level folder first, then the folder's index page, then `order`
/// (pages without one last), then the path: stable whatever the walk order.
fn reading_order_key(page: &ParsedPage) -> (String, bool, i64, String) {
    let section = top_folder(&page.source.rel_path).to_string();
    let is_index = page.slug.as_str() == section;
    (
        section,
        !is_index,
        page.order.unwrap_or(i64::MAX),
        page.source.rel_path.clone(),
    )
}

fn top_folder(rel_path: &str) -> &str {
    rel_path.split_once('/').map_or("", |(top, _)| top)
}

fn group_sections(pages: &[ParsedPage]) -> Vec<Section> {
    let mut sections: Vec<(String, Section)> = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let folder = top_folder(&page.source.rel_path);
        if sections.last().is_none_or(|(f, _)| f != folder) {
            let title = if folder.is_empty() {
                String::new()
            } else if page.slug.as_str() == folder {
                page.title.clone()
            } else {
                humanize(folder)
            };
            sections.push((
                folder.to_string(),
                Section {
                    title,
                    pages: Vec::new(),
                },
            ));
        }
        sections.last_mut().expect("pushed above").1.pages.push(i);
    }
    sections.into_iter().map(|(_, s)| s).collect()
}

fn humanize(folder: &str) -> String {
    let words = folder.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::page::parse_page;
    use crate::source::source_from_text;

    fn page(rel: &str, text: &str) -> ParsedPage {
        parse_page(source_from_text("content", rel, text), &Config::default()).unwrap()
    }

    #[test]
    fn reading_order_is_folder_index_order_path() {
        let pages = vec![
            page("b/z.md", "---\norder: 1\n---\n"),
            page("b/index.md", "# B section"),
            page("a.md", ""),
            page("b/y.md", ""),
            page("index.md", "# Home"),
        ];
        let (site, problems) = assemble(pages, vec![]);
        assert!(problems.is_empty());
        let slugs: Vec<_> = site.pages.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs, ["a", "b", "b/z", "b/y"]);
        assert_eq!(site.home.unwrap().title, "Home");
        let titles: Vec<_> = site.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["", "B section"]);
    }

    #[test]
    fn two_pages_one_slug_is_an_error_naming_both() {
        let pages = vec![page("a.md", ""), page("b.md", "---\nslug: a\n---\n")];
        let (site, problems) = assemble(pages, vec![]);
        assert_eq!(site.pages.len(), 1);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, Code::DuplicateOutputPath);
        assert_eq!(problems[0].location.as_ref().unwrap().file, "content/b.md");
        assert!(problems[0].notes[0].contains("content/a.md"));
    }

    #[test]
    fn generated_paths_are_reserved() {
        let (_, problems) = assemble(vec![page("contents.md", "")], vec![]);
        assert_eq!(problems.len(), 1);
        let asset = Asset {
            rel_path: "assets/style.css".into(),
            display_path: "content/assets/style.css".into(),
            abs_path: "x".into(),
        };
        let (_, problems) = assemble(vec![], vec![asset]);
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn file_and_folder_clash() {
        let asset = Asset {
            rel_path: "guide".into(),
            display_path: "content/guide".into(),
            abs_path: "x".into(),
        };
        let (_, problems) = assemble(vec![page("guide/intro.md", "")], vec![asset]);
        assert_eq!(problems.len(), 1, "{problems:?}");
    }
}
