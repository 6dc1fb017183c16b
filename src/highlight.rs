//! Fenced code blocks highlighted at build time (issue 12).
//!
//! A block whose language syntect knows is written as spans with CSS
//! classes (`hl-keyword`, `hl-string`, ...), never inline colours: the
//! theme's stylesheet colours them, for light and dark alike. Everything
//! else (no language, an unknown one, a block past the bounds below) is
//! written plain and escaped, exactly as before, and keeps its
//! `language-xxx` class.
//!
//! Pages come from strangers' pull requests, so the work is bounded: a
//! grammar is a stack of backtracking regexes run over every line, whose
//! cost grows with the length of a line and of a block, so blocks and lines
//! past a size, and a page's code past a total, stay plain. The syntax
//! definitions are loaded once per process, on the first block that names a
//! language, so a build without code pays nothing.

use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The largest block highlighted, in bytes (about 200 lines of code). Real
/// examples in a handbook are far smaller; a larger block is a log or a
/// data dump, which colours would not help. syntect with pure-Rust regexes
/// costs 5 to 8 µs a byte of ordinary code (0.1 to 0.2 ms a line) on our
/// 2-core machine, and less on text crafted against a grammar (which fails
/// fast), so a block at this bound costs at most about 70 ms.
pub(crate) const MAX_BLOCK_BYTES: usize = 8 * 1024;

/// The longest line highlighted, in bytes: a grammar's regexes run from
/// every position of a line, so minified code costs out of proportion.
pub(crate) const MAX_LINE_BYTES: usize = 1000;

/// The most code highlighted on one page, in bytes: past it, blocks are
/// plain, so no page costs more than about 200 ms of highlighting, however
/// much code it holds, and its spans add at most a few MiB of HTML.
pub(crate) const MAX_PAGE_BYTES: usize = 3 * MAX_BLOCK_BYTES;

/// Every class is prefixed, so a grammar's scope names (`source`, `string`,
/// `comment`) cannot collide with the theme's own classes.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// syntect's bundled grammars, loaded on first use.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The language of a fenced block's info string, as pulldown-cmark writes
/// it into `language-xxx`: its first word (`rust` of `rust ignore`).
fn language(info: &str) -> &str {
    info.split(' ').next().unwrap_or_default()
}

/// The grammar for a language name or file extension (`rust`, `rs`,
/// `Python`, `sh`), ignoring attributes after a comma (`rust,ignore`).
fn syntax_for(lang: &str) -> Option<&'static SyntaxReference> {
    let token = lang.split([',', '{']).next().unwrap_or_default();
    if token.is_empty() {
        return None;
    }
    let syntaxes = &*SYNTAXES;
    syntaxes.find_syntax_by_token(token).filter(|s| s.name != "Plain Text")
}

/// The highlighted inner HTML of a block's `<code>`, or `None` to write it
/// plain: an unknown language, or a block or line past the bounds.
pub(crate) fn highlight(lang: &str, code: &str) -> Option<String> {
    if code.len() > MAX_BLOCK_BYTES || code.split('\n').any(|line| line.len() > MAX_LINE_BYTES) {
        return None;
    }
    let syntax = syntax_for(lang)?;
    let mut html = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        html.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(html.finalize())
}

/// A Rust block as rustdoc and mdBook show it: a line whose text starts
/// with `# ` (or is `#`) is there for the compiler and is left out; `##`
/// writes a line that starts with `#`.
fn without_hidden_lines(code: &str) -> String {
    let mut shown = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let text = line.trim_start();
        let indent = &line[..line.len() - text.len()];
        if text.starts_with("##") {
            shown.push_str(indent);
            shown.push_str(&text[1..]);
        } else if !(text.starts_with("# ") || text.trim_end() == "#") {
            shown.push_str(line);
        }
    }
    shown
}

/// The events of a body with each fenced block's text replaced by its
/// highlighted HTML, where [`highlight`] gives some.
pub(crate) struct CodeBlocks<'a, I> {
    source: I,
    /// Events of a block that stays plain, or the three of a highlighted
    /// one, ready to hand out.
    out: std::collections::VecDeque<Event<'a>>,
    /// Bytes of code this page may still highlight.
    budget: usize,
}

impl<'a, I: Iterator<Item = Event<'a>>> CodeBlocks<'a, I> {
    /// Wraps the events of one page's body.
    pub(crate) fn new(source: I) -> Self {
        CodeBlocks { source, out: std::collections::VecDeque::new(), budget: MAX_PAGE_BYTES }
    }

    /// Reads a fenced block to its end and queues what to write for it.
    fn block(&mut self, info: CowStr<'a>) {
        let mut texts = Vec::new();
        for event in self.source.by_ref() {
            match event {
                Event::Text(text) => texts.push(text),
                _ => break,
            }
        }
        let mut code: CowStr<'a> = match texts.len() {
            1 => texts.pop().expect("one text"),
            _ => texts.concat().into(),
        };
        if language(&info).split(',').next() == Some("rust") && code.contains('#') {
            code = without_hidden_lines(&code).into();
        }
        let highlighted = if code.len() <= self.budget { highlight(language(&info), &code) } else { None };
        self.out.push_back(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))));
        match highlighted {
            Some(html) => {
                self.budget -= code.len();
                self.out.push_back(Event::Html(html.into()));
            }
            None if code.is_empty() => {}
            None => self.out.push_back(Event::Text(code)),
        }
        self.out.push_back(Event::End(TagEnd::CodeBlock));
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for CodeBlocks<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.out.pop_front() {
            return Some(event);
        }
        match self.source.next()? {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if !language(&info).is_empty() => {
                self.block(info);
                self.out.pop_front()
            }
            other => Some(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Parser, html};

    use super::*;
    use crate::markdown::options;

    fn render(body: &str) -> String {
        let mut out = String::new();
        html::push_html(&mut out, CodeBlocks::new(Parser::new_ext(body, options())));
        out
    }

    #[test]
    fn rust_blocks_leave_out_the_lines_rustdoc_hides() {
        let code = "# fn main() {\nlet x = 1;\n    # let hidden = 2;\n##[derive(Debug)]\n#[test]\n#\n# }\n";
        assert_eq!(without_hidden_lines(code), "let x = 1;\n#[derive(Debug)]\n#[test]\n");
        let html = render(&format!("```rust,editable\n{code}```\n"));
        assert!(!html.contains("main") && !html.contains("hidden"), "{html}");
        let python = render("```python\n# a comment\n```\n");
        assert!(python.contains("a comment"), "only Rust hides lines: {python}");
    }

    #[test]
    fn known_languages_get_classes_not_colours() {
        let html = render("```rust\nfn main() { let s = \"<b>\"; }\n```\n");
        assert!(html.starts_with("<pre><code class=\"language-rust\"><span class=\"hl-source hl-rust\">"), "{html}");
        assert!(html.contains("<span class=\"hl-storage hl-type hl-function hl-rust\">fn</span>"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "code is escaped: {html}");
        assert!(!html.contains("<b>") && !html.contains("style="), "{html}");
        assert!(html.ends_with("</span></code></pre>\n"), "{html}");
    }

    #[test]
    fn names_and_extensions_find_their_grammar() {
        for lang in ["rust", "rs", "Python", "py", "js", "sh", "bash", "json", "yaml", "html", "rust,ignore"] {
            assert!(syntax_for(lang).is_some(), "{lang}");
        }
        for lang in ["", "text", "klingon", ",", "{.x}"] {
            assert!(syntax_for(lang).is_none(), "{lang}");
        }
    }

    #[test]
    fn unknown_languages_and_plain_blocks_render_as_before() {
        for body in [
            "```klingon\nqapla' <b>\n```\n",
            "```\nplain <b>\n```\n",
            "    indented <b>\n",
            "```rust\n```\n",
            "```text\nplain <b>\n```\n",
        ] {
            let mut before = String::new();
            html::push_html(&mut before, Parser::new_ext(body, options()));
            assert_eq!(render(body), before, "{body}");
        }
        assert_eq!(render("```klingon\nx\n```\n"), "<pre><code class=\"language-klingon\">x\n</code></pre>\n");
    }

    #[test]
    fn blocks_past_the_bounds_stay_plain() {
        let huge = format!("```rust\n{}```\n", "let x = 1;\n".repeat(MAX_BLOCK_BYTES / 11 + 1));
        let html = render(&huge);
        assert!(html.starts_with("<pre><code class=\"language-rust\">let x"), "{}", &html[..80]);
        let long_line = format!("```rust\n{}\n```\n", "x".repeat(MAX_LINE_BYTES + 1));
        assert!(!render(&long_line).contains("hl-"));
        // A page's budget: the first blocks are highlighted, the rest plain.
        let code = "let x = 1;\n".repeat(MAX_BLOCK_BYTES / 11);
        let html = render(&format!("```rust\n{code}```\n\n").repeat(MAX_PAGE_BYTES / code.len() + 2));
        let highlighted = html.matches("<span class=\"hl-source hl-rust\">").count();
        assert_eq!(highlighted, MAX_PAGE_BYTES / code.len(), "{}", html.len());
    }

    #[test]
    fn nothing_escapes_the_code_element() {
        let html = render("```html\n</code></pre><script>alert(1)</script>\n```\n\nafter\n");
        assert!(!html.contains("<script>") && !html.contains("</code></pre><"), "{html}");
        assert!(html.ends_with("</code></pre>\n<p>after</p>\n"), "{html}");
    }

    use proptest::prelude::*;
    use proptest::test_runner::RngSeed;

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 256,
            failure_persistence: None,
            rng_seed: RngSeed::Fixed(12),
            ..ProptestConfig::default()
        })]

        /// Any code in any common language: no panic, and no tag but the
        /// highlighter's spans.
        #[test]
        fn any_code_renders_escaped(
            lang in "(rust|python|js|html|sh|yaml|json|c|markdown|xml|css|sql|ruby|go)",
            code in "[^`\\p{C}]{0,200}",
        ) {
            let html = render(&format!("```{lang}\n{code}\n```\n"));
            let tags = html.match_indices('<').filter(|(i, _)| {
                let rest = &html[*i..];
                !["<span class=\"hl-", "</span>", "<pre>", "<code class=", "</code>", "</pre>"]
                    .iter()
                    .any(|ok| rest.starts_with(ok))
            });
            prop_assert_eq!(tags.count(), 0, "{}", html);
        }
    }
}
