//! Issue 9: safe to build untrusted pull requests. Each test here reproduces
//! a finding of that issue: what a hostile contributor or a careless user did,
//! and what playbook must do instead.

use crate::harness::BookTest;

fn book_with(pages: &[(&str, &str)]) -> BookTest {
    let test = BookTest::empty();
    test.write("book.toml", "[book]\ntitle = \"Trust\"\n");
    for (path, text) in pages {
        test.write(&format!("content/{path}"), text);
    }
    test
}

#[test]
fn issue_9_a_flood_of_broken_links_prints_a_bounded_report() {
    // 102,000 broken links printed 26 MB. A few of a kind are shown, then
    // one line counts the rest; a line 10,000 links long is shown as an
    // excerpt around the caret, not whole.
    let mut text = String::from("# Flood\n\n");
    for i in 0..20_000 {
        text.push_str(&format!("See [[missing-{i}]].\n\n"));
    }
    text.push_str(&(0..10_000).map(|i| format!("[[gone-{i}]] ")).collect::<String>());
    let test = book_with(&[("flood.md", &text)]);
    let run = test.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.len() < 32 * 1024, "{} bytes of diagnostics", run.stderr.len());
    assert!(run.stderr.contains("more warnings[L501]") || run.stderr.contains("more errors[L501]"), "{}", run.stderr);
    let longest = run.stderr.lines().map(str::len).max().unwrap();
    assert!(longest < 300, "a source line is shown as an excerpt, not {longest} bytes");
}
