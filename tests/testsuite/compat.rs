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
