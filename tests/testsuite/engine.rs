//! Issue 10: one engine for build, check and serve. Each test reproduces a
//! defect of the old second pipeline in `serve`, or of a fact computed twice.

use std::time::{Duration, Instant};

use crate::harness::BookTest;
use crate::serve::Server;

fn book(pages: &[(&str, &str)]) -> BookTest {
    let test = BookTest::empty();
    test.write("book.toml", "[book]\ntitle = \"Engine\"\n");
    for (path, text) in pages {
        test.write(&format!("content/{path}"), text);
    }
    test
}

/// Waits until serve's terminal output satisfies `done`.
fn wait_for_log(server: &Server, what: &str, done: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let log = server.log();
        if done(&log) {
            return log;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}; serve said:\n{log}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn issue_10_a_heading_edit_reports_the_links_it_breaks_in_other_pages() {
    let test = book(&[
        ("index.md", "# Home\n\n[[a]] [[b]]\n"),
        ("a.md", "# A\n\nSee [[b#intro]].\n"),
        ("b.md", "# B\n\n## Intro\n\nText.\n"),
    ]);
    let server = Server::start(&test);
    test.write("content/b.md", "# B\n\n## Introduction\n\nText.\n");
    let log = wait_for_log(&server, "the broken link in a.md", |log| log.contains("content/a.md:3:5"));
    assert!(log.contains("warning[L501]") && log.contains("`b` has no heading `#intro`"), "{log}");
}

#[test]
fn issue_10_adding_the_missing_heading_mends_a_broken_link_elsewhere() {
    let test = book(&[
        ("index.md", "# Home\n\n[[a]] [[b]]\n"),
        ("a.md", "# A\n\nSee [[b#later]].\n"),
        ("b.md", "# B\n\nText.\n"),
    ]);
    let server = Server::start(&test);
    assert!(server.get("/a/").2.contains("broken-link"), "the link starts broken");
    test.write("content/b.md", "# B\n\nText.\n\n## Later\n\nMore.\n");
    let page = server.wait_for("/a/", |body| !body.contains("broken-link"));
    assert!(page.contains("href=\"../b/index.html#later\""), "{page}");
}

#[test]
fn issue_10_switching_the_theme_while_serving_watches_the_new_one() {
    let test = book(&[("index.md", "# Home\n")]);
    test.write("themes/mine/static/style.css", "/* mine, first */");
    let server = Server::start(&test);
    test.write("book.toml", "[book]\ntitle = \"Engine\"\n[build]\ntheme = \"mine\"\n");
    server.wait_for("/assets/style.css", |css| css.contains("mine, first"));
    test.write("themes/mine/static/style.css", "/* mine, edited */");
    server.wait_for("/assets/style.css", |css| css.contains("mine, edited"));
}

#[test]
fn issue_10_heading_ids_are_computed_once_and_render_uses_them() {
    // `## See [[target]]` rendered id="see-the-target-page" while check and
    // the table of contents used #see-target: check passed on a dead anchor.
    let test = book(&[
        ("index.md", "# Home\n\n[[page]] [[target]] [[page#see-target]]\n"),
        ("page.md", "# Page\n\n## See [[target]]\n\nText.\n\n## Second\n"),
        ("target.md", "---\ntitle: The target page\n---\nText.\n"),
    ]);
    assert_eq!(test.run(&["check"]).code, 0);
    test.build_ok();
    let html = test.output("page/index.html");
    assert!(html.contains("<h2 id=\"see-target\">"), "{html}");
    assert!(html.contains("href=\"#see-target\""), "the table of contents links the same id: {html}");
    assert!(!html.contains("see-the-target-page"), "{html}");
}

#[test]
fn issue_10_section_anchors_are_valid_only_where_the_section_is_drawn() {
    // The checker accepted #pb-questions on every page, though the template
    // draws that section only on pages with questions.
    let test = book(&[
        ("index.md", "# Home\n\n[[plain]] [[asks]] [[plain#pb-questions]] [[asks#pb-questions]]\n"),
        ("plain.md", "# Plain\n\nNo questions here.\n"),
        (
            "asks.md",
            "---\ndiagnostic_questions:\n  - { id: q, ask: Why?, answers: [{ label: x, leads_to: plain }] }\n---\n# Asks\n",
        ),
    ]);
    let run = test.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("`plain` has no heading `#pb-questions`"), "{}", run.stderr);
    assert!(!run.stderr.contains("`asks` has no heading"), "{}", run.stderr);
    test.run(&["build"]);
    assert!(test.output("asks/index.html").contains("id=\"pb-questions\""));
    assert!(!test.output("plain/index.html").contains("id=\"pb-questions\""));
}

#[test]
fn issue_10_one_md_rule_everywhere() {
    // `Other.MD` got the slug `other-md`, and links to `*.MD` were neither
    // resolved nor checked.
    let test = book(&[
        ("index.md", "# Home\n\n[upper](Other.MD) [upper heading](Other.MD#part) [missing](Gone.MD) [[Other]]\n"),
        ("Other.MD", "# Other\n\n## Part\n"),
    ]);
    let run = test.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("no page `Gone.MD`"), "{}", run.stderr);
    assert_eq!(run.stderr.matches("error[L501]").count(), 1, "{}", run.stderr);
    test.run(&["build"]);
    let home = test.output("index.html");
    assert!(home.contains("href=\"other/index.html\""), "{home}");
    assert!(home.contains("href=\"other/index.html#part\""), "{home}");
    assert!(test.root.join("book/other/index.html").is_file());
}

#[test]
fn issue_10_a_comment_cannot_take_the_caret() {
    // The old locator searched the text and found the word in a comment.
    let page = "---\ntitle: T\nlevels: # not executon, but:\n  - executon\n---\nText.\n";
    let test = book(&[("index.md", "# Home\n"), ("a.md", page)]);
    test.write(
        "book.toml",
        "[book]\ntitle = \"Engine\"\n[playbook]\nlevels = [{ id = \"execution\", name = \"Execution\" }]\n",
    );
    let run = test.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[E401]") && run.stderr.contains("content/a.md:4:5"), "{}", run.stderr);
}

#[test]
fn issue_10_a_level_removed_from_book_toml_stops_being_served() {
    let test = book(&[("index.md", "# Home\n"), ("a.md", "---\nlevels: [impact]\n---\n# A\n")]);
    test.write(
        "book.toml",
        "[book]\ntitle = \"Engine\"\n[playbook]\nlevels = [{ id = \"impact\", name = \"Impact\" }, \
         { id = \"optics\", name = \"Optics\" }]\n",
    );
    let server = Server::start(&test);
    assert_eq!(server.get("/levels/optics/").0, 200);
    test.write(
        "book.toml",
        "[book]\ntitle = \"Engine\"\n[playbook]\nlevels = [{ id = \"impact\", name = \"Impact\" }]\n",
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.get("/levels/optics/").0 != 404 {
        assert!(Instant::now() < deadline, "the removed level's page is still served:\n{}", server.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(server.get("/levels/impact/").0, 200);
}
