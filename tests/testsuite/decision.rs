//! The decision page (issue 5): its steps work as plain anchors, its data
//! cannot break out of its script element, and outcome pages say how a
//! reader gets there. The clicking tests are in tests/browser.rs.

use crate::harness::BookTest;

#[test]
fn issue_5_steps_are_sections_with_plain_anchor_answers() {
    let test = BookTest::new("model/basic");
    test.write("content/decide.md", "---\ntitle: Decide\ndecision: { start: first }\n---\nWalk it.\n");
    test.build_ok();
    let main = test.main_of("decide/index.html");
    assert!(main.contains("<section class=\"walk-step\" id=\"step-first\""), "{main}");
    assert!(main.contains("<section class=\"walk-step\" id=\"step-second\""), "{main}");
    assert!(
        main.contains("href=\"#step-second\" data-answer=\"0\">Yes</a>"),
        "an answer to a question is an anchor: {main}"
    );
    assert!(
        main.contains("href=\"../gamma/index.html\" data-answer=\"1\">No</a>"),
        "an answer to an outcome is a page link: {main}"
    );
    assert!(
        main.contains("class=\"tree-outcome-link\" href=\"../gamma/index.html\">Gamma</a>"),
        "the tree draws outcomes: {main}"
    );
    let alpha = test.main_of("alpha/index.html");
    assert!(
        alpha.contains("href=\"../decide/index.html#step-second\">Does it come back?</a>"),
        "outcome pages link back into the walk: {alpha}"
    );
}

#[test]
fn issue_5_walk_data_and_labels_are_escaped() {
    let test = BookTest::new("decision/escaping");
    test.build_ok();
    let html = test.output("decide/index.html");
    let data = &html[html.find("id=\"pb-walk-data\">").unwrap()..];
    let data = &data[..data.find("</script>").unwrap()];
    assert!(data.contains("\\u003c/script>"), "`<` is escaped inside the JSON: {data}");
    assert!(!data.contains("</script><script>"), "{data}");
    assert!(
        !html.contains("<b>Yes</b>") && html.contains("&lt;b&gt;Yes&lt;&#x2F;b&gt;")
            || html.contains("&lt;b&gt;Yes&lt;/b&gt;"),
        "labels are text"
    );
    assert!(!html.contains("<img src=x"), "summaries are text");
}

#[test]
fn issue_6_a_broken_page_reports_only_its_own_error() {
    let test = BookTest::new("model/basic");
    test.write("content/decide.md", "---\ntitle: Decide\ndecision: { start: first }\n---\n");
    let beta = std::fs::read_to_string(test.root.join("content/beta.md")).unwrap();
    test.write("content/beta.md", beta.replace("title: Beta", "title: [Beta"));
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr.matches("error[").count(), 1, "only the YAML error, no cascade: {}", run.stderr);
    assert!(run.stderr.contains("error[E302]") && run.stderr.contains("content/beta.md:2:"), "{}", run.stderr);
}
