//! Building fixture books: the pages, assets, themes and guarantees of the
//! foundation (issue 2).

use std::fs;

use crate::harness::BookTest;

#[test]
fn basic_book_pages_and_layout() {
    let test = BookTest::new("build/basic");
    let run = test.build_ok();
    assert!(run.stderr.contains("built 4 pages"), "{}", run.stderr);
    for file in [
        "index.html",
        "404.html",
        "nav.js",
        "contents/index.html",
        "guide/index.html",
        "guide/first/index.html",
        "guide/second/index.html",
        "guide/img/diagram.svg",
        "assets/style.css",
        "assets/playbook.js",
    ] {
        assert!(test.root.join("book").join(file).is_file(), "missing {file}");
    }
    for skipped in ["guide/.hidden/index.html", "guide/.second.md.swp", "guide/second.md~"] {
        assert!(!test.root.join("book").join(skipped).exists(), "{skipped} should be skipped");
    }
}

#[test]
fn markdown_extensions_and_heading_ids() {
    let test = BookTest::new("build/basic");
    test.build_ok();
    insta::assert_snapshot!(test.main_of("guide/first/index.html"));
}

#[test]
fn page_without_frontmatter_takes_its_heading_as_title() {
    let test = BookTest::new("build/basic");
    test.build_ok();
    let main = test.main_of("guide/second/index.html");
    assert!(main.contains("<h1>Second steps</h1>"), "{main}");
    assert_eq!(main.matches("<h1").count(), 1, "the heading is not rendered twice: {main}");
    assert!(test.output("guide/second/index.html").contains("<title>Second steps · Basic Book</title>"));
}

#[test]
fn home_page_uses_index_md_and_lists_sections() {
    let test = BookTest::new("build/basic");
    test.build_ok();
    insta::assert_snapshot!(test.main_of("index.html"));
}

#[test]
fn navigation_is_one_shared_file_not_copied_into_pages() {
    let test = BookTest::new("build/basic");
    test.build_ok();
    let nav = test.output("nav.js");
    assert!(nav.contains("\"path\":\"guide/second/index.html\""), "{nav}");
    let page = test.output("guide/first/index.html");
    assert!(page.contains("src=\"../../nav.js\""), "pages load the shared navigation");
    assert!(!page.contains("guide/second/index.html\">Second steps</a></li>"), "the full nav is not in the page");
    assert!(page.contains("href=\"../../contents/index.html\""), "a no-JS fallback link to all pages");
    assert!(test.output("contents/index.html").contains("href=\"../guide/second/index.html\""));
}

#[test]
fn links_are_relative_and_404_uses_site_url() {
    let test = BookTest::new("build/basic");
    test.write("book.toml", "[book]\ntitle = \"B\"\n[build]\nsite-url = \"/handbook\"\n");
    test.build_ok();
    let page = test.output("guide/first/index.html");
    assert!(page.contains("href=\"../../assets/style.css\""));
    assert!(page.contains("src=\"../img/diagram.svg\""), "images beside the page still resolve");
    assert!(!page.contains("href=\"/"), "no absolute links in pages");
    let not_found = test.output("404.html");
    assert!(not_found.contains("href=\"/handbook/assets/style.css\""), "{not_found}");
}

#[test]
fn crlf_and_bom_pages_build() {
    let test = BookTest::empty();
    test.write("book.toml", "");
    test.write("content/win.md", "\u{feff}---\r\ntitle: Windows page\r\n---\r\n## Part one\r\n\r\nText.\r\n");
    test.build_ok();
    let main = test.main_of("win/index.html");
    assert!(main.contains("<h1>Windows page</h1>"), "{main}");
    assert!(main.contains("id=\"part-one\""), "{main}");
}

#[test]
fn theme_override_replaces_files_and_escapes_frontmatter() {
    let test = BookTest::new("build/theme_override");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[W101]"), "unknown theme file warns: {}", run.stderr);
    let main = test.main_of("a/index.html");
    assert!(
        main.contains("<h1 class=\"custom\">&lt;script&gt;alert(&#39;x&#39;)&lt;&#x2F;script&gt; &amp; title</h1>")
            || main.contains("<h1 class=\"custom\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; title</h1>"),
        "{main}"
    );
    assert!(main.contains("Summary with &lt;b&gt;tags&lt;/b&gt;"), "{main}");
    assert!(main.contains("<em>raw HTML</em>"), "raw HTML in bodies is allowed: {main}");
    assert_eq!(test.output("assets/style.css"), "body { color: red; }\n");
    assert!(
        test.output("assets/playbook.js").contains("playbookNav"),
        "files not overridden come from the default theme"
    );
}

#[test]
fn builds_are_byte_identical() {
    let test = BookTest::new("build/basic");
    test.build_ok();
    let first = test.snapshot_output();
    test.build_ok();
    assert_eq!(first, test.snapshot_output());
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let test = BookTest::new("build/basic");
    test.build_ok();
    let before = test.snapshot_output();
    test.write("content/guide/first.md", "---\ntitle: [unclosed\n---\n");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/guide/first.md:2:"), "{}", run.stderr);
    assert_eq!(before, test.snapshot_output());
}

#[test]
fn all_errors_are_reported_not_just_the_first() {
    let test = BookTest::new("build/basic");
    test.write("content/bad1.md", "---\ntitle: [x\n---\n");
    test.write("content/bad2.md", "---\nbogus: 1\n---\n");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("content/bad1.md") && run.stderr.contains("content/bad2.md"), "{}", run.stderr);
    assert!(run.stderr.contains("2 errors"), "{}", run.stderr);
}

#[test]
fn output_never_lands_outside_its_folder() {
    let test = BookTest::new("build/basic");
    test.build_ok();
    let mut names: Vec<_> =
        fs::read_dir(&test.root).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["book", "book.toml", "content"]);
}

#[test]
fn issue_4_sitemap_only_with_an_absolute_site_url() {
    let test = BookTest::new("build/basic");
    test.build_ok();
    assert!(!test.root.join("book/sitemap.xml").exists(), "no sitemap for a path-only site-url");
    test.write("book.toml", "[book]\ntitle = \"B\"\n[build]\nsite-url = \"https://example.org/handbook\"\n");
    test.build_ok();
    let map = test.output("sitemap.xml");
    for loc in [
        "https://example.org/handbook/",
        "https://example.org/handbook/guide/first/",
        "https://example.org/handbook/contents/",
    ] {
        assert!(map.contains(&format!("<loc>{loc}</loc>")), "{loc} missing:\n{map}");
    }
    assert!(!map.contains("404"), "the 404 page is no page to index");
}

#[test]
fn issue_12_callouts_as_github_and_obsidian_write_them() {
    let test = BookTest::new("build/callouts_highlighting");
    test.build_ok();
    let main = test.main_of("callouts/index.html");
    assert_eq!(main.matches("class=\"callout callout-").count(), 24, "{main}");
    assert!(!main.contains("[!"), "no marker is left as text: {main}");
    for (kind, name, title) in [
        ("note", "note", "Note"),
        ("tip", "tip", "Tip"),
        ("important", "important", "Important"),
        ("warning", "warning", "Warning"),
        ("caution", "caution", "Caution"),
        ("abstract", "tldr", "Tldr"),
        ("question", "faq", "Faq"),
        ("failure", "missing", "Missing"),
        ("danger", "error", "Error"),
        ("quote", "cite", "Cite"),
        ("note", "recipe", "Recipe"),
    ] {
        let open = format!(
            "<div class=\"callout callout-{kind}\" data-callout=\"{name}\" role=\"note\"><p class=\"callout-title\">{title}</p>"
        );
        assert!(main.contains(&open), "{open} missing in {main}");
    }
    // A custom title is text: its tags and quotes are escaped, a link in it
    // is its text.
    assert!(
        main.contains("<p class=\"callout-title\">Ask &lt;em&gt;why&lt;/em&gt; &amp; “how” before Code</p>"),
        "{main}"
    );
    assert!(main.contains(
        "<details class=\"callout callout-question\" data-callout=\"faq\"><summary class=\"callout-title\">Is this folded?</summary>"
    ));
    assert!(main.contains("data-callout=\"faq\" open><summary class=\"callout-title\">And this one?</summary>"));
    let outer = main.find("<p class=\"callout-title\">Outer</p>").expect("outer callout");
    let inner = main.find("<p class=\"callout-title\">Inner</p>").expect("inner callout");
    let back = main.find("<p>Back in the outer one.</p>\n</div></div>").expect("outer closes after its text");
    assert!(outer < inner && inner < back, "{main}");
    assert!(main.contains("<blockquote>\n<p>A plain quote stays a quote.</p>\n</blockquote>"), "{main}");
}

#[test]
fn issue_12_code_is_highlighted_with_classes_within_bounds() {
    let test = BookTest::new("build/callouts_highlighting");
    test.build_ok();
    let main = test.main_of("code/index.html");
    for opening in [
        "<pre tabindex=\"0\"><code class=\"language-rust\"><span class=\"hl-source hl-rust\">",
        "<pre tabindex=\"0\"><code class=\"language-python\"><span class=\"hl-source hl-python\">",
        "<pre tabindex=\"0\"><code class=\"language-sh\"><span class=\"hl-source hl-shell",
    ] {
        assert!(main.contains(opening), "{opening} missing in {main}");
    }
    assert!(main.contains("Says hello &lt;to&gt; &quot;you&quot;."), "code stays escaped: {main}");
    assert!(main.contains("<span class=\"hl-comment"), "{main}");
    assert!(!main.contains("style="), "colours come from the stylesheet, not inline: {main}");
    // Unknown languages, blocks without one and blocks past the size bound
    // are written plain, escaped, as before.
    assert!(main.contains(
        "<pre tabindex=\"0\"><code class=\"language-klingon\">nuqneH &lt;b&gt;not bold&lt;/b&gt;\n</code></pre>"
    ));
    assert!(main.contains("<pre tabindex=\"0\"><code>plain &lt;i&gt;text&lt;/i&gt;\n</code></pre>"), "{main}");
    assert!(
        main.contains("<pre tabindex=\"0\"><code class=\"language-rust\">let line_0000 = 0;"),
        "the huge block is plain"
    );
    // Code inside a callout is highlighted too.
    let callout = main.find("data-callout=\"example\"").expect("example callout");
    assert!(main[callout..].find("hl-source hl-shell").is_some(), "{main}");
    let css = test.output("assets/style.css");
    // Both schemes: each colour is a light-dark() pair.
    for needle in [".hl-comment", "--hl-keyword: light-dark(", "--callout-note: light-dark("] {
        assert!(css.contains(needle), "{needle} missing in style.css");
    }
}

#[test]
fn issue_12_every_heading_keeps_its_text_and_gets_one_anchor() {
    let test = BookTest::new("build/callouts_highlighting");
    test.build_ok();
    let main = test.main_of("code/index.html");
    let content = &main[main.find("<div class=\"content\">").expect("content")..];
    assert_eq!(content.matches("<a class=\"heading-anchor\"").count(), 6, "one per heading of the body: {content}");
    // A table scrolls sideways inside a named region the keyboard reaches.
    assert!(
        content.contains("<div class=\"table-scroll\" role=\"region\" aria-label=\"Table\" tabindex=\"0\">\n<table>")
    );
    assert!(!main.contains("heading-link"), "{main}");
    assert!(
        content.contains(
            "<h2 id=\"highlighted\">Highlighted<a class=\"heading-anchor\" href=\"#highlighted\" aria-label=\"Link to \
             section: Highlighted\">#</a></h2>"
        ),
        "{content}"
    );
    // A heading holding a link keeps it live, with the same anchor after it.
    assert!(
        content.contains(
            "<h2 id=\"run-serve-after-callouts\">Run <code>serve</code> after <a \
             href=\"../callouts/index.html\">Callouts</a><a class=\"heading-anchor\" \
             href=\"#run-serve-after-callouts\" aria-label=\"Link to section: Run serve after Callouts\">#</a></h2>"
        ),
        "{content}"
    );
    let css = test.output("assets/style.css");
    let section = &css[css.find("/* Callouts, code highlighting, heading anchors */").expect("one section")..];
    for needle in [".heading-anchor:focus", ":hover > .heading-anchor", "@media (hover: none)"] {
        assert!(section.contains(needle), "{needle} missing in style.css");
    }
}

#[test]
fn issue_12_callouts_page() {
    let test = BookTest::new("build/callouts_highlighting");
    test.build_ok();
    insta::assert_snapshot!(test.main_of("callouts/index.html"));
}
