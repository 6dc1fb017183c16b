//! The content model (issue 3): level, context and matrix pages list exactly
//! the right pages; content pages show their model; the seed format builds;
//! and the bundled playbook meets its own rules.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::harness::BookTest;

/// The hrefs of `<a>` tags in `html`, in order.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"").skip(1).map(|rest| rest[..rest.find('"').unwrap()].to_string()).collect()
}

/// The content-page slugs linked from output page `from`: hrefs resolved
/// against `from`, generated pages left out.
fn linked_slugs_from(from: &str, html: &str) -> BTreeSet<String> {
    hrefs(html)
        .into_iter()
        .filter(|h| !h.contains("://") && !h.starts_with('#'))
        .filter_map(|h| {
            let mut parts: Vec<&str> = from.split('/').collect();
            parts.pop();
            for segment in h.split('#').next().unwrap().split('/') {
                match segment {
                    ".." => {
                        parts.pop();
                    }
                    s => parts.push(s),
                }
            }
            parts.join("/").strip_suffix("/index.html").map(str::to_string)
        })
        .filter(|s| {
            !["levels", "contexts", "contents", "matrix"].iter().any(|g| s == g || s.starts_with(&format!("{g}/")))
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn level_and_context_pages_list_exactly_their_pages() {
    let test = BookTest::new("model/basic");
    test.build_ok();
    for (page, expected) in [
        ("levels/impact/index.html", set(&["alpha", "gamma"])),
        ("levels/execution/index.html", set(&["alpha", "beta"])),
        ("contexts/platform/index.html", set(&["alpha", "beta"])),
        ("contexts/early-stage/index.html", set(&["gamma"])),
    ] {
        assert_eq!(linked_slugs_from(page, &test.main_of(page)), expected, "{page}");
    }
    let levels_index = test.main_of("levels/index.html");
    assert!(levels_index.contains("href=\"impact/index.html\"") && levels_index.contains("2 pages"), "{levels_index}");
}

#[test]
fn matrix_cells_hold_pages_at_that_level_in_that_context() {
    let test = BookTest::new("model/basic");
    test.build_ok();
    let main = test.main_of("matrix/index.html");
    let table = main.split("</table>").next().unwrap();
    let rows: Vec<&str> = table.split("<tr").skip(2).collect();
    assert_eq!(rows.len(), 2, "one row per level");
    // Issue 12: a cell is a count, shaded by how full it is, leading to its
    // list of pages below the table.
    let counts = |row: &str| {
        row.split("<td")
            .skip(1)
            .map(|c| c.split("\">").nth(2).and_then(|n| n.split('<').next()).unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(rows[0]), ["1", "1"], "impact x (platform, early-stage): {}", rows[0]);
    assert_eq!(counts(rows[1]), ["2", "0"], "execution x (platform, early-stage): {}", rows[1]);
    assert!(rows[1].contains("matrix-cell shade-4") && rows[1].contains("matrix-cell shade-0"), "{}", rows[1]);
    assert!(rows[0].contains("href=\"#cell-impact-platform\""), "{}", rows[0]);
    let list = |anchor: &str| {
        let section = main.split(&format!("id=\"{anchor}\"")).nth(1).map(|s| s.split("</section>").next().unwrap());
        section.map_or_else(Default::default, |s| linked_slugs_from("matrix/index.html", s))
    };
    assert_eq!(list("cell-impact-platform"), set(&["alpha"]));
    assert_eq!(list("cell-impact-early-stage"), set(&["gamma"]));
    assert_eq!(list("cell-execution-platform"), set(&["alpha", "beta"]));
    assert!(!main.contains("id=\"cell-execution-early-stage\""), "an empty cell has no list");
}

#[test]
fn content_page_shows_levels_questions_sources_and_related() {
    let test = BookTest::new("model/basic");
    test.build_ok();
    insta::assert_snapshot!(test.main_of("alpha/index.html"));
}

#[test]
fn sources_link_to_the_video_at_the_right_second() {
    let test = BookTest::new("model/basic");
    test.build_ok();
    assert!(
        test.output("alpha/index.html").contains("href=\"https://www.youtube.com/watch?v=YP_QghPLG-8&amp;t=4060\"")
    );
    assert!(test.output("beta/index.html").contains("href=\"https://www.youtube.com/watch?v=YP_QghPLG-8&amp;t=90\""));
    assert!(test.output("gamma/index.html").contains("t=3234\""));
}

#[test]
fn home_introduces_levels_and_contexts() {
    let test = BookTest::new("model/basic");
    test.build_ok();
    let home = test.main_of("index.html");
    for needle in
        ["href=\"levels/impact/index.html\"", "href=\"contexts/platform/index.html\"", "href=\"matrix/index.html\""]
    {
        assert!(home.contains(needle), "{needle} missing:\n{home}");
    }
}

#[test]
fn issue_3_seed_file_builds_and_its_timestamps_become_deep_links() {
    let test = BookTest::new("model/seed");
    test.build_ok();
    let html = test.output("000-5c67a8a16eed5fb5/index.html");
    let links = hrefs(&html);
    let deep: Vec<_> =
        links.iter().filter(|h| h.starts_with("https://www.youtube.com/watch?v=YP_QghPLG-8&amp;t=")).collect();
    let source = fs::read_to_string(test.root.join("content/000_5c67a8a16eed5fb5.md")).unwrap();
    let anchors = source.matches("class=\"yt-timestamp\"").count();
    assert!(anchors > 10, "the fixture is the seed file");
    assert_eq!(deep.len(), anchors, "every timestamp anchor of the seed links into the video");
    assert!(deep.iter().any(|h| h.ends_with("t=3234")), "00:53:54 is second 3234");
    assert!(deep.iter().any(|h| h.ends_with("t=4343")), "01:12:23 is second 4343");
}

#[test]
fn issue_4_seed_wiki_links_resolve_or_are_reported_by_the_documented_rules() {
    let test = BookTest::new("model/seed");
    let run = test.build_ok();
    let html = test.output("000-5c67a8a16eed5fb5/index.html");
    assert!(!html.contains("[["), "no wiki syntax survives");
    // Rule 2, folded file name: impact_in_product_management.md.
    assert!(html.contains("<a href=\"../impact-in-product-management/index.html\">Impact</a>"), "{html}");
    // Rule 2, folded title: strategy.md is titled "Becoming more strategic in product management".
    assert!(html.contains("<a href=\"../strategy/index.html\">Strategy Problems</a>"), "{html}");
    // The rest are reported, once per missing target, and marked in the page.
    for missing in ["lennyspodcast", "importance_of_execution_and_output_in_product_management"] {
        assert_eq!(run.stderr.matches(&format!("no page `{missing}`")).count(), 1, "{missing}: {}", run.stderr);
        assert!(html.contains(&format!("title=\"Broken link: {missing}\"")), "{missing} marked");
    }
    assert_eq!(run.stderr.matches("warning[L501]").count(), 2, "{}", run.stderr);
    assert!(run.stderr.contains("also linked from content/000_5c67a8a16eed5fb5.md:"), "grouped: {}", run.stderr);
}

/// The bundled playbook at the repository root.
pub(crate) fn bundled() -> BookTest {
    let test = BookTest::empty();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    test.write("book.toml", fs::read(repo.join("book.toml")).unwrap());
    for entry in fs::read_dir(repo.join("content")).unwrap() {
        let path = entry.unwrap().path();
        test.write(&format!("content/{}", path.file_name().unwrap().to_string_lossy()), fs::read(&path).unwrap());
    }
    test
}

/// Each bundled page's frontmatter, read independently of playbook.
pub(crate) fn bundled_frontmatter() -> BTreeMap<String, serde_yaml::Value> {
    let mut pages = BTreeMap::new();
    for entry in fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("content")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let yaml = text.strip_prefix("---\n").and_then(|t| t.split_once("\n---\n")).map(|(y, _)| y).unwrap();
        let slug = path.file_stem().unwrap().to_string_lossy().into_owned();
        pages.insert(slug, serde_yaml::from_str(yaml).unwrap());
    }
    pages
}

fn ids(value: &serde_yaml::Value, key: &str) -> Vec<String> {
    value[key].as_sequence().map(|s| s.iter().map(|v| v.as_str().unwrap().to_string()).collect()).unwrap_or_default()
}

#[test]
fn issue_3_bundled_playbook_builds_without_warnings_and_lists_the_right_pages() {
    let test = bundled();
    let run = test.build_ok();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let pages = bundled_frontmatter();
    assert!(pages.len() >= 16, "at least 15 pages besides the home page");
    for (folder, key, list) in [
        ("levels", "levels", ["impact", "execution", "optics"].as_slice()),
        ("contexts", "contexts", &["early-stage", "platform", "fast-growing", "leadership"]),
    ] {
        for id in list {
            let expected: BTreeSet<String> =
                pages.iter().filter(|(_, fm)| ids(fm, key).contains(&id.to_string())).map(|(s, _)| s.clone()).collect();
            assert!(!expected.is_empty(), "{folder}/{id} has pages");
            let page = format!("{folder}/{id}/index.html");
            assert_eq!(linked_slugs_from(&page, &test.main_of(&page)), expected, "{page}");
        }
    }
}

#[test]
fn issue_3_every_bundled_page_has_levels_contexts_summary_and_timestamped_sources() {
    let test = bundled();
    test.build_ok();
    for (slug, fm) in bundled_frontmatter().into_iter().filter(|(s, _)| s != "index") {
        assert!(!ids(&fm, "levels").is_empty() && !ids(&fm, "contexts").is_empty(), "{slug}");
        assert!(fm["summary"].as_str().is_some_and(|s| !s.is_empty()), "{slug} has a summary");
        let sources = fm["sources"].as_sequence().unwrap_or_else(|| panic!("{slug} has sources"));
        let html = test.output(&format!("{slug}/index.html"));
        for source in sources {
            let at = source["at"].as_str().unwrap();
            let parts: Vec<u32> = at.split(':').map(|p| p.parse().unwrap()).collect();
            let seconds = parts[0] * 3600 + parts[1] * 60 + parts[2];
            let video = source["video"].as_str().unwrap();
            let url = format!("https://www.youtube.com/watch?v={video}&amp;t={seconds}");
            assert!(html.contains(&format!("href=\"{url}\"")), "{slug}: source at {at} links to {url}");
        }
    }
}

#[test]
fn issue_3_matrix_of_the_bundled_playbook_matches_frontmatter() {
    let test = bundled();
    test.build_ok();
    let pages = bundled_frontmatter();
    let main = test.main_of("matrix/index.html");
    let rows: Vec<&str> = main.split("<tr>").skip(2).collect();
    let contexts = ["early-stage", "platform", "fast-growing", "leadership"];
    for (row, level) in rows.iter().zip(["impact", "execution", "optics"]) {
        let cells: Vec<BTreeSet<String>> =
            row.split("<td").skip(1).map(|c| linked_slugs_from("matrix/index.html", c)).collect();
        for (cell, context) in cells.iter().zip(contexts) {
            let expected: BTreeSet<String> = pages
                .iter()
                .filter(|(_, fm)| {
                    ids(fm, "levels").contains(&level.to_string()) && ids(fm, "contexts").contains(&context.to_string())
                })
                .map(|(s, _)| s.clone())
                .collect();
            assert_eq!(cell, &expected, "{level} x {context}");
        }
    }
}

#[test]
fn issue_12_every_page_has_link_preview_tags() {
    let test = bundled();
    test.build_ok();
    let mut pages = 0;
    for (path, bytes) in test.snapshot_output() {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        for tag in ["og:title", "og:description"] {
            let marker = format!("<meta property=\"{tag}\" content=\"");
            let at = html.find(&marker).unwrap_or_else(|| panic!("{path} has no {tag}"));
            let content = &html[at + marker.len()..];
            assert!(!content.starts_with('"'), "{path}: {tag} is empty");
        }
    }
    assert!(pages > 30, "every page kind was checked: {pages} pages");
    let page = test.output("strategy-problems/index.html");
    assert!(page.contains("<meta property=\"og:title\" content=\"Strategy problems\">"), "a page's own title");
}

#[test]
fn issue_12_print_html_holds_every_page_in_reading_order() {
    let test = BookTest::new("model/basic");
    test.write("content/index.md", "---\ntitle: Model\n---\nThe intro, printed first.\n");
    test.build_ok();
    let print = test.main_of("print.html");
    // The home page's text first, then each page's title, in the order
    // the sidebar reads them.
    let at = |needle: &str| print.find(needle).unwrap_or_else(|| panic!("{needle} missing in print.html:\n{print}"));
    assert!(at("The intro, printed first.") < at("-alpha\" aria-labelledby"));
    let nav = test.output("nav.js");
    let order: Vec<usize> = ["alpha", "beta", "gamma", "plain"]
        .iter()
        .map(|slug| nav.find(&format!("\"{slug}/index.html\"")).expect("in nav"))
        .collect();
    let printed: Vec<usize> =
        ["alpha", "beta", "gamma", "plain"].iter().map(|slug| at(&format!("-{slug}\" aria-labelledby"))).collect();
    let rank = |v: &[usize]| {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by_key(|&i| v[i]);
        idx
    };
    assert_eq!(rank(&printed), rank(&order), "print.html follows the reading order");
    // Links inside the printed text lead to the site's pages, from the root.
    assert!(!print.contains("href=\"../"), "a printed link climbs out of the root:\n{print}");
    assert!(test.output("index.html").contains("href=\"print.html\""), "the sidebar offers it");
}

#[test]
fn issue_12_print_html_of_a_book_too_large_to_print_says_so() {
    let test = BookTest::empty();
    test.write("book.toml", "");
    for i in 0..1_001 {
        test.write(&format!("content/p{i:04}.md"), format!("# Page {i}\n\nText {i}.\n"));
    }
    test.build_ok();
    let print = test.main_of("print.html");
    assert!(print.contains("This handbook has 1001 pages, more than the 1000"), "{print}");
    assert!(!print.contains("Text 7."), "no page's text");
}
