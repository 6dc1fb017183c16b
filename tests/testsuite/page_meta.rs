//! Issue 12: what a page says about its own source, in a footer after its
//! text: where to edit it (`[build] edit-url-template`), and when it last
//! changed (from git, when the playbook is in a git work tree).

use crate::harness::BookTest;

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
