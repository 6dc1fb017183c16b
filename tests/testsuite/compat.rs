//! Books other tools made, built as they are (issue 14): an Obsidian vault
//! as Quartz publishes one, and an mdBook.

use crate::harness::BookTest;
use crate::serve::Server;

/// The `<article>` of a built page.
fn article(test: &BookTest, page: &str) -> String {
    let html = test.output(page);
    let start = html.find("<article").expect("an article");
    html[start..html.find("</article>").expect("closed")].to_string()
}

#[test]
fn issue_14_an_obsidian_vault_builds_as_it_is() {
    let test = BookTest::new("compat/obsidian");
    let run = test.build_ok();
    // One warning: the key Quartz reads and playbook keeps for templates.
    assert!(run.stderr.contains("warning[W301]: frontmatter key `cssclasses`"), "{}", run.stderr);
    assert!(run.stderr.contains("with 1 warning"), "every link resolves:\n{}", run.stderr);

    let planning = article(&test, "notes/planning/index.html");
    // `[[index#Start here]]` is the home page's heading.
    assert!(planning.contains(r#"<a href="../../index.html#start-here">Vault home</a>"#), "{planning}");
    // `![[board.png]]` is found by name, in another folder.
    assert!(planning.contains(r#"<img src="../../attachments/board.png" alt="board.png" />"#), "{planning}");
    assert!(test.root.join("book/attachments/board.png").is_file());
    // `![[Weekly rhythm]]` is a link to the note, at its permalink.
    assert!(planning.contains(r#"<a href="../../rituals/weekly/index.html">Weekly rhythm</a>"#), "{planning}");
    // The draft is not published; the link to it is text, not reported.
    assert!(!test.root.join("book/notes/someday").exists());
    assert!(planning.contains("Someday"), "{planning}");
    // `description` stands in for the summary, `tags: planning` is a tag,
    // `date` and `lastmod` are shown, the unknown key is kept.
    assert!(planning.contains(r#"<p class="summary">How the team plans a quarter.</p>"#), "{planning}");
    assert!(planning.contains(r#"<p class="tags">planning</p>"#), "{planning}");
    assert!(planning.contains(r#"<p class="dates">2026-01-15/2026-03-02</p>"#), "{planning}");
    assert!(planning.contains(r#"<p class="extra">wide,serif</p>"#), "{planning}");

    let rhythm = article(&test, "rituals/weekly/index.html");
    assert!(rhythm.contains(r#"<img src="../../attachments/board.png""#), "{rhythm}");
    assert!(rhythm.contains(r#"<a href="../../attachments/agenda.pdf">attachments/agenda.pdf</a>"#), "{rhythm}");
    // The home page finds both notes by their aliases.
    let home = test.output("index.html");
    assert!(home.contains(r#"<a href="notes/planning/index.html">Planning</a>"#), "{home}");
    assert!(home.contains(r#"<a href="rituals/weekly/index.html">Weekly rhythm</a>"#), "{home}");

    // The sidebar is Quartz's explorer: by folder, the folder's own note
    // first, then its notes by title; the draft is not in it.
    let notes = ["Notes", "Planning", "Weekly rhythm"].map(|title| (title.to_string(), 0, true)).to_vec();
    assert_eq!(sidebar(&test.output("nav.js")), [("Notes".to_string(), notes)]);

    // With --drafts the draft is published, and `check` agrees.
    let drafts = test.run(&["build", "--drafts"]);
    assert_eq!(drafts.code, 0, "{}", drafts.stderr);
    assert!(test.output("notes/someday/index.html").contains("class=\"draft-note\""));
    assert_eq!(test.run(&["check"]).code, 0);
}

#[test]
fn issue_14_serve_shows_drafts_marked() {
    let test = BookTest::new("compat/obsidian");
    let server = Server::start(&test);
    let page = server.wait_for("/notes/someday/", |body| body.contains("Not ready."));
    assert!(page.contains("class=\"draft-note\""), "{page}");
    let planning = server.wait_for("/notes/planning/", |body| body.contains("Planning"));
    assert!(
        planning.contains(r#"<a href="../someday/index.html">Someday</a>"#),
        "served, the draft is linked:\n{planning}"
    );
}

/// A file the mdBook fixture built, from its own `build-dir`.
fn built(test: &BookTest, rel: &str) -> String {
    let path = test.root.join("site").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A sidebar entry: its title, depth and whether it links.
type NavEntry = (String, u64, bool);

/// The sidebar as `nav.js` gives it: per section, its title and entries.
fn sidebar(nav_js: &str) -> Vec<(String, Vec<NavEntry>)> {
    let json = nav_js.trim().trim_start_matches("window.playbookNav = ").trim_end_matches(';');
    let nav: serde_json::Value = serde_json::from_str(json).expect("nav.js holds JSON");
    let entry = |p: &serde_json::Value| {
        (p["title"].as_str().unwrap().to_string(), p["depth"].as_u64().unwrap_or(0), p["path"].is_string())
    };
    nav["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["title"].as_str().unwrap().to_string(), s["pages"].as_array().unwrap().iter().map(entry).collect()))
        .collect()
}

#[test]
fn issue_14_an_mdbook_builds_as_it_is() {
    let test = BookTest::new("compat/mdbook");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // One warning, listing every key playbook leaves alone, and nothing
    // else: every link and include resolves.
    assert!(run.stderr.contains("with 1 warning"), "{}", run.stderr);
    let ignored = [
        "build.create-missing",
        "output.html.additional-css",
        "output.html.fold",
        "output.html.git-repository-url",
        "output.html.mathjax-support",
        "preprocessor.mermaid",
        "rust.edition",
    ];
    for key in ignored {
        assert!(run.stderr.contains(&format!("`{key}`")), "{key} not listed:\n{}", run.stderr);
    }
    // `[build] build-dir` is where the book goes.
    assert!(!test.root.join("book").exists() && test.root.join("site/index.html").is_file());

    // SUMMARY.md's order and grouping: the prefix chapter is the home
    // page, parts are sections, nesting is kept, the draft is shown
    // unlinked, the suffix chapter comes last.
    let entry = |title: &str, depth: u64, linked: bool| (title.to_string(), depth, linked);
    assert_eq!(
        sidebar(&built(&test, "nav.js")),
        [
            (
                "Getting started".to_string(),
                vec![
                    entry("Being on call", 0, true),
                    entry("Answering a page", 1, true),
                    entry("Escalating", 2, true),
                    entry("Handing over", 1, false),
                    entry("Runbooks", 0, true),
                ]
            ),
            ("Reference".to_string(), vec![entry("Glossary", 0, true)]),
            (String::new(), vec![entry("Contributors", 0, true)]),
        ]
    );
    assert!(built(&test, "index.html").contains("<h1>Welcome</h1>"));
    // SUMMARY.md, 404.md and a file only included are no pages.
    for not_a_page in ["SUMMARY", "404", "snippets/contacts"] {
        assert!(!test.root.join("site").join(not_a_page).exists(), "{not_a_page} was published");
    }

    // Includes: a whole file, a line range, an anchor's lines.
    assert!(built(&test, "on-call/index.html").contains("Who to call: the secondary first"));
    let paging = built(&test, "on-call/paging/index.html");
    assert!(paging.contains("deploy/api") && paging.contains("field-selector"), "{paging}");
    assert!(!paging.contains("set -eu") && !paging.contains("not included"), "only lines 3 to 4:\n{paging}");
    let escalation = built(&test, "on-call/escalation/index.html");
    assert!(escalation.contains("secondary_after_minutes = 30"), "{escalation}");
    assert!(
        !escalation.contains("ANCHOR") && !escalation.contains("team = "),
        "only the anchor's lines:\n{escalation}"
    );

    // Links between chapters, the edit link under `src/`, the redirect.
    assert!(paging.contains(r#"<a href="../escalation/index.html#when-to-escalate">escalating</a>"#), "{paging}");
    assert!(paging.contains(r#"href="https://git.example.com/manual/edit/main/src/on-call/paging.md""#), "{paging}");
    let moved = built(&test, "old/paging.html");
    assert!(moved.contains(r#"<meta http-equiv="refresh" content="0; url=../on-call/paging/index.html">"#), "{moved}");
    assert!(built(&test, "404.html").contains(r#"data-root="/field-manual/""#));
    // The address mdBook gave each chapter leads on to its page; one that
    // is a page already (a folder's README.md) stays the page.
    let old = built(&test, "on-call/paging.html");
    assert!(old.contains(r#"content="0; url=paging/index.html""#), "{old}");
    assert!(built(&test, "reference/glossary.html").contains("url=glossary/index.html"));
    assert!(built(&test, "on-call/index.html").contains("<h1>Being on call</h1>"));

    let check = test.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(!check.stderr.contains("L503"), "chapters SUMMARY.md lists are no orphans:\n{}", check.stderr);
}

/// Included text is checked like the page's own, and reported where the
/// reader of the page as written would look.
#[test]
fn issue_14_mdbook_includes_report_at_the_line_of_the_page() {
    let test = BookTest::new("compat/mdbook");
    test.write(
        "src/runbooks.md",
        "# Runbooks\n\n{{#include snippets/contacts.md}}\n{{#include on-call/escalation.md}}\n\n\
         See [the pager](nowhere.md).\n\n{{#include ../../outside.md}}\n\n\\{{#include shown.md}}\n",
    );
    std::fs::write(test.root.parent().unwrap().join("outside.md"), "secret\n").ok();
    let run = test.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[L501]") && run.stderr.contains("src/runbooks.md:6:5"), "{}", run.stderr);
    assert!(run.stderr.contains("warning[L506]") && run.stderr.contains("src/runbooks.md:8:1"), "{}", run.stderr);
    assert!(run.stderr.contains("outside the playbook folder"), "{}", run.stderr);
    let page = built(&test, "runbooks/index.html");
    assert!(!page.contains("secret"), "nothing outside the folder is read:\n{page}");
    assert!(page.contains("{{#include shown.md}}"), "an escaped directive is text:\n{page}");
    assert!(page.contains("secondary_after_minutes = 30"), "includes nest:\n{page}");
    assert_eq!(test.run(&["check"]).code, 1);
}

#[test]
fn issue_14_serve_follows_included_files_and_the_summary() {
    let test = BookTest::new("compat/mdbook");
    let server = Server::start(&test);
    server.wait_for("/on-call/", |body| body.contains("Who to call"));
    test.write("src/snippets/contacts.md", "Call the incident channel first.\n");
    server.wait_for("/on-call/", |body| body.contains("Call the incident channel first."));
    let summary = std::fs::read_to_string(test.root.join("src/SUMMARY.md")).unwrap();
    test.write(
        "src/SUMMARY.md",
        summary
            .replace("- [Runbooks](runbooks.md)\n", "")
            .replace("# Reference\n", "# Reference\n\n- [Runbooks](runbooks.md)"),
    );
    let nav = server.wait_for("/nav.js", |body| sidebar(body)[1].1.len() == 2);
    assert_eq!(sidebar(&nav)[1].1[0].0, "Runbooks", "{nav}");
}

/// A folder of pages without a page of its own gets one listing them, as
/// Quartz, Hugo and Zola make; links to the folder lead there.
#[test]
fn a_folder_without_a_page_gets_one_that_lists_its_pages() {
    let test = BookTest::empty();
    test.write("book.toml", "[book]\ntitle = \"Folders\"\n");
    test.write(
        "content/index.md",
        "# Home\n\n[All guides](./guide) and [[guide]], [from the root](/guide/), [[guide/deep/]].\n",
    );
    test.write("content/guide/setup.md", "# Setup\n\nText.\n");
    test.write("content/guide/deep/tuning.md", "# Tuning\n\nText.\n");
    test.write("content/notes/index.md", "# Notes of our own\n");
    test.write("content/notes/one.md", "# One\n");
    let run = test.build_ok();
    assert!(!run.stderr.contains("warning"), "every link resolves:\n{}", run.stderr);
    let guide = test.main_of("guide/index.html");
    assert!(guide.contains("<h1>guide</h1>") && guide.contains("2 pages in this folder."), "{guide}");
    assert!(
        guide.contains(r#"href="setup/index.html""#) && guide.contains(r#"href="deep/tuning/index.html""#),
        "{guide}"
    );
    assert!(test.main_of("guide/deep/index.html").contains(r#"href="tuning/index.html""#));
    assert_eq!(test.output("index.html").matches(r#"href="guide/index.html""#).count(), 3);
    assert!(test.output("index.html").contains(r#"href="guide/deep/index.html""#));
    assert!(test.main_of("notes/index.html").contains("Notes of our own"), "a folder's own page stays");

    // While serving, a page in a new folder brings the folder's page.
    let server = Server::start(&test);
    test.write("content/later/idea.md", "# Idea\n");
    let later = server.wait_for("/later/", |body| body.contains("1 page in this folder."));
    assert!(later.contains(r#"href="idea/index.html""#), "{later}");
}
