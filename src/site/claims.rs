//! Which pages and files the site keeps: the one place that knows every
//! output path, so it refuses two sources that would write the same file,
//! or a file where a folder must be.

use std::borrow::Cow;
use std::sync::Arc;

use super::paths;
use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::hashing::FastMap;
use crate::model::Slug;
use crate::page::ParsedPage;
use crate::source::Asset;

/// What claiming output paths kept.
#[derive(Debug, Clone, Default)]
pub(super) struct Claimed {
    /// The pages kept, as positions in the input (which is sorted by source
    /// path): position `k` of this list is the page's id.
    pub(super) kept: Vec<usize>,
    /// The home page's position in the input.
    pub(super) home: Option<usize>,
    /// The files kept.
    pub(super) assets: Vec<Asset>,
    /// Page id by slug.
    pub(super) by_slug: FastMap<Slug, usize>,
}

/// Claims an output path for every page (sorted by source path) and file;
/// the first claim wins and each later one is a problem.
pub(super) fn claim_outputs(
    pages: &[Arc<ParsedPage>],
    assets: &[Asset],
    config: &Config,
) -> (Claimed, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut claims: FastMap<String, Cow<'_, str>> = FastMap::default();
    for reserved in [
        paths::NOT_FOUND,
        paths::NAV_SCRIPT,
        paths::CONTENTS,
        paths::MATRIX,
        paths::SITEMAP,
        paths::PRINT,
        paths::LEVEL_STYLE,
    ] {
        claims.insert(reserved.to_string(), Cow::Borrowed("playbook itself"));
    }
    // The home page is always written, from `content/index.md` or without
    // it: a `content/index.html` would silently replace it.
    claims.insert(paths::HOME.to_string(), Cow::Borrowed("the home page"));
    let vocabularies = [
        (paths::LEVELS, config.playbook.levels.iter().map(|t| t.id.as_str()).collect::<Vec<_>>()),
        (paths::CONTEXTS, config.playbook.contexts.iter().map(|t| t.id.as_str()).collect()),
    ];
    for (folder, terms) in &vocabularies {
        claims.insert(format!("{folder}/index.html"), Cow::Borrowed("playbook itself"));
        for term in terms {
            claims.insert(paths::term_page(folder, term), Cow::Owned(format!("the page of `{term}` in book.toml")));
        }
    }

    // Folders playbook writes whole: nothing else may put a file in them.
    let mut folders = vec![(paths::ASSET_DIR, "the theme's static files")];
    if config.build.search {
        folders.push((crate::search::SEARCH_DIR, "search (its results page and index)"));
    }
    let claim = |claims: &mut _, path, owner| claim(claims, &folders, path, owner);

    let mut claimed = Claimed::default();
    for (position, page) in pages.iter().enumerate() {
        if page.slug.is_home() && claimed.home.is_none() {
            claims.insert(page.slug.output_path(), Cow::Borrowed(&page.source.display_path));
            claimed.home = Some(position);
            continue;
        }
        match claim(&mut claims, page.slug.output_path(), &page.source.display_path) {
            Ok(()) => {
                claimed.by_slug.insert(page.slug.clone(), claimed.kept.len());
                claimed.kept.push(position);
            }
            Err(d) => problems.push(d),
        }
    }
    for asset in assets {
        match claim(&mut claims, asset.rel_path.clone(), &asset.display_path) {
            Ok(()) => claimed.assets.push(asset.clone()),
            Err(d) => problems.push(d),
        }
    }
    problems.extend(file_folder_clashes(&claims));
    (claimed, problems)
}

fn claim<'a>(
    claims: &mut FastMap<String, Cow<'a, str>>,
    folders: &[(&str, &str)],
    path: String,
    owner: &'a str,
) -> Result<(), Diagnostic> {
    // The folder itself too: a file named `search` is where it must be.
    let in_folder =
        |folder: &str| path.strip_prefix(folder).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
    let clash = match folders.iter().find(|(folder, _)| in_folder(folder)) {
        Some((_, writer)) => Some(writer.to_string()),
        None => claims.get(&path).map(|owner| owner.to_string()),
    };
    match clash {
        None => {
            claims.insert(path, Cow::Borrowed(owner));
            Ok(())
        }
        Some(first) => Err(Diagnostic::error(Code::DuplicateOutputPath, format!("`{path}` would be written twice"))
            .in_file(owner)
            .with_note(format!("it is already written for {first}"))
            .with_help("give one of them another `slug:` in its frontmatter, or rename the file")),
    }
}

/// A file at `a/b` and a page at `a/b/c` cannot both exist: `a/b` would have
/// to be a file and a folder. Reported in path order.
fn file_folder_clashes(claims: &FastMap<String, Cow<'_, str>>) -> Vec<Diagnostic> {
    let mut problems: Vec<(&str, Diagnostic)> = Vec::new();
    for (path, owner) in claims {
        let mut prefix = path.as_str();
        while let Some((parent, _)) = prefix.rsplit_once('/') {
            if let Some(file_owner) = claims.get(parent) {
                problems.push((
                    path,
                    Diagnostic::error(
                        Code::DuplicateOutputPath,
                        format!("`{parent}` would be both a file and a folder"),
                    )
                    .in_file(owner)
                    .with_note(format!("the file is written for {file_owner}"))
                    .with_help("rename one of them"),
                ));
            }
            prefix = parent;
        }
    }
    problems.sort_by(|a, b| a.0.cmp(b.0));
    problems.into_iter().map(|(_, problem)| problem).collect()
}
