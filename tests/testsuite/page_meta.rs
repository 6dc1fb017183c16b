//! Issue 12: what a page says about its own source, in a footer after its
//! text: where to edit it (`[build] edit-url-template`), and when it last
//! changed (from git, when the playbook is in a git work tree).

use crate::harness::{BookTest, git, has_git};

/// A playbook whose `book.toml` says where its pages are edited.
fn with_edit_url(template: &str) -> BookTest {
    let test = BookTest::empty();
    test.write("book.toml", format!("[book]\ntitle = \"Meta\"\n[build]\nedit-url-template = \"{template}\"\n"));
    test.write("content/index.md", "# Home\n\n[[guide/first]] [[guide/-odd name é]]\n");
    test.write("content/guide/first.md", "# First\n\nText.\n");
    test.write("content/guide/-odd name é.md", "# Odd\n\nText.\n");
    test
}

#[test]
fn issue_12_every_page_links_to_where_its_source_is_edited() {
    let test = with_edit_url("https://github.com/org/repo/edit/main/{path}");
    test.build_ok();
    let main = test.main_of("guide/first/index.html");
    assert!(
        main.contains(
            "<footer class=\"page-meta\">\n    <a class=\"page-edit\" \
             href=\"https://github.com/org/repo/edit/main/content/guide/first.md\" rel=\"noopener\">Edit this page</a>"
        ),
        "{main}"
    );
    assert!(main.find("page-meta").unwrap() < main.find("</article>").unwrap(), "the footer closes the article");
}

#[test]
fn issue_12_an_odd_file_name_is_percent_encoded_in_the_edit_url() {
    let test = with_edit_url("https://example.org/edit?file={path}");
    test.build_ok();
    let odd = std::fs::read_dir(test.root.join("book/guide"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|name| name != "first")
        .expect("the odd page has a folder");
    let main = test.main_of(&format!("guide/{odd}/index.html"));
    assert!(main.contains("href=\"https://example.org/edit?file=content/guide/-odd%20name%20%C3%A9.md\""), "{main}");
}

#[test]
fn issue_12_the_home_page_view_has_the_edit_url_of_its_index_md() {
    let test = with_edit_url("https://example.org/{path}");
    test.write("book.toml", "[build]\ntheme = \"mine\"\nedit-url-template = \"https://example.org/{path}\"\n");
    test.write("themes/mine/templates/home.html", "<main>{% if edit_url %}{{ edit_url | safe }}{% endif %}</main>\n");
    test.build_ok();
    assert_eq!(test.main_of("index.html"), "<main>https://example.org/content/index.md</main>");
    std::fs::remove_file(test.root.join("content/index.md")).unwrap();
    test.build_ok();
    assert_eq!(test.main_of("index.html"), "<main></main>", "no index.md, nothing to edit");
}

#[test]
fn issue_12_without_an_edit_url_template_pages_have_no_footer() {
    let test = BookTest::empty();
    test.write("content/a.md", "# A\n\nText.\n");
    test.build_ok();
    assert!(!test.output("a/index.html").contains("page-meta"));
}

#[test]
fn issue_12_a_bad_edit_url_template_is_an_error_at_its_line() {
    let test = with_edit_url("ftp://example.org/{path}");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[E104]: `edit-url-template` must be an http(s) URL"), "{}", run.stderr);
    assert!(run.stderr.contains("--> book.toml:4:1"), "{}", run.stderr);
}

/// A playbook in a git repository: every page committed on 2 January 2026,
/// then `a.md` changed on 6 December 2026 (23:30 UTC, still the 6th in
/// UTC); then, uncommitted, `b.md` edited and `new.md` added.
fn in_git() -> Option<BookTest> {
    if !has_git() {
        return None;
    }
    let test = BookTest::empty();
    test.write("book.toml", "[book]\ntitle = \"Dated\"\n");
    test.write("content/index.md", "# Home\n\n[[a]] [[b]] [[new]] [[-odd name é]]\n");
    test.write("content/a.md", "# A\n\nFirst.\n");
    test.write("content/b.md", "# B\n\nFirst.\n");
    test.write("content/-odd name é.md", "# Odd\n\nA name git could take for an option.\n");
    git(&test.root, &["init", "-q"], None);
    git(&test.root, &["add", "-A"], None);
    git(&test.root, &["commit", "-q", "-m", "first"], Some("2026-01-02T10:00:00Z"));
    test.write("content/a.md", "# A\n\nSecond.\n");
    git(&test.root, &["commit", "-q", "-a", "-m", "second"], Some("2026-12-06T23:30:00Z"));
    test.write("content/b.md", "# B\n\nNot committed.\n");
    test.write("content/new.md", "# New\n\nNot committed.\n");
    Some(test)
}

/// The "Last updated" line of an output page, if it has one.
fn updated(test: &BookTest, page: &str) -> Option<String> {
    let main = test.main_of(page);
    let start = main.find("<p class=\"page-updated\">")?;
    Some(main[start..start + main[start..].find("</p>").unwrap() + 4].to_string())
}

/// The output folder of the page whose source is `-odd name é.md`.
fn odd_page(test: &BookTest) -> String {
    let slug = std::fs::read_dir(test.root.join("book"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|name| name.contains("odd"))
        .expect("the odd page has a folder");
    format!("{slug}/index.html")
}

#[test]
fn issue_12_pages_show_when_git_last_changed_them() {
    let Some(test) = in_git() else { return };
    let run = test.run(&["build", "--timings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("dates: 4 pages dated from 2 commits"), "{}", run.stderr);
    let on = |iso: &str, human: &str| {
        Some(format!("<p class=\"page-updated\">Last updated <time datetime=\"{iso}\">{human}</time></p>"))
    };
    assert_eq!(updated(&test, "a/index.html"), on("2026-12-06", "6 December 2026"));
    assert_eq!(updated(&test, "b/index.html"), on("2026-01-02", "2 January 2026"), "its last commit, not the edit");
    assert_eq!(updated(&test, &odd_page(&test)), on("2026-01-02", "2 January 2026"));
    assert_eq!(updated(&test, "new/index.html"), None, "never committed: no date");
    assert!(!test.main_of("new/index.html").contains("page-meta"), "and no empty footer");
    let first = test.snapshot_output();
    test.build_ok();
    assert_eq!(test.snapshot_output(), first, "the same commits give the same bytes");
}

#[test]
fn issue_12_a_playbook_outside_git_builds_without_dates() {
    let test = BookTest::empty();
    test.write("content/a.md", "# A\n\nText.\n");
    let run = test.run(&["build", "--timings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("dates: no dates ("), "--timings says why: {}", run.stderr);
    assert!(!run.stderr.contains("warning"), "and nothing else does: {}", run.stderr);
    assert_eq!(updated(&test, "a/index.html"), None);
}

#[test]
fn issue_12_serve_asks_git_once_and_again_when_book_toml_changes() {
    use playbook::engine::Engine;
    use playbook::layout::load_layout;
    let Some(test) = in_git() else { return };
    let root = test.root.canonicalize().unwrap();
    let page_a = |engine: &mut Engine| {
        let found = std::sync::Mutex::new(None);
        engine
            .render(|file| {
                if file.path == "a/index.html"
                    && let playbook::Contents::Bytes(bytes) = file.contents
                {
                    *found.lock().unwrap() = Some(String::from_utf8(bytes).unwrap());
                }
                Ok(())
            })
            .unwrap();
        found.into_inner().unwrap()
    };
    let mut engine = Engine::load(load_layout(&root, None).unwrap().unwrap(), playbook::Mode::Build, true).unwrap();
    assert!(page_a(&mut engine).unwrap().contains("datetime=\"2026-12-06\""));
    // A commit while serving, then an edit: the edit is taken in without
    // running git, so the page keeps the date git gave at load.
    test.write("content/a.md", "# A\n\nThird.\n");
    git(&root, &["commit", "-q", "-a", "-m", "third"], Some("2027-03-04T05:06:07Z"));
    test.write("content/a.md", "# A\n\nFourth.\n");
    assert!(engine.update(&[root.join("content/a.md")]).unwrap());
    let page = page_a(&mut engine).expect("the edited page is rendered again");
    assert!(page.contains("Fourth.") && page.contains("datetime=\"2026-12-06\""), "{page}");
    assert!(engine.timings().dates.is_empty(), "git was not asked: {}", engine.timings());
    // Saving book.toml reads everything again, the dates too.
    test.write("book.toml", "[book]\ntitle = \"Dated again\"\n");
    assert!(engine.update(&[root.join("book.toml")]).unwrap());
    assert!(page_a(&mut engine).unwrap().contains("datetime=\"2027-03-04\""));
}

/// A pull request can add a folder laid out as a bare repository, with a
/// config of its choosing (a `gpg.program`, a `core.fsmonitor`) and a
/// history of its making. git would take the content folder for that
/// repository; playbook's git refuses it, so there are no dates.
#[test]
fn issue_12_a_content_folder_laid_out_as_a_bare_repository_is_not_read_as_one() {
    if !has_git() {
        return;
    }
    let test = BookTest::empty();
    test.write("content/a.md", "# A\n\nText.\n");
    let content = test.root.join("content");
    git(&content, &["init", "-q", "--bare", "."], None);
    git(&content, &["--git-dir=.", "--work-tree=.", "add", "a.md"], None);
    git(&content, &["--git-dir=.", "--work-tree=.", "commit", "-q", "-m", "planted"], Some("2001-02-03T04:05:06Z"));
    let run = test.run(&["build", "--timings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("dates: no dates ("), "{}", run.stderr);
    assert_eq!(updated(&test, "a/index.html"), None);
}
